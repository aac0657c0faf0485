/**
 * Invariants of the statistics on random small worlds (fast-check): whatever traffic arrives,
 * the figures of different endpoints must agree with each other.
 *
 * Each run creates a domain (time zone UTC, Europe/Berlin or America/New_York), sends a random
 * world through the ingestion API (one hit batch and one event batch with `time`), then reads
 * statistics over the world's week. All traffic lies between 04:00 and 19:30 UTC, so it falls on
 * the same local day in each of the three zones and every request window contains all of it.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomain } from '../../src/manage/domains.ts';
import { statistics } from '../../src/stats/index.ts';
import type { Domain, User } from '../../src/store/meta/schema.ts';
import { makeAccessKey, makeOauthClient, makeUser, tokenFor } from '../helpers/accounts.ts';
import { CHROME_MAC, FIREFOX, post, SAFARI_IPHONE } from '../helpers/ingest.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';

const EDGE_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';

/** Monday of the world's week (UTC); a repeated world is sent one week later. */
const WEEK = '2026-09-07';
const nextDay = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const weekOf = (first: string) => ({ from: first, to: nextDay(first, 6) });

// ---------------------------------------------------------------------------------------------
// Random worlds

interface Visit {
  day: number;
  /** Minutes after midnight UTC of the first page view. */
  minute: number;
  referrer: string;
  utm: string;
  pages: { path: string; gap: number }[];
  events: { page: number; name: string; nonInteractive: boolean }[];
}

interface Visitor {
  ip: string;
  userAgent: string;
  language: string;
  width: number;
  visits: Visit[];
}

const visitArb: fc.Arbitrary<Visit> = fc.record({
  day: fc.integer({ min: 0, max: 6 }),
  minute: fc.integer({ min: 240, max: 1080 }),
  referrer: fc.constantFrom('', 'https://www.google.com/', 'https://news.ycombinator.com/'),
  utm: fc.constantFrom('', 'newsletter', 'twitter'),
  // Gaps of whole minutes: never fast enough to look like a bot; ≤ 4 × 20 min per visit.
  pages: fc.array(
    fc.record({
      path: fc.constantFrom('/', '/pricing', '/blog/a', '/blog/b', '/docs/x'),
      gap: fc.integer({ min: 1, max: 20 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  events: fc.array(
    fc.record({
      page: fc.nat({ max: 3 }),
      name: fc.constantFrom('Signup', 'Video'),
      nonInteractive: fc.boolean(),
    }),
    { maxLength: 2 },
  ),
});

const visitorArb: fc.Arbitrary<Visitor> = fc.record({
  ip: fc.constantFrom(
    '193.99.144.80',
    '8.8.8.8',
    '80.67.169.12',
    '1.1.1.1',
    '9.9.9.9',
    '77.88.8.8',
    '200.160.2.3',
    '210.130.1.1',
  ),
  userAgent: fc.constantFrom(FIREFOX, CHROME_MAC, SAFARI_IPHONE, EDGE_WINDOWS),
  language: fc.constantFrom('de-DE,de;q=0.9', 'en-US,en;q=0.9', 'fr', ''),
  width: fc.constantFrom(0, 390, 1280, 1920, 2560),
  visits: fc.array(visitArb, { minLength: 1, maxLength: 3 }),
});

interface World {
  timezone: string;
  visitors: Visitor[];
}

const worldArb: fc.Arbitrary<World> = fc.record({
  timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'),
  visitors: fc.array(visitorArb, { minLength: 1, maxLength: 5 }),
});

/** The hit and event batch bodies of a world, `shiftDays` later than its week. */
function bodies(world: World, host: string, shiftDays = 0) {
  const hits: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  for (const v of world.visitors) {
    const who = {
      ip: v.ip,
      user_agent: v.userAgent,
      accept_language: v.language,
      screen_width: v.width,
      screen_height: v.width === 0 ? 0 : Math.round(v.width * 0.6),
    };
    for (const visit of v.visits) {
      let ms = Date.parse(`${WEEK}T00:00:00Z`) + (shiftDays + visit.day) * 86_400_000;
      ms += visit.minute * 60_000;
      const times: number[] = [];
      visit.pages.forEach((p, i) => {
        if (i > 0) ms += p.gap * 60_000;
        times.push(ms);
        const query = i === 0 && visit.utm !== '' ? `?utm_source=${visit.utm}` : '';
        hits.push({
          ...who,
          url: `https://${host}${p.path}${query}`,
          title: `Title ${p.path}`,
          referrer: i === 0 ? visit.referrer : '',
          time: new Date(ms).toISOString(),
        });
      });
      for (const e of visit.events) {
        const page = Math.min(e.page, visit.pages.length - 1);
        events.push({
          ...who,
          url: `https://${host}${visit.pages[page]!.path}`,
          event_name: e.name,
          non_interactive: e.nonInteractive,
          time: new Date(times[page]! + 30_000).toISOString(),
        });
      }
    }
  }
  return { hits, events };
}

// ---------------------------------------------------------------------------------------------
// The test world: one app; each run gets a domain of its own.

let world: TestWorld;
let user: User;
let token: string;
let domains = 0;

beforeAll(async () => {
  world = await createTestWorld({ SPOOR_FLUSH_INTERVAL_MS: '2' });
  user = await makeUser(world.meta.db, 'props');
  token = await tokenFor(world.app, await makeOauthClient(world.meta.db, user, null));
});
afterAll(() => world.close());

/** A new domain in `timezone` with the world sent to it (and optionally repeated a week later). */
async function seed(w: World, repeatAfterDays?: number): Promise<Domain> {
  domains += 1;
  const domain = await createDomain(world.meta.db, {
    userId: user.id,
    hostname: `props${domains}.example.com`,
    timezone: w.timezone,
  });
  const key = await makeAccessKey(world.meta.db, user, domain);
  const shifts = repeatAfterDays === undefined ? [0] : [0, repeatAfterDays];
  for (const shift of shifts) {
    const { hits, events } = bodies(w, domain.hostname, shift);
    for (const [url, body] of [
      ['/api/v1/hit/batch', hits],
      ['/api/v1/event/batch', events],
    ] as const) {
      const res = await post(world.app, url, key, body);
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    }
  }
  return domain;
}

type Query = Record<string, string | string[]>;
type Row = Record<string, unknown>;

async function get<T = Row[]>(path: string, query: Query): Promise<T> {
  const res = await world.app.inject({
    method: 'GET',
    url: `/api/v1/${path}`,
    query,
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

const served = (path: string) => statistics.some((s) => s.path === path);
const sum = (rows: Row[], field: string) => rows.reduce((s, r) => s + Number(r[field] ?? 0), 0);
const EPSILON = 1e-9;

interface Totals {
  visitors: number;
  views: number;
  sessions: number;
  bounces: number;
}

// Few runs with many requests each keep the file around half a minute.
const RUNS = { numRuns: 8, endOnFailure: true } as const;

describe('statistics invariants on random worlds', () => {
  it('per-page, per-bucket and per-dimension figures agree with the totals', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        const domain = await seed(w);
        const q = { id: domain.id, ...weekOf(WEEK) };
        const total = await get<Totals>('statistics/total', q);
        expect(total.visitors).toBeGreaterThan(0);
        expect(total.visitors).toBeLessThanOrEqual(total.sessions);
        expect(total.bounces).toBeLessThanOrEqual(total.sessions);
        // A session's first page view lies in the window, so there are at least as many views.
        expect(total.views).toBeGreaterThanOrEqual(total.sessions);

        // Visitors per day: a visitor of several days counts on each; sessions, views and
        // bounces each count once (sessions on the day they started, decision 18).
        const days = await get('statistics/visitor', q);
        expect(days).toHaveLength(7);
        expect(sum(days, 'visitors')).toBeGreaterThanOrEqual(total.visitors);
        expect(sum(days, 'sessions')).toBe(total.sessions);
        expect(sum(days, 'views')).toBe(total.views);
        expect(sum(days, 'bounces')).toBe(total.bounces);
        for (const d of days) expect(Number(d.bounces)).toBeLessThanOrEqual(Number(d.sessions));

        if (served('statistics/hours')) {
          const hours = await get('statistics/hours', q);
          expect(sum(hours, 'sessions')).toBe(total.sessions);
          expect(sum(hours, 'views')).toBe(total.views);
          expect(sum(hours, 'visitors')).toBeGreaterThanOrEqual(total.visitors);
        }

        if (served('statistics/page')) {
          const pages = await get('statistics/page', q);
          // Every visitor viewed at least one page; a visitor of several pages counts on each.
          expect(sum(pages, 'visitors')).toBeGreaterThanOrEqual(total.visitors);
          expect(sum(pages, 'views')).toBe(total.views);
          expect(sum(pages, 'relative_views')).toBeLessThanOrEqual(1 + EPSILON);
          for (const p of pages) {
            expect(Number(p.bounces)).toBeLessThanOrEqual(Number(p.sessions));
            expect(Number(p.relative_visitors)).toBeLessThanOrEqual(1 + EPSILON);
          }
        }

        for (const [path, count] of [
          ['statistics/page/entry', 'entries'],
          ['statistics/page/exit', 'exits'],
        ] as const) {
          if (!served(path)) continue;
          // Every session has exactly one entry page and one exit page.
          const rows = await get(path, q);
          expect(sum(rows, count)).toBe(total.sessions);
        }

        // Dimensions fixed by the visitor id (address and user agent): the values partition the
        // visitors. Language and screen are not: two generated visitors with the same address and
        // user agent are one visitor, who may then appear with two languages or screens.
        for (const path of ['statistics/country', 'statistics/browser', 'statistics/os']) {
          if (!served(path)) continue;
          const rows = await get(path, q);
          expect(sum(rows, 'visitors'), path).toBe(total.visitors);
          expect(sum(rows, 'relative_visitors'), path).toBeLessThanOrEqual(1 + EPSILON);
        }
        for (const path of ['statistics/language', 'statistics/screen']) {
          if (!served(path)) continue;
          const rows = await get(path, q);
          expect(sum(rows, 'visitors'), path).toBeGreaterThanOrEqual(total.visitors);
          for (const r of rows) {
            expect(Number(r.relative_visitors), path).toBeLessThanOrEqual(1 + EPSILON);
          }
        }
        // Session attributes: a visitor may come with several referrers or UTM sources.
        for (const path of ['statistics/referrer', 'statistics/utm/source']) {
          if (!served(path)) continue;
          const rows = await get(path, q);
          expect(sum(rows, 'visitors'), path).toBeGreaterThanOrEqual(
            path === 'statistics/referrer' ? total.visitors : 0,
          );
          for (const r of rows)
            expect(Number(r.relative_visitors)).toBeLessThanOrEqual(1 + EPSILON);
        }
        if (served('statistics/referrer')) {
          const referrers = await get('statistics/referrer', q);
          expect(sum(referrers, 'sessions')).toBe(total.sessions);
          expect(sum(referrers, 'bounces')).toBe(total.bounces);
        }

        if (served('statistics/platform')) {
          const p = await get<Row>('statistics/platform', q);
          const relative =
            Number(p.relative_platform_desktop) +
            Number(p.relative_platform_mobile) +
            Number(p.relative_platform_unknown);
          expect(relative).toBeCloseTo(1, 9);
          expect(
            Number(p.platform_desktop) + Number(p.platform_mobile) + Number(p.platform_unknown),
          ).toBe(total.visitors);
        }
      }),
      RUNS,
    );
  });

  it('filters that match everything answer the same as no filter', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        const domain = await seed(w);
        const q = { id: domain.id, ...weekOf(WEEK) };
        const countries = served('statistics/country')
          ? (await get('statistics/country', q)).map((r) => String(r.country_code) || 'null')
          : [];
        const everything: Query[] = [
          { path: '~/' }, // every path contains a slash
          { browser: '!Netscape Navigator' }, // nobody uses it
          ...(countries.length > 0 ? [{ country: countries }] : []), // OR of every country
        ];
        const endpoints = [
          'statistics/total',
          'statistics/visitor',
          'statistics/page',
          'statistics/country',
          'statistics/browser',
        ].filter(served);
        for (const path of endpoints) {
          const plain = await get<unknown>(path, q);
          for (const filter of everything) {
            const filtered = await get<unknown>(path, { ...q, ...filter });
            // A filter makes `cr` a share of all visitors: it is 1 when nothing is filtered out.
            expect(filtered, `${path} ${JSON.stringify(filter)}`).toEqual(plain);
          }
        }
      }),
      { ...RUNS, numRuns: 5 },
    );
  });

  it.skipIf(!served('statistics/growth'))(
    'a week against the identical week before grows by 0 in every figure',
    async () => {
      await fc.assert(
        fc.asyncProperty(worldArb, async (w) => {
          const domain = await seed(w, 7);
          const second = weekOf(nextDay(WEEK, 7));
          const growth = await get<Row>('statistics/growth', { id: domain.id, ...second });
          const fields = Object.keys(growth).filter((k) => k.endsWith('_growth'));
          expect(fields).toEqual(
            expect.arrayContaining([
              'visitors_growth',
              'views_growth',
              'sessions_growth',
              'bounces_growth',
              'time_spent_growth',
            ]),
          );
          for (const field of fields) expect(growth[field], field).toBe(0);
          // And the two weeks have the same totals.
          const first = await get<Totals>('statistics/total', { id: domain.id, ...weekOf(WEEK) });
          const later = await get<Totals>('statistics/total', { id: domain.id, ...second });
          expect(later).toEqual(first);
        }),
        { ...RUNS, numRuns: 4 },
      );
    },
  );
});
