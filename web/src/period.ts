/**
 * The period of a view (DASHBOARD.md §4): presets and custom ranges as whole days in the
 * dashboard's time zone, the chart scale, and the comparison period (§6).
 */

export const INTERVALS = [
  ['live', 'Live', 'L'],
  ['hour', 'Past hour', 'H'],
  ['today', 'Today', 'T'],
  ['yesterday', 'Yesterday', 'Y'],
  ['7d', 'Last 7 days', 'W'],
  ['14d', 'Last 14 days', 'F'],
  ['30d', 'Last 30 days', 'M'],
  ['90d', 'Last 90 days', 'Q'],
  ['180d', 'Last 180 days', ''],
  ['365d', 'Last 365 days', ''],
  ['month', 'Month to date', ''],
  ['last_month', 'Last month', ''],
  ['year', 'Year to date', ''],
  ['all', 'All time', 'A'],
] as const;

export type Interval = (typeof INTERVALS)[number][0];
export type Scale = 'hour' | 'day' | 'week' | 'month' | 'year';
export type CompareMode = 'off' | 'previous' | 'year' | 'custom';

export interface Period {
  /** First and last day, `YYYY-MM-DD`, in the time zone. */
  from: string;
  to: string;
  /** Seconds to look back instead of days (live, past hour). */
  start?: number;
  interval: Interval | 'custom';
  /** Number of days. */
  days: number;
}

/** `YYYY-MM-DD` of an instant in a time zone. */
export function localDate(ms: number, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(ms));
}

/** `YYYY-MM-DD` plus `n` days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Days from `a` to `b` inclusive. */
export const daysBetween = (a: string, b: string): number =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000) + 1;

function addMonths(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}

const endOfMonth = (day: string): string => addDays(addMonths(day.slice(0, 8) + '01', 1), -1);
const isDay = (v: string | null): v is string =>
  v !== null && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));

export const isInterval = (v: string | null): v is Interval =>
  INTERVALS.some(([value]) => value === v);

/** The period the query asks for (custom `from`/`to` win over `interval`; default 7 days). */
export function resolvePeriod(
  query: URLSearchParams,
  timezone: string,
  nowMs: number,
  firstDay: string,
  activeSeconds: number,
): Period {
  const today = localDate(nowMs, timezone);
  const from = query.get('from');
  const to = query.get('to');
  if (isDay(from)) {
    let a = from;
    let b = isDay(to) ? to : from;
    if (a > b) [a, b] = [b, a];
    return { from: a, to: b, interval: 'custom', days: daysBetween(a, b) };
  }
  const raw = query.get('interval');
  const interval: Interval = isInterval(raw) ? raw : '7d';
  const range = (a: string, b: string, start?: number): Period => ({
    from: a,
    to: b,
    interval,
    days: daysBetween(a, b),
    ...(start ? { start } : {}),
  });
  switch (interval) {
    case 'live':
      return range(today, today, activeSeconds);
    case 'hour':
      return range(today, today, 3600);
    case 'today':
      return range(today, today);
    case 'yesterday':
      return range(addDays(today, -1), addDays(today, -1));
    case 'month':
      return range(today.slice(0, 8) + '01', today);
    case 'last_month': {
      const first = addMonths(today.slice(0, 8) + '01', -1);
      return range(first, endOfMonth(first));
    }
    case 'year':
      return range(today.slice(0, 5) + '01-01', today);
    case 'all':
      return range(firstDay < today ? firstDay : today, today);
    default:
      return range(addDays(today, -(parseInt(interval, 10) - 1)), today);
  }
}

/** Scales a period allows, smallest first. */
export function allowedScales(period: Period): Scale[] {
  if (period.days === 1) return ['hour', 'day'];
  if (period.days <= 92) return ['day', 'week', 'month'];
  if (period.days <= 800) return ['day', 'week', 'month', 'year'];
  return ['week', 'month', 'year'];
}

/** The scale to use: the query's if allowed, else one fitting the period. */
export function resolveScale(query: URLSearchParams, period: Period): Scale {
  const allowed = allowedScales(period);
  const wanted = query.get('scale') as Scale | null;
  if (wanted && allowed.includes(wanted)) return wanted;
  if (period.days === 1) return 'hour';
  if (period.days <= 92) return 'day';
  if (period.days <= 800) return 'week';
  return 'month';
}

/** The comparison period, or undefined when comparison is off. */
export function comparePeriod(
  period: Period,
  mode: CompareMode,
  matchWeekday: boolean,
  customFrom: string | null,
): { from: string; to: string } | undefined {
  const len = period.days;
  const shift = (n: number) => ({ from: addDays(period.from, n), to: addDays(period.to, n) });
  switch (mode) {
    case 'previous':
      if (len === 1) return shift(matchWeekday ? -7 : -1);
      return shift(-len);
    case 'year': {
      if (matchWeekday) return shift(-364);
      const back = (day: string) => `${Number(day.slice(0, 4)) - 1}${day.slice(4)}`;
      return { from: back(period.from), to: back(period.to) };
    }
    case 'custom':
      return isDay(customFrom) ? { from: customFrom, to: addDays(customFrom, len - 1) } : undefined;
    default:
      return undefined;
  }
}

/** The range of one chart bucket to drill into, and the scale to show it at. */
export function drillDown(
  bucket: string,
  scale: Scale,
): { from: string; to: string; scale: Scale } | undefined {
  const day = bucket.slice(0, 10);
  switch (scale) {
    case 'year':
      return { from: day, to: `${day.slice(0, 4)}-12-31`, scale: 'month' };
    case 'month':
      return { from: day, to: endOfMonth(day), scale: 'day' };
    case 'week':
      return { from: day, to: addDays(day, 6), scale: 'day' };
    case 'day':
      return { from: day, to: day, scale: 'hour' };
    default:
      return undefined;
  }
}

/** Human label of the period: "Last 7 days" or "3 Nov – 9 Nov 2026". */
export function periodLabel(period: Period, formatDay: (d: string) => string): string {
  const preset = INTERVALS.find(([value]) => value === period.interval);
  if (preset) return preset[1];
  return period.from === period.to
    ? formatDay(period.from)
    : `${formatDay(period.from)} – ${formatDay(period.to)}`;
}

const LAST = 'spoor.interval';

/** The preset chosen last in this browser, if any. */
export function lastInterval(): Interval | undefined {
  try {
    const v = localStorage.getItem(LAST);
    return isInterval(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Remember a chosen preset (custom ranges are not remembered). */
export function rememberInterval(interval: Interval): void {
  try {
    localStorage.setItem(LAST, interval);
  } catch {
    // Not remembered without storage.
  }
}
