/**
 * Referrer selection and classification (SEMANTICS.md §3.1, §3.1.1, §2.1 item 4; API.md I.8, I.9).
 * The lists under `./data/` are read once when the module loads; nothing here touches the network.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ReferrerInfo } from './types.ts';
import { cutUtf8, decodePercent, hostMatches, normalizeHost, stripWww } from './page-url.ts';

export const MAX_REFERRER_BYTES = 200;

/** What kind of source a referrer is; drives the channel (§3.7). `other` = named, no channel. */
export type ReferrerCategory =
  'search' | 'social' | 'video' | 'shopping' | 'email' | 'ai' | 'other';

/** A named group of referring hosts (or an Android app) and its category. */
export interface ReferrerGroup {
  name: string;
  category: ReferrerCategory;
}

const CATEGORIES: ReadonlySet<string> = new Set([
  'search',
  'social',
  'video',
  'shopping',
  'email',
  'ai',
  'other',
]);

function dataLines(file: string): string[] {
  return readFileSync(new URL(`./data/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function parseTable(file: string): [string, ReferrerGroup][] {
  return dataLines(file).map((line) => {
    const [key, name, category] = line.split('\t');
    if (key === undefined || !name || category === undefined || !CATEGORIES.has(category)) {
      throw new Error(`src/ingest/data/${file}: malformed line "${line}"`);
    }
    return [
      key.trim().toLowerCase(),
      { name: name.trim(), category: category as ReferrerCategory },
    ];
  });
}

// The list is kept verbatim from upstream (one entry has a trailing space, one is upper-case).
const SPAM_HOSTS: ReadonlySet<string> = new Set(dataLines('referrer-spam.txt').map(normalizeHost));

const GROUPS = new Map<string, ReferrerGroup>();
const BRANDS = new Map<string, ReferrerGroup>(); // `google.*` is stored under `google`
for (const [key, group] of parseTable('referrer-groups.tsv')) {
  if (key.endsWith('.*')) BRANDS.set(key.slice(0, -2), group);
  else GROUPS.set(key, group);
}

const ANDROID_APPS = new Map<string, ReferrerGroup>(parseTable('android-apps.tsv'));

// Referrer names (as a `?ref=` or `utm_source` value gives them) → category. The first entry of a
// name wins; the abbreviations are the ones ad platforms and link shorteners put into utm_source.
const NAME_CATEGORIES = new Map<string, ReferrerCategory>([
  ['fb', 'social'],
  ['ig', 'social'],
  ['tw', 'social'],
  ['li', 'social'],
  ['yt', 'video'],
]);
for (const group of [...GROUPS.values(), ...BRANDS.values(), ...ANDROID_APPS.values()]) {
  const key = group.name.toLowerCase();
  if (!NAME_CATEGORIES.has(key)) NAME_CATEGORIES.set(key, group.category);
}

/** The referrer sources of one request, in the words of API.md I.9. */
export interface ReferrerSources {
  /** The API's `referrer` field or the snippet's `ref` parameter. */
  explicit?: string;
  /** The request's `Referer` header (snippet endpoints). */
  header?: string;
  /** The page URL's query parameters. */
  pageQuery?: URLSearchParams;
}

/**
 * The referrer string to classify: the explicit value, else the page URL's `ref`, `referer`,
 * `referrer` parameters, else the `Referer` header, else `source`, `utm_source` — the v5.10.5 order,
 * which equals I.9 whenever there is no header. `http%3A…` values are decoded (I.8).
 */
export function chooseReferrer({ explicit, header, pageQuery }: ReferrerSources): string {
  const clean = (value: string | null | undefined): string =>
    decodeEncodedUrl(firstLine(value ?? '').trim());
  const candidates = [
    () => explicit,
    () => pageQuery?.get('ref'),
    () => pageQuery?.get('referer'),
    () => pageQuery?.get('referrer'),
    () => header,
    () => pageQuery?.get('source'),
    () => pageQuery?.get('utm_source'),
  ];
  for (const candidate of candidates) {
    const value = clean(candidate());
    if (value !== '') return value;
  }
  return '';
}

const empty = (): ReferrerInfo => ({ referrer: '', name: '', icon: '' });
const ANDROID_APP = 'android-app://';
const URL_WITH_AUTHORITY = /^([a-z][a-z0-9+.-]*):\/\//i;
const NON_SOURCE_SCHEME = /^(?:about|javascript|data|blob|file|view-source):/i;
// `example.com`, `sub.example.co.uk:8080/path`, `bücher.de`: a bare host name (v7 treats it as https).
const BARE_HOST =
  /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})\.?(?::\d{1,5})?(?:[/?#].*)?$/iu;

/**
 * Classifies a referrer (SEMANTICS.md §3.1 with the later fixes). `ownHosts` are the domain's host
 * name, its alternative domains (`*` patterns allowed) and the page's host; a referrer from one of
 * them (ignoring `www.`) is no referrer. A host on the spam list (or below one) yields `'spam'`:
 * the caller drops the whole request.
 */
export function classifyReferrer(raw: string, ownHosts: readonly string[]): ReferrerInfo | 'spam' {
  const value = decodeEncodedUrl(firstLine(raw).trim());
  if (value === '') return empty();
  if (value.toLowerCase().startsWith(ANDROID_APP)) return androidApp(value);
  if (value.startsWith('//')) return classifyUrl(`https:${value}`, value, ownHosts);
  if (value.startsWith('/')) return empty(); // a path without a host can only be this site
  const scheme = URL_WITH_AUTHORITY.exec(value)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    // Other schemes (chrome-extension://, ftp://, …) are not traffic sources a site can act on.
    return scheme === 'http' || scheme === 'https' ? classifyUrl(value, value, ownHosts) : empty();
  }
  if (NON_SOURCE_SCHEME.test(value)) return empty();
  if (isIpLike(value)) return empty();
  if (BARE_HOST.test(value)) return classifyUrl(`https://${value}`, value, ownHosts);
  return nameOnly(value, ownHosts);
}

function classifyUrl(url: string, raw: string, ownHosts: readonly string[]): ReferrerInfo | 'spam' {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return isIpLike(raw) ? empty() : nameOnly(raw, ownHosts);
  }
  const host = parsed.hostname.replace(/\.$/, '');
  if (host === '' || isIP(host.replace(/^\[|\]$/g, '')) !== 0) return empty();
  // Own hosts first: a site whose own name is on the spam list must still count its page views.
  if (isOwnHost(host, ownHosts)) return empty();
  if (isSpamHost(host)) return 'spam';
  const decodedPath = decodePercent(parsed.pathname);
  const path = decodedPath === '/' ? '' : decodedPath;
  // Scheme, host, port and path only: query, fragment and user info never reach storage.
  const port = parsed.port === '' ? '' : `:${parsed.port}`;
  const referrer = `${parsed.protocol}//${host}${port}${path}`;
  const name = referrerGroup(host, path)?.name ?? host;
  return {
    referrer: cutUtf8(referrer, MAX_REFERRER_BYTES),
    name: cutUtf8(name, MAX_REFERRER_BYTES),
    icon: '',
  };
}

function nameOnly(value: string, ownHosts: readonly string[]): ReferrerInfo {
  const name = value.trim();
  if (ownHosts.some((own) => normalizeHost(own) === name.toLowerCase())) return empty();
  return { referrer: '', name: cutUtf8(name, MAX_REFERRER_BYTES), icon: '' };
}

function androidApp(value: string): ReferrerInfo {
  const pkg = value.slice(ANDROID_APP.length).split(/[/?#]/)[0] ?? '';
  if (pkg === '') return empty();
  const name = ANDROID_APPS.get(pkg.toLowerCase())?.name ?? pkg;
  return {
    referrer: cutUtf8(value, MAX_REFERRER_BYTES),
    name: cutUtf8(name, MAX_REFERRER_BYTES),
    icon: '',
  };
}

/** Whether a host is on the referrer-spam list, itself or as a subdomain of a listed host. */
export function isSpamHost(host: string): boolean {
  let candidate = normalizeHost(host);
  while (candidate.includes('.')) {
    if (SPAM_HOSTS.has(candidate)) return true;
    candidate = candidate.slice(candidate.indexOf('.') + 1);
  }
  return false;
}

/** Whether `host` is one of the site's own hosts, ignoring a leading `www.` on either side. */
export function isOwnHost(host: string, ownHosts: readonly string[]): boolean {
  const bare = stripWww(normalizeHost(host));
  return ownHosts.some((own) => {
    const pattern = normalizeHost(own);
    if (pattern === '') return false;
    if (pattern.includes('*')) return hostMatches(host, pattern) || hostMatches(bare, pattern);
    return stripWww(pattern) === bare;
  });
}

// The part after a brand label that makes `brand.*` match: a ccTLD/gTLD of 2–3 letters, or a
// country's second level (`co.uk`, `com.au`).
const BRAND_SUFFIX = /^(?:[a-z]{2,3}|(?:co|com|net|org|gov|edu|ac|or|ne|go)\.[a-z]{2})$/;
const MAX_PATH_PREFIXES = 8;

/**
 * The group a referring host (and path) belongs to: `host+path` prefixes, then the host, then
 * `brand.*`, then the same for each parent domain — so `l.facebook.com` is Facebook while
 * `mail.google.com` (listed itself) is Gmail.
 */
export function referrerGroup(host: string, path = ''): ReferrerGroup | undefined {
  const prefixes = pathPrefixes(path.toLowerCase());
  let candidate = stripWww(normalizeHost(host));
  while (candidate.includes('.')) {
    for (const prefix of prefixes) {
      const group = GROUPS.get(candidate + prefix);
      if (group !== undefined) return group;
    }
    const exact = GROUPS.get(candidate);
    if (exact !== undefined) return exact;
    const dot = candidate.indexOf('.');
    const brand = BRANDS.get(candidate.slice(0, dot));
    if (brand !== undefined && BRAND_SUFFIX.test(candidate.slice(dot + 1))) return brand;
    candidate = candidate.slice(dot + 1);
  }
  return undefined;
}

function pathPrefixes(path: string): string[] {
  const segments = path.split('/').filter((segment) => segment !== '');
  const prefixes: string[] = [];
  for (let n = Math.min(segments.length, MAX_PATH_PREFIXES); n > 0; n--) {
    prefixes.push('/' + segments.slice(0, n).join('/'));
  }
  return prefixes;
}

/**
 * The category of a referrer for the channel. The name comes first because it is the most specific
 * (`x.com/i/grok` is named Grok, an AI, though `x.com` is social); then the host (group list);
 * then a name that is itself a host (`utm_source=chatgpt.com`). `''` when unknown.
 */
export function referrerCategory(host: string, name: string): ReferrerCategory | '' {
  const key = name.trim().toLowerCase();
  const byName = key === '' ? undefined : NAME_CATEGORIES.get(key);
  if (byName !== undefined) return byName;
  const byHost = host === '' ? undefined : referrerGroup(host);
  if (byHost !== undefined) return byHost.category;
  if (key === '' || !BARE_HOST.test(key)) return '';
  return referrerGroup(key.split(/[/:?#]/)[0] ?? '')?.category ?? '';
}

/** The lower-case host of a stored referrer URL (`''` for names and app referrers). */
export function referrerHostOf(referrer: string): string {
  if (!/^https?:\/\//i.test(referrer)) return '';
  try {
    return new URL(referrer).hostname.replace(/\.$/, '');
  } catch {
    return '';
  }
}

function firstLine(value: string): string {
  const end = value.search(/[\r\n]/);
  return end < 0 ? value : value.slice(0, end);
}

/** One published snippet URL-encodes the referrer (I.8): `https%3A%2F%2F…` → `https://…`. */
function decodeEncodedUrl(value: string): string {
  if (!/^https?%3A/i.test(value)) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return decodePercent(value);
  }
}

/** `203.0.113.5`, `203.0.113.5:8080/x`, `[2001:db8::1]:443`, `2001:db8::1`. */
function isIpLike(value: string): boolean {
  let candidate = value.trim();
  if (isIP(candidate) !== 0) return true;
  if (candidate.startsWith('[')) {
    const end = candidate.indexOf(']');
    return end > 0 && isIP(candidate.slice(1, end)) !== 0;
  }
  candidate = candidate.replace(/[/?#].*$/, '').replace(/:\d{1,5}$/, '');
  return isIP(candidate) !== 0;
}
