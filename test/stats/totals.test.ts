import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStatsWorld, FROM, TO, type StatsWorld } from './world.ts';

let world: StatsWorld;
beforeAll(async () => {
  world = await createStatsWorld();
});
afterAll(() => world.close());

const period = { from: FROM, to: TO };

describe('GET /statistics/total', () => {
  it('counts the whole period (see world.ts for the hand-computed numbers)', async () => {
    const { status, body } = await world.get('statistics/total', {
      id: world.berlin.id,
      ...period,
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      visitors: 5,
      views: 9,
      sessions: 5,
      bounces: 3,
      bounce_rate: 0.6,
      cr: 1,
      custom_metric_avg: 0,
      custom_metric_total: 0,
    });
  });

  it('restricts to visitors who viewed a page with a path filter', async () => {
    const { body } = await world.get('statistics/total', {
      id: world.berlin.id,
      ...period,
      path: '/',
    });
    // A, C, E viewed `/` (C twice): 3 visitors, 3 sessions, 4 views; C and E bounced.
    expect(body).toMatchObject({
      visitors: 3,
      sessions: 3,
      views: 4,
      bounces: 2,
      bounce_rate: 2 / 3,
      cr: 3 / 5,
    });
  });

  it('counts events with an event filter (decision 21)', async () => {
    const { body } = await world.get('statistics/total', {
      id: world.berlin.id,
      ...period,
      event: 'Signup',
    });
    expect(body).toMatchObject({ visitors: 2, sessions: 2, views: 2, bounces: 0, cr: 2 / 5 });
  });

  it('applies attribute filters and negation', async () => {
    const de = await world.get('statistics/total', {
      id: world.berlin.id,
      ...period,
      country: 'de',
    });
    expect(de.body).toMatchObject({ visitors: 2, views: 3, sessions: 2, bounces: 1, cr: 2 / 5 });
    const notChrome = await world.get('statistics/total', {
      id: world.berlin.id,
      ...period,
      browser: '!Chrome',
    });
    expect(notChrome.body).toMatchObject({ visitors: 2, views: 4, sessions: 2, bounces: 1 });
    const mobile = await world.get('statistics/total', {
      id: world.berlin.id,
      ...period,
      platform: 'mobile',
    });
    expect(mobile.body).toMatchObject({ visitors: 1, views: 2, bounces: 1 });
  });

  it('answers zeros for an empty period', async () => {
    const { body } = await world.get('statistics/total', {
      id: world.berlin.id,
      from: '2026-01-01',
      to: '2026-01-02',
    });
    expect(body).toMatchObject({
      visitors: 0,
      views: 0,
      sessions: 0,
      bounces: 0,
      bounce_rate: 0,
      cr: 0,
    });
  });
});

describe('GET /statistics/visitor', () => {
  it('buckets by local day in the domain time zone, gap-free', async () => {
    const { body } = await world.get('statistics/visitor', {
      id: world.berlin.id,
      from: '2026-11-09',
      to: TO,
    });
    expect(body).toEqual([
      {
        day: '2026-11-09T00:00:00Z',
        week: null,
        month: null,
        year: null,
        visitors: 0,
        views: 0,
        sessions: 0,
        bounces: 0,
        bounce_rate: 0,
        cr: 0,
        custom_metric_avg: 0,
        custom_metric_total: 0,
      },
      {
        day: '2026-11-10T00:00:00Z',
        week: null,
        month: null,
        year: null,
        visitors: 1,
        views: 2,
        sessions: 1,
        bounces: 0,
        bounce_rate: 0,
        cr: 1 / 5,
        custom_metric_avg: 0,
        custom_metric_total: 0,
      },
      {
        day: '2026-11-11T00:00:00Z',
        week: null,
        month: null,
        year: null,
        visitors: 2,
        views: 3,
        sessions: 2,
        bounces: 2,
        bounce_rate: 1,
        cr: 2 / 5,
        custom_metric_avg: 0,
        custom_metric_total: 0,
      },
      {
        day: '2026-11-12T00:00:00Z',
        week: null,
        month: null,
        year: null,
        visitors: 2,
        views: 4,
        sessions: 2,
        bounces: 1,
        bounce_rate: 0.5,
        cr: 2 / 5,
        custom_metric_avg: 0,
        custom_metric_total: 0,
      },
    ]);
  });

  it('puts the 23:30 UTC visit on its UTC day for a UTC domain', async () => {
    const { body } = await world.get('statistics/visitor', { id: world.utc.id, ...period });
    expect(
      (body as { visitors: number; views: number }[]).map((r) => [r.visitors, r.views]),
    ).toEqual([
      [2, 3],
      [1, 2],
      [2, 4],
    ]);
  });

  it('groups by week (Monday) and month', async () => {
    const week = await world.get('statistics/visitor', {
      id: world.berlin.id,
      ...period,
      scale: 'week',
    });
    expect(week.body).toMatchObject([
      { day: null, week: '2026-11-09T00:00:00Z', visitors: 5, views: 9, sessions: 5 },
    ]);
    const month = await world.get('statistics/visitor', {
      id: world.berlin.id,
      ...period,
      scale: 'month',
    });
    expect(month.body).toMatchObject([{ month: '2026-11-01T00:00:00Z', week: null, visitors: 5 }]);
    const year = await world.get('statistics/visitor', {
      id: world.berlin.id,
      ...period,
      scale: 'year',
    });
    expect(year.body).toMatchObject([{ year: '2026-01-01T00:00:00Z', visitors: 5 }]);
  });
});

describe('filter validation', () => {
  it('answers 400 with the field for bad parameters', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ from: 'yesterday', to: TO }, 'from'],
      [{ from: FROM }, 'to'],
      [{ from: FROM, to: '2026-02-30' }, 'to'],
      [{ ...period, scale: 'hour' }, 'scale'],
      [{ ...period, limit: '-1' }, 'limit'],
      [{ ...period, sort: 'visitors' }, 'sort'],
      [{ ...period, direction: 'up' }, 'direction'],
      [{ ...period, start: 'soon' }, 'start'],
    ];
    for (const [query, field] of cases) {
      const { status, body } = await world.get('statistics/total', {
        id: world.berlin.id,
        ...query,
      });
      expect(status, JSON.stringify(query)).toBe(400);
      expect(Object.keys((body as { validation: object }).validation)).toContain(field);
    }
    const noId = await world.get('statistics/total', period);
    expect(noId.status).toBe(400);
  });

  it('answers 400 for an invalid regular expression', async () => {
    const { status, body } = await world.get('statistics/total', {
      id: world.berlin.id,
      ...period,
      pattern: '(',
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ validation: { pattern: expect.any(String) } });
  });

  it('accepts ISO timestamps and swaps from > to', async () => {
    const iso = await world.get('statistics/total', {
      id: world.berlin.id,
      from: '2026-11-09T23:00:00.000Z',
      to: '2026-11-12T10:00:00.000Z',
    });
    expect(iso.body).toMatchObject({ visitors: 5 });
    const swapped = await world.get('statistics/total', {
      id: world.berlin.id,
      from: TO,
      to: FROM,
    });
    expect(swapped.body).toMatchObject({ visitors: 5 });
  });
});
