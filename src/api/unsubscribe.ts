/**
 * `/api/v1/report/unsubscribe?token=…`: the unsubscribe link of every e-mail report. Public (the
 * token is the credential) and HTML, since people open it from a mail client. GET only shows a
 * confirmation page — link scanners fetch every URL of a message — and POST, from that page's
 * button or from the mail client's RFC 8058 one-click request, deletes the report.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import {
  UNSUBSCRIBE_PATH,
  confirmationPage,
  findReportByToken,
  unknownTokenPage,
  unsubscribe,
  unsubscribeUrl,
  unsubscribedPage,
} from '../mail/unsubscribe.ts';
import type { App, AppDeps } from '../server/app.ts';

const Query = Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) });

/** RFC 8058 clients post `List-Unsubscribe=One-Click` as either form encoding. */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return (
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      // The token is in the URL: keep it out of caches, search engines and Referer headers.
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-robots-tag', 'noindex')
      .send(body)
  );
}

/** Register the unsubscribe routes. */
export async function registerUnsubscribeRoutes(app: App, { meta }: AppDeps): Promise<void> {
  const db = meta.db;
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    // Only these routes take form bodies; the body's content is fixed by RFC 8058 and unused.
    for (const type of FORM_TYPES) {
      if (!scope.hasContentTypeParser(type)) {
        scope.addContentTypeParser(type, { parseAs: 'string' }, (_request, _body, done) =>
          done(null, undefined),
        );
      }
    }

    scope.get(
      UNSUBSCRIBE_PATH,
      {
        config: { auth: 'none' },
        schema: {
          tags: ['reports'],
          summary: 'Confirmation page of the unsubscribe link of an e-mail report (HTML)',
          security: [],
          querystring: Query,
        },
      },
      async (request, reply) => {
        const token = request.query.token?.trim() ?? '';
        if (token === '') return html(reply, 400, unknownTokenPage());
        const report = await findReportByToken(db, token);
        if (!report) return html(reply, 404, unknownTokenPage());
        // A path without origin: the form posts back to wherever the page was opened.
        return html(reply, 200, confirmationPage(report, unsubscribeUrl('', token)));
      },
    );

    scope.post(
      UNSUBSCRIBE_PATH,
      {
        config: { auth: 'none' },
        bodyLimit: 4096,
        schema: {
          tags: ['reports'],
          summary: 'Unsubscribe from an e-mail report (RFC 8058 one-click; deletes the report)',
          security: [],
          querystring: Query,
        },
      },
      async (request, reply) => {
        const token = request.query.token?.trim() ?? '';
        if (token === '') return html(reply, 400, unknownTokenPage());
        const deleted = await unsubscribe(db, token);
        if (deleted) request.log.info({}, 'e-mail report unsubscribed');
        return deleted
          ? html(reply, 200, unsubscribedPage())
          : html(reply, 404, unknownTokenPage());
      },
    );
  });
}
