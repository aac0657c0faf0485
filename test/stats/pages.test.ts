/**
 * Pages, entry pages and exit pages. Expected numbers are computed by hand from the world's
 * description (test/stats/world.ts) — the reasoning is written next to each expectation.
 *
 * World recap (Berlin domain, 2026-11-10 … 11-12, all 5 sessions and 9 page views inside):
 * - A: `/` → +2 `/pricing` (+5 event Signup on /pricing). Entry `/`, exit `/pricing`, not bounced.
 * - B: `/blog/a` (23:30 UTC 11-10 = 00:30 Berlin 11-11). Entry = exit `/blog/a`, bounced.
 * - C: `/` → +1 `/` (reload), +2 non-interactive Video (30 s) on `/`. Entry = exit `/`, bounced.
 * - D: `/pricing` → +3 `/blog/a` → +4 `/checkout/done` (+4.5 Signup there). Entry `/pricing`,
 *   exit `/checkout/done`, not bounced.
 * - E: `/`. Entry = exit `/`, bounced.
 * Time on page (next page view − this one): A `/` 120 s; C first `/` 60 s; D `/pricing` 180 s,
 * `/blog/a` 60 s; every last page has none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAccessKey, makeOauthClient, makeUser, tokenFor } from '../helpers/accounts.ts';
import { CHROME_MAC, FIREFOX, post, SAFARI_IPHONE } from '../helpers/ingest.ts';
import { createDomain } from '../../src/manage/domains.ts';
import type { Domain } from '../../src/store/meta/schema.ts';
import { createStatsWorld, FROM, TO, type StatsWorld } from './world.ts';

let world: StatsWorld;
/** A third domain (UTC) with two titles for one path; see `titleTraffic`. */
let titled: Domain;
let titledToken: string;

/**
 * Traffic of the third domain (UTC), all on 2026-11-10 unless noted:
 * - V1: `/` "Home" 10:00 → `/docs` "Docs" 10:01. Time on `/` (Home) 60 s.
 * - V2: `/` "Welcome" 11:00 → `/docs` "Docs" 11:03. Time on `/` (Welcome) 180 s.
 * - V3: `/` "Home" 12:00. Bounced.
 * - V4: `/late` "Late" 23:59 → `/docs` "Docs" 00:01 on 11-11 (the session continues past
 *   midnight). Time on `/late` 120 s, measured past the window's end.
 */
function titleTraffic(host: string) {
  const visitor = (ip: string, user_agent: string) => ({
    ip,
    user_agent,
    accept_language: 'en',
    screen_width: 1920,
    screen_height: 1080,
  });
  const V1 = visitor('9.9.9.9', FIREFOX);
  const V2 = visitor('149.112.112.112', CHROME_MAC);
  const V3 = visitor('208.67.222.222', SAFARI_IPHONE);
  const V4 = visitor('94.140.14.14', FIREFOX);
  const hit = (v: object, path: string, title: string, time: string) => ({
    url: `https://${host}${path}`,
    title,
    ...v,
    time,
  });
  return [
    hit(V1, '/', 'Home', '2026-11-10T10:00:00Z'),
    hit(V1, '/docs', 'Docs', '2026-11-10T10:01:00Z'),
    hit(V2, '/', 'Welcome', '2026-11-10T11:00:00Z'),
    hit(V2, '/docs', 'Docs', '2026-11-10T11:03:00Z'),
    hit(V3, '/', 'Home', '2026-11-10T12:00:00Z'),
    hit(V4, '/late', 'Late', '2026-11-10T23:59:00Z'),
    hit(V4, '/docs', 'Docs', '2026-11-11T00:01:00Z'),
  ];
}

beforeAll(async () => {
  world = await createStatsWorld();
  const user = await makeUser(world.meta.db, 'titles');
  titled = await createDomain(world.meta.db, { userId: user.id, hostname: 'titles.example.com' });
  const key = await makeAccessKey(world.meta.db, user, titled);
  const res = await post(world.app, '/api/v1/hit/batch', key, titleTraffic(titled.hostname));
  if (res.statusCode !== 200) throw new Error(`hit/batch: ${res.statusCode} ${res.body}`);
  titledToken = await tokenFor(world.app, await makeOauthClient(world.meta.db, user, null));
});
afterAll(() => world.close());

const period = { from: FROM, to: TO };

/** GET a statistic of the third domain with its owner's token. */
async function getTitled(path: string, query: Record<string, string>) {
  const res = await world.app.inject({
    method: 'GET',
    url: `/api/v1/${path}`,
    query: { id: titled.id, ...query },
    headers: { authorization: `Bearer ${titledToken}` },
  });
  return { status: res.statusCode, body: res.json() as unknown };
}

type Row = Record<string, unknown>;
const pick = (rows: unknown, ...fields: string[]) =>
  (rows as Row[]).map((r) => fields.map((f) => r[f]));

describe('GET /statistics/page', () => {
  it('lists every page with all fields, visitors desc then path asc', async () => {
    const { status, body } = await world.get('statistics/page', { id: world.berlin.id, ...period });
    expect(status).toBe(200);
    // 5 visitors and 9 page views in the period (relative_* bases).
    // `/`: A, C, E → 3 visitors, 3 sessions, 4 views (C reloads); C and E bounced.
    // `/blog/a`: B, D → 2/2/2; B bounced. `/pricing`: A, D → 2/2/2, none bounced.
    // `/checkout/done`: D → 1/1/1, not bounced. Titles are "" (no title grouping).
    expect(body).toEqual([
      {
        path: '/',
        title: '',
        visitors: 3,
        sessions: 3,
        views: 4,
        bounces: 2,
        bounce_rate: 2 / 3,
        relative_visitors: 3 / 5,
        relative_views: 4 / 9,
        average_time_spent_seconds: 0,
      },
      {
        path: '/blog/a',
        title: '',
        visitors: 2,
        sessions: 2,
        views: 2,
        bounces: 1,
        bounce_rate: 1 / 2,
        relative_visitors: 2 / 5,
        relative_views: 2 / 9,
        average_time_spent_seconds: 0,
      },
      {
        path: '/pricing',
        title: '',
        visitors: 2,
        sessions: 2,
        views: 2,
        bounces: 0,
        bounce_rate: 0,
        relative_visitors: 2 / 5,
        relative_views: 2 / 9,
        average_time_spent_seconds: 0,
      },
      {
        path: '/checkout/done',
        title: '',
        visitors: 1,
        sessions: 1,
        views: 1,
        bounces: 0,
        bounce_rate: 0,
        relative_visitors: 1 / 5,
        relative_views: 1 / 9,
        average_time_spent_seconds: 0,
      },
    ]);
  });

  it('fills the average time on page with include_avg_time_on_page', async () => {
    const { body } = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      include_avg_time_on_page: 'true',
    });
    // `/`: A 120 s, C's first view 60 s (C's reload and E are last pages) → 90.
    // `/blog/a`: D 60 s (B is a last page) → 60. `/pricing`: D 180 s (A's is last) → 180.
    // `/checkout/done`: D's last page → 0.
    expect(pick(body, 'path', 'average_time_spent_seconds')).toEqual([
      ['/', 90],
      ['/blog/a', 60],
      ['/pricing', 180],
      ['/checkout/done', 0],
    ]);
  });

  it('restricts to the path, in sessions that entered as given (SEMANTICS §8.4)', async () => {
    // Only A started on `/` and viewed `/pricing`.
    const { body } = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      path: '/pricing',
      entry_path: '/',
      include_avg_time_on_page: 'true',
    });
    expect(body).toEqual([
      {
        path: '/pricing',
        title: '',
        visitors: 1,
        sessions: 1,
        views: 1,
        bounces: 0,
        bounce_rate: 0,
        relative_visitors: 1 / 5,
        relative_views: 1 / 9,
        // A's `/pricing` is its last page.
        average_time_spent_seconds: 0,
      },
    ]);
  });

  it('lists all pages of the matching sessions with an entry or exit path filter', async () => {
    // Entered on `/pricing`: D only → its three pages, one visitor each, path asc.
    const entry = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      entry_path: '/pricing',
      include_avg_time_on_page: 'true',
    });
    expect(pick(entry.body, 'path', 'visitors', 'views', 'average_time_spent_seconds')).toEqual([
      ['/blog/a', 1, 1, 60],
      ['/checkout/done', 1, 1, 0],
      ['/pricing', 1, 1, 180],
    ]);
    // Exited on `/`: C and E → `/` with 2 visitors, 3 views, both bounced; only C's first view
    // has a time (60 s).
    const exit = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      exit_path: '/',
      include_avg_time_on_page: 'true',
    });
    expect(exit.body).toMatchObject([
      {
        path: '/',
        visitors: 2,
        views: 3,
        sessions: 2,
        bounces: 2,
        bounce_rate: 1,
        relative_visitors: 2 / 5,
        average_time_spent_seconds: 60,
      },
    ]);
  });

  it('applies patterns and attribute filters; relative values stay shares of everything', async () => {
    const pattern = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      // Goal-style pattern (a leading `^` would be the B.3 "does not contain" prefix).
      pattern: '(?i)^/(blog|checkout)/',
    });
    expect(pick(pattern.body, 'path', 'visitors')).toEqual([
      ['/blog/a', 2],
      ['/checkout/done', 1],
    ]);
    // Germany: A (`/`, `/pricing`) and E (`/`, bounced).
    const de = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      country: 'de',
    });
    expect(pick(de.body, 'path', 'visitors', 'views', 'bounces', 'relative_visitors')).toEqual([
      ['/', 2, 2, 1, 2 / 5],
      ['/pricing', 1, 1, 0, 1 / 5],
    ]);
  });

  it('groups the events of an event filter by their path (decision 21)', async () => {
    // Signup: A on `/pricing`, D on `/checkout/done`; one event each, neither bounced, no
    // durations → average 0 even with the switch.
    const signup = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      event: 'Signup',
      include_avg_time_on_page: 'true',
    });
    expect(signup.body).toEqual([
      {
        path: '/checkout/done',
        title: '',
        visitors: 1,
        sessions: 1,
        views: 1,
        bounces: 0,
        bounce_rate: 0,
        relative_visitors: 1 / 5,
        relative_views: 1 / 9,
        average_time_spent_seconds: 0,
      },
      {
        path: '/pricing',
        title: '',
        visitors: 1,
        sessions: 1,
        views: 1,
        bounces: 0,
        bounce_rate: 0,
        relative_visitors: 1 / 5,
        relative_views: 1 / 9,
        average_time_spent_seconds: 0,
      },
    ]);
    // Video: C on `/`, 30 s, non-interactive → C's session is still a bounce.
    const video = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      event: 'Video',
      include_avg_time_on_page: 'true',
    });
    expect(video.body).toMatchObject([
      { path: '/', visitors: 1, views: 1, bounces: 1, average_time_spent_seconds: 30 },
    ]);
    // Metadata: only D's Signup carries plan=free.
    const free = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      event: 'Signup',
      meta_plan: 'free',
    });
    expect(pick(free.body, 'path', 'visitors')).toEqual([['/checkout/done', 1]]);
  });

  it('sorts, searches and limits', async () => {
    // Views: `/` 4, `/blog/a` 2, `/pricing` 2, `/checkout/done` 1; ties by the default order.
    const byViews = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      sort: 'views',
      direction: 'asc',
    });
    expect(pick(byViews.body, 'path')).toEqual([
      ['/checkout/done'],
      ['/blog/a'],
      ['/pricing'],
      ['/'],
    ]);
    const byPath = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      sort: 'path',
      direction: 'desc',
    });
    expect(pick(byPath.body, 'path')).toEqual([
      ['/pricing'],
      ['/checkout/done'],
      ['/blog/a'],
      ['/'],
    ]);
    // Time on page: `/pricing` 180, `/` 90, `/blog/a` 60, `/checkout/done` 0.
    const byTime = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      sort: 'average_time_spent_seconds',
      include_avg_time_on_page: 'true',
    });
    expect(pick(byTime.body, 'path')).toEqual([
      ['/pricing'],
      ['/'],
      ['/blog/a'],
      ['/checkout/done'],
    ]);
    const search = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      search: 'BLOG',
    });
    expect(pick(search.body, 'path')).toEqual([['/blog/a']]);
    const notSearch = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      search: '!blog',
    });
    expect(pick(notSearch.body, 'path')).toEqual([['/'], ['/pricing'], ['/checkout/done']]);
    const limited = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      limit: '2',
    });
    expect(pick(limited.body, 'path')).toEqual([['/'], ['/blog/a']]);
    const bad = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      sort: 'entries',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ validation: { sort: expect.any(String) } });
  });

  it('counts local days of the domain time zone', async () => {
    // Berlin 11-10: only A (B's 23:30 UTC is 00:30 on 11-11 in Berlin): 1 visitor, 2 views.
    const berlin = await world.get('statistics/page', {
      id: world.berlin.id,
      from: FROM,
      to: FROM,
    });
    expect(pick(berlin.body, 'path', 'visitors', 'relative_visitors', 'relative_views')).toEqual([
      ['/', 1, 1, 1 / 2],
      ['/pricing', 1, 1, 1 / 2],
    ]);
    // UTC 11-10: A and B, 3 page views.
    const utc = await world.get('statistics/page', { id: world.utc.id, from: FROM, to: FROM });
    expect(pick(utc.body, 'path', 'visitors', 'relative_visitors', 'relative_views')).toEqual([
      ['/', 1, 1 / 2, 1 / 3],
      ['/blog/a', 1, 1 / 2, 1 / 3],
      ['/pricing', 1, 1 / 2, 1 / 3],
    ]);
  });

  it('answers [] when nothing matches, 400 for a bad pattern', async () => {
    const empty = await world.get('statistics/page', {
      id: world.berlin.id,
      from: '2026-01-01',
      to: '2026-01-02',
      include_avg_time_on_page: 'true',
    });
    expect(empty).toEqual({ status: 200, body: [] });
    const noPath = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      path: '/nowhere',
    });
    expect(noPath.body).toEqual([]);
    const bad = await world.get('statistics/page', {
      id: world.berlin.id,
      ...period,
      pattern: '(',
    });
    expect(bad.status).toBe(400);
  });
});

describe('GET /statistics/page/entry', () => {
  it('counts sessions by entry page, entries desc then path asc', async () => {
    const { status, body } = await world.get('statistics/page/entry', {
      id: world.berlin.id,
      ...period,
    });
    expect(status).toBe(200);
    // Entries: `/` A, C, E → 3; `/blog/a` B → 1; `/pricing` D → 1 (of 5 sessions).
    // Visitors/sessions that viewed the page: `/` 3/3, `/blog/a` 2/2 (B, D), `/pricing` 2/2 (A, D).
    expect(body).toEqual([
      {
        path: '/',
        title: '',
        visitors: 3,
        sessions: 3,
        entries: 3,
        entry_rate: 3 / 5,
        average_time_spent_seconds: 0,
      },
      {
        path: '/blog/a',
        title: '',
        visitors: 2,
        sessions: 2,
        entries: 1,
        entry_rate: 1 / 5,
        average_time_spent_seconds: 0,
      },
      {
        path: '/pricing',
        title: '',
        visitors: 2,
        sessions: 2,
        entries: 1,
        entry_rate: 1 / 5,
        average_time_spent_seconds: 0,
      },
    ]);
  });

  it('averages the time on page of the entry views only (decision 17)', async () => {
    const { body } = await world.get('statistics/page/entry', {
      id: world.berlin.id,
      ...period,
      include_avg_time_on_page: 'true',
    });
    // `/`: A 120, C 60 (its first view), E none → 90. `/blog/a`: B's only page → 0 (D's
    // `/blog/a` view is not an entry view). `/pricing`: D 180 (A's `/pricing` is no entry).
    expect(pick(body, 'path', 'average_time_spent_seconds')).toEqual([
      ['/', 90],
      ['/blog/a', 0],
      ['/pricing', 180],
    ]);
  });

  it('lists the entry pages of the sessions that viewed the path (SEMANTICS §8.4)', async () => {
    // Viewed `/blog/a`: B (entered there) and D (entered on `/pricing`). The per-path visitors
    // and sessions ignore the path filter; the rate divides by all 5 sessions.
    const { body } = await world.get('statistics/page/entry', {
      id: world.berlin.id,
      ...period,
      path: '/blog/a',
      include_avg_time_on_page: 'true',
    });
    expect(body).toEqual([
      {
        path: '/blog/a',
        title: '',
        visitors: 2,
        sessions: 2,
        entries: 1,
        entry_rate: 1 / 5,
        average_time_spent_seconds: 0,
      },
      {
        path: '/pricing',
        title: '',
        visitors: 2,
        sessions: 2,
        entries: 1,
        entry_rate: 1 / 5,
        average_time_spent_seconds: 180,
      },
    ]);
    // Pattern: sessions that viewed a `/checkout/…` page: D only.
    const pattern = await world.get('statistics/page/entry', {
      id: world.berlin.id,
      ...period,
      pattern: '(?i)^/checkout/',
    });
    expect(pick(pattern.body, 'path', 'entries')).toEqual([['/pricing', 1]]);
  });

  it('applies entry/exit and attribute filters to the sessions only', async () => {
    // Exited on `/`: C and E, both entered on `/`; visitors of `/` stay 3.
    const exit = await world.get('statistics/page/entry', {
      id: world.berlin.id,
      ...period,
      exit_path: '/',
    });
    expect(pick(exit.body, 'path', 'entries', 'visitors', 'entry_rate')).toEqual([
      ['/', 2, 3, 2 / 5],
    ]);
    // Germany: A and E entered on `/`; the visitors of `/` from Germany are A and E.
    const de = await world.get('statistics/page/entry', {
      id: world.berlin.id,
      ...period,
      country: 'de',
    });
    expect(pick(de.body, 'path', 'entries', 'visitors', 'sessions', 'entry_rate')).toEqual([
      ['/', 2, 2, 2, 2 / 5],
    ]);
  });

  it('counts the sessions with a matching event under an event filter', async () => {
    // Signup: A (entered on `/`) and D (entered on `/pricing`). Per path, visitors who viewed
    // it in a session with a Signup: `/` A → 1; `/pricing` A, D → 2.
    const { body } = await world.get('statistics/page/entry', {
      id: world.berlin.id,
      ...period,
      event: 'Signup',
    });
    expect(pick(body, 'path', 'entries', 'visitors', 'sessions', 'entry_rate')).toEqual([
      ['/', 1, 1, 1, 1 / 5],
      ['/pricing', 1, 2, 2, 1 / 5],
    ]);
  });

  it('counts sessions on the local day they started', async () => {
    // Berlin 11-11: B (00:30 local, `/blog/a`) and C (`/`): 2 sessions that day.
    const { body } = await world.get('statistics/page/entry', {
      id: world.berlin.id,
      from: '2026-11-11',
      to: '2026-11-11',
    });
    expect(pick(body, 'path', 'entries', 'visitors', 'entry_rate')).toEqual([
      ['/', 1, 1, 1 / 2],
      ['/blog/a', 1, 1, 1 / 2],
    ]);
    // UTC 11-11: C only.
    const utc = await world.get('statistics/page/entry', {
      id: world.utc.id,
      from: '2026-11-11',
      to: '2026-11-11',
    });
    expect(pick(utc.body, 'path', 'entries', 'entry_rate')).toEqual([['/', 1, 1]]);
  });

  it('sorts, searches and limits', async () => {
    // Visitors asc: `/blog/a` 2 and `/pricing` 2 (ties: entries desc, path asc), then `/` 3.
    const byVisitors = await world.get('statistics/page/entry', {
      id: world.berlin.id,
      ...period,
      sort: 'visitors',
      direction: 'asc',
    });
    expect(pick(byVisitors.body, 'path')).toEqual([['/blog/a'], ['/pricing'], ['/']]);
    const search = await world.get('statistics/page/entry', {
      id: world.berlin.id,
      ...period,
      search: 'pric',
    });
    expect(pick(search.body, 'path', 'entries')).toEqual([['/pricing', 1]]);
    const limited = await world.get('statistics/page/entry', {
      id: world.berlin.id,
      ...period,
      limit: '1',
    });
    expect(pick(limited.body, 'path')).toEqual([['/']]);
    const bad = await world.get('statistics/page/entry', {
      id: world.berlin.id,
      ...period,
      sort: 'exits',
    });
    expect(bad.status).toBe(400);
  });

  it('answers [] for an empty period', async () => {
    const { body } = await world.get('statistics/page/entry', {
      id: world.berlin.id,
      from: '2026-01-01',
      to: '2026-01-01',
      include_avg_time_on_page: 'true',
    });
    expect(body).toEqual([]);
  });
});

describe('GET /statistics/page/exit', () => {
  it('counts sessions by exit page, exits desc then path asc', async () => {
    const { status, body } = await world.get('statistics/page/exit', {
      id: world.berlin.id,
      ...period,
    });
    expect(status).toBe(200);
    // Exits: `/` C, E → 2; `/blog/a` B, `/checkout/done` D, `/pricing` A → 1 each (of 5).
    // Visitors that viewed the page: `/` 3, `/blog/a` 2, `/checkout/done` 1, `/pricing` 2.
    expect(body).toEqual([
      { path: '/', title: '', visitors: 3, sessions: 3, exits: 2, exit_rate: 2 / 5 },
      { path: '/blog/a', title: '', visitors: 2, sessions: 2, exits: 1, exit_rate: 1 / 5 },
      { path: '/checkout/done', title: '', visitors: 1, sessions: 1, exits: 1, exit_rate: 1 / 5 },
      { path: '/pricing', title: '', visitors: 2, sessions: 2, exits: 1, exit_rate: 1 / 5 },
    ]);
  });

  it('lists the exit pages of the sessions that viewed the path, or entered as given', async () => {
    // Viewed `/pricing`: A (exit `/pricing`) and D (exit `/checkout/done`).
    const viewed = await world.get('statistics/page/exit', {
      id: world.berlin.id,
      ...period,
      path: '/pricing',
    });
    expect(pick(viewed.body, 'path', 'exits', 'visitors')).toEqual([
      ['/checkout/done', 1, 1],
      ['/pricing', 1, 2],
    ]);
    // Entered on `/`: A (exit `/pricing`), C and E (exit `/`).
    const entered = await world.get('statistics/page/exit', {
      id: world.berlin.id,
      ...period,
      entry_path: '/',
    });
    expect(pick(entered.body, 'path', 'exits', 'visitors', 'exit_rate')).toEqual([
      ['/', 2, 3, 2 / 5],
      ['/pricing', 1, 2, 1 / 5],
    ]);
  });

  it('sorts and searches', async () => {
    const search = await world.get('statistics/page/exit', {
      id: world.berlin.id,
      ...period,
      search: 'check',
    });
    expect(pick(search.body, 'path', 'exits')).toEqual([['/checkout/done', 1]]);
    // Exit rate asc: the three 1/5 rows (ties: exits desc, path asc), then `/`.
    const byRate = await world.get('statistics/page/exit', {
      id: world.berlin.id,
      ...period,
      sort: 'exit_rate',
      direction: 'asc',
    });
    expect(pick(byRate.body, 'path')).toEqual([
      ['/blog/a'],
      ['/checkout/done'],
      ['/pricing'],
      ['/'],
    ]);
    const bad = await world.get('statistics/page/exit', {
      id: world.berlin.id,
      ...period,
      sort: 'average_time_spent_seconds',
    });
    expect(bad.status).toBe(400);
  });

  it('answers [] for an empty period', async () => {
    const { body } = await world.get('statistics/page/exit', {
      id: world.berlin.id,
      from: '2026-01-01',
      to: '2026-01-01',
    });
    expect(body).toEqual([]);
  });
});

describe('the last N seconds (start)', () => {
  it('answers [] for every list when nothing happened lately', async () => {
    for (const path of ['statistics/page', 'statistics/page/entry', 'statistics/page/exit']) {
      const { status, body } = await world.get(path, {
        id: world.berlin.id,
        start: '600',
        include_avg_time_on_page: 'true',
      });
      expect([path, status, body]).toEqual([path, 200, []]);
    }
  });
});

describe('grouping by title (third domain)', () => {
  const day = { from: '2026-11-10', to: '2026-11-10' };

  it('answers one row per path with an empty title while the domain does not group', async () => {
    const { body } = await getTitled('statistics/page', {
      ...day,
      include_avg_time_on_page: 'true',
    });
    // 11-10: `/` V1, V2, V3 (times 60, 180) → 120; `/docs` V1, V2 (last pages; V4's `/docs` is
    // on 11-11) → 0; `/late` V4 → 120 s, its next page view lies after the window.
    expect(pick(body, 'path', 'title', 'visitors', 'average_time_spent_seconds')).toEqual([
      ['/', '', 3, 120],
      ['/docs', '', 2, 0],
      ['/late', '', 1, 120],
    ]);
  });

  it('groups pages, entry and exit pages by title once the domain groups by title', async () => {
    const toggle = await world.app.inject({
      method: 'POST',
      url: '/api/v1/domain/title',
      headers: { authorization: `Bearer ${titledToken}` },
      payload: { domain_id: titled.id },
    });
    expect(toggle.statusCode).toBe(200);

    // Pages of 11-10 by (path, title): (`/`, Home) V1, V3 — 2 views, V3 bounced, time 60 (V1);
    // (`/docs`, Docs) V1, V2 — time 0; (`/`, Welcome) V2 — time 180; (`/late`, Late) V4 — 120.
    // Order: visitors desc, path asc, title asc. 4 visitors and 6 page views that day.
    const pagesRes = await getTitled('statistics/page', {
      ...day,
      include_avg_time_on_page: 'true',
    });
    expect(
      pick(
        pagesRes.body,
        'path',
        'title',
        'visitors',
        'views',
        'bounces',
        'relative_visitors',
        'relative_views',
        'average_time_spent_seconds',
      ),
    ).toEqual([
      ['/', 'Home', 2, 2, 1, 2 / 4, 2 / 6, 60],
      ['/docs', 'Docs', 2, 2, 0, 2 / 4, 2 / 6, 0],
      ['/', 'Welcome', 1, 1, 0, 1 / 4, 1 / 6, 180],
      ['/late', 'Late', 1, 1, 0, 1 / 4, 1 / 6, 120],
    ]);

    // Entry pages of 11-10 (4 sessions): (`/`, Home) V1, V3 — entry time 60 (V3 has none);
    // (`/`, Welcome) V2 — 180; (`/late`, Late) V4 — 120. Visitors/sessions per path, all titles:
    // `/` 3, `/late` 1.
    const entry = await getTitled('statistics/page/entry', {
      ...day,
      include_avg_time_on_page: 'true',
    });
    expect(entry.body).toEqual([
      {
        path: '/',
        title: 'Home',
        visitors: 3,
        sessions: 3,
        entries: 2,
        entry_rate: 2 / 4,
        average_time_spent_seconds: 60,
      },
      {
        path: '/',
        title: 'Welcome',
        visitors: 3,
        sessions: 3,
        entries: 1,
        entry_rate: 1 / 4,
        average_time_spent_seconds: 180,
      },
      {
        path: '/late',
        title: 'Late',
        visitors: 1,
        sessions: 1,
        entries: 1,
        entry_rate: 1 / 4,
        average_time_spent_seconds: 120,
      },
    ]);

    // Exit pages of 11-10 and 11-11 (the 4 sessions; V4 left from `/docs` after midnight):
    // (`/docs`, Docs) V1, V2, V4 → 3; (`/`, Home) V3 → 1. `/docs` was viewed by 3 visitors.
    const exit = await getTitled('statistics/page/exit', {
      from: '2026-11-10',
      to: '2026-11-11',
    });
    expect(exit.body).toEqual([
      { path: '/docs', title: 'Docs', visitors: 3, sessions: 3, exits: 3, exit_rate: 3 / 4 },
      { path: '/', title: 'Home', visitors: 3, sessions: 3, exits: 1, exit_rate: 1 / 4 },
    ]);

    // Sorting by title (asc): Docs, Home, Late, Welcome.
    const byTitle = await getTitled('statistics/page', { ...day, sort: 'title', direction: 'asc' });
    expect(pick(byTitle.body, 'title')).toEqual([['Docs'], ['Home'], ['Late'], ['Welcome']]);
  });
});
