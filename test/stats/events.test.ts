/**
 * Events, event metadata, event lists, event pages and conversion goals, checked against the
 * fixture world (test/stats/world.ts). Every expected number is computed by hand from the
 * world's description; the reasoning is in the comments.
 *
 * Events of the world (UTC; path = the event URL's path):
 * - A (de, entered on `/`):        11-10 10:05 `Signup` {plan: pro} on /pricing, no duration.
 * - C (fr, entered on `/`):        11-11 09:02 `Video` (non-interactive, 30 s) on `/`; C's
 *   session stays bounced.
 * - D (au, entered on /pricing):   11-12 12:04:30 `Signup` {plan: free} on /checkout/done.
 * B and E sent no event. All visitors of the period: 5; all page views: 9.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeAccessKey,
  makeDomain,
  makeOauthClient,
  makeUser,
  tokenFor,
} from '../helpers/accounts.ts';
import { CHROME_MAC, events, FIREFOX, post } from '../helpers/ingest.ts';
import type { Domain } from '../../src/store/meta/schema.ts';
import { createStatsWorld, FROM, TO, type StatsWorld } from './world.ts';

let world: StatsWorld;
beforeAll(async () => {
  world = await createStatsWorld();
});
afterAll(() => world.close());

const period = { from: FROM, to: TO };

type Row = Record<string, unknown>;
const rows = async (path: string, query: Record<string, string>): Promise<Row[]> => {
  const { status, body } = await world.get(path, query);
  expect(status, JSON.stringify(body)).toBe(200);
  return body as Row[];
};

describe('GET /statistics/events', () => {
  it('groups by name with visitors, views, cr, average duration and metadata keys', async () => {
    const body = await rows('statistics/events', { id: world.berlin.id, ...period });
    // Signup: A and D → 2 visitors, 2 events, cr 2/5, no durations → 0, keys [plan].
    // Video: C → 1 visitor, 1 event, cr 1/5, duration 30 → 30, no keys.
    // Visitors desc (decision 26): Signup, Video.
    expect(body).toEqual([
      {
        name: 'Signup',
        visitors: 2,
        views: 2,
        cr: 2 / 5,
        average_duration_seconds: 0,
        meta_keys: ['plan'],
        meta_value: '',
        count: 2,
      },
      {
        name: 'Video',
        visitors: 1,
        views: 1,
        cr: 1 / 5,
        average_duration_seconds: 30,
        meta_keys: [],
        meta_value: '',
        count: 1,
      },
    ]);
  });

  it('is restricted to the event name of an event filter', async () => {
    const body = await rows('statistics/events', {
      id: world.berlin.id,
      ...period,
      event: 'Video',
    });
    expect(body.map((r) => [r.name, r.visitors])).toEqual([['Video', 1]]);
  });

  it('applies path, country and entry path filters', async () => {
    const names = async (query: Record<string, string>) =>
      (await rows('statistics/events', { id: world.berlin.id, ...period, ...query })).map((r) => [
        r.name,
        r.visitors,
        r.cr,
      ]);
    // Only A's Signup happened on /pricing; cr stays a share of all 5 visitors.
    expect(await names({ path: '/pricing' })).toEqual([['Signup', 1, 1 / 5]]);
    // Only C's Video happened on `/`.
    expect(await names({ path: '/' })).toEqual([['Video', 1, 1 / 5]]);
    // Germany: A and E; only A sent an event.
    expect(await names({ country: 'de' })).toEqual([['Signup', 1, 1 / 5]]);
    // Sessions entered on `/`: A, C, E → Signup (A) and Video (C); tie on visitors → name asc.
    expect(await names({ entry_path: '/' })).toEqual([
      ['Signup', 1, 1 / 5],
      ['Video', 1, 1 / 5],
    ]);
    // Entered on /pricing: D only.
    expect(await names({ entry_path: '/pricing' })).toEqual([['Signup', 1, 1 / 5]]);
    // A pattern works like a path: D's Signup on /checkout/done.
    expect(await names({ pattern: '(?i)^/CHECKOUT/' })).toEqual([['Signup', 1, 1 / 5]]);
    // Nobody entered on /blog/a with an event (B bounced without events).
    expect(await names({ entry_path: '/blog/a' })).toEqual([]);
  });

  it('applies metadata filters', async () => {
    const pro = await rows('statistics/events', {
      id: world.berlin.id,
      ...period,
      meta_plan: 'pro',
    });
    // Only A's Signup carries plan=pro.
    expect(pro).toMatchObject([{ name: 'Signup', visitors: 1, views: 1, count: 1 }]);
    expect(pro).toHaveLength(1);
    const notPro = await rows('statistics/events', {
      id: world.berlin.id,
      ...period,
      event: 'Signup',
      meta_plan: '!pro',
    });
    // Signup events whose plan is not pro: D's (free).
    expect(notPro).toMatchObject([{ name: 'Signup', visitors: 1, count: 1 }]);
  });

  it('sorts, searches and limits', async () => {
    const names = async (query: Record<string, string>) =>
      (await rows('statistics/events', { id: world.berlin.id, ...period, ...query })).map(
        (r) => r.name,
      );
    expect(await names({ sort: 'visitors', direction: 'asc' })).toEqual(['Video', 'Signup']);
    expect(await names({ sort: 'average_duration_seconds', direction: 'desc' })).toEqual([
      'Video',
      'Signup',
    ]);
    expect(await names({ sort: 'name', direction: 'desc' })).toEqual(['Video', 'Signup']);
    expect(await names({ sort: 'count', direction: 'asc' })).toEqual(['Video', 'Signup']);
    expect(await names({ sort: 'cr', direction: 'asc' })).toEqual(['Video', 'Signup']);
    expect(await names({ search: 'VID' })).toEqual(['Video']);
    expect(await names({ search: '!vid' })).toEqual(['Signup']);
    expect(await names({ limit: '1' })).toEqual(['Signup']);
    const bad = await world.get('statistics/events', {
      id: world.berlin.id,
      ...period,
      sort: 'path',
    });
    expect(bad.status).toBe(400);
  });

  it('counts events on their local day: Berlin vs UTC', async () => {
    // 11-10 in Berlin: only A's session (B's 23:30 UTC start is 00:30 on 11-11 in Berlin).
    // A's Signup → 1 visitor of 1: cr 1.
    const berlin = await rows('statistics/events', {
      id: world.berlin.id,
      from: FROM,
      to: FROM,
    });
    expect(berlin.map((r) => [r.name, r.visitors, r.cr])).toEqual([['Signup', 1, 1]]);
    // 11-10 in UTC: A and B visited; A's Signup → cr 1/2.
    const utc = await rows('statistics/events', { id: world.utc.id, from: FROM, to: FROM });
    expect(utc.map((r) => [r.name, r.visitors, r.cr])).toEqual([['Signup', 1, 1 / 2]]);
    // 11-11: Berlin has B and C (2 visitors), UTC only C (1); C's Video.
    const day = '2026-11-11';
    const berlin11 = await rows('statistics/events', { id: world.berlin.id, from: day, to: day });
    expect(berlin11.map((r) => [r.name, r.cr])).toEqual([['Video', 1 / 2]]);
    const utc11 = await rows('statistics/events', { id: world.utc.id, from: day, to: day });
    expect(utc11.map((r) => [r.name, r.cr])).toEqual([['Video', 1]]);
  });

  it('answers [] for a period without events', async () => {
    expect(
      await rows('statistics/events', {
        id: world.berlin.id,
        from: '2026-01-01',
        to: '2026-01-02',
      }),
    ).toEqual([]);
  });
});

describe('GET /statistics/event/meta', () => {
  it('breaks one event down by the values of a key', async () => {
    const body = await rows('statistics/event/meta', {
      id: world.berlin.id,
      ...period,
      event: 'Signup',
      event_meta_key: 'plan',
    });
    // plan=pro: A; plan=free: D. One visitor each → visitors desc then value asc: free, pro.
    const row = (value: string) => ({
      name: 'Signup',
      visitors: 1,
      views: 1,
      cr: 1 / 5,
      average_duration_seconds: 0,
      meta_keys: [],
      meta_value: value,
      count: 1,
    });
    expect(body).toEqual([row('free'), row('pro')]);
  });

  it('answers [] without an event or without a key', async () => {
    const queries: Record<string, string>[] = [
      { event: 'Signup' },
      { event_meta_key: 'plan' },
      {},
      // Video never carries `plan`.
      { event: 'Video', event_meta_key: 'plan' },
    ];
    for (const query of queries) {
      expect(
        await rows('statistics/event/meta', { id: world.berlin.id, ...period, ...query }),
      ).toEqual([]);
    }
  });

  it('searches the value, sorts and applies filters', async () => {
    const values = async (query: Record<string, string>) =>
      (
        await rows('statistics/event/meta', {
          id: world.berlin.id,
          ...period,
          event: 'Signup',
          event_meta_key: 'plan',
          ...query,
        })
      ).map((r) => r.meta_value);
    expect(await values({ search: 'PR' })).toEqual(['pro']);
    expect(await values({ sort: 'meta_value', direction: 'desc' })).toEqual(['pro', 'free']);
    expect(await values({ limit: '1' })).toEqual(['free']);
    // Australia: D → free.
    expect(await values({ country: 'au' })).toEqual(['free']);
    expect(await values({ meta_plan: 'pro' })).toEqual(['pro']);
  });
});

describe('GET /statistics/event/list', () => {
  it('lists events by name and metadata, count desc then name asc', async () => {
    const body = await rows('statistics/event/list', { id: world.berlin.id, ...period });
    // One event each: Signup {free} (D), Signup {pro} (A), Video {} (C). All counts 1 →
    // name asc; the two Signup rows in metadata order (free < pro).
    expect(body).toEqual([
      { name: 'Signup', meta: { plan: 'free' }, visitors: 1, count: 1 },
      { name: 'Signup', meta: { plan: 'pro' }, visitors: 1, count: 1 },
      { name: 'Video', meta: {}, visitors: 1, count: 1 },
    ]);
  });

  it('applies filters, search and limit', async () => {
    const list = async (query: Record<string, string>) =>
      (await rows('statistics/event/list', { id: world.berlin.id, ...period, ...query })).map(
        (r) => [r.name, r.meta],
      );
    expect(await list({ meta_plan: 'pro' })).toEqual([['Signup', { plan: 'pro' }]]);
    expect(await list({ path: '/checkout/done' })).toEqual([['Signup', { plan: 'free' }]]);
    expect(await list({ event: 'Video' })).toEqual([['Video', {}]]);
    expect(await list({ search: 'vid' })).toEqual([['Video', {}]]);
    expect(await list({ limit: '1' })).toEqual([['Signup', { plan: 'free' }]]);
    expect(await list({ sort: 'name', direction: 'desc' })).toEqual([
      ['Video', {}],
      ['Signup', { plan: 'free' }],
      ['Signup', { plan: 'pro' }],
    ]);
  });
});

describe('GET /statistics/event/page', () => {
  it('lists the pages an event happened on', async () => {
    const body = await rows('statistics/event/page', {
      id: world.berlin.id,
      ...period,
      event: 'Signup',
    });
    // D's Signup on /checkout/done, A's on /pricing: 1 visitor, 1 event, 1 session each; both
    // sessions are not bounced. relative_visitors 1/5, relative_views 1/9 (9 page views).
    const page = (path: string) => ({
      path,
      title: '',
      visitors: 1,
      views: 1,
      sessions: 1,
      bounces: 0,
      relative_visitors: 1 / 5,
      relative_views: 1 / 9,
      bounce_rate: 0,
      average_time_spent_seconds: 0,
    });
    expect(body).toEqual([page('/checkout/done'), page('/pricing')]);
  });

  it('counts bounces of the event sessions and event durations on request', async () => {
    const body = await rows('statistics/event/page', {
      id: world.berlin.id,
      ...period,
      event: 'Video',
      include_avg_time_on_page: 'true',
    });
    // C's non-interactive Video on `/`: C's session stays bounced → 1 bounce of 1 session;
    // duration 30 s.
    expect(body).toEqual([
      {
        path: '/',
        title: '',
        visitors: 1,
        views: 1,
        sessions: 1,
        bounces: 1,
        relative_visitors: 1 / 5,
        relative_views: 1 / 9,
        bounce_rate: 1,
        average_time_spent_seconds: 30,
      },
    ]);
  });

  it('answers [] without an event name; searches the path', async () => {
    expect(await rows('statistics/event/page', { id: world.berlin.id, ...period })).toEqual([]);
    const searched = await rows('statistics/event/page', {
      id: world.berlin.id,
      ...period,
      event: 'Signup',
      search: 'pric',
    });
    expect(searched.map((r) => r.path)).toEqual(['/pricing']);
    const sorted = await rows('statistics/event/page', {
      id: world.berlin.id,
      ...period,
      event: 'Signup',
      sort: 'path',
      direction: 'desc',
    });
    expect(sorted.map((r) => r.path)).toEqual(['/pricing', '/checkout/done']);
  });
});

describe('GET /statistics/goals', () => {
  const goals: Record<string, string> = {};
  beforeAll(async () => {
    const create = async (domain: Domain, name: string, pathPattern: string) => {
      const res = await world.app.inject({
        method: 'POST',
        url: '/api/v1/goal',
        headers: { authorization: `Bearer ${world.token}` },
        payload: { domain_id: domain.id, name, path_pattern: pathPattern, visitors: 10 },
      });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { id: string }).id;
    };
    goals.checkout = await create(world.berlin, 'Checkout', '/checkout/**');
    goals.home = await create(world.berlin, 'Home', '/');
    goals.nothing = await create(world.berlin, 'Nothing', '/nothing/*');
    // A goal of the other domain never shows up on berlin.
    await create(world.utc, 'Elsewhere', '/**');
  });

  it('computes visitors, views and cr per goal', async () => {
    const body = await rows('statistics/goals', { id: world.berlin.id, ...period });
    // Home `(?i)^/$`: A (1 view), C (2 views), E (1 view) → 3 visitors, 4 views, cr 3/5.
    // Checkout `(?i)^/checkout/.*$`: D's /checkout/done → 1 visitor, 1 view, cr 1/5.
    // Nothing: 0. Order visitors desc: Home, Checkout, Nothing.
    expect(body.map((g) => [(g.page_goal as Row).name, g.stats])).toEqual([
      ['Home', { visitors: 3, views: 4, cr: 3 / 5, custom_metric_avg: 0, custom_metric_total: 0 }],
      [
        'Checkout',
        { visitors: 1, views: 1, cr: 1 / 5, custom_metric_avg: 0, custom_metric_total: 0 },
      ],
      ['Nothing', { visitors: 0, views: 0, cr: 0, custom_metric_avg: 0, custom_metric_total: 0 }],
    ]);
    expect(body[1]!.page_goal).toMatchObject({
      id: goals.checkout,
      domain_id: world.berlin.id,
      name: 'Checkout',
      path_pattern: '/checkout/**',
      pattern: '(?i)^/checkout/.*$',
      visitor_goal: 10,
      cr_goal: null,
      delete_reached: false,
      email_reached: false,
      event_name: null,
      tags: [],
    });
    expect(body[0]!.page_goal).toMatchObject({ id: goals.home, pattern: '(?i)^/$' });
  });

  it('applies filters', async () => {
    const stats = async (query: Record<string, string>) =>
      Object.fromEntries(
        (await rows('statistics/goals', { id: world.berlin.id, ...period, ...query })).map((g) => [
          (g.page_goal as Row).name,
          [(g.stats as Row).visitors, (g.stats as Row).views, (g.stats as Row).cr],
        ]),
      );
    // Germany: A and E viewed `/` once each; cr stays a share of all 5 visitors.
    expect(await stats({ country: 'de' })).toEqual({
      Home: [2, 2, 2 / 5],
      Checkout: [0, 0, 0],
      Nothing: [0, 0, 0],
    });
    // Sessions entered on /pricing: D only.
    expect(await stats({ entry_path: '/pricing' })).toEqual({
      Home: [0, 0, 0],
      Checkout: [1, 1, 1 / 5],
      Nothing: [0, 0, 0],
    });
    // Mobile: C, two views of `/`.
    expect(await stats({ platform: 'mobile' })).toEqual({
      Home: [1, 2, 1 / 5],
      Checkout: [0, 0, 0],
      Nothing: [0, 0, 0],
    });
  });

  it('counts page views on their local day: Berlin vs UTC', async () => {
    const day = '2026-11-11';
    // Berlin 11-11: B and C visited (2); C viewed `/` twice → Home 1 visitor, 2 views, cr 1/2.
    const berlin = await rows('statistics/goals', { id: world.berlin.id, from: day, to: day });
    expect(berlin[0]).toMatchObject({
      page_goal: { name: 'Home' },
      stats: { visitors: 1, views: 2, cr: 1 / 2 },
    });
  });

  it('sorts, searches and limits', async () => {
    const names = async (query: Record<string, string>) =>
      (await rows('statistics/goals', { id: world.berlin.id, ...period, ...query })).map(
        (g) => (g.page_goal as Row).name,
      );
    expect(await names({ sort: 'name', direction: 'asc' })).toEqual([
      'Checkout',
      'Home',
      'Nothing',
    ]);
    expect(await names({ sort: 'views', direction: 'asc' })).toEqual([
      'Nothing',
      'Checkout',
      'Home',
    ]);
    expect(await names({ search: 'CHECK' })).toEqual(['Checkout']);
    expect(await names({ search: '!check' })).toEqual(['Home', 'Nothing']);
    expect(await names({ limit: '1' })).toEqual(['Home']);
  });

  it('answers 400 for an invalid pattern filter', async () => {
    const { status, body } = await world.get('statistics/goals', {
      id: world.berlin.id,
      ...period,
      pattern: '(',
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ validation: { pattern: expect.any(String) } });
  });

  it('answers [] for a domain without goals', async () => {
    const user = await makeUser(world.meta.db, 'nogoals');
    const domain = await makeDomain(world.meta.db, user);
    const token = await tokenFor(world.app, await makeOauthClient(world.meta.db, user, null));
    const res = await world.app.inject({
      method: 'GET',
      url: '/api/v1/statistics/goals',
      query: { id: domain.id, ...period },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([]);
  });

  it('answers the UTC domain with its own goal only', async () => {
    // Elsewhere `/**` matches every page view: all 5 visitors, 9 views, cr 1.
    const body = await rows('statistics/goals', { id: world.utc.id, ...period });
    expect(body.map((g) => [(g.page_goal as Row).name, (g.stats as Row).visitors])).toEqual([
      ['Elsewhere', 5],
    ]);
    expect(body[0]!.stats).toMatchObject({ views: 9, cr: 1 });
  });
});

describe('metadata key order', () => {
  let domain: Domain;
  let token: string;
  beforeAll(async () => {
    const user = await makeUser(world.meta.db, 'metaorder');
    domain = await makeDomain(world.meta.db, user, 'metaorder.example.com');
    token = await tokenFor(world.app, await makeOauthClient(world.meta.db, user, null));
    const key = await makeAccessKey(world.meta.db, user, domain);
    // Two visitors send the same metadata with the keys in a different order.
    const res = await post(world.app, '/api/v1/event/batch', key, [
      {
        url: 'https://metaorder.example.com/shop',
        ip: '193.99.144.80',
        user_agent: FIREFOX,
        time: '2026-11-11T10:00:00Z',
        event_name: 'Buy',
        event_meta: { size: 'L', color: 'red' },
      },
      {
        url: 'https://metaorder.example.com/shop',
        ip: '8.8.8.8',
        user_agent: CHROME_MAC,
        time: '2026-11-11T11:00:00Z',
        event_name: 'Buy',
        event_meta: { color: 'red', size: 'L' },
      },
    ]);
    expect(res.statusCode, res.body).toBe(200);
  });

  const get = async (path: string, query: Record<string, string>) => {
    const res = await world.app.inject({
      method: 'GET',
      url: `/api/v1/${path}`,
      query: { id: domain.id, ...period, ...query },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Row[];
  };

  it('forms one event/list row for equal metadata in any key order', async () => {
    // The two events are stored with their keys in the order sent.
    expect((await events(world.events, domain.id)).map((e) => e.meta_keys)).toEqual([
      ['size', 'color'],
      ['color', 'size'],
    ]);
    // Both Buy events carry {color: red, size: L}: one row, 2 visitors, 2 events.
    expect(await get('statistics/event/list', {})).toEqual([
      { name: 'Buy', meta: { color: 'red', size: 'L' }, visitors: 2, count: 2 },
    ]);
  });

  it('lists every key once, sorted, on /events', async () => {
    // 2 visitors of 2 sent Buy: cr 1.
    expect(await get('statistics/events', {})).toEqual([
      {
        name: 'Buy',
        visitors: 2,
        views: 2,
        cr: 1,
        average_duration_seconds: 0,
        meta_keys: ['color', 'size'],
        meta_value: '',
        count: 2,
      },
    ]);
  });

  it('breaks down by a key whatever its position', async () => {
    expect(
      await get('statistics/event/meta', { event: 'Buy', event_meta_key: 'size' }),
    ).toMatchObject([{ name: 'Buy', meta_value: 'L', visitors: 2, count: 2 }]);
  });
});
