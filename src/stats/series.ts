/**
 * Hours, growth, active visitors and the duration series (API.md A.2.5, A.2.6, A.2.21–A.2.23,
 * B.4; SEMANTICS §7.3, §7.7–§7.10 with DESIGN.md decisions 17, 18, 21, 25):
 *
 * - `/statistics/hours`: the figures of `/statistics/total` per hour of the day (0–23, domain
 *   time zone), sessions in the hour they started, page views and events in their own hour.
 * - `/statistics/duration/session`: average duration of the sessions that started in each bucket
 *   and have a non-zero duration (one average per bucket, not an average of daily averages).
 * - `/statistics/duration/page`: average time on page per bucket of the page views' own time.
 *   Time on page = the next page view's time − this page view's time within the session (whole
 *   seconds, as ingestion measures it); the last page view of a session has none; averages are
 *   over non-zero values. Also offered per path (`averageTimeOnPageByPath`) to the pages family.
 * - `/statistics/growth`: current against previous period (SEMANTICS §7.9 rules).
 * - `/statistics/active`: pages, visitors and countries of the last `start` seconds.
 */
import { addDays, hasEventFilter, hasPageFilter, localDate } from './filter.ts';
import {
  bucketSql,
  bucketsBetween,
  collapsedSessions,
  requestWindow,
  rowsSource,
  timeOnPageRows,
  withLookahead,
  tzParam,
  type SqlContext,
  type Window,
} from './sql.ts';
import {
  contextFor,
  num,
  ratio,
  roundSeconds,
  runQuery,
  totalVisitorsOf,
  type Statistic,
  type StatisticInput,
} from './statistic.ts';
import {
  bucketFields,
  figuresSql,
  periodFigures,
  toFigures,
  type Figures,
  type RawFigures,
} from './totals.ts';

// ---------------------------------------------------------------------------------------------
// Windows

/** Local midnight of `day` (`YYYY-MM-DD`) in the domain's zone, as a UTC instant expression. */
function localMidnight(ctx: SqlContext, day: string): string {
  return `toDateTime64(toDateTime(${ctx.params.add(day, 'Date')}, ${tzParam(ctx)}), 3, 'UTC')`;
}

/** Whole local days `[from, to]` as a window. */
function daysWindow(ctx: SqlContext, from: string, to: string): Window {
  return { from: localMidnight(ctx, from), to: localMidnight(ctx, addDays(to, 1)) };
}

/** `[fromMs, toMs)` as a window. */
function instantWindow(ctx: SqlContext, fromMs: number, toMs: number): Window {
  return {
    from: ctx.params.add(new Date(fromMs), "DateTime64(3, 'UTC')"),
    to: ctx.params.add(new Date(toMs), "DateTime64(3, 'UTC')"),
  };
}

/** The local wall-clock time of an instant in a zone, `HH:MM:SS.mmm`. */
function localTimeOfDay(ms: number, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
  }).formatToParts(new Date(ms));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('hour')}:${part('minute')}:${part('second')}.${part('fractionalSecond')}`;
}

/** Days from `from` to `to` (dates). */
const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * The period growth compares with (SEMANTICS §7.9, API.md A.2.21):
 * 1. a single day that is today → the same weekday one week earlier, from local midnight up to
 *    the current local time of day;
 * 2. another single day → the same weekday one week earlier;
 * 3. several days → as many days, ending the day before `from`;
 * 4. an instant window (`start`) → the same window 24 hours earlier.
 */
export function previousWindow(ctx: SqlContext, nowMs: number): Window {
  const { period, timezone } = ctx.filter;
  if (period.kind === 'instant') {
    const back = 86_400_000;
    return instantWindow(ctx, period.fromMs - back, period.toMs + 1 - back);
  }
  const { from, to } = period;
  if (from === to) {
    const weekBefore = addDays(from, -7);
    if (from === localDate(nowMs, timezone)) {
      const tz = tzParam(ctx);
      const until = ctx.params.add(`${weekBefore} ${localTimeOfDay(nowMs, timezone)}`, 'String');
      return {
        from: localMidnight(ctx, weekBefore),
        to: `toDateTime64(toDateTime64(${until}, 3, ${tz}), 3, 'UTC')`,
      };
    }
    return daysWindow(ctx, weekBefore, weekBefore);
  }
  const previousTo = addDays(from, -1);
  return daysWindow(ctx, addDays(previousTo, -daysBetween(from, to)), previousTo);
}

// ---------------------------------------------------------------------------------------------
// Figures (hours, growth)

/** The figures per hour of the day (0–23) in the domain's zone, always 24 rows. */
async function hourFigures(input: StatisticInput): Promise<({ hour: number } & Figures)[]> {
  const ctx = contextFor(input);
  const window = requestWindow(ctx);
  const sql = figuresSql(ctx, window, (time) => `toHour(${time}, ${tzParam(ctx)})`);
  const rows = await runQuery<RawFigures>(input.events, sql, ctx.params.values);
  const byHour = new Map(rows.map((r) => [Number(r.bucket), r]));
  const total = await totalVisitorsOf(input);
  return Array.from({ length: 24 }, (_, hour) => ({
    hour,
    ...toFigures(byHour.get(hour), total),
  }));
}

// ---------------------------------------------------------------------------------------------
// Session duration

/**
 * Collapsed sessions that started in the window and that the filter selects: attribute and
 * entry/exit filters on the session; with a page filter the sessions that viewed a matching page,
 * with an event filter those that sent a matching event (at any time of the session).
 */
export function selectedSessions(ctx: SqlContext, window: Window): string {
  const sessions = collapsedSessions(ctx, window, { scope: 'start' });
  const filter = ctx.filter;
  if (!hasPageFilter(filter) && !hasEventFilter(filter)) return sessions;
  const table = hasEventFilter(filter) ? 'event' : 'page_view';
  // The session side already applies the entry/exit filters.
  const rows = rowsSource(ctx, table, withLookahead(window), { entryExit: false });
  return `SELECT * FROM (${sessions})
    WHERE (visitor_id, session_id) IN (SELECT v.visitor_id, v.session_id ${rows})`;
}

interface RawAverage {
  bucket: string;
  total: string;
  n: string;
}

/** SQL: total and count of the non-zero session durations of the window, per `group` of the start. */
function sessionDurationSql(
  ctx: SqlContext,
  window: Window,
  group: ((time: string) => string) | undefined,
): string {
  const key = group ? group('s_start') : `''`;
  return `SELECT toString(${key}) AS bucket, sum(s_duration) AS total, count() AS n
    FROM (${selectedSessions(ctx, window)})
    WHERE s_duration > 0
    GROUP BY bucket`;
}

/** Unrounded average session duration of the window (0 without sessions of non-zero length). */
async function averageSessionDuration(
  input: StatisticInput,
  ctx: SqlContext,
  window: Window,
): Promise<number> {
  const rows = await runQuery<RawAverage>(
    input.events,
    sessionDurationSql(ctx, window, undefined),
    ctx.params.values,
  );
  return ratio(num(rows[0]?.total), num(rows[0]?.n));
}

// ---------------------------------------------------------------------------------------------
// Time on page

/** SQL: total and count of the non-zero times on page, grouped by `key` over `r_time`/`r_path`. */
function timeOnPageSql(ctx: SqlContext, window: Window, key: string, extra: string[] = []): string {
  return `SELECT toString(${key}) AS bucket, sum(r_top) AS total, count() AS n
    FROM (${timeOnPageRows(ctx, window)})
    WHERE ${['r_top > 0', ...extra].join(' AND ')}
    GROUP BY bucket`;
}

/**
 * Average time on page (rounded, decision 17) per path over the request window, for the pages
 * the input's filter selects (attribute, page, entry/exit filters apply as given: pass a filter
 * without them to measure every page view of a path). `paths` restricts the result to those
 * paths. Paths without any measured time are absent from the map (their average is 0).
 */
export async function averageTimeOnPageByPath(
  input: StatisticInput,
  paths?: readonly string[],
): Promise<Map<string, number>> {
  if (paths !== undefined && paths.length === 0) return new Map();
  const ctx = contextFor(input);
  const window = requestWindow(ctx);
  const extra =
    paths === undefined ? [] : [`r_path IN ${ctx.params.add([...paths], 'Array(String)')}`];
  const rows = await runQuery<RawAverage>(
    input.events,
    timeOnPageSql(ctx, window, 'r_path', extra),
    ctx.params.values,
  );
  return new Map(rows.map((r) => [r.bucket, roundSeconds(ratio(num(r.total), num(r.n)))]));
}

// ---------------------------------------------------------------------------------------------
// Duration series

/** One average per bucket of the filter's scale, gap-free over the requested days. */
async function durationSeries(
  input: StatisticInput,
  sql: (ctx: SqlContext, window: Window, group: (time: string) => string) => string,
) {
  const filter = input.filter;
  if (hasEventFilter(filter)) return [];
  const scale = filter.scale;
  const ctx = contextFor(input);
  const window = requestWindow(ctx);
  const rows = await runQuery<RawAverage>(
    input.events,
    sql(ctx, window, (time) => bucketSql(ctx, time, scale)),
    ctx.params.values,
  );
  const byBucket = new Map(rows.map((r) => [r.bucket, r]));
  const period = filter.period;
  const buckets =
    period.kind === 'days'
      ? bucketsBetween(period.from, period.to, scale)
      : [...byBucket.keys()].sort();
  return buckets.map((bucket) => {
    const row = byBucket.get(bucket);
    return {
      ...bucketFields(bucket, scale),
      path: '',
      title: '',
      average_time_spent_seconds: roundSeconds(ratio(num(row?.total), num(row?.n))),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Growth

/** Relative change: 0 when both are 0, 1 when only the previous one is 0 (SEMANTICS §7.9). */
export function growth(current: number, previous: number): number {
  if (previous === 0) return current === 0 ? 0 : 1;
  return (current - previous) / previous;
}

async function computeGrowth(input: StatisticInput) {
  // One context per query: each query binds its own parameters, windows included.
  const inCurrent = <T>(query: (ctx: SqlContext, window: Window) => Promise<T>) => {
    const ctx = contextFor(input);
    return query(ctx, requestWindow(ctx));
  };
  const inPrevious = <T>(query: (ctx: SqlContext, window: Window) => Promise<T>) => {
    const ctx = contextFor(input);
    return query(ctx, previousWindow(ctx, input.nowMs));
  };
  const duration = (ctx: SqlContext, window: Window) => averageSessionDuration(input, ctx, window);
  const [c, p, cd, pd] = await Promise.all([
    periodFigures(input),
    periodFigures(input, (ctx) => previousWindow(ctx, input.nowMs)),
    inCurrent(duration),
    inPrevious(duration),
  ]);
  return {
    visitors_growth: growth(c.visitors, p.visitors),
    views_growth: growth(c.views, p.views),
    sessions_growth: growth(c.sessions, p.sessions),
    bounces_growth: growth(c.bounce_rate, p.bounce_rate),
    time_spent_growth: growth(cd, pd),
    cr_growth: growth(c.cr, p.cr),
    custom_metric_avg_growth: growth(c.custom_metric_avg, p.custom_metric_avg),
    custom_metric_total_growth: growth(c.custom_metric_total, p.custom_metric_total),
  };
}

// ---------------------------------------------------------------------------------------------
// Active visitors

/** Default and maximum look-back of `/statistics/active` (seconds). */
const ACTIVE_DEFAULT_MS = 600_000;

interface RawActive {
  a_path: string;
  a_title: string;
  visitors: string;
}

async function computeActive(input: StatisticInput) {
  const filter = input.filter;
  // `start` gives the look-back; without it (or with from/to only) the last 10 minutes. There is
  // no upper bound but the clock: hits may carry a time slightly ahead of ours.
  const fromMs =
    filter.period.kind === 'instant' ? filter.period.fromMs : input.nowMs - ACTIVE_DEFAULT_MS;
  const table = hasEventFilter(filter) ? 'event' : 'page_view';
  const byTitle = input.domain.group_by_title === 1;
  const run = <T>(build: (ctx: SqlContext, source: string) => string) => {
    const ctx = contextFor(input);
    const window = instantWindow(ctx, fromMs, input.nowMs + 86_400_000);
    return runQuery<T>(input.events, build(ctx, rowsSource(ctx, table, window)), ctx.params.values);
  };
  const [stats, total, countries] = await Promise.all([
    run<RawActive>(
      (_ctx, source) => `SELECT v.path AS a_path, ${byTitle ? 'v.title' : `''`} AS a_title,
          uniqExact(v.visitor_id) AS visitors
        ${source}
        GROUP BY a_path, a_title
        ORDER BY visitors DESC, a_path ASC, a_title ASC
        LIMIT ${filter.limit}`,
    ),
    run<{ visitors: string }>(
      (_ctx, source) => `SELECT uniqExact(v.visitor_id) AS visitors ${source}`,
    ),
    run<{ a_country: string; visitors: string }>(
      (_ctx, source) => `SELECT v.country_code AS a_country, uniqExact(v.visitor_id) AS visitors
        ${source}
        GROUP BY a_country
        ORDER BY visitors DESC, a_country ASC`,
    ),
  ]);
  const visitors = num(total[0]?.visitors);
  return {
    stats: stats.map((r) => ({ path: r.a_path, title: r.a_title, visitors: num(r.visitors) })),
    visitors,
    countries: countries.map((r) => ({
      visitors: num(r.visitors),
      relative_visitors: ratio(num(r.visitors), visitors),
      country_code: r.a_country,
    })),
  };
}

// ---------------------------------------------------------------------------------------------

export const seriesStatistics: Statistic[] = [
  {
    path: 'statistics/hours',
    summary: 'Visitors, views, sessions and bounces per hour of the day',
    compute: hourFigures,
  },
  {
    path: 'statistics/duration/session',
    summary: 'Average session duration per day, week, month or year',
    compute: (input) => durationSeries(input, sessionDurationSql),
  },
  {
    path: 'statistics/duration/page',
    summary: 'Average time on page per day, week, month or year',
    compute: (input) =>
      durationSeries(input, (ctx, window, group) => timeOnPageSql(ctx, window, group('r_time'))),
  },
  {
    path: 'statistics/growth',
    summary: 'Growth of visitors, views, sessions, bounce rate and time spent',
    compute: computeGrowth,
  },
  {
    path: 'statistics/active',
    summary: 'Active visitors of the last minutes',
    requirePeriod: false,
    compute: computeActive,
  },
];
