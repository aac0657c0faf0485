/**
 * User agent + client hints → browser, OS, their versions and platform, in SEMANTICS.md §3.3's
 * vocabulary (decision 15). ua-parser-js does the recognising; this module maps its names onto
 * ours, lets client hints win where they are present (API.md I.6) and caches results, because
 * it runs on every hit and real traffic repeats a few thousand distinct user agents.
 *
 * Decisions taken where the spec is silent:
 * - Versions are major.minor with a zero minor dropped (`124.0.6367.91` → `124`,
 *   `17.4.1` → `17.4`, `8.1.0` → `8.1`, `14.0.0` → `14`), so a version reads the same whether it
 *   came from the user agent or from a client hint (hints carry majors only: `v="124"`).
 * - Windows versions use the §3.3 names (`XP`, `Vista`, `7`, `8` for 8 and 8.1, `10`); `11` only
 *   from a client-hint platform version ≥ 13 (the user agent of Windows 11 says `NT 10.0`).
 * - Linux distributions are all `Linux`, without version (distro and kernel numbers are noise).
 * - `Safari` only on Mac/iOS and only versioned by its `Version/` token; a WebKit view without
 *   either is an unknown browser, never "Safari 1" (which the outdated-browser rule would drop).
 * - Platform: phones, tablets and watches are `mobile`; smart TVs, consoles, XR headsets and
 *   cars are `unknown` (neither a desk nor a pocket); otherwise the OS decides.
 * - Hint precedence: a known brand (Edge, Opera, Brave, Samsung Internet, …) or `Google Chrome`
 *   names the browser; a bare `Chromium` or an unknown brand only when the user agent names
 *   none; an in-app browser (Facebook, Instagram, …) keeps the app's name over the WebView brand.
 * - Chrome's WebView is `Android WebView` (its own brand says so); headless Chrome is
 *   `Headless Chrome`; Opera Mini/Touch/Coast keep their names (their versions are on their own
 *   scale, which Opera's floor of 65 would misjudge).
 */
import { LRUCache } from 'lru-cache';
import { UAParser } from 'ua-parser-js';
import type { ClientHints, Platform, UserAgentInfo } from './types.ts';

/** §3.8: os, os_version, browser, browser_version are cut to 20 bytes each. */
const MAX_BYTES = 20;
/** Distinct (UA, hints) pairs kept; a few MB at most, enough for a busy site's working set. */
const CACHE_SIZE = 10_000;
/** Longer user agents are bots (ua-chars) and rare; caching them would only evict real ones. */
const MAX_CACHED_UA = 512;

/** One entry of a `Sec-CH-UA` brand list. */
export interface Brand {
  brand: string;
  version: string;
}

const cache = new LRUCache<string, UserAgentInfo>({ max: CACHE_SIZE });

/** Browser, OS, versions and platform of a request (cached; hints take precedence). */
export function parseUserAgent(userAgent: string, hints: ClientHints): UserAgentInfo {
  const key = cacheKey(userAgent, hints);
  const cached = key === null ? undefined : cache.get(key);
  if (cached !== undefined) return { ...cached };
  const info = computeUserAgentInfo(userAgent, hints);
  if (key !== null) cache.set(key, info);
  return { ...info };
}

/** Empties the parse cache (tests measure cold parses with it). */
export function clearUserAgentCache(): void {
  cache.clear();
}

function cacheKey(userAgent: string, hints: ClientHints): string | null {
  if (userAgent.length > MAX_CACHED_UA) return null;
  const { secChUa, secChUaMobile, secChUaPlatform, secChUaPlatformVersion } = hints;
  if (
    secChUa === '' &&
    secChUaMobile === '' &&
    secChUaPlatform === '' &&
    secChUaPlatformVersion === ''
  )
    return userAgent;
  // NUL never occurs in a header value (and makes a JSON-given user agent a bot), so the parts
  // cannot run into each other.
  return `${userAgent}\0${secChUa}\0${secChUaMobile}\0${secChUaPlatform}\0${secChUaPlatformVersion}`;
}

/** The uncached parse: user agent first, then client hints on top. */
function computeUserAgentInfo(userAgent: string, hints: ClientHints): UserAgentInfo {
  const ua = trimUserAgent(userAgent);
  // Only the parts we use: the full result also runs the CPU and engine regex lists.
  const parser = new UAParser(ua);
  const parsedBrowser = parser.getBrowser();
  const parsedOs = parser.getOS();
  const os = osOverride(ua) ?? mapOs(parsedOs.name ?? '', parsedOs.version ?? '');
  let browser = mapBrowser(parsedBrowser.name ?? '', parsedBrowser.version ?? '', ua, os.name);
  const inApp = parsedBrowser.type === 'inapp' && !/webview/i.test(parsedBrowser.name ?? '');
  if (hints.secChUa !== '') browser = applyBrandHints(browser, parseBrands(hints.secChUa), inApp);
  const finalOs = applyPlatformHints(os, hints.secChUaPlatform, hints.secChUaPlatformVersion);
  // The device list is the parser's longest; it only matters where an OS also runs on TVs,
  // consoles or headsets (Android, Linux, Tizen, …), not on Windows, Mac, iOS or ChromeOS.
  const deviceType = SETTLED_OS.has(finalOs.name) ? '' : (parser.getDevice().type ?? '');
  return {
    browser: cutBytes(browser.name),
    browserVersion: cutBytes(browser.version),
    os: cutBytes(finalOs.name),
    osVersion: cutBytes(finalOs.version),
    platform: platformOf(deviceType, finalOs.name, hints.secChUaMobile),
  };
}

/** Systems whose platform follows from the system alone (iPads and iPhones are both mobile). */
const SETTLED_OS = new Set(['Windows', 'Mac', 'iOS', 'Chrome OS', 'Windows Mobile']);

interface NameVersion {
  name: string;
  version: string;
}

/** §3.3: surrounding quotes and spaces are not part of the user agent. */
function trimUserAgent(userAgent: string): string {
  return userAgent.replace(/^[\s"']+|[\s"']+$/g, '');
}

/**
 * major.minor, zero minor dropped; only the leading numeric part counts (`17_4_1` has had its
 * underscores replaced by the parser already, `One` → ``).
 */
export function shortVersion(version: string): string {
  const match = /^(\d+)(?:[._](\d+))?/.exec(version.trim());
  if (match === null) return '';
  const major = String(Number(match[1]));
  const minor = match[2];
  return minor === undefined || /^0+$/.test(minor) ? major : `${major}.${minor}`;
}

/** Cuts to at most 20 UTF-8 bytes without splitting a character. */
export function cutBytes(value: string, max = MAX_BYTES): string {
  // Fast path for the usual short ASCII value (a UTF-16 unit is at most 3 UTF-8 bytes).
  if (value.length <= max / 3 || (value.length <= max && /^[\x20-\x7e]*$/.test(value)))
    return value;
  let bytes = 0;
  let end = 0;
  for (const char of value) {
    const size = Buffer.byteLength(char);
    if (bytes + size > max) break;
    bytes += size;
    end += char.length;
  }
  return value.slice(0, end);
}

// ---------------------------------------------------------------------------------------------
// Operating systems

const LINUX_FAMILY = new Set([
  'linux',
  'ubuntu',
  'kubuntu',
  'xubuntu',
  'lubuntu',
  'debian',
  'suse',
  'opensuse',
  'gentoo',
  'slackware',
  'fedora',
  'mandriva',
  'centos',
  'pclinuxos',
  'red hat',
  'redhat',
  'zenwalk',
  'linpus',
  'raspbian',
  'deepin',
  'manjaro',
  'elementary os',
  'sabayon',
  'linspire',
  'knoppix',
  'mint',
  'mageia',
  'vectorlinux',
  'arch',
  'gnu',
]);

/** Parser OS names that are ours under another name; everything else keeps the parser's. */
const OS_NAMES: Record<string, string> = {
  macos: 'Mac',
  'mac os': 'Mac',
  ios: 'iOS',
  android: 'Android',
  'android-x86': 'Android',
  'chrome os': 'Chrome OS',
  'chromium os': 'Chrome OS',
  windows: 'Windows',
  'windows rt': 'Windows',
  'windows iot': 'Windows',
  'windows ce': 'Windows',
  'windows phone': 'Windows Mobile',
  'windows mobile': 'Windows Mobile',
  harmonyos: 'HarmonyOS',
  openharmony: 'OpenHarmony',
  blackberry: 'BlackBerry',
  kaios: 'KaiOS',
  tizen: 'Tizen',
  webos: 'webOS',
  symbian: 'Symbian',
  sailfish: 'Sailfish',
};

/** §3.3's Windows version names; the parser says `8.1` where Pirsch says `8`. */
const WINDOWS_VERSIONS: Record<string, string> = { '8.1': '8', NT: '' };

function mapOs(name: string, version: string): NameVersion {
  const lower = name.toLowerCase();
  if (lower === '') return { name: '', version: '' };
  if (LINUX_FAMILY.has(lower)) return { name: 'Linux', version: '' };
  if (lower.startsWith('chromecast')) return { name: 'Chromecast', version: shortVersion(version) };
  const mapped = OS_NAMES[lower] ?? name;
  if (mapped === 'Windows') {
    if (lower === 'windows ce') return { name: mapped, version: 'CE' };
    return { name: mapped, version: WINDOWS_VERSIONS[version] ?? version };
  }
  return { name: mapped, version: shortVersion(version) };
}

/**
 * Systems the parser mistakes for another: KaiOS says "Android" before its own token, and
 * Opera Mini's `J2ME/MIDP; Opera` looks like iOS to it.
 */
function osOverride(ua: string): NameVersion | null {
  const kaios = /\bKAIOS\/(\d[\d.]*)/i.exec(ua);
  if (kaios !== null) return { name: 'KaiOS', version: shortVersion(kaios[1] ?? '') };
  const symbian = /\bSymbian(?:OS)?\/(\d[\d.]*)|\bSymbOS\b/i.exec(ua);
  if (symbian !== null) return { name: 'Symbian', version: shortVersion(symbian[1] ?? '') };
  return null;
}

/** `Sec-CH-UA-Platform` values → ours (the header spells them `"macOS"`, `"Chrome OS"`, …). */
const HINT_PLATFORMS: Record<string, string> = {
  windows: 'Windows',
  macos: 'Mac',
  linux: 'Linux',
  android: 'Android',
  'chrome os': 'Chrome OS',
  'chromium os': 'Chrome OS',
  ios: 'iOS',
  fuchsia: 'Fuchsia',
};

/** `Sec-CH-UA-Platform-Version` of Windows: 13+ is 11, 1–12 is 10, `0.x` is 7/8/8.1. */
export function windowsVersionFromHint(version: string): string {
  const match = /^(\d+)(?:\.(\d+))?/.exec(version);
  if (match === null) return '';
  const major = Number(match[1]);
  if (major >= 13) return '11';
  if (major >= 1) return '10';
  const minor = Number(match[2] ?? '0');
  if (minor === 1) return '7';
  if (minor === 2 || minor === 3) return '8';
  return '';
}

function applyPlatformHints(
  os: NameVersion,
  platform: string,
  platformVersion: string,
): NameVersion {
  const name = HINT_PLATFORMS[unquote(platform).toLowerCase()];
  if (name === undefined) return os;
  const version = unquote(platformVersion);
  if (name === 'Linux') return { name, version: '' };
  if (version === '') return { name, version: os.name === name ? os.version : '' };
  if (name === 'Windows') {
    const windows = windowsVersionFromHint(version);
    return { name, version: windows !== '' ? windows : os.name === name ? os.version : '' };
  }
  return { name, version: shortVersion(version) };
}

// ---------------------------------------------------------------------------------------------
// Browsers

/** Parser browser names → ours (lower-case keys); unlisted names are kept as the parser spells them. */
const BROWSER_NAMES: Record<string, string> = {
  chrome: 'Chrome',
  'mobile chrome': 'Chrome',
  chromium: 'Chrome',
  'chrome webview': 'Android WebView',
  'chrome headless': 'Headless Chrome',
  edge: 'Edge',
  'edge webview': 'Edge',
  'edge webview2': 'Edge',
  firefox: 'Firefox',
  'mobile firefox': 'Firefox',
  'firefox focus': 'Firefox',
  'firefox reality': 'Firefox',
  safari: 'Safari',
  'mobile safari': 'Safari',
  opera: 'Opera',
  'opera gx': 'Opera',
  'opera mobi': 'Opera',
  'opera mobile': 'Opera',
  'opera tablet': 'Opera',
  // Opera Mini/Touch/Coast/Neon number their versions on their own scale; calling them "Opera"
  // would let Opera's version floor (65) drop every one of them.
  'opera mini': 'Opera Mini',
  'opera touch': 'Opera Touch',
  'opera coast': 'Opera Coast',
  'opera neon': 'Opera Neon',
  ie: 'IE',
  iemobile: 'IE',
  'samsung internet': 'Samsung Internet',
  yandex: 'Yandex',
  ucbrowser: 'UC Browser',
  duckduckgo: 'DuckDuckGo',
  vivaldi: 'Vivaldi',
  brave: 'Brave',
  whale: 'Whale',
  silk: 'Silk',
  qqbrowser: 'QQ Browser',
  qqbrowserlite: 'QQ Browser',
  'huawei browser': 'Huawei Browser',
  huaweibrowser: 'Huawei Browser',
  'miui browser': 'MIUI Browser',
  kakaotalk: 'KakaoTalk',
  kakaostory: 'KakaoStory',
  linkedin: 'LinkedIn',
  twitter: 'Twitter',
  line: 'Line',
  naver: 'Naver',
  instagram: 'Instagram',
  snapchat: 'Snapchat',
  gsa: 'Google App',
  bing: 'Bing',
  palemoon: 'Pale Moon',
  waterfox: 'Waterfox',
  librewolf: 'LibreWolf',
  seamonkey: 'SeaMonkey',
  lighthouse: 'Lighthouse',
  // Engines, not browsers: a bare WebKit/Gecko view tells nothing about the browser.
  webkit: '',
  mozilla: '',
  khtml: '',
};

/** Browsers ua-parser does not know: Arc puts its own token in some of its user agents. */
const ARC_TOKEN = /\bArc(?:Mobile2?)?\/(\d[\d.]*)/;

function mapBrowser(name: string, version: string, ua: string, os: string): NameVersion {
  const arc = ARC_TOKEN.exec(ua);
  if (arc !== null) return { name: 'Arc', version: shortVersion(arc[1] ?? '') };
  const mapped = BROWSER_NAMES[name.toLowerCase()] ?? name;
  if (mapped === '') return { name: '', version: '' };
  if (mapped === 'Safari') {
    // Safari exists only on Apple systems; elsewhere "Safari" is a TV or WebView the parser
    // guessed at. Its real version is the `Version/` token, nothing else.
    if (os !== 'Mac' && os !== 'iOS') return { name: '', version: '' };
    return { name: mapped, version: /\bVersion\//.test(ua) ? shortVersion(version) : '' };
  }
  return { name: mapped, version: shortVersion(version) };
}

/** Brand names of `Sec-CH-UA` → ours (lower-case keys). */
const BRAND_NAMES: Record<string, string> = {
  'google chrome': 'Chrome',
  chromium: 'Chrome',
  'microsoft edge': 'Edge',
  'microsoft edge webview2': 'Edge',
  opera: 'Opera',
  'opera gx': 'Opera',
  operamobile: 'Opera',
  'opera mobile': 'Opera',
  brave: 'Brave',
  yabrowser: 'Yandex',
  yandex: 'Yandex',
  'samsung internet': 'Samsung Internet',
  vivaldi: 'Vivaldi',
  arc: 'Arc',
  duckduckgo: 'DuckDuckGo',
  'android webview': 'Android WebView',
  headlesschrome: 'Headless Chrome',
  whale: 'Whale',
  huaweibrowser: 'Huawei Browser',
  'miui browser': 'MIUI Browser',
  coccoc: 'Coc Coc',
  'coc coc': 'Coc Coc',
  'avast secure browser': 'Avast Secure Browser',
};

/** Chrome's GREASE brands: `Not A(Brand`, `Not/A)Brand`, `Not_A Brand`, `(Not(A:Brand`, … */
export function isGreaseBrand(brand: string): boolean {
  return /not.?a.?brand/i.test(brand);
}

/** Parses a `Sec-CH-UA` structured-header list into brands and versions (GREASE included). */
export function parseBrands(header: string): Brand[] {
  if (header === '') return [];
  const brands: Brand[] = [];
  // A brand is a quoted string (GREASE ones contain `;` `,` `(`…), optionally `;v="…"`.
  const item =
    /"((?:[^"\\]|\\.)*)"\s*((?:;\s*[a-z*][a-z0-9_.*-]*\s*(?:=\s*(?:"(?:[^"\\]|\\.)*"|[^,;\s]*))?\s*)*)/gi;
  for (const match of header.matchAll(item)) {
    const version = /;\s*v\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,;\s]*))/i.exec(match[2] ?? '');
    brands.push({
      brand: (match[1] ?? '').replace(/\\(.)/g, '$1').trim(),
      version: version === null ? '' : (version[1] ?? version[2] ?? ''),
    });
  }
  return brands;
}

/**
 * The brand the hints name the browser by: a specific brand (Edge, Opera, Brave, …) before
 * `Google Chrome` before `Chromium`, GREASE ignored. Unknown brands come back unmapped.
 */
function chooseBrand(
  brands: readonly Brand[],
): { name: string; version: string; known: boolean } | null {
  let chrome: Brand | undefined;
  let chromium: Brand | undefined;
  let unknown: Brand | undefined;
  for (const entry of brands) {
    if (entry.brand === '' || isGreaseBrand(entry.brand)) continue;
    const lower = entry.brand.toLowerCase();
    if (lower === 'google chrome') chrome ??= entry;
    else if (lower === 'chromium') chromium ??= entry;
    else if (BRAND_NAMES[lower] !== undefined) {
      return { name: BRAND_NAMES[lower], version: entry.version, known: true };
    } else unknown ??= entry;
  }
  if (unknown !== undefined) return { name: unknown.brand, version: unknown.version, known: false };
  if (chrome !== undefined) return { name: 'Chrome', version: chrome.version, known: true };
  if (chromium !== undefined) return { name: 'Chromium', version: chromium.version, known: true };
  return null;
}

function applyBrandHints(
  browser: NameVersion,
  brands: readonly Brand[],
  inApp: boolean,
): NameVersion {
  const chosen = chooseBrand(brands);
  if (chosen === null) return browser;
  // The user agent names the app an in-app browser belongs to; the hints only say "WebView".
  if (inApp && browser.name !== '') return browser;
  // A bare "Chromium" (Vivaldi, Arc, plain Chromium all send it) or a brand we do not know adds
  // nothing to a browser the user agent already named.
  if ((chosen.name === 'Chromium' || !chosen.known) && browser.name !== '') return browser;
  const name = chosen.name === 'Chromium' ? 'Chrome' : chosen.name;
  const hinted = shortVersion(chosen.version);
  // Hints carry the major only; keep the user agent's minor when both agree on the major.
  const agrees =
    browser.name === name && (hinted === '' || majorOf(browser.version) === majorOf(hinted));
  return { name, version: agrees ? browser.version : hinted };
}

function majorOf(version: string): string {
  const dot = version.indexOf('.');
  return dot === -1 ? version : version.slice(0, dot);
}

/** Strips the quotes structured-header strings come in (`"Windows"` → `Windows`). */
function unquote(value: string): string {
  return value
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Platform

const MOBILE_OS = new Set([
  'Android',
  'iOS',
  'Windows Mobile',
  'HarmonyOS',
  'OpenHarmony',
  'KaiOS',
  'BlackBerry',
  'RIM Tablet OS',
  'Symbian',
  'Series40',
  'Bada',
  'Firefox OS',
  'watchOS',
  'Ubuntu Touch',
  'Sailfish',
  'Tizen',
  'MeeGo',
  'Maemo',
  'webOS',
]);

const DESKTOP_OS = new Set([
  'Windows',
  'Mac',
  'Linux',
  'Chrome OS',
  'FreeBSD',
  'OpenBSD',
  'NetBSD',
  'DragonFly',
  'Solaris',
  'Haiku',
]);

/** Device type (from the user agent) beats OS; `Sec-CH-UA-Mobile: ?1` beats both. */
function platformOf(deviceType: string, os: string, mobileHint: string): Platform {
  if (mobileHint.trim() === '?1') return 'mobile';
  switch (deviceType) {
    case 'mobile':
    case 'tablet':
    case 'wearable':
      return 'mobile';
    case 'smarttv':
    case 'console':
    case 'xr':
    case 'embedded':
      return 'unknown';
  }
  if (MOBILE_OS.has(os)) return 'mobile';
  if (DESKTOP_OS.has(os)) return 'desktop';
  return 'unknown';
}
