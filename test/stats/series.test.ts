/**
 * Hours, durations, growth and active visitors. Every expected number is computed by hand from
 * the world (world.ts) or from the extra traffic below, with the reasoning next to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFilter } from '../../src/stats/filter.ts';
import { averageTimeOnPageByPath } from '../../src/stats/series.ts';
import { toggleDomainFlag } from '../../src/manage/domains.ts';
import type { Domain } from '../../src/store/meta/schema.ts';
import {
  makeAccessKey,
  makeDomain,
  makeOauthClient,
  makeUser,
  tokenFor,
} from '../helpers/accounts.ts';
import { CHROME_MAC, FIREFOX, post, SAFARI_IPHONE } from '../helpers/ingest.ts';
import { createStatsWorld, FROM, TO, type StatsWorld } from './world.ts';

let world: StatsWorld;
/** Extra domains (UTC) of a second user, with their own traffic (see `sendLabTraffic`). */
let lab: Domain;
let live: Domain;
let weekly: Domain;
let labToken: string;
let liveKey: string;
let weeklyKey: string;

const period = { from: FROM, to: TO };

/** A page view or event of the lab traffic: visitor by IP, UTC time. */
const visit = (
  host: string,
  ip: string,
  path: string,
  time: string,
  extra: Record<string, unknown> = {},
) => ({
  url: `https://${host}${path}`,
  title: `Title ${path}`,
  ip,
  user_agent: FIREFOX,
  accept_language: 'en',
  time,
  ...extra,
});

/**
 * The lab domain (UTC), in November 2026 (11-02 is a Monday):
 * - V1 (9.9.9.9): 11-02 10:00:00 `/a` · 10:01:40 `/b` → duration 100 s; time on `/a` 100 s.
 * - V2 (9.9.9.10): 11-02 11:00:00 `/a` · 11:01:41 `/b` → duration 101 s; time on `/a` 101 s.
 * - V3 (9.9.9.11): 11-03 10:00:00 `/a` · 10:01:00 event `Click` on `/a` (no page view: same page)
 *   · 10:03:00 `/c` · 10:06:40 `/d` → duration 400 s; time on `/a` 180 s (the event does not
 *   change it), on `/c` 220 s.
 * - V4 (9.9.9.12): 11-04 23:50:00 `/late` · 11-05 00:10:00 `/next` → one session started on
 *   11-04, duration 1200 s; time on `/late` 1200 s although the next view is on 11-05.
 */
async function sendLabTraffic(key: string, host: string) {
  const hits = [
    visit(host, '9.9.9.9', '/a', '2026-11-02T10:00:00Z'),
    visit(host, '9.9.9.9', '/b', '2026-11-02T10:01:40Z'),
    visit(host, '9.9.9.10', '/a', '2026-11-02T11:00:00Z'),
    visit(host, '9.9.9.10', '/b', '2026-11-02T11:01:41Z'),
    visit(host, '9.9.9.11', '/a', '2026-11-03T10:00:00Z'),
    visit(host, '9.9.9.11', '/c', '2026-11-03T10:03:00Z'),
    visit(host, '9.9.9.11', '/d', '2026-11-03T10:06:40Z'),
    visit(host, '9.9.9.12', '/late', '2026-11-04T23:50:00Z'),
    visit(host, '9.9.9.12', '/next', '2026-11-05T00:10:00Z'),
  ];
  const events = [visit(host, '9.9.9.11', '/a', '2026-11-03T10:01:00Z', { event_name: 'Click' })];
  // Events after the page views they follow: send the page views of V3 up to the event first.
  for (const [path, body] of [
    ['/api/v1/hit/batch', hits.slice(0, 5)],
    ['/api/v1/event/batch', events],
    ['/api/v1/hit/batch', hits.slice(5)],
  ] as const) {
    const res = await post(world.app, path, key, body);
    if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
  }
}

beforeAll(async () => {
  world = await createStatsWorld();
  const user = await makeUser(world.meta.db, 'series');
  lab = await makeDomain(world.meta.db, user, 'lab.example.com');
  live = await makeDomain(world.meta.db, user, 'live.example.com');
  weekly = await makeDomain(world.meta.db, user, 'weekly.example.com');
  labToken = await tokenFor(world.app, await makeOauthClient(world.meta.db, user, null));
  await sendLabTraffic(await makeAccessKey(world.meta.db, user, lab), lab.hostname);
  liveKey = await makeAccessKey(world.meta.db, user, live);
  weeklyKey = await makeAccessKey(world.meta.db, user, weekly);
});
afterAll(() => world.close());

/** GET a statistic of the second user's domains. */
async function getLab(path: string, query: Record<string, string>) {
  const res = await world.app.inject({
    method: 'GET',
    url: `/api/v1/${path}`,
    query,
    headers: { authorization: `Bearer ${labToken}` },
  });
  return { status: res.statusCode, body: res.json() as unknown };
}

const zero = {
  visitors: 0,
  views: 0,
  sessions: 0,
  bounces: 0,
  bounce_rate: 0,
  cr: 0,
  custom_metric_avg: 0,
  custom_metric_total: 0,
};

type Row = Record<string, unknown>;
const averages = (body: unknown) =>
  (body as { average_time_spent_seconds: number }[]).map((r) => r.average_time_spent_seconds);

describe('GET /statistics/hours', () => {
  it('gives 24 hours in the domain time zone (Berlin = UTC+1)', async () => {
    const { status, body } = await world.get('statistics/hours', {
      id: world.berlin.id,
      ...period,
    });
    expect(status).toBe(200);
    const rows = body as Row[];
    expect(rows.map((r) => r.hour)).toEqual(Array.from({ length: 24 }, (_, h) => h));
    // Session starts in Berlin time: B 23:30 UTC → 00:30; C 09:00 → 10; A 10:00 → 11;
    // D 12:00 → 13; E 15:00 → 16. Views: B 1, C 2 (09:00, 09:01), A 2, D 3, E 1, all within the
    // hour of their session's start. Bounces: B, C, E. cr = 1 of 5 visitors.
    const expected: Record<number, Row> = {
      0: { visitors: 1, views: 1, sessions: 1, bounces: 1, bounce_rate: 1, cr: 0.2 },
      10: { visitors: 1, views: 2, sessions: 1, bounces: 1, bounce_rate: 1, cr: 0.2 },
      11: { visitors: 1, views: 2, sessions: 1, bounces: 0, bounce_rate: 0, cr: 0.2 },
      13: { visitors: 1, views: 3, sessions: 1, bounces: 0, bounce_rate: 0, cr: 0.2 },
      16: { visitors: 1, views: 1, sessions: 1, bounces: 1, bounce_rate: 1, cr: 0.2 },
    };
    for (const row of rows) {
      expect(row).toEqual({ hour: row.hour, ...zero, ...expected[row.hour as number] });
    }
  });

  it('puts the same visits one hour earlier for a UTC domain', async () => {
    const { body } = await world.get('statistics/hours', { id: world.utc.id, ...period });
    const visitors = (body as Row[]).filter((r) => r.visitors !== 0).map((r) => r.hour);
    // C 09, A 10, D 12, E 15, B 23.
    expect(visitors).toEqual([9, 10, 12, 15, 23]);
  });

  it('counts the matching page views with a path filter', async () => {
    const { body } = await world.get('statistics/hours', {
      id: world.berlin.id,
      ...period,
      path: '/',
    });
    // `/` views in Berlin time: C 10:00 and 10:01 (bounced), A 11:00 (not bounced), E 16:00
    // (bounced). cr: 1 of the 5 visitors of the period.
    const nonZero = (body as Row[]).filter((r) => r.views !== 0);
    expect(nonZero).toEqual([
      {
        hour: 10,
        ...zero,
        visitors: 1,
        views: 2,
        sessions: 1,
        bounces: 1,
        bounce_rate: 1,
        cr: 0.2,
      },
      { hour: 11, ...zero, visitors: 1, views: 1, sessions: 1, cr: 0.2 },
      {
        hour: 16,
        ...zero,
        visitors: 1,
        views: 1,
        sessions: 1,
        bounces: 1,
        bounce_rate: 1,
        cr: 0.2,
      },
    ]);
  });

  it('counts events in their hour with an event filter', async () => {
    const { body } = await world.get('statistics/hours', {
      id: world.berlin.id,
      ...period,
      event: 'Signup',
    });
    // Signup: A at 10:05 UTC (11 Berlin), D at 12:04:30 UTC (13 Berlin); neither bounced.
    const nonZero = (body as Row[]).filter((r) => r.views !== 0);
    expect(nonZero).toEqual([
      { hour: 11, ...zero, visitors: 1, views: 1, sessions: 1, cr: 0.2 },
      { hour: 13, ...zero, visitors: 1, views: 1, sessions: 1, cr: 0.2 },
    ]);
  });

  it('counts a session in the hour it started and each page view in its own hour', async () => {
    const { body } = await getLab('statistics/hours', {
      id: lab.id,
      from: '2026-11-04',
      to: '2026-11-05',
    });
    // V4: session started 11-04 23:50 (hour 23, not bounced) with views at 23:50 and 00:10.
    const nonZero = (body as Row[]).filter((r) => r.views !== 0);
    expect(nonZero).toEqual([
      { hour: 0, ...zero, views: 1 },
      { hour: 23, ...zero, visitors: 1, views: 1, sessions: 1, cr: 1 },
    ]);
  });

  it('answers 24 zero rows for an empty period', async () => {
    const { body } = await world.get('statistics/hours', {
      id: world.berlin.id,
      from: '2026-01-01',
      to: '2026-01-01',
    });
    expect(body).toEqual(Array.from({ length: 24 }, (_, hour) => ({ hour, ...zero })));
  });
});

const bucket = (day: string | null, week: string | null = null) => ({
  day: day === null ? null : `${day}T00:00:00Z`,
  week: week === null ? null : `${week}T00:00:00Z`,
  month: null,
  year: null,
  path: '',
  title: '',
});

describe('GET /statistics/duration/session', () => {
  it('averages the non-zero session durations per local day of the start', async () => {
    const { status, body } = await world.get('statistics/duration/session', {
      id: world.berlin.id,
      from: '2026-11-09',
      to: TO,
    });
    expect(status).toBe(200);
    // 11-09: nothing. 11-10: A 300. 11-11: B 0 (excluded), C 120. 11-12: D 270, E 0 (excluded).
    expect(body).toEqual([
      { ...bucket('2026-11-09'), average_time_spent_seconds: 0 },
      { ...bucket('2026-11-10'), average_time_spent_seconds: 300 },
      { ...bucket('2026-11-11'), average_time_spent_seconds: 120 },
      { ...bucket('2026-11-12'), average_time_spent_seconds: 270 },
    ]);
  });

  it('averages over the sessions of a week, month and year', async () => {
    // (300 + 120 + 270) / 3 = 230.
    for (const [scale, field, start] of [
      ['week', 'week', '2026-11-09'],
      ['month', 'month', '2026-11-01'],
      ['year', 'year', '2026-01-01'],
    ] as const) {
      const { body } = await world.get('statistics/duration/session', {
        id: world.berlin.id,
        ...period,
        scale,
      });
      expect(body).toEqual([
        {
          day: null,
          week: null,
          month: null,
          year: null,
          [field]: `${start}T00:00:00Z`,
          path: '',
          title: '',
          average_time_spent_seconds: 230,
        },
      ]);
    }
  });

  it('uses one average per bucket, rounded half away from zero', async () => {
    const days = await getLab('statistics/duration/session', {
      id: lab.id,
      from: '2026-11-02',
      to: '2026-11-03',
    });
    // 11-02: V1 100, V2 101 → 100.5 → 101 (half away from zero, not to even). 11-03: V3 400.
    expect(averages(days.body)).toEqual([101, 400]);
    const week = await getLab('statistics/duration/session', {
      id: lab.id,
      from: '2026-11-02',
      to: '2026-11-03',
      scale: 'week',
    });
    // (100 + 101 + 400) / 3 = 200.33 → 200; an average of daily averages would be 250.
    expect(week.body).toEqual([{ ...bucket(null, '2026-11-02'), average_time_spent_seconds: 200 }]);
  });

  it('counts a session crossing midnight on the day it started', async () => {
    const { body } = await getLab('statistics/duration/session', {
      id: lab.id,
      from: '2026-11-04',
      to: '2026-11-05',
    });
    // V4 started 11-04 23:50, lasted 1200 s.
    expect(averages(body)).toEqual([1200, 0]);
  });

  it('takes the sessions that viewed the page with a path or pattern filter', async () => {
    const { body } = await world.get('statistics/duration/session', {
      id: world.berlin.id,
      ...period,
      path: '/pricing',
    });
    // /pricing: A (300, 11-10) and D (270, 11-12).
    expect(averages(body)).toEqual([300, 0, 270]);
    const week = await world.get('statistics/duration/session', {
      id: world.berlin.id,
      ...period,
      path: '/pricing',
      scale: 'week',
    });
    // (300 + 270) / 2 = 285.
    expect(averages(week.body)).toEqual([285]);
    const pattern = await world.get('statistics/duration/session', {
      id: world.berlin.id,
      ...period,
      pattern: '(?i)^/blog/',
      scale: 'week',
    });
    // /blog/a: B (0, excluded) and D (270).
    expect(averages(pattern.body)).toEqual([270]);
  });

  it('applies attribute and entry filters', async () => {
    const de = await world.get('statistics/duration/session', {
      id: world.berlin.id,
      ...period,
      country: 'de',
    });
    // de: A 300 (11-10), E 0 (excluded).
    expect(averages(de.body)).toEqual([300, 0, 0]);
    const entry = await world.get('statistics/duration/session', {
      id: world.berlin.id,
      ...period,
      entry_path: '/pricing',
    });
    // Entered on /pricing: D only.
    expect(averages(entry.body)).toEqual([0, 0, 270]);
  });

  it('answers [] with an event filter and zeros for an empty period', async () => {
    const event = await world.get('statistics/duration/session', {
      id: world.berlin.id,
      ...period,
      event: 'Signup',
    });
    expect(event.body).toEqual([]);
    const empty = await world.get('statistics/duration/session', {
      id: world.berlin.id,
      from: '2026-01-01',
      to: '2026-01-02',
    });
    expect(averages(empty.body)).toEqual([0, 0]);
  });
});

describe('GET /statistics/duration/page', () => {
  it('averages the time to the next page view per local day', async () => {
    const { status, body } = await world.get('statistics/duration/page', {
      id: world.berlin.id,
      ...period,
    });
    expect(status).toBe(200);
    // 11-10: A `/` 120 (A's `/pricing` is its last page: none). 11-11: C's first `/` 60 (B's
    // only page and C's second `/` have none). 11-12: D `/pricing` 180, `/blog/a` 60 → 120.
    expect(body).toEqual([
      { ...bucket('2026-11-10'), average_time_spent_seconds: 120 },
      { ...bucket('2026-11-11'), average_time_spent_seconds: 60 },
      { ...bucket('2026-11-12'), average_time_spent_seconds: 120 },
    ]);
    const week = await world.get('statistics/duration/page', {
      id: world.berlin.id,
      ...period,
      scale: 'week',
    });
    // (120 + 60 + 180 + 60) / 4 = 105.
    expect(week.body).toEqual([{ ...bucket(null, '2026-11-09'), average_time_spent_seconds: 105 }]);
  });

  it('measures only the page views the filter selects', async () => {
    const home = await world.get('statistics/duration/page', {
      id: world.berlin.id,
      ...period,
      path: '/',
    });
    // `/`: A 120 (11-10), C 60 (11-11); E's `/` is its last page.
    expect(averages(home.body)).toEqual([120, 60, 0]);
    const homeWeek = await world.get('statistics/duration/page', {
      id: world.berlin.id,
      ...period,
      path: '/',
      scale: 'week',
    });
    // (120 + 60) / 2 = 90.
    expect(averages(homeWeek.body)).toEqual([90]);
    const pricing = await world.get('statistics/duration/page', {
      id: world.berlin.id,
      ...period,
      path: '/pricing',
    });
    // A's `/pricing` is A's last page view (the Signup event after it changes nothing); D 180.
    expect(averages(pricing.body)).toEqual([0, 0, 180]);
    const blog = await world.get('statistics/duration/page', {
      id: world.berlin.id,
      ...period,
      pattern: '(?i)^/blog/',
    });
    // B's /blog/a is its only page; D's /blog/a 60.
    expect(averages(blog.body)).toEqual([0, 0, 60]);
    const mobile = await world.get('statistics/duration/page', {
      id: world.berlin.id,
      ...period,
      platform: 'mobile',
    });
    // Mobile: C only, 60 on 11-11.
    expect(averages(mobile.body)).toEqual([0, 60, 0]);
  });

  it('ignores events between page views and rounds half away from zero', async () => {
    const { body } = await getLab('statistics/duration/page', {
      id: lab.id,
      from: '2026-11-02',
      to: '2026-11-03',
    });
    // 11-02: `/a` 100 and 101 → 100.5 → 101. 11-03: V3 `/a` 180 (event at +1 min ignored), `/c`
    // 220 → 200.
    expect(averages(body)).toEqual([101, 200]);
    const a = await getLab('statistics/duration/page', {
      id: lab.id,
      from: '2026-11-02',
      to: '2026-11-03',
      path: '/a',
      scale: 'week',
    });
    // (100 + 101 + 180) / 3 = 127.
    expect(averages(a.body)).toEqual([127]);
  });

  it('finds the next page view after the end of the window', async () => {
    const { body } = await getLab('statistics/duration/page', {
      id: lab.id,
      from: '2026-11-04',
      to: '2026-11-04',
    });
    // V4's `/late` at 23:50, next page view at 00:10 the next day: 1200 s, on 11-04.
    expect(averages(body)).toEqual([1200]);
  });

  it('answers [] with an event filter', async () => {
    const { body } = await world.get('statistics/duration/page', {
      id: world.berlin.id,
      ...period,
      event: 'Signup',
    });
    expect(body).toEqual([]);
  });
});

describe('averageTimeOnPageByPath', () => {
  const input = (query: Record<string, string>) => ({
    filter: parseFilter(
      { id: world.berlin.id, ...period, ...query },
      { timezone: 'Europe/Berlin', nowMs: Date.now(), requirePeriod: true, sortFields: [] },
    ),
    domain: world.berlin,
    events: world.events,
    meta: world.meta.db,
    nowMs: Date.now(),
  });

  it('averages per path over the window', async () => {
    // `/`: A 120, C 60 → 90; `/pricing`: D 180; `/blog/a`: D 60. No time on the others.
    const all = await averageTimeOnPageByPath(input({}));
    expect(Object.fromEntries(all)).toEqual({ '/': 90, '/pricing': 180, '/blog/a': 60 });
    const some = await averageTimeOnPageByPath(input({}), ['/pricing', '/checkout/done']);
    expect(Object.fromEntries(some)).toEqual({ '/pricing': 180 });
    const none = await averageTimeOnPageByPath(input({}), []);
    expect(none.size).toBe(0);
    const de = await averageTimeOnPageByPath(input({ country: 'de' }));
    // de: A `/` 120 (E's `/` has none).
    expect(Object.fromEntries(de)).toEqual({ '/': 120 });
  });
});

describe('GET /statistics/growth', () => {
  const growthOf = (body: unknown) => body as Record<string, number>;

  it('compares with the days before (previous period empty → 1)', async () => {
    const { status, body } = await world.get('statistics/growth', {
      id: world.berlin.id,
      ...period,
    });
    expect(status).toBe(200);
    // Previous period 11-07..11-09 is empty: every non-zero figure grows by 1; custom metrics 0.
    expect(body).toEqual({
      visitors_growth: 1,
      views_growth: 1,
      sessions_growth: 1,
      bounces_growth: 1,
      time_spent_growth: 1,
      cr_growth: 1,
      custom_metric_avg_growth: 0,
      custom_metric_total_growth: 0,
    });
  });

  it('compares an empty period with the world (→ −1)', async () => {
    // 11-13..11-15 (3 days) is compared with 11-10..11-12, the world.
    const { body } = await world.get('statistics/growth', {
      id: world.berlin.id,
      from: '2026-11-13',
      to: '2026-11-15',
    });
    expect(body).toEqual({
      visitors_growth: -1,
      views_growth: -1,
      sessions_growth: -1,
      bounces_growth: -1,
      time_spent_growth: -1,
      cr_growth: -1,
      custom_metric_avg_growth: 0,
      custom_metric_total_growth: 0,
    });
  });

  it('compares two days with the two days before, in the domain time zone', async () => {
    const berlin = await world.get('statistics/growth', {
      id: world.berlin.id,
      from: '2026-11-11',
      to: '2026-11-12',
    });
    // Berlin current 11-11..11-12: B, C, D, E: visitors 4, views 1+2+3+1 = 7, sessions 4,
    // bounce rate 3/4 (B, C, E), average duration (C 120 + D 270) / 2 = 195, cr 4/4.
    // Previous 11-09..11-10: A: 1, 2, 1, rate 0, duration 300, cr 1/1.
    expect(growthOf(berlin.body)).toEqual({
      visitors_growth: 3,
      views_growth: 2.5,
      sessions_growth: 3,
      bounces_growth: 1,
      time_spent_growth: -0.35,
      cr_growth: 0,
      custom_metric_avg_growth: 0,
      custom_metric_total_growth: 0,
    });
    const utc = await world.get('statistics/growth', {
      id: world.utc.id,
      from: '2026-11-11',
      to: '2026-11-12',
    });
    // UTC current: C, D, E: 3 visitors, 6 views, 3 sessions, rate 2/3, duration 195.
    // Previous: A, B (23:30 UTC on 11-10): 2, 3, 2, rate 1/2, duration 300 (B 0 excluded).
    const g = growthOf(utc.body);
    expect(g.visitors_growth).toBe(0.5);
    expect(g.views_growth).toBe(1);
    expect(g.sessions_growth).toBe(0.5);
    expect(g.bounces_growth).toBeCloseTo(1 / 3, 12);
    expect(g.time_spent_growth).toBe(-0.35);
    expect(g.cr_growth).toBe(0);
  });

  it('compares a single day with the same weekday a week before', async () => {
    // 11-17 (empty) against 11-10 (Berlin: A only: 1 visitor, 2 views, rate 0, 300 s, cr 1).
    const { body } = await world.get('statistics/growth', {
      id: world.berlin.id,
      from: '2026-11-17',
      to: '2026-11-17',
    });
    expect(growthOf(body)).toMatchObject({
      visitors_growth: -1,
      views_growth: -1,
      sessions_growth: -1,
      bounces_growth: 0,
      time_spent_growth: -1,
      cr_growth: -1,
    });
  });

  it('uses the average session duration of the sessions the filters select', async () => {
    const path = await world.get('statistics/growth', {
      id: world.berlin.id,
      from: '2026-11-11',
      to: '2026-11-12',
      path: '/pricing',
    });
    // Current: D viewed /pricing (1 visitor, 1 view, 1 session, no bounce, 270 s, cr 1/4).
    // Previous: A (1, 1, 1, no bounce, 300 s, cr 1/1). Time: (270 − 300) / 300 = −0.1.
    expect(growthOf(path.body)).toMatchObject({
      visitors_growth: 0,
      views_growth: 0,
      sessions_growth: 0,
      bounces_growth: 0,
      time_spent_growth: -0.1,
      cr_growth: -0.75,
    });
    const event = await world.get('statistics/growth', {
      id: world.berlin.id,
      from: '2026-11-11',
      to: '2026-11-12',
      event: 'Signup',
    });
    // Signup: D's session (270 s) against A's (300 s); one event each.
    expect(growthOf(event.body)).toMatchObject({
      visitors_growth: 0,
      views_growth: 0,
      time_spent_growth: -0.1,
    });
  });

  it('compares today with the same weekday last week up to the current time of day', async () => {
    const now = Date.now();
    const dayMs = 86_400_000;
    const midnight = now - (now % dayMs);
    const weekAgo = now - 7 * dayMs;
    const host = weekly.hostname;
    // A week ago (UTC domain): X between that day's midnight and the current time of day, Y
    // between the current time of day and the end of that day. Today: Z, now.
    const before = new Date(midnight - 7 * dayMs + (now - midnight) / 2).toISOString();
    const after = new Date(weekAgo + (midnight + dayMs - now) / 2).toISOString();
    const batch = await post(world.app, '/api/v1/hit/batch', weeklyKey, [
      visit(host, '9.9.8.1', '/', before),
      visit(host, '9.9.8.2', '/', after),
    ]);
    expect(batch.statusCode).toBe(200);
    const { time: _time, ...z } = visit(host, '9.9.8.3', '/', '');
    expect((await post(world.app, '/api/v1/hit', weeklyKey, z)).statusCode).toBe(200);
    const today = new Date(now).toISOString().slice(0, 10);
    const { body } = await getLab('statistics/growth', { id: weekly.id, from: today, to: today });
    // 1 visitor (Z) against 1 (X; Y came later in the day): no growth.
    expect(growthOf(body)).toMatchObject({ visitors_growth: 0, views_growth: 0 });
    // That whole day a week ago has both X and Y.
    const weekBefore = new Date(weekAgo).toISOString().slice(0, 10);
    const total = await getLab('statistics/total', {
      id: weekly.id,
      from: weekBefore,
      to: weekBefore,
    });
    expect(total.body).toMatchObject({ visitors: 2 });
  });

  it('requires from and to', async () => {
    const { status, body } = await world.get('statistics/growth', { id: world.berlin.id });
    expect(status).toBe(400);
    expect(Object.keys((body as { validation: object }).validation)).toEqual(
      expect.arrayContaining(['from', 'to']),
    );
  });
});

describe('GET /statistics/active', () => {
  /**
   * Fresh page views (no `time`: now) on the live domain: P1 (de) `/` then `/about`, P2 (us)
   * `/`, P3 (au) `/blog` with a referrer.
   */
  beforeAll(async () => {
    const host = live.hostname;
    const hit = (ip: string, path: string, user_agent: string) => ({
      url: `https://${host}${path}`,
      title: `Title ${path}`,
      ip,
      user_agent,
      accept_language: 'en',
    });
    for (const body of [
      hit('193.99.144.80', '/', FIREFOX),
      hit('193.99.144.80', '/about', FIREFOX),
      hit('8.8.8.8', '/', CHROME_MAC),
      hit('1.1.1.1', '/blog', SAFARI_IPHONE),
    ]) {
      const res = await post(world.app, '/api/v1/hit', liveKey, body);
      expect(res.statusCode).toBe(200);
    }
  });

  it('lists the pages, visitors and countries of the last minutes', async () => {
    const { status, body } = await getLab('statistics/active', { id: live.id });
    expect(status).toBe(200);
    // `/`: P1, P2; `/about`: P1; `/blog`: P3 (ties by path). 3 visitors; one per country,
    // ordered by country code.
    expect(body).toEqual({
      stats: [
        { path: '/', title: '', visitors: 2 },
        { path: '/about', title: '', visitors: 1 },
        { path: '/blog', title: '', visitors: 1 },
      ],
      visitors: 3,
      countries: [
        { visitors: 1, relative_visitors: 1 / 3, country_code: 'au' },
        { visitors: 1, relative_visitors: 1 / 3, country_code: 'de' },
        { visitors: 1, relative_visitors: 1 / 3, country_code: 'us' },
      ],
    });
  });

  it('applies limit to the pages, filters to everything, and start', async () => {
    const limited = await getLab('statistics/active', { id: live.id, limit: '1', start: '3600' });
    expect(limited.body).toMatchObject({ stats: [{ path: '/', visitors: 2 }], visitors: 3 });
    const about = await getLab('statistics/active', { id: live.id, path: '/about' });
    expect(about.body).toEqual({
      stats: [{ path: '/about', title: '', visitors: 1 }],
      visitors: 1,
      countries: [{ visitors: 1, relative_visitors: 1, country_code: 'de' }],
    });
    const us = await getLab('statistics/active', { id: live.id, country: 'us' });
    expect(us.body).toMatchObject({ stats: [{ path: '/', visitors: 1 }], visitors: 1 });
    const bad = await getLab('statistics/active', { id: live.id, start: 'soon' });
    expect(bad.status).toBe(400);
  });

  it('shows titles when the domain groups by title', async () => {
    await toggleDomainFlag(world.meta.db, live.id, 'group_by_title');
    try {
      const { body } = await getLab('statistics/active', { id: live.id });
      expect((body as { stats: Row[] }).stats).toEqual([
        { path: '/', title: 'Title /', visitors: 2 },
        { path: '/about', title: 'Title /about', visitors: 1 },
        { path: '/blog', title: 'Title /blog', visitors: 1 },
      ]);
    } finally {
      await toggleDomainFlag(world.meta.db, live.id, 'group_by_title');
    }
  });

  it('answers empty lists when nobody is active', async () => {
    const { body } = await world.get('statistics/active', { id: world.berlin.id });
    expect(body).toEqual({ stats: [], visitors: 0, countries: [] });
  });
});
