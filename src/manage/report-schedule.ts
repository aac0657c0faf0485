/**
 * When e-mail reports are due (decision 11): 07:00 in the domain's time zone, on a Monday for
 * intervals 1–3 (every 1, 2 or 3 weeks) and on the 1st of the month for interval 4 (monthly).
 *
 * The first report of a new (or re-scheduled) report is the next such moment, whatever the
 * interval: a report "every 2 weeks" created on a Wednesday is first sent the coming Monday,
 * covering the two full weeks before it, then every second Monday after that. Waiting a whole
 * interval first would only delay the first e-mail; statistics for the earlier weeks exist.
 *
 * All zone math goes through `Intl`, so daylight-saving changes move the UTC instant and 07:00
 * stays 07:00 on the wall clock.
 */

/** Report intervals: 1–3 = every n weeks on Monday, 4 = monthly on the 1st. */
export type ReportInterval = 1 | 2 | 3 | 4;

export const REPORT_INTERVALS: readonly ReportInterval[] = [1, 2, 3, 4];

export function isReportInterval(value: number): value is ReportInterval {
  return (REPORT_INTERVALS as readonly number[]).includes(value);
}

/** Local hour at which reports are sent. */
const SEND_HOUR = 7;

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of the instant `ms` in `timeZone`. */
function wallClock(ms: number, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
}

/** How far `timeZone` is ahead of UTC at the instant `ms`, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wallAsUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The UTC instant of a local wall time. Two passes settle the offset on both sides of a DST
 * change; a wall time skipped by a spring-forward gap lands just after the gap.
 */
function localToUtc(date: LocalDate, hour: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour);
  const first = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(first, timeZone);
}

/** The local calendar date `days` after `date` (negative goes back). */
function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function firstOfNextMonth(date: LocalDate): LocalDate {
  return date.month === 12
    ? { year: date.year + 1, month: 1, day: 1 }
    : { year: date.year, month: date.month + 1, day: 1 };
}

function localDate(ms: number, timeZone: string): LocalDate {
  const { year, month, day } = wallClock(ms, timeZone);
  return { year, month, day };
}

/**
 * The first report moment strictly after `now`: the next Monday 07:00 (intervals 1–3) or the
 * next 1st of a month 07:00 (interval 4), in `timezone` (null = UTC). ISO string, UTC.
 */
export function nextReportAt(
  interval: ReportInterval,
  timezone: string | null,
  now: Date = new Date(),
): string {
  const zone = timezone ?? 'UTC';
  const nowMs = now.getTime();
  const today = localDate(nowMs, zone);
  let candidate: LocalDate;
  if (interval === 4) {
    candidate = { ...today, day: 1 };
    if (localToUtc(candidate, SEND_HOUR, zone) <= nowMs) candidate = firstOfNextMonth(today);
  } else {
    const weekday = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay();
    candidate = addDays(today, (8 - weekday) % 7);
    if (localToUtc(candidate, SEND_HOUR, zone) <= nowMs) candidate = addDays(candidate, 7);
  }
  return new Date(localToUtc(candidate, SEND_HOUR, zone)).toISOString();
}

/**
 * The report moment after one that was just due (`previous`, ISO): `interval` weeks later for
 * intervals 1–3, the 1st of the following month for 4 — 07:00 local either way.
 */
export function followingReportAt(
  previous: string,
  interval: ReportInterval,
  timezone: string | null,
): string {
  const zone = timezone ?? 'UTC';
  const day = localDate(Date.parse(previous), zone);
  const next = interval === 4 ? firstOfNextMonth(day) : addDays(day, 7 * interval);
  return new Date(localToUtc(next, SEND_HOUR, zone)).toISOString();
}
