/**
 * One-click unsubscribe from e-mail reports (RFC 8058). Every report carries a link with its
 * token (an HMAC of the report id, see `manage/reports.ts`); the store keeps only the token's
 * SHA-256, by which the report is found.
 *
 * Opening the link (GET) only asks for confirmation: mail scanners and link previews fetch every
 * link of a message, and must not unsubscribe anyone. The confirmation form and the mail
 * client's one-click request (`List-Unsubscribe-Post: List-Unsubscribe=One-Click`) both POST to
 * the same URL, which deletes the report.
 */
import type { Kysely } from 'kysely';
import { sha256Hex } from '../manage/secrets.ts';
import type { MetaDatabase } from '../store/meta/schema.ts';
import { COLOR_MUTED, FONT, escapeHtml, heading, layout, paragraph, section } from './html.ts';

/** Where the unsubscribe link points, below the base URL. */
export const UNSUBSCRIBE_PATH = '/api/v1/report/unsubscribe';

/** The unsubscribe URL of a report token. */
export function unsubscribeUrl(baseUrl: string, token: string): string {
  return `${baseUrl}${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(token)}`;
}

/** The report a token unsubscribes from, with its domain's host name, if it still exists. */
export async function findReportByToken(
  db: Kysely<MetaDatabase>,
  token: string,
): Promise<{ id: string; email: string; interval: number; hostname: string } | undefined> {
  if (token === '') return undefined;
  return db
    .selectFrom('email_report')
    .innerJoin('domain', 'domain.id', 'email_report.domain_id')
    .select([
      'email_report.id as id',
      'email_report.email as email',
      'email_report.interval as interval',
      'domain.hostname as hostname',
    ])
    .where('email_report.unsubscribe_hash', '=', sha256Hex(token))
    .executeTakeFirst();
}

/** Delete the report of `token`; false when there is none (unknown token, or already gone). */
export async function unsubscribe(db: Kysely<MetaDatabase>, token: string): Promise<boolean> {
  if (token === '') return false;
  const result = await db
    .deleteFrom('email_report')
    .where('unsubscribe_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

const INTERVAL_WORDS: Record<number, string> = {
  1: 'weekly',
  2: 'two-week',
  3: 'three-week',
  4: 'monthly',
};

/** A small HTML page in the e-mails' look. */
function page(title: string, html: string): string {
  return layout({ title, preheader: title, body: section(heading(title) + html, '24px') });
}

/** GET: the confirmation page with the button that unsubscribes. */
export function confirmationPage(
  report: { email: string; interval: number; hostname: string },
  actionUrl: string,
): string {
  const what = `the ${INTERVAL_WORDS[report.interval] ?? ''} report of ${report.hostname}`;
  return page(
    'Unsubscribe from this report?',
    paragraph(
      `<strong>${escapeHtml(report.email)}</strong> will no longer receive ${escapeHtml(what)}.`,
    ) +
      `<form method="post" action="${escapeHtml(actionUrl)}" style="margin:0">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" style="padding:10px 20px;${FONT};font-size:14px;font-weight:600;color:#ffffff;background:#2f6fdb;border:0;border-radius:4px;cursor:pointer">Unsubscribe</button>
</form>`,
  );
}

/** POST, done. */
export function unsubscribedPage(): string {
  return page(
    'You are unsubscribed',
    paragraph('You will not receive this report any more.', COLOR_MUTED),
  );
}

/** An unknown token: never valid, or the report was deleted (or unsubscribed) already. */
export function unknownTokenPage(): string {
  return page(
    'This link is no longer valid',
    paragraph(
      'The report does not exist any more: it was unsubscribed or deleted already, so no further e-mails are sent for it.',
      COLOR_MUTED,
    ),
  );
}
