import { describe, expect, it } from 'vitest';
import { utcDay, visitorId } from '../../src/ingest/visitor-id.ts';

describe('visitorId (decision 14)', () => {
  const ua = 'Mozilla/5.0 (X11; Linux x86_64; rv:100.0) Gecko/20100101 Firefox/100.0';
  const id = (
    over: Partial<{ secret: string; domain: string; ua: string; ip: string; day: string }> = {},
  ) =>
    visitorId(
      over.secret ?? 's3cret',
      over.domain ?? 'Dom1234567',
      over.ua ?? ua,
      over.ip ?? '198.51.100.1',
      over.day ?? '20261130',
    );

  it('is a UInt64 in decimal text and deterministic', () => {
    expect(id()).toMatch(/^\d{1,20}$/);
    expect(BigInt(id())).toBeLessThan(2n ** 64n);
    expect(id()).toBe(id());
  });

  it('changes with each input', () => {
    const base = id();
    expect(id({ secret: 'other' })).not.toBe(base);
    expect(id({ domain: 'Dom7654321' })).not.toBe(base);
    expect(id({ ua: ua + ' ' })).not.toBe(base);
    expect(id({ ip: '198.51.100.2' })).not.toBe(base);
    expect(id({ day: '20261201' })).not.toBe(base);
  });

  it('keeps fields apart (no ambiguity from concatenation)', () => {
    expect(id({ domain: 'ab', ua: 'c' })).not.toBe(id({ domain: 'a', ua: 'bc' }));
  });

  it('keeps its values: stored sessions are found again by them', () => {
    expect(id()).toBe('4590846559729107679');
    expect(id({ secret: 'k'.repeat(100), ip: '2001:db8::1', day: '20261201' })).toBe(
      '4515065503006986236',
    );
  });

  it('takes the date in UTC', () => {
    expect(utcDay(Date.parse('2026-11-30T23:59:59.999Z'))).toBe('20261130');
    expect(utcDay(Date.parse('2026-12-01T00:00:00.000+01:00'))).toBe('20261130');
  });

  it('answers every day right, also alternating ones and those before 1970', () => {
    const cases: [number, string][] = [
      [0, '19700101'],
      [-1, '19691231'],
      [86_399_999, '19700101'],
      [86_400_000, '19700102'],
      [-1, '19691231'],
      [Date.parse('2026-11-30T23:59:59.999Z'), '20261130'],
      [Date.parse('2026-12-01T00:00:00.000Z'), '20261201'],
      [Date.parse('2026-11-30T23:59:59.999Z'), '20261130'],
      [253402300799999, '99991231'],
      [-62135596800000, '00010101'],
    ];
    for (const [time, day] of cases) expect(utcDay(time)).toBe(day);
  });
});
