/**
 * Pages, entry pages and exit pages (API.md A.2.14–A.2.16, SEMANTICS §7.4–§7.6 and §8.4, with
 * DESIGN.md decisions 1, 16–21). Each list is one ClickHouse query, so `sort`, the default order
 * and `limit` all apply in SQL, time on page included.
 *
 * - Pages are page-view-sourced: one row per path (and title when the domain groups by title),
 *   counting the page views of the window that pass every filter (entry/exit filters through the
 *   session join). With an event filter the matching events are grouped by their path instead
 *   (decision 21: visitors/sessions/views refer to events).
 * - Entry/exit pages count the sessions that started in the window (decision 18) by their entry
 *   (exit) path; a path/pattern (or event) filter keeps the sessions with a matching page view
 *   (event) in the window. Per path, `visitors`/`sessions` are those that viewed the path in the
 *   window, whatever the path and entry/exit filters (SEMANTICS §7.5, §8.4); with an event
 *   filter, only sessions that contain a matching event. `entry_rate`/`exit_rate` divide by all
 *   sessions of the period (SEMANTICS §7.5 "Later", decision 1; API.md A.2.15).
 */
import { Type } from 'typebox';
import { hasEventFilter, hasPageFilter } from './filter.ts';
import {
  allSessions,
  collapsedSessions,
  domainParam,
  eventConditions,
  orderAndLimit,
  pageConditions,
  requestWindow,
  rowsSource,
  searchCondition,
  timeOnPageRows,
  withLookahead,
  totalViews,
  within,
  sessionKey,
  type SqlContext,
  type Window,
} from './sql.ts';
import {
  contextFor,
  num,
  runQuery,
  totalVisitorsOf,
  type Statistic,
  type StatisticInput,
} from './statistic.ts';

/** A.2.14. */
export interface PageStats {
  path: string;
  title: string;
  visitors: number;
  sessions: number;
  views: number;
  bounces: number;
  bounce_rate: number;
  relative_visitors: number;
  relative_views: number;
  average_time_spent_seconds: number;
}

/** A.2.15. */
export interface EntryStats {
  path: string;
  title: string;
  visitors: number;
  sessions: number;
  entries: number;
  entry_rate: number;
  average_time_spent_seconds: number;
}

/** A.2.16. */
export interface ExitStats {
  path: string;
  title: string;
  visitors: number;
  sessions: number;
  exits: number;
  exit_rate: number;
}

const PAGE_FIELDS = [
  'path',
  'title',
  'visitors',
  'sessions',
  'views',
  'bounces',
  'bounce_rate',
  'relative_visitors',
  'relative_views',
  'average_time_spent_seconds',
] as const;
const ENTRY_FIELDS = [
  'path',
  'title',
  'visitors',
  'sessions',
  'entries',
  'entry_rate',
  'average_time_spent_seconds',
] as const;
const EXIT_FIELDS = ['path', 'title', 'visitors', 'sessions', 'exits', 'exit_rate'] as const;

/** Titles are grouped (and returned) only when the domain groups by title; else `""` (A.2.14). */
const groupsByTitle = (input: StatisticInput): boolean => input.domain.group_by_title === 1;

/** Whole seconds, half away from zero (decision 17), of a non-negative average; NaN → 0. */
const roundedSql = (average: string): string => `toUInt32(floor(ifNotFinite(${average}, 0) + 0.5))`;

/** `AND`-joined conditions, `1` when there are none. */
const all = (conditions: readonly string[]): string =>
  conditions.length === 0 ? '1' : conditions.join(' AND ');

/**
 * Average time on page per path (and title), over the page views of the window that pass the
 * filters (attributes, path/pattern, entry/exit): `SELECT t_path, t_title, t_average`. Time on
 * page = next page view's time − this page view's time in the same session, in whole seconds as
 * ingestion measures it (events and keep-alives are not page views, so they do not count; a
 * session's last page has none); the average is over the non-zero values (decision 17), left
 * unrounded. The next page view may be of any path and host, and may lie after the window's end.
 */
function timeOnPageSql(ctx: SqlContext, window: Window, withTitle: boolean): string {
  return `SELECT r_path AS t_path, ${withTitle ? 'r_title' : "''"} AS t_title, avg(r_top) AS t_average
    FROM (${timeOnPageRows(ctx, window)})
    WHERE r_top > 0
    GROUP BY t_path, t_title`;
}

/** `/statistics/page`: one query, ordered and limited. */
function pagesSql(
  ctx: SqlContext,
  window: Window,
  withTitle: boolean,
  totalVisitors: number,
): string {
  const events = hasEventFilter(ctx.filter);
  const include = ctx.filter.includeAvgTimeOnPage;
  const source = rowsSource(ctx, events ? 'event' : 'page_view', window, {
    sessionColumns: ['s_bounce'],
  });
  const search = searchCondition(ctx, 'v.path').map((c) => ` AND ${c}`);
  const grouped = `SELECT v.path AS g_path, ${withTitle ? 'v.title' : "''"} AS g_title,
      uniqExact(v.visitor_id) AS g_visitors,
      uniqExact(${sessionKey('v.visitor_id', 'v.session_id')}) AS g_sessions,
      count() AS g_views,
      uniqExactIf(${sessionKey('v.visitor_id', 'v.session_id')}, s.s_bounce = 1) AS g_bounces
      ${events ? ', avgIf(v.duration_seconds, v.duration_seconds > 0) AS g_event_average' : ''}
    ${source}${search.join('')}
    GROUP BY g_path, g_title`;
  // With an event filter the time is the events' average duration (SEMANTICS §7.4).
  const joinTime = include && !events;
  const average = !include ? '0' : roundedSql(events ? 'g.g_event_average' : 't.t_average');
  return `SELECT g.g_path AS path, g.g_title AS title,
      g.g_visitors AS visitors, g.g_sessions AS sessions, g.g_views AS views,
      g.g_bounces AS bounces,
      g.g_bounces / if(g.g_sessions = 0, 1, g.g_sessions) AS bounce_rate,
      g.g_visitors / greatest(${ctx.params.add(totalVisitors, 'UInt64')}, 1) AS relative_visitors,
      g.g_views / greatest(${totalViews(ctx, window)}, 1) AS relative_views,
      ${average} AS average_time_spent_seconds
    FROM (${grouped}) AS g
    ${
      joinTime
        ? `LEFT JOIN (${timeOnPageSql(ctx, window, withTitle)}) AS t
            ON t.t_path = g.g_path AND t.t_title = g.g_title`
        : ''
    }
    ${orderAndLimit(ctx, ['visitors DESC', 'path ASC', 'title ASC'])}`;
}

/**
 * The number of all sessions that started in the window (`allSessions`):
 * the base of `entry_rate` and `exit_rate`. A scalar subquery.
 */
function totalSessions(ctx: SqlContext, window: Window): string {
  return `(SELECT count() FROM (${allSessions(ctx, window)}))`;
}

/**
 * With a path/pattern filter, the sessions with a matching page view in the window; with an
 * event filter, those with a matching event (on a matching path). No condition otherwise.
 */
function sessionsWithMatch(ctx: SqlContext, window: Window): string[] {
  const events = hasEventFilter(ctx.filter);
  if (!events && !hasPageFilter(ctx.filter)) return [];
  const conditions = [
    `r.domain_id = ${domainParam(ctx)}`,
    within('r.time', window),
    ...(events ? eventConditions(ctx, 'r') : []),
    ...pageConditions(ctx, 'r'),
  ];
  return [
    `(visitor_id, session_id) IN (SELECT r.visitor_id, r.session_id
      FROM ${ctx.db}.${events ? 'event' : 'page_view'} AS r WHERE ${all(conditions)})`,
  ];
}

/**
 * The entry view's time on page of every session with page views in the window (or just after
 * it): second page view's time − first page view's time in whole seconds (as ingestion measures
 * it), 0 for single-page sessions.
 */
function entryViewTimeSql(ctx: SqlContext, window: Window): string {
  const extended = withLookahead(window);
  return `SELECT visitor_id, session_id,
      arraySort(groupArray(toInt64(toUnixTimestamp(time)))) AS view_times,
      if(length(view_times) >= 2, view_times[2] - view_times[1], 0) AS on_page
    FROM ${ctx.db}.page_view
    WHERE domain_id = ${domainParam(ctx)} AND ${within('time', extended)}
    GROUP BY visitor_id, session_id`;
}

type Side = 'entry' | 'exit';

/** `/statistics/page/entry` and `/statistics/page/exit`: one query, ordered and limited. */
function entryExitSql(ctx: SqlContext, window: Window, side: Side, withTitle: boolean): string {
  const pathColumn = side === 'entry' ? 's_entry_path' : 's_exit_path';
  const titleColumn = side === 'entry' ? 's_entry_title' : 's_exit_title';
  const counted = side === 'entry' ? 'entries' : 'exits';
  const rate = side === 'entry' ? 'entry_rate' : 'exit_rate';
  const withTime = side === 'entry' && ctx.filter.includeAvgTimeOnPage;

  const sessions = `SELECT visitor_id, session_id, ${pathColumn} AS x_path,
      ${withTitle ? titleColumn : "''"} AS x_title
    FROM (${collapsedSessions(ctx, window, { scope: 'start' })})
    WHERE ${all([...searchCondition(ctx, pathColumn), ...sessionsWithMatch(ctx, window)])}`;
  // Decision 17: entry pages' time is over those entry views only.
  const grouped = withTime
    ? `SELECT x.x_path AS e_path, x.x_title AS e_title, count() AS e_count,
        avgIf(t.on_page, t.on_page > 0) AS e_average
      FROM (${sessions}) AS x
      LEFT JOIN (${entryViewTimeSql(ctx, window)}) AS t
        ON t.visitor_id = x.visitor_id AND t.session_id = x.session_id
      GROUP BY e_path, e_title`
    : `SELECT x_path AS e_path, x_title AS e_title, count() AS e_count
      FROM (${sessions}) GROUP BY e_path, e_title`;

  // Visitors and sessions that viewed each path: path and entry/exit filters do not apply; with
  // an event filter only sessions that contain a matching event (decision 21).
  const eventSessions = hasEventFilter(ctx.filter)
    ? [
        ` AND (v.visitor_id, v.session_id) IN (SELECT r.visitor_id, r.session_id
          FROM ${ctx.db}.event AS r
          WHERE ${all([`r.domain_id = ${domainParam(ctx)}`, within('r.time', window), ...eventConditions(ctx, 'r')])})`,
      ]
    : [];
  const perPath = `SELECT v.path AS p_path, uniqExact(v.visitor_id) AS p_visitors,
      uniqExact(${sessionKey('v.visitor_id', 'v.session_id')}) AS p_sessions
    ${rowsSource(ctx, 'page_view', window, { page: false, entryExit: false })}${eventSessions.join('')}
    GROUP BY p_path`;

  return `SELECT e.e_path AS path, e.e_title AS title,
      p.p_visitors AS visitors, p.p_sessions AS sessions,
      e.e_count AS ${counted},
      e.e_count / greatest(${totalSessions(ctx, window)}, 1) AS ${rate}
      ${side === 'entry' ? `, ${withTime ? roundedSql('e.e_average') : '0'} AS average_time_spent_seconds` : ''}
    FROM (${grouped}) AS e
    LEFT JOIN (${perPath}) AS p ON p.p_path = e.e_path
    ${orderAndLimit(ctx, [`${counted} DESC`, 'path ASC', 'title ASC'])}`;
}

type Raw<T> = { [K in keyof T]: string | number };

/** Pages (A.2.14). */
export async function pages(input: StatisticInput): Promise<PageStats[]> {
  const ctx = contextFor(input);
  const total = await totalVisitorsOf(input);
  const sql = pagesSql(ctx, requestWindow(ctx), groupsByTitle(input), total);
  const rows = await runQuery<Raw<PageStats>>(input.events, sql, ctx.params.values);
  return rows.map((r) => ({
    path: String(r.path),
    title: String(r.title),
    visitors: num(r.visitors),
    sessions: num(r.sessions),
    views: num(r.views),
    bounces: num(r.bounces),
    bounce_rate: num(r.bounce_rate),
    relative_visitors: num(r.relative_visitors),
    relative_views: num(r.relative_views),
    average_time_spent_seconds: num(r.average_time_spent_seconds),
  }));
}

/** Entry pages (A.2.15). */
export async function entryPages(input: StatisticInput): Promise<EntryStats[]> {
  const ctx = contextFor(input);
  const sql = entryExitSql(ctx, requestWindow(ctx), 'entry', groupsByTitle(input));
  const rows = await runQuery<Raw<EntryStats>>(input.events, sql, ctx.params.values);
  return rows.map((r) => ({
    path: String(r.path),
    title: String(r.title),
    visitors: num(r.visitors),
    sessions: num(r.sessions),
    entries: num(r.entries),
    entry_rate: num(r.entry_rate),
    average_time_spent_seconds: num(r.average_time_spent_seconds),
  }));
}

/** Exit pages (A.2.16). */
export async function exitPages(input: StatisticInput): Promise<ExitStats[]> {
  const ctx = contextFor(input);
  const sql = entryExitSql(ctx, requestWindow(ctx), 'exit', groupsByTitle(input));
  const rows = await runQuery<Raw<ExitStats>>(input.events, sql, ctx.params.values);
  return rows.map((r) => ({
    path: String(r.path),
    title: String(r.title),
    visitors: num(r.visitors),
    sessions: num(r.sessions),
    exits: num(r.exits),
    exit_rate: num(r.exit_rate),
  }));
}

const text = Type.String();
const count = Type.Integer({ minimum: 0 });
const rate = Type.Number();

const PageStatsSchema = Type.Array(
  Type.Object({
    path: text,
    title: text,
    visitors: count,
    sessions: count,
    views: count,
    bounces: count,
    bounce_rate: rate,
    relative_visitors: rate,
    relative_views: rate,
    average_time_spent_seconds: count,
  }),
);
const EntryStatsSchema = Type.Array(
  Type.Object({
    path: text,
    title: text,
    visitors: count,
    sessions: count,
    entries: count,
    entry_rate: rate,
    average_time_spent_seconds: count,
  }),
);
const ExitStatsSchema = Type.Array(
  Type.Object({
    path: text,
    title: text,
    visitors: count,
    sessions: count,
    exits: count,
    exit_rate: rate,
  }),
);

export const pageStatistics: Statistic[] = [
  {
    path: 'statistics/page',
    summary: 'Pages with visitors, views, sessions, bounces and time on page',
    sortFields: PAGE_FIELDS,
    response: PageStatsSchema,
    compute: pages,
  },
  {
    path: 'statistics/page/entry',
    summary: 'Entry pages: sessions that started on each page',
    sortFields: ENTRY_FIELDS,
    response: EntryStatsSchema,
    compute: entryPages,
  },
  {
    path: 'statistics/page/exit',
    summary: 'Exit pages: sessions that ended on each page',
    sortFields: EXIT_FIELDS,
    response: ExitStatsSchema,
    compute: exitPages,
  },
];
