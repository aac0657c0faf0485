/**
 * The page URL of a hit: host, path and query (SEMANTICS.md §2.4, decision 1), the page title,
 * and the host-name rule that decides whether a snippet hit belongs to a domain (API.md I.2).
 */

export const MAX_PATH_BYTES = 2000;
export const MAX_TITLE_BYTES = 512;

export interface PageUrl {
  /** Lower-case, ASCII (punycode) host name without port or trailing dot. */
  hostname: string;
  /** Percent-decoded path, case and trailing slash preserved, never empty. */
  path: string;
  /** The page's query parameters (UTM values and the referrer fall-back live here). */
  query: URLSearchParams;
}

/** Parses an absolute http(s) page URL; anything else (relative, other schemes, garbage) → null. */
export function parsePageUrl(raw: string): PageUrl | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const hostname = url.hostname.replace(/\.$/, '');
  if (hostname === '') return null;
  // `pathname` never contains the query or the fragment, so both are gone here (decision 1).
  const decoded = decodePercent(url.pathname);
  const path = cutUtf8(decoded === '' ? '/' : decoded, MAX_PATH_BYTES);
  return { hostname, path, query: url.searchParams };
}

/** The page title: trimmed and cut to 512 bytes without splitting a character. */
export function normalizeTitle(raw: string): string {
  return cutUtf8(raw.trim(), MAX_TITLE_BYTES);
}

/** Cuts a string to at most `maxBytes` UTF-8 bytes, never in the middle of a character. */
export function cutUtf8(value: string, maxBytes: number): string {
  if (value.length * 3 <= maxBytes) return value; // fast path: cannot exceed the limit
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length <= maxBytes) return value;
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

/**
 * Decodes `%XX` escapes that form valid UTF-8; invalid or incomplete escapes stay as written, so a
 * path like `/100%` or `/a%E2%82` is stored verbatim instead of being rejected.
 */
export function decodePercent(value: string): string {
  if (!value.includes('%')) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const char = value[i] as string;
    const lead = char === '%' ? hexByte(value, i) : -1;
    if (lead < 0) {
      out += char;
      i++;
      continue;
    }
    const length = utf8SequenceLength(lead);
    const bytes = [lead];
    for (let k = 1; k < length; k++) {
      const next = value[i + 3 * k] === '%' ? hexByte(value, i + 3 * k) : -1;
      if (next < 0 || (next & 0xc0) !== 0x80) break;
      bytes.push(next);
    }
    const decoded = length > 0 && bytes.length === length ? strictUtf8(bytes) : null;
    if (decoded === null) {
      out += char;
      i++;
    } else {
      out += decoded;
      i += 3 * length;
    }
  }
  return out;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

function strictUtf8(bytes: number[]): string | null {
  try {
    return STRICT_UTF8.decode(Uint8Array.from(bytes));
  } catch {
    return null; // overlong forms, surrogates and the like
  }
}

function hexByte(value: string, at: number): number {
  const hex = value.slice(at + 1, at + 3);
  return /^[0-9a-fA-F]{2}$/.test(hex) ? parseInt(hex, 16) : -1;
}

function utf8SequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0; // a continuation byte or an invalid lead byte cannot start a character
}

/** Lower-case, trailing dot removed: the form in which host names are compared. */
export function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

/** `www.example.com` → `example.com`; other hosts unchanged. */
export function stripWww(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : host;
}

/**
 * Whether `host` matches a host-name pattern: exact (case-insensitive) or, when the pattern has
 * `*`, each `*` standing for one or more host characters, dots included — so `*.example.com`
 * matches `a.example.com` and `a.b.example.com` but not `example.com` itself.
 */
export function hostMatches(host: string, pattern: string): boolean {
  const h = normalizeHost(host);
  const p = normalizeHost(pattern);
  if (!p.includes('*')) return h === p;
  return wildcardRegExp(p).test(h);
}

const wildcardCache = new Map<string, RegExp>();

function wildcardRegExp(pattern: string): RegExp {
  let re = wildcardCache.get(pattern);
  if (re === undefined) {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[a-z0-9.-]+');
    re = new RegExp(`^${source}$`);
    if (wildcardCache.size > 10_000) wildcardCache.clear(); // alternative domains are few; bound it anyway
    wildcardCache.set(pattern, re);
  }
  return re;
}

// Second-level labels under which registrations happen (`example.co.uk`, `example.com.au`); a
// heuristic stand-in for the public suffix list, used only for the `www.` rule below.
const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'edu', 'ac', 'or', 'ne', 'go']);

/** Whether a host looks like a registrable domain (`example.com`, `example.co.uk`). */
export function isRegistrableDomain(host: string): boolean {
  const labels = host.split('.');
  if (labels.length === 2) return true;
  if (labels.length !== 3) return false;
  const [, second, tld] = labels as [string, string, string];
  return SECOND_LEVEL.has(second) && /^[a-z]{2}$/.test(tld);
}

/** Whether `a` and `b` differ by one leading `www.`; optionally only directly below a registrable domain. */
function isWwwVariant(a: string, b: string, registrableOnly: boolean): boolean {
  if (a === `www.${b}`) return !registrableOnly || isRegistrableDomain(b);
  if (b === `www.${a}`) return !registrableOnly || isRegistrableDomain(a);
  return false;
}

export interface HostRuleOptions {
  /**
   * Accept the `www.` variant only directly below the registrable domain (`www.example.com` ↔
   * `example.com`, but not `www.shop.example.com` ↔ `shop.example.com`): the Pirsch 2022 snippet
   * rule of API.md I.2. Off by default, which is the user-client row of I.2.
   */
  wwwOnlyBelowRegistrableDomain?: boolean;
}

/**
 * Whether a hit for `urlHost` may be counted for a domain (API.md I.2): the domain's host name,
 * its `www.` variant in either direction, or an alternative domain — exact, its `www.` variant,
 * or a `*` pattern.
 */
export function hostAllowed(
  urlHost: string,
  domainHostname: string,
  alternativeHosts: readonly string[],
  options: HostRuleOptions = {},
): boolean {
  const host = normalizeHost(urlHost);
  if (host === '') return false;
  const registrableOnly = options.wwwOnlyBelowRegistrableDomain === true;
  for (const candidate of [domainHostname, ...alternativeHosts]) {
    const allowed = normalizeHost(candidate);
    if (allowed === '') continue;
    if (allowed.includes('*')) {
      if (hostMatches(host, allowed)) return true;
    } else if (host === allowed || isWwwVariant(host, allowed, registrableOnly)) {
      return true;
    }
  }
  return false;
}
