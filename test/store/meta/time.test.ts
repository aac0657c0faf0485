/**
 * The canonical ISO text timestamps of the metadata store.
 */
import { describe, expect, it } from 'vitest';
import { addMs, isPast, nowIso, parseRfc3339, toIso } from '../../../src/store/meta/time.ts';

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('ISO timestamps', () => {
  it('produces the fixed-width UTC form', () => {
    expect(nowIso()).toMatch(CANONICAL);
    expect(toIso(new Date(Date.UTC(2021, 4, 22, 10, 11, 12)))).toBe('2021-05-22T10:11:12.000Z');
  });

  it('moves a timestamp by milliseconds', () => {
    expect(addMs('2021-05-22T10:11:12.000Z', 3_600_000)).toBe('2021-05-22T11:11:12.000Z');
    expect(addMs('2021-01-01T00:00:00.000Z', -1)).toBe('2020-12-31T23:59:59.999Z');
  });

  it('tells past from future', () => {
    expect(isPast('2021-05-22T10:11:12.000Z', '2021-05-22T10:11:12.001Z')).toBe(true);
    expect(isPast('2021-05-22T10:11:12.000Z', '2021-05-22T10:11:12.000Z')).toBe(true);
    expect(isPast('2999-01-01T00:00:00.000Z')).toBe(false);
  });

  it.each([
    ['2020-12-12T00:11:39.903607271Z', '2020-12-12T00:11:39.903Z'],
    ['2021-05-22T10:11:12.123456Z', '2021-05-22T10:11:12.123Z'],
    ['2021-05-22T10:11:12Z', '2021-05-22T10:11:12.000Z'],
    ['2021-05-22T10:11:12+02:00', '2021-05-22T08:11:12.000Z'],
    ['2021-05-22t10:11:12z', '2021-05-22T10:11:12.000Z'],
    ['2021-05-22 10:11:12-01:30', '2021-05-22T11:41:12.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('parses %s', (input, canonical) => {
    expect(parseRfc3339(input)).toBe(canonical);
  });

  it.each([
    '2021-05-22',
    '2021-02-30T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2021-05-22T24:00:00Z',
    '2021-05-22T10:60:00Z',
    '2021-05-22T10:11:12',
    '2021-05-22T10:11:12+25:00',
    'May 22 2021',
    '',
  ])('rejects %j', (input) => {
    expect(parseRfc3339(input)).toBeNull();
  });
});
