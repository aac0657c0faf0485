/**
 * Realistic, varied bodies for `POST /api/v1/hit` (and `/hit/batch`): a pool of visitors with
 * distinct public IPv4 addresses, real browser user agents (some with client hints), accept-language
 * values and screens; Zipf-distributed pages on the site, some with UTM parameters; referrers from
 * search, social, news and the site itself. Deterministic for a given seed.
 */
import { isPublicAddress } from '../../src/ingest/client-ip.ts';
import { pick, seededRandom, shuffled, weighted, zipf } from './random.ts';

/** One simulated person: what stays the same across their page views. */
export interface Visitor {
  ip: string;
  userAgent: string;
  acceptLanguage: string;
  screenWidth: number;
  screenHeight: number;
  /** Client hints a server SDK forwards when the browser sent them (Chromium only). */
  hints?: { sec_ch_ua: string; sec_ch_ua_mobile: string; sec_ch_ua_platform: string };
}

/** The JSON body of `POST /api/v1/hit` (batch elements add `time`). */
export interface HitBody {
  url: string;
  ip: string;
  user_agent: string;
  accept_language: string;
  title: string;
  referrer: string;
  screen_width: number;
  screen_height: number;
  sec_ch_ua?: string;
  sec_ch_ua_mobile?: string;
  sec_ch_ua_platform?: string;
  time?: string;
}

type Platform = 'Windows' | 'macOS' | 'Linux' | 'Chrome OS' | 'Android' | 'iOS';

interface Agent {
  ua: string;
  platform: Platform;
  /** Chromium major version when the browser sends `Sec-CH-UA`; its brand list follows. */
  chromium?: { major: number; brand: string };
  weight: number;
}

const WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)';
const MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)';
const LINUX = 'Mozilla/5.0 (X11; Linux x86_64)';
const WEBKIT = 'AppleWebKit/537.36 (KHTML, like Gecko)';
const IOS_WEBKIT = 'AppleWebKit/605.1.15 (KHTML, like Gecko)';
const chrome = (major: number) => `Chrome/${major}.0.0.0`;

// Real user-agent strings of current browsers, weighted roughly like web traffic (Chrome-heavy,
// mobile about half).
const AGENTS: Agent[] = [
  {
    ua: `${WIN} ${WEBKIT} ${chrome(126)} Safari/537.36`,
    platform: 'Windows',
    chromium: { major: 126, brand: 'Google Chrome' },
    weight: 14,
  },
  {
    ua: `${WIN} ${WEBKIT} ${chrome(125)} Safari/537.36`,
    platform: 'Windows',
    chromium: { major: 125, brand: 'Google Chrome' },
    weight: 8,
  },
  {
    ua: `${WIN} ${WEBKIT} ${chrome(124)} Safari/537.36`,
    platform: 'Windows',
    chromium: { major: 124, brand: 'Google Chrome' },
    weight: 3,
  },
  { ua: `${WIN} ${WEBKIT} ${chrome(109)} Safari/537.36`, platform: 'Windows', weight: 1 },
  {
    ua: `${MAC} ${WEBKIT} ${chrome(126)} Safari/537.36`,
    platform: 'macOS',
    chromium: { major: 126, brand: 'Google Chrome' },
    weight: 5,
  },
  { ua: `${MAC} ${WEBKIT} ${chrome(125)} Safari/537.36`, platform: 'macOS', weight: 2 },
  {
    ua: `${LINUX} ${WEBKIT} ${chrome(126)} Safari/537.36`,
    platform: 'Linux',
    chromium: { major: 126, brand: 'Google Chrome' },
    weight: 2,
  },
  { ua: `${LINUX} ${WEBKIT} ${chrome(124)} Safari/537.36`, platform: 'Linux', weight: 1 },
  {
    ua: `Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) ${WEBKIT} ${chrome(126)} Safari/537.36`,
    platform: 'Chrome OS',
    weight: 1,
  },
  {
    ua: `Mozilla/5.0 (Linux; Android 10; K) ${WEBKIT} ${chrome(126)} Mobile Safari/537.36`,
    platform: 'Android',
    chromium: { major: 126, brand: 'Google Chrome' },
    weight: 12,
  },
  {
    ua: `Mozilla/5.0 (Linux; Android 10; K) ${WEBKIT} ${chrome(125)} Mobile Safari/537.36`,
    platform: 'Android',
    weight: 6,
  },
  {
    ua: `Mozilla/5.0 (Linux; Android 14; SM-S918B) ${WEBKIT} Chrome/125.0.6422.165 Mobile Safari/537.36`,
    platform: 'Android',
    weight: 2,
  },
  {
    ua: `Mozilla/5.0 (Linux; Android 13; Pixel 7) ${WEBKIT} Chrome/124.0.6367.179 Mobile Safari/537.36`,
    platform: 'Android',
    weight: 2,
  },
  {
    ua: `Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) ${WEBKIT} SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36`,
    platform: 'Android',
    weight: 3,
  },
  {
    ua: `Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) ${IOS_WEBKIT} CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1`,
    platform: 'iOS',
    weight: 2,
  },
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
    platform: 'Windows',
    weight: 3,
  },
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0',
    platform: 'Windows',
    weight: 1,
  },
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0',
    platform: 'Windows',
    weight: 1,
  },
  {
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:127.0) Gecko/20100101 Firefox/127.0',
    platform: 'macOS',
    weight: 1,
  },
  {
    ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
    platform: 'Linux',
    weight: 1,
  },
  {
    ua: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0',
    platform: 'Linux',
    weight: 1,
  },
  {
    ua: 'Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0',
    platform: 'Android',
    weight: 1,
  },
  {
    ua: `Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) ${IOS_WEBKIT} FxiOS/127.0 Mobile/15E148 Safari/605.1.15`,
    platform: 'iOS',
    weight: 1,
  },
  { ua: `${MAC} ${IOS_WEBKIT} Version/17.5 Safari/605.1.15`, platform: 'macOS', weight: 4 },
  { ua: `${MAC} ${IOS_WEBKIT} Version/17.4.1 Safari/605.1.15`, platform: 'macOS', weight: 2 },
  {
    ua: `Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) ${IOS_WEBKIT} Version/17.5 Mobile/15E148 Safari/604.1`,
    platform: 'iOS',
    weight: 10,
  },
  {
    ua: `Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) ${IOS_WEBKIT} Version/17.4 Mobile/15E148 Safari/604.1`,
    platform: 'iOS',
    weight: 4,
  },
  {
    ua: `Mozilla/5.0 (iPhone; CPU iPhone OS 16_7_8 like Mac OS X) ${IOS_WEBKIT} Version/16.6 Mobile/15E148 Safari/604.1`,
    platform: 'iOS',
    weight: 2,
  },
  {
    ua: `Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) ${IOS_WEBKIT} Version/17.5 Mobile/15E148 Safari/604.1`,
    platform: 'iOS',
    weight: 2,
  },
  {
    ua: `${WIN} ${WEBKIT} ${chrome(126)} Safari/537.36 Edg/126.0.0.0`,
    platform: 'Windows',
    chromium: { major: 126, brand: 'Microsoft Edge' },
    weight: 5,
  },
  {
    ua: `${WIN} ${WEBKIT} ${chrome(125)} Safari/537.36 Edg/125.0.0.0`,
    platform: 'Windows',
    weight: 2,
  },
  {
    ua: `${MAC} ${WEBKIT} ${chrome(126)} Safari/537.36 Edg/126.0.0.0`,
    platform: 'macOS',
    weight: 1,
  },
  {
    ua: `Mozilla/5.0 (Linux; Android 10; K) ${WEBKIT} ${chrome(125)} Mobile Safari/537.36 EdgA/125.0.0.0`,
    platform: 'Android',
    weight: 1,
  },
  {
    ua: `Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) ${IOS_WEBKIT} Version/17.0 EdgiOS/125.2535.87 Mobile/15E148 Safari/605.1.15`,
    platform: 'iOS',
    weight: 1,
  },
  {
    ua: `${WIN} ${WEBKIT} ${chrome(125)} Safari/537.36 OPR/111.0.0.0`,
    platform: 'Windows',
    weight: 1,
  },
];

/** Number of distinct user-agent strings in the mix. */
export const USER_AGENT_COUNT = AGENTS.length;

const LANGUAGES = [
  { value: 'en-US,en;q=0.9', weight: 30 },
  { value: 'en-GB,en;q=0.9', weight: 8 },
  { value: 'de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7', weight: 12 },
  { value: 'fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7', weight: 7 },
  { value: 'es-ES,es;q=0.9', weight: 5 },
  { value: 'nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7', weight: 3 },
  { value: 'pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7', weight: 4 },
  { value: 'it-IT,it;q=0.9', weight: 3 },
  { value: 'pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7', weight: 2 },
  { value: 'ja,en-US;q=0.9,en;q=0.8', weight: 3 },
  { value: 'zh-CN,zh;q=0.9', weight: 3 },
  { value: 'sv-SE,sv;q=0.9,en;q=0.8', weight: 1 },
  { value: 'en', weight: 2 },
  { value: '', weight: 2 },
];

const DESKTOP_SCREENS: readonly (readonly [number, number])[] = [
  [1920, 1080],
  [1536, 864],
  [1366, 768],
  [1440, 900],
  [2560, 1440],
  [1280, 720],
  [1680, 1050],
  [3840, 2160],
];
const MOBILE_SCREENS: readonly (readonly [number, number])[] = [
  [390, 844],
  [393, 873],
  [414, 896],
  [360, 800],
  [412, 915],
  [375, 667],
  [430, 932],
  [820, 1180],
];

const TOPICS = [
  'analytics',
  'privacy',
  'performance',
  'pricing',
  'release',
  'tutorial',
  'migration',
  'api',
  'dashboard',
  'retention',
  'funnels',
  'events',
  'goals',
  'seo',
  'cookies',
  'gdpr',
];

/** The site's pages, most popular first, with their titles. */
function sitePages(): { path: string; title: string }[] {
  const pages = [
    { path: '/', title: 'Acme — simple, private analytics' },
    { path: '/pricing', title: 'Pricing — Acme' },
    { path: '/features', title: 'Features — Acme' },
    { path: '/blog', title: 'Blog — Acme' },
    { path: '/docs', title: 'Documentation — Acme' },
    { path: '/signup', title: 'Sign up — Acme' },
    { path: '/login', title: 'Log in — Acme' },
    { path: '/about', title: 'About us — Acme' },
    { path: '/changelog', title: 'Changelog — Acme' },
    { path: '/contact', title: 'Contact — Acme' },
  ];
  for (let i = 0; i < 160; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    pages.push({
      path: `/blog/${2024 - (i % 4)}/${topic}-${i}`,
      title: `How we think about ${topic} (part ${i}) — Acme blog`,
    });
  }
  for (let i = 0; i < 120; i++) {
    const section = ['getting-started', 'api', 'integrations', 'self-hosting'][i % 4]!;
    pages.push({
      path: `/docs/${section}/${TOPICS[(i * 7) % TOPICS.length]}-${i}`,
      title: `${section.replace('-', ' ')}: ${TOPICS[(i * 7) % TOPICS.length]} — Acme docs`,
    });
  }
  return pages;
}

const UTM_SETS = [
  'utm_source=newsletter&utm_medium=email&utm_campaign=june-digest',
  'utm_source=twitter&utm_medium=social&utm_campaign=launch-week',
  'utm_source=google&utm_medium=cpc&utm_campaign=brand&utm_term=web+analytics',
  'utm_source=facebook&utm_medium=social&utm_campaign=summer-sale&utm_content=carousel',
  'utm_source=partner-blog&utm_medium=referral&utm_campaign=guest-post',
];

/** How visitors and their page views are drawn. */
export interface TrafficOptions {
  /** The tracked site's host name (must be the domain's). */
  hostname: string;
  visitors: number;
  seed: number;
}

/** A generator of hit bodies for one site. */
export class Traffic {
  readonly visitors: Visitor[];
  private readonly random: () => number;
  private readonly page: () => { path: string; title: string };
  private readonly referrerKind: () => string;
  private readonly hostname: string;

  constructor(options: TrafficOptions) {
    this.random = seededRandom(options.seed);
    this.hostname = options.hostname;
    this.visitors = makeVisitors(this.random, options.visitors);
    this.page = weighted(this.random, zipf(sitePages(), 1.05));
    this.referrerKind = weighted(this.random, [
      { value: 'none', weight: 45 },
      { value: 'google', weight: 22 },
      { value: 'internal', weight: 15 },
      { value: 'hn', weight: 6 },
      { value: 'tco', weight: 6 },
      { value: 'bing', weight: 3 },
      { value: 'duckduckgo', weight: 3 },
    ]);
  }

  /** One page view of `visitor`, with a freshly drawn page, referrer and UTM parameters. */
  hit(visitor: Visitor): HitBody {
    const page = this.page();
    const utm = this.random() < 0.08 ? `?${pick(this.random, UTM_SETS)}` : '';
    const body: HitBody = {
      url: `https://${this.hostname}${page.path}${utm}`,
      ip: visitor.ip,
      user_agent: visitor.userAgent,
      accept_language: visitor.acceptLanguage,
      title: page.title,
      referrer: this.referrer(),
      screen_width: visitor.screenWidth,
      screen_height: visitor.screenHeight,
    };
    return visitor.hints ? { ...body, ...visitor.hints } : body;
  }

  /**
   * `count` hits in rounds: each round is a fresh permutation of all visitors, so the same visitor
   * never appears twice within `visitors.length` consecutive hits — sent in this order, hits of one
   * visitor are far apart in time, like real page views (the bot filter counts page views closer
   * than 50 ms).
   */
  hitsInRounds(count: number): HitBody[] {
    const out: HitBody[] = [];
    while (out.length < count) {
      for (const visitor of shuffled(this.random, this.visitors)) {
        if (out.length === count) break;
        out.push(this.hit(visitor));
      }
    }
    return out;
  }

  /**
   * `batches` batches of `size` hits with `time` set: the batches cover the window
   * [now − `windowMs`, now − 1 min] one after another, times ascending within each batch and
   * across the sequence, visitors drawn in rounds as in {@link hitsInRounds}.
   */
  batches(batches: number, size: number, windowMs: number, nowMs = Date.now()): HitBody[][] {
    const hits = this.hitsInRounds(batches * size);
    const start = nowMs - windowMs;
    const step = (windowMs - 60_000) / hits.length;
    const out: HitBody[][] = [];
    for (let b = 0; b < batches; b++) {
      out.push(
        hits.slice(b * size, (b + 1) * size).map((hit, i) => ({
          ...hit,
          time: new Date(start + Math.floor((b * size + i) * step)).toISOString(),
        })),
      );
    }
    return out;
  }

  private referrer(): string {
    switch (this.referrerKind()) {
      case 'google':
        return 'https://www.google.com/';
      case 'bing':
        return 'https://www.bing.com/';
      case 'duckduckgo':
        return 'https://duckduckgo.com/';
      case 'hn':
        return `https://news.ycombinator.com/item?id=${40_000_000 + Math.floor(this.random() * 500_000)}`;
      case 'tco':
        return `https://t.co/${Math.floor(this.random() * 36 ** 8).toString(36)}`;
      case 'internal':
        return `https://${this.hostname}${this.page().path}`;
      default:
        return '';
    }
  }
}

/** `count` visitors with distinct public IPv4 addresses. */
function makeVisitors(random: () => number, count: number): Visitor[] {
  const agent = weighted(
    random,
    AGENTS.map((a) => ({ value: a, weight: a.weight })),
  );
  const language = weighted(random, LANGUAGES);
  const seen = new Set<string>();
  const visitors: Visitor[] = [];
  while (visitors.length < count) {
    // 1.0.0.0 – 223.255.255.255 (unicast), then drop private, shared, reserved and documentation
    // ranges with the server's own rule, so every address counts as a visitor's.
    const n = 0x01000000 + Math.floor(random() * (0xe0000000 - 0x01000000));
    const ip = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
    if (seen.has(ip) || !isPublicAddress(ip)) continue;
    seen.add(ip);
    const a = agent();
    const mobile = a.platform === 'Android' || a.platform === 'iOS';
    const [width, height] = pick(random, mobile ? MOBILE_SCREENS : DESKTOP_SCREENS);
    const visitor: Visitor = {
      ip,
      userAgent: a.ua,
      acceptLanguage: language(),
      screenWidth: width,
      screenHeight: height,
    };
    // About half of the Chromium visitors come with client hints forwarded by the SDK.
    if (a.chromium && random() < 0.5) {
      const v = a.chromium.major;
      visitor.hints = {
        sec_ch_ua: `"Not/A)Brand";v="8", "Chromium";v="${v}", "${a.chromium.brand}";v="${v}"`,
        sec_ch_ua_mobile: mobile ? '?1' : '?0',
        sec_ch_ua_platform: `"${a.platform}"`,
      };
    }
    visitors.push(visitor);
  }
  return visitors;
}
