/**
 * Is this request a bot? SEMANTICS.md §2.1 with the v4.2/v7 "Later:" rules (decision 1): the
 * user agent's shape (length, ASCII, an IP, a UUID), outdated browsers (v7 floors), Firefox's
 * `rv:` mismatch, client-hint brands, keywords, `isbot`, regular expressions — and, for snippet
 * traffic only (decision 24), request-header heuristics. The answer is a short reason code
 * (stored for diagnosis), or null for a human.
 *
 * Decisions taken where the spec is silent:
 * - Control characters count as `ua-chars` like non-ASCII ones: no browser sends them.
 * - `ua-rv-mismatch` allows `rv:109.0` with Firefox 110–119: Firefox froze rv there (115 ESR
 *   still does), so a real Firefox sends exactly that.
 * - The Edge floor (88) applies to desktop Edge only: the Android/iOS apps numbered themselves
 *   45.x when desktop Edge was at 88+, and dropping them is SEMANTICS.md's [artefact].
 * - `te-header` fires on a TE value other than `trailers`: Firefox sends `TE: trailers` itself,
 *   and HTTP/2 permits no other value.
 * - `h1-sec-fetch` also needs `http2Offered`: a browser speaks HTTP/1.1 to a server that offers
 *   nothing better (Spoor's own listener, most proxies towards it), and then sends Sec-Fetch-*
 *   like always. Only where HTTP/2 is on offer does HTTP/1.1 with Sec-Fetch-* betray a tool.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isbot } from 'isbot';
import type { ClientHints, UserAgentInfo } from './types.ts';
import { isGreaseBrand, parseBrands } from './user-agent.ts';

/** Reason codes, one per rule; `null` from {@link botReason} means "no rule fired". */
export type BotReason =
  | 'ua-empty'
  | 'ua-chars'
  | 'ua-ip'
  | 'ua-uuid'
  | 'outdated-browser'
  | 'ua-rv-mismatch'
  | 'ch-browser'
  | 'ua-keyword'
  | 'ua-isbot'
  | 'ua-regex'
  | 'al-missing'
  | 'ae-missing'
  | 'h2-connection'
  | 'te-header'
  | 'pragma-no-cache-control'
  | 'sf-none-referrer'
  | 'uir-cors'
  | 'uir-empty-dest'
  | 'h1-sec-fetch';

/**
 * Request headers of a snippet hit (names lower-case as Node gives them); `undefined` or blank
 * means absent. Only snippet traffic has them: the API's sender is the site's server.
 */
export interface SnippetHeaders {
  acceptLanguage?: string | undefined;
  acceptEncoding?: string | undefined;
  secFetchSite?: string | undefined;
  secFetchMode?: string | undefined;
  secFetchDest?: string | undefined;
  upgradeInsecureRequests?: string | undefined;
  pragma?: string | undefined;
  cacheControl?: string | undefined;
  te?: string | undefined;
  connection?: string | undefined;
  referer?: string | undefined;
  /** The request's HTTP version as the server saw it (`1.1`, `2.0`, `3`). */
  httpVersion?: string | undefined;
  /**
   * True only when this process terminates the browser's connection itself and offers HTTP/2
   * (ALPN h2): then every browser speaks HTTP/2 and an HTTP/1 request carrying Sec-Fetch-* is a
   * tool imitating one. Behind a proxy, or on a plain HTTP/1.1 listener, leave it unset.
   */
  http2Offered?: boolean | undefined;
}

/** What {@link botReason} judges. */
export interface BotInput {
  userAgent: string;
  ua: UserAgentInfo;
  hints: ClientHints;
  headers?: SnippetHeaders | undefined;
}

/** v7 minimum major versions; below them a browser is too old to be a person today. */
export const OUTDATED_BROWSER_FLOORS: Readonly<Record<string, number>> = Object.freeze({
  Chrome: 70,
  Firefox: 68,
  Safari: 12,
  Opera: 65,
  Edge: 88,
  IE: 11,
});

/** v7: a user agent of at most 16 or more than 500 characters is not a browser's. */
const MIN_UA_LENGTH = 16;
const MAX_UA_LENGTH = 500;
/** UA-only verdicts cached; the keyword scan is the costly part and user agents repeat. */
const CACHE_SIZE = 10_000;

const KEYWORD_LINES = dataLines('bot-keywords.txt');
const KEYWORD_EXCEPTIONS = KEYWORD_LINES.filter((line) => line.startsWith('!')).map((line) =>
  line.slice(1),
);
const KEYWORDS = KEYWORD_LINES.filter((line) => !line.startsWith('!'));
const PATTERNS = dataLines('bot-patterns.txt').map((line) => new RegExp(line, 'i'));
const BRAND_KEYWORDS = dataLines('bot-brands.txt');

function dataLines(file: string): string[] {
  return readFileSync(new URL(`./data/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The first rule a request breaks, or null when it looks like a person's browser. */
export function botReason(input: BotInput): BotReason | null {
  const userAgent = input.userAgent.trim();
  return (
    userAgentShapeReason(userAgent) ??
    (isOutdatedBrowser(input.ua, userAgent) ? 'outdated-browser' : null) ??
    (isRvMismatch(input.ua, userAgent) ? 'ua-rv-mismatch' : null) ??
    (hasBotBrand(input.hints.secChUa) ? 'ch-browser' : null) ??
    userAgentListReason(userAgent) ??
    (input.headers === undefined ? null : headerReason(input.headers))
  );
}

/** Rules on the user agent's form: empty, length/characters, an IP address, a UUID. */
export function userAgentShapeReason(userAgent: string): BotReason | null {
  const ua = userAgent.trim();
  if (ua === '') return 'ua-empty';
  // Control characters and anything outside printable ASCII; browsers send neither.
  if (ua.length <= MIN_UA_LENGTH || ua.length > MAX_UA_LENGTH || /[^\x20-\x7e]/.test(ua)) {
    return 'ua-chars';
  }
  if (isIpAddress(ua)) return 'ua-ip';
  if (isUuid(ua)) return 'ua-uuid';
  return null;
}

function isIpAddress(value: string): boolean {
  if (isIP(value) !== 0) return true;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed !== null) return isIP(bracketed[1] ?? '') === 6;
  const withPort = /^([^:]+):\d+$/.exec(value);
  return withPort !== null && isIP(withPort[1] ?? '') === 4;
}

/** The forms Go's uuid.Parse accepts: plain, braced, `urn:uuid:`, 32 hex digits. */
function isUuid(value: string): boolean {
  return /^(?:urn:uuid:)?(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}|[0-9a-f]{32})$/i.test(
    value,
  );
}

/**
 * v7 floors on the major version (digits before the first dot); an empty or non-numeric version
 * never triggers. Edge's mobile apps are exempt (see the module comment).
 */
export function isOutdatedBrowser(ua: UserAgentInfo, userAgent: string): boolean {
  const floor = OUTDATED_BROWSER_FLOORS[ua.browser];
  if (floor === undefined) return false;
  const major = /^(\d+)(?:\.|$)/.exec(ua.browserVersion);
  if (major === null) return false;
  if (ua.browser === 'Edge' && /\bEdg(?:A|iOS)\//.test(userAgent)) return false;
  return Number(major[1]) < floor;
}

/** Firefox whose `rv:` major differs from its version's major (a hand-made user agent). */
export function isRvMismatch(ua: UserAgentInfo, userAgent: string): boolean {
  if (ua.browser !== 'Firefox') return false;
  const rv = /\brv:(\d+)/.exec(userAgent);
  const firefox = /\bFirefox\/(\d+)/.exec(userAgent);
  if (rv === null || firefox === null) return false;
  const rvMajor = Number(rv[1]);
  const version = Number(firefox[1]);
  if (rvMajor === version) return false;
  return !(rvMajor === 109 && version >= 110 && version <= 119);
}

/** A `Sec-CH-UA` brand (other than GREASE) that names automation or a non-Chromium browser. */
export function hasBotBrand(secChUa: string): boolean {
  if (secChUa === '') return false;
  return parseBrands(secChUa).some((entry) => {
    if (isGreaseBrand(entry.brand)) return false;
    const brand = entry.brand.toLowerCase();
    return BRAND_KEYWORDS.some((keyword) => brand.includes(keyword));
  });
}

const listCache = new Map<string, BotReason | null>();

/** Keyword list, then `isbot`, then the regular expressions (cached per user agent). */
export function userAgentListReason(userAgent: string): BotReason | null {
  const ua = userAgent.trim();
  const cached = listCache.get(ua);
  if (cached !== undefined) {
    listCache.delete(ua);
    listCache.set(ua, cached);
    return cached;
  }
  const reason = computeListReason(ua);
  if (ua.length <= MAX_UA_LENGTH) {
    listCache.set(ua, reason);
    if (listCache.size > CACHE_SIZE) {
      const oldest = listCache.keys().next();
      if (oldest.done !== true) listCache.delete(oldest.value);
    }
  }
  return reason;
}

function computeListReason(ua: string): BotReason | null {
  if (matchesKeyword(ua)) return 'ua-keyword';
  if (isbot(ua)) return 'ua-isbot';
  if (PATTERNS.some((pattern) => pattern.test(ua))) return 'ua-regex';
  return null;
}

/** Whether the lower-cased user agent contains a keyword (exceptions removed first). */
export function matchesKeyword(userAgent: string): boolean {
  let ua = userAgent.toLowerCase();
  for (const exception of KEYWORD_EXCEPTIONS) {
    if (ua.includes(exception)) ua = ua.split(exception).join(' ');
  }
  return KEYWORDS.some((keyword) => ua.includes(keyword));
}

/** v7 header heuristics for a browser's own request; the first that fires, or null. */
export function headerReason(headers: SnippetHeaders): BotReason | null {
  const has = (value: string | undefined): value is string =>
    value !== undefined && value.trim() !== '';
  const lower = (value: string | undefined): string => (value ?? '').trim().toLowerCase();
  if (!has(headers.acceptLanguage)) return 'al-missing';
  if (!has(headers.acceptEncoding)) return 'ae-missing';
  const major = httpMajor(headers.httpVersion);
  const connection = lower(headers.connection);
  // HTTP/2 and 3 forbid connection-specific headers; a client that sends them speaks HTTP/1.
  if (major !== null && major >= 2 && (connection === 'close' || connection === 'keep-alive')) {
    return 'h2-connection';
  }
  if (has(headers.te) && lower(headers.te) !== 'trailers') return 'te-header';
  // Browsers send Pragma only next to Cache-Control (legacy HTTP/1.0 caches).
  if (has(headers.pragma) && !has(headers.cacheControl)) return 'pragma-no-cache-control';
  // "none" means the user typed the address: there cannot be a referrer.
  if (lower(headers.secFetchSite) === 'none' && has(headers.referer)) return 'sf-none-referrer';
  // Upgrade-Insecure-Requests goes with navigations only, never with fetch()/XHR.
  const upgrade = lower(headers.upgradeInsecureRequests) === '1';
  if (upgrade && lower(headers.secFetchMode) === 'cors') return 'uir-cors';
  if (upgrade && lower(headers.secFetchDest) === 'empty') return 'uir-empty-dest';
  const secFetch = [headers.secFetchSite, headers.secFetchMode, headers.secFetchDest].some(has);
  // Browsers use HTTP/2 wherever it is offered; an HTTP/1 client copying Sec-Fetch-* is a tool.
  if (headers.http2Offered === true && major !== null && major < 2 && secFetch) {
    return 'h1-sec-fetch';
  }
  return null;
}

function httpMajor(version: string | undefined): number | null {
  const match = /^(?:HTTP\/)?(\d+)/i.exec((version ?? '').trim());
  return match === null ? null : Number(match[1]);
}

/** Builds {@link SnippetHeaders} from Node's lower-cased header record. */
export function snippetHeadersFrom(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  httpVersion?: string,
  http2Offered = false,
): SnippetHeaders {
  const get = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return {
    acceptLanguage: get('accept-language'),
    acceptEncoding: get('accept-encoding'),
    secFetchSite: get('sec-fetch-site'),
    secFetchMode: get('sec-fetch-mode'),
    secFetchDest: get('sec-fetch-dest'),
    upgradeInsecureRequests: get('upgrade-insecure-requests'),
    pragma: get('pragma'),
    cacheControl: get('cache-control'),
    te: get('te'),
    connection: get('connection'),
    referer: get('referer'),
    httpVersion,
    http2Offered,
  };
}
