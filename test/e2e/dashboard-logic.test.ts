import { describe, expect, it } from 'vitest';
import {
  encodeValue,
  parseValue,
  pathPatternToRegex,
  withFilter,
  withoutFilter,
} from '../../web/src/filters.ts';
import { compareRates, rankContributions, wilson } from '../../web/src/insights.ts';
import {
  allowedScales,
  comparePeriod,
  drillDown,
  resolvePeriod,
  resolveScale,
} from '../../web/src/period.ts';

// The dashboard's pure logic (periods, filters, explanations, rate comparisons), without a
// browser: the end-to-end test covers the screens, this one the edge cases.

// 2026-11-30 23:30 UTC is already 1 December in Berlin.
const NOW = Date.parse('2026-11-30T23:30:00Z');
const period = (query: string, tz = 'Europe/Berlin') =>
  resolvePeriod(new URLSearchParams(query), tz, NOW, '2026-01-15', 600);

describe('periods', () => {
  it('resolves presets as whole days in the time zone', () => {
    expect(period('interval=today')).toMatchObject({ from: '2026-12-01', to: '2026-12-01' });
    expect(period('interval=today', 'UTC')).toMatchObject({ from: '2026-11-30', to: '2026-11-30' });
    expect(period('')).toMatchObject({ from: '2026-11-25', to: '2026-12-01', days: 7 });
    expect(period('interval=yesterday')).toMatchObject({ from: '2026-11-30', to: '2026-11-30' });
    expect(period('interval=30d')).toMatchObject({ from: '2026-11-02', to: '2026-12-01' });
    expect(period('interval=month')).toMatchObject({ from: '2026-12-01', to: '2026-12-01' });
    expect(period('interval=last_month')).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
    expect(period('interval=year')).toMatchObject({ from: '2026-01-01', to: '2026-12-01' });
    expect(period('interval=all')).toMatchObject({ from: '2026-01-15', to: '2026-12-01' });
    expect(period('interval=live')).toMatchObject({ start: 600, days: 1 });
    expect(period('interval=hour')).toMatchObject({ start: 3600 });
    expect(period('interval=bogus')).toMatchObject({ interval: '7d' });
  });

  it('lets a custom range win, swapped when reversed, and ignores bad dates', () => {
    expect(period('interval=today&from=2026-11-12&to=2026-11-10')).toMatchObject({
      from: '2026-11-10',
      to: '2026-11-12',
      interval: 'custom',
      days: 3,
    });
    expect(period('from=2026-11-10')).toMatchObject({ from: '2026-11-10', to: '2026-11-10' });
    expect(period('from=2026-13-45&to=x')).toMatchObject({ interval: '7d' });
  });

  it('chooses and limits the scale', () => {
    const day = period('from=2026-11-10&to=2026-11-10');
    expect(resolveScale(new URLSearchParams(), day)).toBe('hour');
    expect(allowedScales(day)).toEqual(['hour', 'day']);
    const quarter = period('interval=90d');
    expect(resolveScale(new URLSearchParams(), quarter)).toBe('day');
    expect(resolveScale(new URLSearchParams('scale=week'), quarter)).toBe('week');
    expect(resolveScale(new URLSearchParams('scale=hour'), quarter)).toBe('day');
    expect(resolveScale(new URLSearchParams(), period('interval=365d'))).toBe('week');
  });

  it('compares with the previous period, the year before or a custom start', () => {
    const week = period('from=2026-11-10&to=2026-11-16');
    expect(comparePeriod(week, 'previous', true, null)).toEqual({
      from: '2026-11-03',
      to: '2026-11-09',
    });
    const day = period('from=2026-11-12&to=2026-11-12');
    expect(comparePeriod(day, 'previous', true, null)).toEqual({
      from: '2026-11-05',
      to: '2026-11-05',
    });
    expect(comparePeriod(day, 'previous', false, null)).toEqual({
      from: '2026-11-11',
      to: '2026-11-11',
    });
    // Year over year: the same weekday (52 weeks) or the same date.
    expect(comparePeriod(day, 'year', true, null)).toEqual({
      from: '2025-11-13',
      to: '2025-11-13',
    });
    expect(comparePeriod(day, 'year', false, null)).toEqual({
      from: '2025-11-12',
      to: '2025-11-12',
    });
    expect(comparePeriod(week, 'custom', true, '2026-10-01')).toEqual({
      from: '2026-10-01',
      to: '2026-10-07',
    });
    expect(comparePeriod(week, 'custom', true, 'nope')).toBeUndefined();
    expect(comparePeriod(week, 'off', true, null)).toBeUndefined();
  });

  it('drills down from a bucket to the next smaller scale', () => {
    expect(drillDown('2026-02-01T00:00:00Z', 'month')).toEqual({
      from: '2026-02-01',
      to: '2026-02-28',
      scale: 'day',
    });
    expect(drillDown('2026-11-09', 'week')).toEqual({
      from: '2026-11-09',
      to: '2026-11-15',
      scale: 'day',
    });
    expect(drillDown('2026-11-11', 'day')).toEqual({
      from: '2026-11-11',
      to: '2026-11-11',
      scale: 'hour',
    });
    expect(drillDown('2026-01-01', 'year')?.scale).toBe('month');
    expect(drillDown('13', 'hour')).toBeUndefined();
  });
});

describe('filters', () => {
  it('encodes operators and unknown values as the API does', () => {
    expect(encodeValue('is', 'de')).toBe('de');
    expect(encodeValue('is not', 'de')).toBe('!de');
    expect(encodeValue('contains', 'blog')).toBe('~blog');
    expect(encodeValue('not contains', 'blog')).toBe('^blog');
    expect(encodeValue('is', '')).toBe('null');
    expect(parseValue('path', '^blog')).toEqual({ op: 'not contains', value: 'blog' });
    expect(parseValue('path', '~blog')).toEqual({ op: 'contains', value: 'blog' });
    // In a pattern, ^ and ~ are regular-expression syntax; only ! negates.
    expect(parseValue('pattern', '^/blog$')).toEqual({ op: 'is', value: '^/blog$' });
    expect(parseValue('pattern', '!^/blog$')).toEqual({ op: 'is not', value: '^/blog$' });
  });

  it('converts path patterns like goals do (decision 9)', () => {
    expect(pathPatternToRegex('/blog/*/comments')).toBe('(?i)^/blog/[^/]*/comments$');
    expect(pathPatternToRegex('/docs/**')).toBe('(?i)^/docs/.*$');
    expect(pathPatternToRegex('/a.b/*')).toBe('(?i)^/a\\.b/[^/]*$');
    expect(pathPatternToRegex('^/exact$')).toBe('^/exact$');
  });

  it('adds a value once and removes one value or all filters', () => {
    let q = new URLSearchParams('interval=7d&country=de');
    q = withFilter(q, 'country', 'fr');
    q = withFilter(q, 'country', 'fr');
    q = withFilter(q, 'meta_plan', 'pro');
    expect(q.getAll('country')).toEqual(['de', 'fr']);
    expect(withoutFilter(q, 'country', 'de').getAll('country')).toEqual(['fr']);
    expect(withoutFilter(q, '*').toString()).toBe('interval=7d');
  });
});

describe('insights', () => {
  it('ranks the values that moved with the total by their share of the change', () => {
    const ranked = rankContributions(10, [
      {
        label: 'Referrer',
        param: 'referrer_name',
        field: 'referrer_name',
        current: [
          { referrer_name: 'Hacker News', visitors: 9 },
          { referrer_name: '', visitors: 5 },
          { referrer_name: 'Google', visitors: 1 },
        ],
        previous: [
          { referrer_name: '', visitors: 3 },
          { referrer_name: 'Google', visitors: 2 },
        ],
      },
    ]);
    expect(ranked.map((c) => [c.label, c.delta, c.share])).toEqual([
      ['Hacker News', 9, 0.9],
      ['none / unknown', 2, 0.2],
    ]);
    expect(rankContributions(0, [])).toEqual([]);
  });

  it('gives Wilson intervals and honest verdicts on conversion rates', () => {
    const [low, high] = wilson(10, 100);
    expect(low).toBeCloseTo(0.0552, 3);
    expect(high).toBeCloseTo(0.1744, 3);
    expect(wilson(0, 0)).toEqual([0, 1]);
    expect(compareRates(3, 5, 1, 5).verdict).toBe('too-few');
    expect(compareRates(200, 1000, 100, 1000)).toMatchObject({ verdict: 'better' });
    expect(compareRates(100, 1000, 200, 1000).verdict).toBe('worse');
    const unclear = compareRates(52, 1000, 50, 1000);
    expect(unclear.verdict).toBe('unclear');
    expect(unclear.p).toBeGreaterThan(0.5);
    expect(unclear.moreNeeded).toBeGreaterThan(10_000);
  });
});
