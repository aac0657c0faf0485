import { describe, expect, it } from 'vitest';
import {
  followingReportAt,
  nextReportAt,
  type ReportInterval,
} from '../../src/manage/report-schedule.ts';

// Decision 11: 07:00 local, next Monday (intervals 1–3) or next 1st of a month (4), strictly
// after "now". Expected instants were worked out by hand from each zone's offset on that date.
const NEXT: [now: string, interval: ReportInterval, zone: string | null, expected: string][] = [
  // Wednesday → the coming Monday
  ['2024-05-22T10:00:00Z', 1, null, '2024-05-27T07:00:00.000Z'],
  ['2024-05-22T10:00:00Z', 1, 'UTC', '2024-05-27T07:00:00.000Z'],
  ['2024-05-22T10:00:00Z', 2, 'Europe/Berlin', '2024-05-27T05:00:00.000Z'],
  ['2024-05-22T10:00:00Z', 3, 'Asia/Tokyo', '2024-05-26T22:00:00.000Z'],
  ['2024-05-22T10:00:00Z', 1, 'Asia/Kolkata', '2024-05-27T01:30:00.000Z'],
  ['2024-05-22T10:00:00Z', 1, 'Pacific/Chatham', '2024-05-26T18:15:00.000Z'],
  // Monday before 07:00 local → today; at or after 07:00 → a week later
  ['2024-05-27T04:59:00Z', 1, 'Europe/Berlin', '2024-05-27T05:00:00.000Z'],
  ['2024-05-27T05:00:00Z', 1, 'Europe/Berlin', '2024-06-03T05:00:00.000Z'],
  ['2024-05-26T21:00:00Z', 1, 'Asia/Tokyo', '2024-05-26T22:00:00.000Z'],
  // Sunday 23:30 UTC is already Monday 08:30 in Tokyo: next week
  ['2024-05-26T23:30:00Z', 1, 'Asia/Tokyo', '2024-06-02T22:00:00.000Z'],
  // Monday 03:00 UTC is still Sunday evening in Los Angeles: that Monday, 07:00 PDT
  ['2024-05-27T03:00:00Z', 1, 'America/Los_Angeles', '2024-05-27T14:00:00.000Z'],
  // Across DST changes: Berlin springs forward 2024-03-31, falls back 2024-10-27
  ['2024-03-20T12:00:00Z', 1, 'Europe/Berlin', '2024-03-25T06:00:00.000Z'],
  ['2024-03-28T12:00:00Z', 1, 'Europe/Berlin', '2024-04-01T05:00:00.000Z'],
  ['2024-10-24T12:00:00Z', 1, 'Europe/Berlin', '2024-10-28T06:00:00.000Z'],
  // New York springs forward 2024-03-10
  ['2024-03-01T12:00:00Z', 1, 'America/New_York', '2024-03-04T12:00:00.000Z'],
  ['2024-03-06T12:00:00Z', 1, 'America/New_York', '2024-03-11T11:00:00.000Z'],
  // Sydney (southern hemisphere) leaves DST 2024-04-07
  ['2024-03-27T00:00:00Z', 1, 'Australia/Sydney', '2024-03-31T20:00:00.000Z'],
  ['2024-04-03T00:00:00Z', 1, 'Australia/Sydney', '2024-04-07T21:00:00.000Z'],
  // Monthly: the next 1st, 07:00 local
  ['2024-05-22T10:00:00Z', 4, null, '2024-06-01T07:00:00.000Z'],
  ['2024-05-22T10:00:00Z', 4, 'Europe/Berlin', '2024-06-01T05:00:00.000Z'],
  ['2024-12-15T10:00:00Z', 4, null, '2025-01-01T07:00:00.000Z'],
  ['2024-06-01T04:00:00Z', 4, 'Europe/Berlin', '2024-06-01T05:00:00.000Z'],
  ['2024-06-01T05:00:00Z', 4, 'Europe/Berlin', '2024-07-01T05:00:00.000Z'],
  ['2024-03-15T10:00:00Z', 4, 'Europe/Berlin', '2024-04-01T05:00:00.000Z'],
  ['2024-10-15T10:00:00Z', 4, 'Europe/Berlin', '2024-11-01T06:00:00.000Z'],
  ['2024-05-31T23:00:00Z', 4, 'Asia/Tokyo', '2024-06-30T22:00:00.000Z'],
];

describe('nextReportAt', () => {
  it.each(NEXT)('at %s, interval %i, zone %s → %s', (now, interval, zone, expected) => {
    expect(nextReportAt(interval, zone, new Date(now))).toBe(expected);
  });
});

describe('followingReportAt', () => {
  it.each([
    ['2024-03-25T06:00:00.000Z', 2, 'Europe/Berlin', '2024-04-08T05:00:00.000Z'],
    ['2024-10-21T05:00:00.000Z', 3, 'Europe/Berlin', '2024-11-11T06:00:00.000Z'],
    ['2024-05-27T07:00:00.000Z', 1, null, '2024-06-03T07:00:00.000Z'],
    ['2024-12-01T07:00:00.000Z', 4, null, '2025-01-01T07:00:00.000Z'],
    ['2024-02-29T22:00:00.000Z', 4, 'Asia/Tokyo', '2024-03-31T22:00:00.000Z'],
  ] as const)('after %s, interval %i, zone %s → %s', (previous, interval, zone, expected) => {
    expect(followingReportAt(previous, interval, zone)).toBe(expected);
  });
});
