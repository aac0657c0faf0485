/**
 * Authenticated ingestion (API.md A.1, B.1): `POST /api/v1/hit|event|session` and their
 * `/batch` forms. Answers 200 with an empty body once the rows are stored — also when a request
 * was filtered out (DNT, bot, spam), so the filter cannot be probed.
 */
import { Type, type Static } from 'typebox';
import { AppError, ValidationError } from '../errors.ts';
import { authorizeWith, type DomainAction } from '../manage/authorize.ts';
import type { IngestDomain } from '../manage/domain-directory.ts';
import type { Principal } from '../manage/principal.ts';
import { hostAllowed } from '../ingest/page-url.ts';
import { normaliseApiBody, type RequestKind } from '../ingest/request.ts';
import type { IncomingRequest } from '../ingest/pipeline.ts';
import type { App, AppDeps } from '../server/app.ts';
import { principalOf } from '../server/auth.ts';
import { authErrors, ErrorEnvelope, sendEmpty } from './schemas.ts';

const OptionalText = Type.Optional(Type.Union([Type.String({ maxLength: 8192 }), Type.Null()]));
const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
const ScalarMap = Type.Optional(Type.Union([Type.Record(Type.String(), Scalar), Type.Null()]));
const OptionalInteger = Type.Optional(Type.Union([Type.Integer(), Type.Null()]));

// Unknown fields are ignored, never rejected (API.md §1.2): SDKs send extras like `hostname`.
const Common = {
  url: Type.Optional(Type.String({ maxLength: 8192 })),
  ip: Type.String({ maxLength: 2048 }),
  cf_connecting_ip: OptionalText,
  x_forwarded_for: OptionalText,
  forwarded: OptionalText,
  x_real_ip: OptionalText,
  dnt: OptionalText,
  user_agent: Type.String({ maxLength: 8192 }),
  accept_language: OptionalText,
  title: OptionalText,
  referrer: OptionalText,
  screen_width: OptionalInteger,
  screen_height: OptionalInteger,
  sec_ch_ua: OptionalText,
  sec_ch_ua_mobile: OptionalText,
  sec_ch_ua_platform: OptionalText,
  sec_ch_ua_platform_version: OptionalText,
  sec_ch_width: OptionalText,
  sec_ch_viewport_width: OptionalText,
  tags: ScalarMap,
  disable_bot_filter: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
};
const EventFields = {
  event_name: Type.String({ maxLength: 1024 }),
  event_duration: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  event_meta: ScalarMap,
  non_interactive: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
};
const Time = { time: Type.String({ maxLength: 64 }) };

const HitBody = Type.Object({ ...Common, url: Type.String({ maxLength: 8192 }) });
const EventBody = Type.Object({ ...Common, url: Type.String({ maxLength: 8192 }), ...EventFields });
const SessionBody = Type.Object(Common);

type AnyBody = Static<typeof HitBody> | Static<typeof EventBody> | Static<typeof SessionBody>;

interface Endpoint {
  path: string;
  kind: RequestKind;
  action: DomainAction;
  body: typeof HitBody | typeof EventBody | typeof SessionBody;
  summary: string;
}

const ENDPOINTS: Endpoint[] = [
  { path: 'hit', kind: 'page_view', action: 'hit', body: HitBody, summary: 'Record a page view' },
  { path: 'event', kind: 'event', action: 'event', body: EventBody, summary: 'Record an event' },
  {
    path: 'session',
    kind: 'keep_alive',
    action: 'session',
    body: SessionBody,
    summary: 'Keep a session alive',
  },
];

/** Register the six ingestion routes. */
export async function registerIngestRoutes(app: App, deps: AppDeps): Promise<void> {
  const { ingest, config } = deps;

  /**
   * The domain a request goes to (I.2): the domain client's, or the user's matching the host.
   * Authorized through the domain directory, which caches what the check reads (DESIGN.md §2).
   */
  async function domainFor(
    principal: Principal,
    action: DomainAction,
    host: string,
    field: string,
  ): Promise<IngestDomain> {
    const { directory } = ingest;
    if (principal.kind === 'client' && principal.domainId !== null) {
      return (await authorizeWith(directory, principal, action, principal.domainId)).domain;
    } else if (principal.kind === 'client') {
      const candidates = await directory.managedBy(principal.userId);
      const match = candidates.find((d) => hostAllowed(host, d.hostname, d.alternatives));
      if (match) return (await authorizeWith(directory, principal, action, match.id)).domain;
      throw new ValidationError({ [field]: 'no domain of yours matches the host of this URL' });
    }
    // Access links end here; authorization gives the precise answer.
    await authorizeWith(directory, principal, action, principal.domainId);
    throw new AppError(404, 'the domain was not found');
  }

  async function handle(
    principal: Principal,
    endpoint: Endpoint,
    bodies: AnyBody[],
    batch: boolean,
  ) {
    const now = Date.now();
    const problems: Record<string, string> = {};
    const accepted: { request: IncomingRequest; host: string; index: number }[] = [];
    bodies.forEach((body, index) => {
      const result = normaliseApiBody(endpoint.kind, body, now, batch);
      if (result.ok)
        accepted.push({ request: result.value.request, host: result.value.host, index });
      else {
        for (const [field, message] of Object.entries(result.problems)) {
          problems[batch ? `[${index}].${field}` : field] = message;
        }
      }
    });
    if (Object.keys(problems).length > 0) throw new ValidationError(problems);

    // Group by receiving domain: a user client's batch may address several sites. The answer
    // depends only on the host, so a batch is authorized once per host.
    const byDomain = new Map<string, { domain: IngestDomain; requests: IncomingRequest[] }>();
    const byHost = new Map<string, IngestDomain>();
    for (const item of accepted) {
      const field = batch ? `[${item.index}].url` : 'url';
      const domain =
        byHost.get(item.host) ?? (await domainFor(principal, endpoint.action, item.host, field));
      byHost.set(item.host, domain);
      const group = byDomain.get(domain.id) ?? { domain, requests: [] };
      group.requests.push(item.request);
      byDomain.set(domain.id, group);
    }
    await Promise.all(
      [...byDomain.values()].map(({ domain, requests }) =>
        ingest.ingestor.ingest(
          { id: domain.id, ownHosts: [domain.hostname, ...domain.alternatives] },
          requests,
        ),
      ),
    );
  }

  for (const endpoint of ENDPOINTS) {
    // Success is 200 with an empty body, so there is no 200 schema to serialise with.
    const responses = { ...authErrors, 503: ErrorEnvelope };
    app.post(
      `/api/v1/${endpoint.path}`,
      {
        config: { cachedCredentials: true },
        schema: {
          tags: ['ingestion'],
          summary: endpoint.summary,
          body: endpoint.body,
          response: responses,
        },
      },
      async (request, reply) => {
        await handle(principalOf(request), endpoint, [request.body as AnyBody], false);
        return sendEmpty(reply);
      },
    );
    app.post(
      `/api/v1/${endpoint.path}/batch`,
      {
        config: { cachedCredentials: true },
        schema: {
          tags: ['ingestion'],
          summary: `${endpoint.summary}s in a batch, each with its time`,
          body: Type.Array(Type.Object({ ...endpoint.body.properties, ...Time })),
          response: { ...responses, 413: ErrorEnvelope },
        },
        // Too many elements is "too large" (decision 5), decided before validating each one.
        preValidation: async (request) => {
          if (Array.isArray(request.body) && request.body.length > config.batchLimit) {
            throw new AppError(413, `a batch holds at most ${config.batchLimit} elements`);
          }
        },
      },
      async (request, reply) => {
        await handle(principalOf(request), endpoint, request.body as AnyBody[], true);
        return sendEmpty(reply);
      },
    );
  }
}
