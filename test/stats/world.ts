/**
 * The statistics fixture world: a small, fully known history sent through the ingestion API
 * (batches with `time`), so every statistic can be checked against numbers computed by hand.
 *
 * The same traffic goes to two domains: `berlin` (time zone Europe/Berlin, UTC+1 in November)
 * and `utc` (no time zone). Sessions, in UTC:
 *
 * | visitor | address (country) | browser / OS / platform | lang | screen | start (UTC) | local day (Berlin) |
 * |---|---|---|---|---|---|---|
 * | A | 193.99.144.80 (de) | Firefox / Linux / desktop | de | 1920 Full HD | 11-10 10:00 | 11-10 |
 * | B | 8.8.8.8 (us) | Chrome / Mac / desktop | en | 1440 HD | 11-10 23:30 | 11-11 |
 * | C | 80.67.169.12 (fr) | Safari / iOS / mobile | fr | 390 XS | 11-11 09:00 | 11-11 |
 * | D | 1.1.1.1 (au) | Chrome / Mac / desktop | en | 2560 WQHD | 11-12 12:00 | 11-12 |
 * | E | 193.99.144.80 (de) | Chrome / Mac / desktop | de | 1280 HD | 11-12 15:00 | 11-12 |
 *
 * What each visitor does (minutes after the start):
 * - A: `/` (referrer https://www.google.com/) · +2 `/pricing` · +5 event `Signup` {plan: pro}
 *   → 2 page views, not bounced, duration 300 s; time on `/` 120 s.
 * - B: `/blog/a?utm_source=newsletter&utm_campaign=nov` → 1 page view, bounced.
 * - C: `/` · +1 `/` (reload) · +2 non-interactive event `Video` (duration 30) → 2 page views,
 *   still bounced, duration 120 s; time on the first `/` 60 s.
 * - D: `/pricing` (referrer https://news.ycombinator.com/) · +3 `/blog/a` · +4
 *   `/checkout/done` · +4.5 event `Signup` {plan: free} → 3 page views, not bounced, duration
 *   270 s; time on `/pricing` 180 s, on `/blog/a` 60 s.
 * - E: `/` → 1 page view, bounced.
 * Plus, filtered at ingestion and never counted: a `curl` request and a DNT request.
 */
import { makeAccessKey, makeDomain, makeUser } from '../helpers/accounts.ts';
import { CHROME_MAC, FIREFOX, post, SAFARI_IPHONE } from '../helpers/ingest.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';
import type { Domain } from '../../src/store/meta/schema.ts';
import { createDomain } from '../../src/manage/domains.ts';
import { createClient } from '../../src/manage/clients.ts';
import { makeOauthClient, tokenFor } from '../helpers/accounts.ts';

export const FROM = '2026-11-10';
export const TO = '2026-11-12';

interface Visitor {
  ip: string;
  user_agent: string;
  accept_language: string;
  screen_width: number;
  screen_height: number;
}

const A: Visitor = {
  ip: '193.99.144.80',
  user_agent: FIREFOX,
  accept_language: 'de-DE,de;q=0.9',
  screen_width: 1920,
  screen_height: 1080,
};
const B: Visitor = {
  ip: '8.8.8.8',
  user_agent: CHROME_MAC,
  accept_language: 'en-US,en;q=0.9',
  screen_width: 1440,
  screen_height: 900,
};
const C: Visitor = {
  ip: '80.67.169.12',
  user_agent: SAFARI_IPHONE,
  accept_language: 'fr-FR,fr;q=0.9',
  screen_width: 390,
  screen_height: 844,
};
const D: Visitor = {
  ip: '1.1.1.1',
  user_agent: CHROME_MAC,
  accept_language: 'en-GB,en;q=0.8',
  screen_width: 2560,
  screen_height: 1440,
};
const E: Visitor = {
  ip: '193.99.144.80',
  user_agent: CHROME_MAC,
  accept_language: 'de',
  screen_width: 1280,
  screen_height: 800,
};

const t = (iso: string, plusMinutes = 0) =>
  new Date(Date.parse(iso) + plusMinutes * 60_000).toISOString();

/** The page views of the world, for any host. */
export function hits(host: string) {
  const page = (v: Visitor, path: string, time: string, extra: Record<string, unknown> = {}) => ({
    url: `https://${host}${path}`,
    title: `Title ${path.split('?')[0]}`,
    ...v,
    time,
    ...extra,
  });
  return [
    page(A, '/', t('2026-11-10T10:00:00Z'), { referrer: 'https://www.google.com/' }),
    page(A, '/pricing', t('2026-11-10T10:00:00Z', 2)),
    page(B, '/blog/a?utm_source=newsletter&utm_campaign=nov', t('2026-11-10T23:30:00Z')),
    page(C, '/', t('2026-11-11T09:00:00Z')),
    page(C, '/', t('2026-11-11T09:00:00Z', 1)),
    page(D, '/pricing', t('2026-11-12T12:00:00Z'), { referrer: 'https://news.ycombinator.com/' }),
    page(D, '/blog/a', t('2026-11-12T12:00:00Z', 3)),
    page(D, '/checkout/done', t('2026-11-12T12:00:00Z', 4)),
    page(E, '/', t('2026-11-12T15:00:00Z')),
    // Filtered at ingestion: never counted.
    page({ ...A, user_agent: 'curl/8.5.0' }, '/', t('2026-11-11T11:00:00Z')),
    page({ ...B, ip: '203.0.113.9' }, '/', t('2026-11-11T11:00:00Z'), { dnt: '1' }),
  ];
}

/** The events of the world, for any host. */
export function eventBodies(host: string) {
  return [
    {
      url: `https://${host}/pricing`,
      ...A,
      time: t('2026-11-10T10:00:00Z', 5),
      event_name: 'Signup',
      event_meta: { plan: 'pro' },
    },
    {
      url: `https://${host}/`,
      ...C,
      time: t('2026-11-11T09:00:00Z', 2),
      event_name: 'Video',
      event_duration: 30,
      non_interactive: true,
    },
    {
      url: `https://${host}/checkout/done`,
      ...D,
      time: t('2026-11-12T12:00:00Z', 4.5),
      event_name: 'Signup',
      event_meta: { plan: 'free' },
    },
  ];
}

export interface StatsWorld extends TestWorld {
  /** Domain in Europe/Berlin. */
  berlin: Domain;
  /** Same traffic, no time zone (UTC). */
  utc: Domain;
  /** A user-client token that may read both. */
  token: string;
  /** GET a statistics path (without `/api/v1/`) with query parameters; returns status and body. */
  get(
    path: string,
    query: Record<string, string | string[]>,
  ): Promise<{ status: number; body: unknown }>;
}

/** Build the world: two domains, the same traffic sent to both through the batch API. */
export async function createStatsWorld(env: Record<string, string> = {}): Promise<StatsWorld> {
  const world = await createTestWorld({ SPOOR_FLUSH_INTERVAL_MS: '5', ...env });
  const user = await makeUser(world.meta.db, 'stats');
  const berlin = await createDomain(world.meta.db, {
    userId: user.id,
    hostname: 'stats.example.com',
    timezone: 'Europe/Berlin',
  });
  const utc = await makeDomain(world.meta.db, user, 'utc.example.com');
  for (const domain of [berlin, utc]) {
    const key = await makeAccessKey(world.meta.db, user, domain);
    for (const [path, body] of [
      ['/api/v1/hit/batch', hits(domain.hostname)],
      ['/api/v1/event/batch', eventBodies(domain.hostname)],
    ] as const) {
      const res = await post(world.app, path, key, body);
      if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
    }
  }
  const token = await tokenFor(world.app, await makeOauthClient(world.meta.db, user, null));
  return {
    ...world,
    berlin,
    utc,
    token,
    async get(path, query) {
      const res = await world.app.inject({
        method: 'GET',
        url: `/api/v1/${path}`,
        query,
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.statusCode, body: res.json() as unknown };
    },
  };
}

// Re-exported for tests that need more credentials.
export { createClient };
