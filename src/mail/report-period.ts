/**
 * Which days a report covers (decision 11). A report sent on a Monday with interval n (1–3)
 * covers the n full weeks before that Monday; a monthly report (4) sent on the 1st covers the
 * calendar month before. Each compares with the period just before it: the n weeks before, or
 * the calendar month before (so a March report compares with February, not with 31 days).
 *
 * Days are local days of the domain's time zone, `YYYY-MM-DD`, both ends included — exactly the
 * `from`/`to` the statistics API takes.
 */
import { followingReportAt, type ReportInterval } from '../manage/report-schedule.ts';
import { addDays, localDate } from '../stats/filter.ts';

export interface DayRange {
  from: string;
  to: string;
}

export interface ReportPeriod extends DayRange {
  previous: DayRange;
}

/** The first day of the month of `day`. */
const monthStart = (day: string): string => `${day.slice(0, 8)}01`;

/** The period a report due at `slot` (ISO instant) covers, in `timezone` (null = UTC). */
export function reportPeriod(
  slot: string,
  interval: ReportInterval,
  timezone: string | null,
): ReportPeriod {
  const sendDay = localDate(Date.parse(slot), timezone ?? 'UTC');
  if (interval === 4) {
    const to = addDays(monthStart(sendDay), -1);
    const from = monthStart(to);
    const previousTo = addDays(from, -1);
    return { from, to, previous: { from: monthStart(previousTo), to: previousTo } };
  }
  const days = 7 * interval;
  const from = addDays(sendDay, -days);
  return {
    from,
    to: addDays(sendDay, -1),
    previous: { from: addDays(from, -days), to: addDays(from, -1) },
  };
}

/**
 * How a period is recorded in `email_report.last_period`: its ISO 8601 interval of dates,
 * `2026-11-02/2026-11-08`. Both ends, so a weekly and a monthly period starting on the same
 * day stay distinct when a report's interval changes.
 */
export const periodKey = (period: DayRange): string => `${period.from}/${period.to}`;

export interface DueSlot {
  /** The report moment to send now: the latest one at or before `now`. */
  slot: string;
  /** The moment after it: the report's new `next_report`. */
  following: string;
}

/**
 * The moment to send for a report whose `next_report` has passed. After downtime (or while no
 * mail transport was configured) several moments may have passed: only the latest is sent, so
 * nobody receives a backlog of stale reports at once.
 */
export function dueSlot(
  nextReport: string,
  interval: ReportInterval,
  timezone: string | null,
  now: Date,
): DueSlot {
  let slot = nextReport;
  let following = followingReportAt(slot, interval, timezone);
  while (Date.parse(following) <= now.getTime()) {
    slot = following;
    following = followingReportAt(slot, interval, timezone);
  }
  return { slot, following };
}

/** Every day from `from` to `to`, both included. */
export function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) days.push(day);
  return days;
}
