/**
 * The browser snippet's endpoints at the origin root (API.md I.8, TRACKER.md §2): `GET|POST /hit`,
 * `POST /event`, `POST /session`, authenticated by the public identification code. The visitor's
 * address, user agent and language come from the connection, never from the query or body.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import type { SnippetHeaders } from '../ingest/bots.ts';
import { snippetClientIp, TrustedProxies } from '../ingest/client-ip.ts';
import { hostAllowed, parsePageUrl } from '../ingest/page-url.ts';
import type { IncomingRequest } from '../ingest/pipeline.ts';
import {
  decodeReferrer,
  screenDimension,
  snippetEventFields,
  snippetUrl,
  tagsFromQuery,
  textField,
} from '../ingest/snippet-request.ts';
import type { ClientHints } from '../ingest/types.ts';
import type { IngestDomain } from '../manage/domain-directory.ts';
import type { App, AppDeps } from '../server/app.ts';
import { ErrorEnvelope, sendEmpty } from './schemas.ts';

const CLIENT_HINTS =
  'Sec-CH-UA, Sec-CH-UA-Mobile, Sec-CH-UA-Platform, Sec-CH-UA-Platform-Version, Sec-CH-Width, ' +
  'Sec-CH-Viewport-Width, Width, Viewport-Width';
const MAX_QUERY_BYTES = 8 * 1024;
const MAX_EVENT_BODY_BYTES = 64 * 1024;

const header = (request: FastifyRequest, name: string): string => {
  const value = request.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
};

/** Client hints from the request headers (`Width`/`Viewport-Width` are the older names). */
function hintsFrom(request: FastifyRequest): ClientHints {
  return {
    secChUa: header(request, 'sec-ch-ua'),
    secChUaMobile: header(request, 'sec-ch-ua-mobile'),
    secChUaPlatform: header(request, 'sec-ch-ua-platform'),
    secChUaPlatformVersion: header(request, 'sec-ch-ua-platform-version'),
    secChWidth: header(request, 'sec-ch-width') || header(request, 'width'),
    secChViewportWidth:
      header(request, 'sec-ch-viewport-width') || header(request, 'viewport-width'),
  };
}

/** The headers the browser heuristics look at (decision 24: snippet traffic only). */
function snippetHeadersFrom(request: FastifyRequest): SnippetHeaders {
  return {
    acceptLanguage: header(request, 'accept-language'),
    acceptEncoding: header(request, 'accept-encoding'),
    secFetchSite: header(request, 'sec-fetch-site'),
    secFetchMode: header(request, 'sec-fetch-mode'),
    secFetchDest: header(request, 'sec-fetch-dest'),
    upgradeInsecureRequests: header(request, 'upgrade-insecure-requests'),
    pragma: header(request, 'pragma'),
    cacheControl: header(request, 'cache-control'),
    te: header(request, 'te'),
    connection: header(request, 'connection'),
    httpVersion: request.raw.httpVersion,
    referer: header(request, 'referer'),
  };
}

/** Prefetch and preview requests are not visits (TRACKER.md §2.7). */
function isPrefetch(request: FastifyRequest): boolean {
  const purpose = [
    header(request, 'purpose'),
    header(request, 'sec-purpose'),
    header(request, 'x-purpose'),
  ]
    .join(' ')
    .toLowerCase();
  return /prefetch|preview/.test(purpose) || header(request, 'x-moz').toLowerCase() === 'prefetch';
}

/** Register the snippet routes at the root and, if configured, under the tracker prefix. */
export async function registerSnippetRoutes(app: App, deps: AppDeps): Promise<void> {
  const proxies = new TrustedProxies(deps.config.trustedProxies);
  const { directory, ingestor } = deps.ingest;

  /** The receiving domain for a code and page host (TRACKER.md §2.2–§2.3). */
  async function receivingDomain(code: string, host: string): Promise<IngestDomain> {
    if (code === '') throw new ValidationError({ code: 'the identification code is required' });
    const domain = await directory.byCode(code);
    if (!domain) throw new NotFoundError('identification code');
    if (hostAllowed(host, domain.hostname, domain.alternatives)) return domain;
    // 2022 roll-up: the page's own dashboard lists the code's domain as an alternative.
    for (const candidate of await directory.byHostname(host)) {
      if (candidate.alternatives.some((alt) => hostAllowed(domain.hostname, alt, [])))
        return candidate;
    }
    throw new ForbiddenError('the host name is not allowed for this identification code');
  }

  /** Build the pipeline request from what the connection says about the visitor. */
  function fromConnection(
    request: FastifyRequest,
    kind: IncomingRequest['kind'],
    url: string,
    fields: Partial<IncomingRequest>,
  ): IncomingRequest {
    const ip = snippetClientIp(request.socket.remoteAddress ?? '', request.headers, proxies);
    return {
      kind,
      timeMs: Date.now(),
      url,
      ip: ip ?? '',
      userAgent: header(request, 'user-agent'),
      acceptLanguage: header(request, 'accept-language'),
      title: '',
      referrer: '',
      screenWidth: 0,
      screenHeight: 0,
      hints: hintsFrom(request),
      dnt: header(request, 'dnt') === '1' || header(request, 'sec-gpc') === '1',
      tags: {},
      disableBotFilter: false,
      snippetHeaders: snippetHeadersFrom(request),
      ...fields,
    };
  }

  async function accept(domain: IngestDomain, request: FastifyRequest, incoming: IncomingRequest) {
    if (incoming.ip === '' || isPrefetch(request)) return;
    await ingestor.ingest({ id: domain.id, ownHosts: [domain.hostname, ...domain.alternatives] }, [
      incoming,
    ]);
  }

  const requireUrl = (value: unknown): { url: string; host: string } => {
    const url = snippetUrl(value);
    const page = url === null ? null : parsePageUrl(url);
    if (url === null || page === null)
      throw new ValidationError({ url: 'an absolute http(s) URL is required' });
    return { url, host: page.hostname };
  };

  const routes = async (scope: App) => {
    scope.addHook('onRequest', async (request, reply) => {
      void reply.header('cache-control', 'no-store').header('accept-ch', CLIENT_HINTS);
      const queryStart = request.url.indexOf('?');
      if (queryStart >= 0 && request.url.length - queryStart - 1 > MAX_QUERY_BYTES) {
        throw new AppError(414, 'the query string is too long');
      }
    });
    // Beacons send JSON as text/plain or with no content type at all: read any body as JSON.
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, body === '' ? undefined : JSON.parse(body as string));
      } catch {
        done(new AppError(400, 'the request body is not valid JSON'), undefined);
      }
    });
    const rateLimit = {
      max: deps.config.snippetRateLimit,
      timeWindow: '1 minute',
      // Per visitor address and dashboard code, like TRACKER.md §2.4 asks.
      keyGenerator: (request: FastifyRequest) =>
        `${request.socket.remoteAddress ?? ''}|${textField((request.query as Record<string, unknown>).code)}`,
    };
    const responses = {
      400: ErrorEnvelope,
      403: ErrorEnvelope,
      404: ErrorEnvelope,
      429: ErrorEnvelope,
    };
    const HitQuery = Type.Object({
      code: Type.Optional(Type.String()),
      url: Type.Optional(Type.String()),
      t: Type.Optional(Type.String()),
      ref: Type.Optional(Type.String()),
      w: Type.Optional(Type.String()),
      h: Type.Optional(Type.String()),
      nc: Type.Optional(Type.String()),
    });

    const hit = async (request: FastifyRequest) => {
      const query = request.query as Record<string, unknown>;
      const { url, host } = requireUrl(query.url);
      const domain = await receivingDomain(textField(query.code), host);
      await accept(
        domain,
        request,
        fromConnection(request, 'page_view', url, {
          title: textField(query.t),
          referrer: decodeReferrer(textField(query.ref)),
          screenWidth: screenDimension(textField(query.w)),
          screenHeight: screenDimension(textField(query.h)),
          tags: tagsFromQuery(query),
        }),
      );
    };
    for (const method of ['GET', 'POST'] as const) {
      scope.route({
        method,
        url: '/hit',
        config: { auth: 'none', rateLimit },
        schema: {
          tags: ['snippet'],
          summary: 'Record a page view (browser snippet)',
          security: [],
          querystring: HitQuery,
          response: responses,
        },
        handler: async (request, reply) => {
          await hit(request);
          return sendEmpty(reply);
        },
      });
    }

    scope.post(
      '/event',
      {
        bodyLimit: MAX_EVENT_BODY_BYTES,
        config: {
          auth: 'none',
          rateLimit: {
            ...rateLimit,
            keyGenerator: (request: FastifyRequest) =>
              `${request.socket.remoteAddress ?? ''}|${textField((request.body as Record<string, unknown> | undefined)?.identification_code)}`,
          },
        },
        schema: {
          tags: ['snippet'],
          summary: 'Record an event (browser snippet)',
          security: [],
          response: { ...responses, 413: ErrorEnvelope },
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw new ValidationError({ body: 'a JSON object is required' });
        }
        const fields = body as Record<string, unknown>;
        const { url, host } = requireUrl(fields.url);
        const event = snippetEventFields(fields);
        if (event === null) throw new ValidationError({ event_name: 'the event name is required' });
        const domain = await receivingDomain(textField(fields.identification_code), host);
        await accept(
          domain,
          request,
          fromConnection(request, 'event', url, {
            title: textField(fields.title),
            referrer: decodeReferrer(textField(fields.referrer)),
            screenWidth: screenDimension(fields.screen_width),
            screenHeight: screenDimension(fields.screen_height),
            event,
          }),
        );
        return sendEmpty(reply);
      },
    );

    scope.post(
      '/session',
      {
        config: { auth: 'none', rateLimit },
        schema: {
          tags: ['snippet'],
          summary: 'Keep a session alive (browser snippet)',
          security: [],
          querystring: HitQuery,
          response: responses,
        },
      },
      async (request, reply) => {
        const query = request.query as Record<string, unknown>;
        const { url, host } = requireUrl(query.url);
        const domain = await receivingDomain(textField(query.code), host);
        await accept(domain, request, fromConnection(request, 'keep_alive', url, {}));
        return sendEmpty(reply);
      },
    );
  };

  await app.register(routes);
  if (deps.config.trackerPrefix !== '')
    await app.register(routes, { prefix: deps.config.trackerPrefix });
}
