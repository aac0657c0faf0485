/**
 * Visitors, views, sessions and bounces: for the whole period (`/statistics/total`) and per
 * bucket (`/statistics/visitor`). Also the shared "figures" query other families reuse.
 */
import { hasEventFilter, hasPageFilter, type Scale } from './filter.ts';
import {
  bucketSql,
  bucketTimestamp,
  bucketsBetween,
  collapsedSessions,
  requestWindow,
  rowsSource,
  sessionKey,
  type SqlContext,
  type Window,
} from './sql.ts';
import {
  contextFor,
  num,
  ratio,
  runQuery,
  totalVisitorsOf,
  type Statistic,
  type StatisticInput,
} from './statistic.ts';

/** The five figures of A.2.12 plus `cr` and the custom-metric fields of B.0. */
export interface Figures {
  visitors: number;
  views: number;
  sessions: number;
  bounces: number;
  bounce_rate: number;
  cr: number;
  custom_metric_avg: number;
  custom_metric_total: number;
}

/** A row of `figuresSql` as the engine returns it. */
export interface RawFigures {
  bucket: string;
  visitors: string;
  sessions: string;
  bounces: string;
  views: string;
}

/**
 * One query for the figures, grouped by `group` (a SQL expression over the time column given
 * as `{time}`) or not grouped. Without page/event filters visitors, sessions and bounces come
 * from sessions (counted where they started) and views from page views (counted on their own
 * day); with a page or event filter everything comes from the matching rows (decision 21).
 */
export function figuresSql(
  ctx: SqlContext,
  window: Window,
  group: ((time: string) => string) | undefined,
): string {
  const key = (time: string) => (group ? group(time) : `''`);
  if (hasPageFilter(ctx.filter) || hasEventFilter(ctx.filter)) {
    const table = hasEventFilter(ctx.filter) ? 'event' : 'page_view';
    return `SELECT toString(${key('v.time')}) AS bucket,
        uniqExact(v.visitor_id) AS visitors,
        uniqExact(${sessionKey('v.visitor_id', 'v.session_id')}) AS sessions,
        uniqExactIf(${sessionKey('v.visitor_id', 'v.session_id')}, s.s_bounce = 1) AS bounces,
        count() AS views
      ${rowsSource(ctx, table, window, { sessionColumns: ['s_bounce'] })}
      GROUP BY bucket`;
  }
  const sessions = `SELECT toString(${key('s_start')}) AS bucket,
        uniqExact(visitor_id) AS visitors, count() AS sessions, countIf(s_bounce = 1) AS bounces
      FROM (${collapsedSessions(ctx, window, { scope: 'start' })}) GROUP BY bucket`;
  const views = `SELECT toString(${key('v.time')}) AS bucket, count() AS views
      ${rowsSource(ctx, 'page_view', window, { page: false })} GROUP BY bucket`;
  return `SELECT bucket, sum(visitors) AS visitors, sum(sessions) AS sessions, sum(bounces) AS bounces,
        sum(views) AS views
      FROM (
        SELECT bucket, visitors, sessions, bounces, 0 AS views FROM (${sessions})
        UNION ALL
        SELECT bucket, 0, 0, 0, views FROM (${views})
      )
      GROUP BY bucket`;
}

/** Turn a raw row into the API figures. */
export function toFigures(raw: RawFigures | undefined, totalVisitorsOfPeriod: number): Figures {
  const visitors = num(raw?.visitors);
  const sessions = num(raw?.sessions);
  const bounces = num(raw?.bounces);
  return {
    visitors,
    views: num(raw?.views),
    sessions,
    bounces,
    bounce_rate: ratio(bounces, sessions),
    cr: ratio(visitors, totalVisitorsOfPeriod),
    custom_metric_avg: 0,
    custom_metric_total: 0,
  };
}

/** Figures of one whole window: the request's, or the one `windowOf` builds (growth). */
export async function periodFigures(
  input: StatisticInput,
  windowOf: (ctx: SqlContext) => Window = requestWindow,
): Promise<Figures> {
  const ctx = contextFor(input);
  const [rows, total] = await Promise.all([
    runQuery<RawFigures>(
      input.events,
      figuresSql(ctx, windowOf(ctx), undefined),
      ctx.params.values,
    ),
    totalVisitorsOf(input, windowOf),
  ]);
  return toFigures(rows[0], total);
}

/** Figures per bucket of `scale`, gap-free from the first to the last requested day. */
export async function bucketFigures(
  input: StatisticInput,
  scale: Scale,
): Promise<(Figures & { bucket: string })[]> {
  const ctx = contextFor(input);
  const window = requestWindow(ctx);
  const sql = figuresSql(ctx, window, (time) => bucketSql(ctx, time, scale));
  const rows = await runQuery<RawFigures>(input.events, sql, ctx.params.values);
  const byBucket = new Map(rows.map((r) => [r.bucket, r]));
  const totalOfPeriod = await totalVisitorsOf(input);
  const period = input.filter.period;
  const buckets =
    period.kind === 'days'
      ? bucketsBetween(period.from, period.to, scale)
      : [...byBucket.keys()].sort();
  return buckets.map((bucket) => ({ bucket, ...toFigures(byBucket.get(bucket), totalOfPeriod) }));
}

/** The bucket fields of A.2.4: only the one of the scale is set. */
export function bucketFields(bucket: string, scale: Scale) {
  const at = bucketTimestamp(bucket);
  return {
    day: scale === 'day' ? at : null,
    week: scale === 'week' ? at : null,
    month: scale === 'month' ? at : null,
    year: scale === 'year' ? at : null,
  };
}

export const totalStatistics: Statistic[] = [
  {
    path: 'statistics/total',
    summary: 'Visitors, views, sessions and bounces of the period',
    compute: (input) => periodFigures(input),
  },
  {
    path: 'statistics/visitor',
    summary: 'Visitors, views, sessions and bounces per day, week, month or year',
    compute: async (input) => {
      const scale = input.filter.scale;
      const rows = await bucketFigures(input, scale);
      return rows.map(({ bucket, ...figures }) => ({ ...bucketFields(bucket, scale), ...figures }));
    },
  },
];
