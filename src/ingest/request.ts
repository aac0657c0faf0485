/**
 * From wire bodies (API.md A.1, B.1, I.7–I.10) to pipeline requests. Structural checks (types,
 * required fields) are the route schemas' job; the rules here need the values: absolute URLs,
 * usable addresses, metadata limits, batch times. Problems are collected per field so a batch
 * can report `[i].field`.
 */
import { apiClientIp } from './client-ip.ts';
import type { IncomingRequest } from './pipeline.ts';
import type { EventFields } from './session.ts';
import type { ClientHints } from './types.ts';

/** Optional text fields may arrive as null from some clients; null means absent. */
type Text = string | null | undefined;
type Scalar = string | number | boolean | null;

/** The fields of `POST /api/v1/hit`, `/event` and `/session` (and their batch elements). */
export interface ApiBody {
  url?: Text;
  ip?: Text;
  cf_connecting_ip?: Text;
  x_forwarded_for?: Text;
  forwarded?: Text;
  x_real_ip?: Text;
  dnt?: Text;
  user_agent?: Text;
  accept_language?: Text;
  title?: Text;
  referrer?: Text;
  screen_width?: number | null;
  screen_height?: number | null;
  sec_ch_ua?: Text;
  sec_ch_ua_mobile?: Text;
  sec_ch_ua_platform?: Text;
  sec_ch_ua_platform_version?: Text;
  sec_ch_width?: Text;
  sec_ch_viewport_width?: Text;
  tags?: Record<string, Scalar> | null;
  disable_bot_filter?: boolean | null;
  event_name?: Text;
  event_duration?: number | null;
  event_meta?: Record<string, Scalar> | null;
  non_interactive?: boolean | null;
  time?: Text;
}

export type RequestKind = IncomingRequest['kind'];

/** Limits of API.md B.1.2/B.1.3 and I.10. */
export const LIMITS = {
  metaPairs: 20,
  metaKey: 100,
  metaValue: 2000,
  tags: 20,
  tagKey: 50,
  tagValue: 50,
  /** Batch `time` may be this far ahead of the server clock (clock skew). */
  futureSkewMs: 5 * 60_000,
} as const;

const text = (value: Text): string => value ?? '';

/** The client-hint fields of a body. */
export function hintsOf(body: ApiBody): ClientHints {
  return {
    secChUa: text(body.sec_ch_ua),
    secChUaMobile: text(body.sec_ch_ua_mobile),
    secChUaPlatform: text(body.sec_ch_ua_platform),
    secChUaPlatformVersion: text(body.sec_ch_ua_platform_version),
    secChWidth: text(body.sec_ch_width),
    secChViewportWidth: text(body.sec_ch_viewport_width),
  };
}

/**
 * A flat map of scalars as strings (numbers and booleans in their JSON form); null values and
 * empty keys are dropped. Problems are reported under `field`.
 */
export function stringMap(
  value: Record<string, Scalar> | null | undefined,
  field: string,
  limits: { pairs: number; key: number; value: number },
  problems: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawKey, raw] of Object.entries(value ?? {})) {
    const key = rawKey.trim();
    if (key === '' || raw === null) continue;
    const converted = typeof raw === 'string' ? raw : JSON.stringify(raw);
    if (key.length > limits.key) problems[field] = `keys are limited to ${limits.key} characters`;
    else if (converted.length > limits.value) {
      problems[field] = `values are limited to ${limits.value} characters`;
    }
    out[key] = converted;
  }
  if (Object.keys(out).length > limits.pairs) problems[field] = `at most ${limits.pairs} entries`;
  return out;
}

/**
 * The event fields of a body (event_name required and non-empty). Tags on events are stored as
 * additional metadata (I.10); an explicit metadata key wins over a tag of the same name.
 */
export function eventFieldsOf(
  body: ApiBody,
  problems: Record<string, string>,
  tags: Record<string, string> = {},
): EventFields {
  const name = text(body.event_name).trim();
  if (name === '') problems.event_name = 'the event name is required';
  const duration = body.event_duration ?? 0;
  if (!(duration >= 0) || !Number.isFinite(duration)) {
    problems.event_duration = 'must be a number of seconds, 0 or more';
  }
  const meta = stringMap(
    body.event_meta,
    'event_meta',
    { pairs: LIMITS.metaPairs, key: LIMITS.metaKey, value: LIMITS.metaValue },
    problems,
  );
  const merged = { ...tags, ...meta };
  return {
    name,
    metaKeys: Object.keys(merged),
    metaValues: Object.values(merged),
    durationSeconds: Math.min(Math.floor(duration > 0 ? duration : 0), 2 ** 32 - 1),
    nonInteractive: body.non_interactive === true,
  };
}

/** Whether `url` is an absolute http(s) URL. */
export function isAbsoluteHttpUrl(url: string): boolean {
  return httpUrlOf(url) !== null;
}

/** `url` parsed, if it is an absolute http(s) URL; null otherwise. */
function httpUrlOf(url: string): URL | null {
  try {
    const parsed = new URL(url);
    const http = parsed.protocol === 'http:' || parsed.protocol === 'https:';
    return http && parsed.hostname !== '' ? parsed : null;
  } catch {
    return null;
  }
}

/** Parse a batch element's RFC 3339 `time`; undefined if invalid. */
export function parseTime(value: string): number | undefined {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(value))
    return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export interface Normalised {
  request: IncomingRequest;
  /** The page URL's host, to pick or check the domain. '' when no URL was sent. */
  host: string;
}

/**
 * Turn one API body into a pipeline request, or collect its problems (keys are field names).
 * `batch` requires and uses `time`; otherwise the request happens `nowMs`.
 */
export function normaliseApiBody(
  kind: RequestKind,
  body: ApiBody,
  nowMs: number,
  batch: boolean,
): { ok: true; value: Normalised } | { ok: false; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const url = text(body.url).trim();
  const parsedUrl = httpUrlOf(url);
  if ((kind !== 'keep_alive' || url !== '') && parsedUrl === null) {
    problems.url = 'an absolute http(s) URL is required';
  }
  const ip = apiClientIp({
    ip: text(body.ip),
    cf_connecting_ip: text(body.cf_connecting_ip),
    x_forwarded_for: text(body.x_forwarded_for),
    forwarded: text(body.forwarded),
    x_real_ip: text(body.x_real_ip),
  });
  if (ip === null) problems.ip = 'a valid IP address of the visitor is required';
  let timeMs = nowMs;
  if (batch) {
    const parsed = parseTime(text(body.time));
    if (parsed === undefined) problems.time = 'an RFC 3339 timestamp is required';
    else if (parsed > nowMs + LIMITS.futureSkewMs) problems.time = 'must not be in the future';
    else timeMs = parsed;
  }
  const tags = stringMap(
    body.tags,
    'tags',
    { pairs: LIMITS.tags, key: LIMITS.tagKey, value: LIMITS.tagValue },
    problems,
  );
  const event = kind === 'event' ? eventFieldsOf(body, problems, tags) : undefined;
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      host: parsedUrl === null ? '' : parsedUrl.hostname.toLowerCase(),
      request: {
        kind,
        timeMs,
        url,
        ip: ip!,
        userAgent: text(body.user_agent),
        acceptLanguage: text(body.accept_language),
        title: text(body.title),
        referrer: text(body.referrer),
        screenWidth: Math.max(0, Math.floor(body.screen_width ?? 0)),
        screenHeight: Math.max(0, Math.floor(body.screen_height ?? 0)),
        hints: hintsOf(body),
        dnt: text(body.dnt).trim() === '1',
        tags: kind === 'event' ? {} : tags,
        // Set (undefined for non-events) rather than spread in: a spread inside a literal is slow.
        event,
        disableBotFilter: body.disable_bot_filter === true,
      },
    },
  };
}
