/** Which days a report covers, and which moment a late report sends (decision 11). */
import { describe, expect, it } from 'vitest';
import { nextReportAt } from '../../src/manage/report-schedule.ts';
import { dueSlot, periodKey, reportPeriod } from '../../src/mail/report-period.ts';

describe('reportPeriod', () => {
  it.each([
    // [slot, interval, zone, from, to, previous from, previous to]
    [
      '2026-11-16T06:00:00.000Z',
      1,
      'Europe/Berlin',
      '2026-11-09',
      '2026-11-15',
      '2026-11-02',
      '2026-11-08',
    ],
    [
      '2026-11-16T06:00:00.000Z',
      2,
      'Europe/Berlin',
      '2026-11-02',
      '2026-11-15',
      '2026-10-19',
      '2026-11-01',
    ],
    [
      '2026-11-16T06:00:00.000Z',
      3,
      'Europe/Berlin',
      '2026-10-26',
      '2026-11-15',
      '2026-10-05',
      '2026-10-25',
    ],
    // Monthly: the calendar month before, compared with the one before it (February is short).
    [
      '2026-03-01T06:00:00.000Z',
      4,
      'Europe/Berlin',
      '2026-02-01',
      '2026-02-28',
      '2026-01-01',
      '2026-01-31',
    ],
    ['2027-01-01T07:00:00.000Z', 4, null, '2026-12-01', '2026-12-31', '2026-11-01', '2026-11-30'],
    // The Monday after the autumn clock change: 07:00 CET is 06:00 UTC.
    [
      '2026-10-26T06:00:00.000Z',
      1,
      'Europe/Berlin',
      '2026-10-19',
      '2026-10-25',
      '2026-10-12',
      '2026-10-18',
    ],
    // 07:00 Monday in Auckland is still Sunday in UTC: the local day counts.
    [
      '2026-11-15T18:00:00.000Z',
      1,
      'Pacific/Auckland',
      '2026-11-09',
      '2026-11-15',
      '2026-11-02',
      '2026-11-08',
    ],
  ] as const)('%s, interval %i, %s', (slot, interval, zone, from, to, pFrom, pTo) => {
    expect(reportPeriod(slot, interval, zone)).toEqual({
      from,
      to,
      previous: { from: pFrom, to: pTo },
    });
  });

  it('covers the days up to the day before the moment nextReportAt schedules', () => {
    const now = new Date('2026-11-18T12:00:00Z'); // a Wednesday
    const slot = nextReportAt(1, 'America/New_York', now);
    expect(slot).toBe('2026-11-23T12:00:00.000Z');
    expect(reportPeriod(slot, 1, 'America/New_York')).toMatchObject({
      from: '2026-11-16',
      to: '2026-11-22',
    });
  });

  it('records both ends of a period, so a weekly and a monthly period differ', () => {
    expect(periodKey({ from: '2026-06-01', to: '2026-06-07' })).toBe('2026-06-01/2026-06-07');
    expect(periodKey(reportPeriod('2026-07-01T05:00:00.000Z', 4, 'Europe/Berlin'))).toBe(
      '2026-06-01/2026-06-30',
    );
  });
});

describe('dueSlot', () => {
  it('is the due moment itself when the pass is on time', () => {
    expect(
      dueSlot('2026-11-16T06:00:00.000Z', 2, 'Europe/Berlin', new Date('2026-11-16T06:00:01Z')),
    ).toEqual({ slot: '2026-11-16T06:00:00.000Z', following: '2026-11-30T06:00:00.000Z' });
  });

  it('skips to the latest passed moment after downtime', () => {
    expect(
      dueSlot('2026-08-01T05:00:00.000Z', 4, 'Europe/Berlin', new Date('2026-11-20T00:00:00Z')),
    ).toEqual({ slot: '2026-11-01T06:00:00.000Z', following: '2026-12-01T06:00:00.000Z' });
  });
});
