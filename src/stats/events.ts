/**
 * Events, event metadata, event lists, the pages of an event and conversion goals
 * (API.md A.2.17–A.2.20, B.0, B.5 `statistics/event/page`; SEMANTICS §4, §7.11–§7.14, §9;
 * DESIGN.md decisions 9, 13, 19, 21, 26).
 *
 * Events are read from the event table of the window (`rowsSource(…, 'event', …)`: bots excluded,
 * attribute, path/pattern, event name and metadata filters applied, entry/exit filters through
 * the session join). Every event counts on its own day (decision 18). `cr` is always a share of
 * all visitors of the period (SEMANTICS §6.5). Goals are page-view based: a goal's stored RE2
 * `pattern` is matched against the paths of the window's page views.
 */
import type { Condition } from './filter.ts';
import { toGoalJson, type GoalJson } from '../manage/goals.ts';
import {
  orderAndLimit,
  requestWindow,
  rowsSource,
  searchCondition,
  totalViews,
  sessionKey,
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

/** One element of `/statistics/events` and `/statistics/event/meta` (`EventStats` + B.0 `count`). */
export interface EventStats {
  name: string;
  visitors: number;
  views: number;
  cr: number;
  average_duration_seconds: number;
  meta_keys: string[];
  meta_value: string;
  count: number;
}

/** One element of `/statistics/event/list`. */
export interface EventListStats {
  name: string;
  meta: Record<string, string>;
  visitors: number;
  count: number;
}

/** One element of `/statistics/event/page`: the page object of A.2.14. */
export interface EventPageStats {
  path: string;
  title: string;
  visitors: number;
  views: number;
  sessions: number;
  bounces: number;
  relative_visitors: number;
  relative_views: number;
  bounce_rate: number;
  average_time_spent_seconds: number;
}

/** The goal object of `page_goal`: A.9 plus the B.4 goal fields (no event goals here: null). */
export interface PageGoal extends GoalJson {
  event_name: string | null;
  event_meta_key: string | null;
  event_meta_value: string | null;
  custom_metric_key: string | null;
  custom_metric_type: 'integer' | 'float' | null;
  custom_metric_total_goal: number | null;
  custom_metric_avg_goal: number | null;
  tags: string[];
}

/** One element of `/statistics/goals` (A.2.17; `stats` with the B.0 custom-metric fields). */
export interface GoalStats {
  page_goal: PageGoal;
  stats: {
    visitors: number;
    views: number;
    cr: number;
    custom_metric_avg: number;
    custom_metric_total: number;
  };
}

const isPositive = (c: Condition): boolean => c.op === 'eq' || c.op === 'contains';

/**
 * Mean of the non-zero durations, rounded half away from zero to whole seconds (decisions 17,
 * 26), as SQL over the event alias `v`. Durations are never negative, so `floor(x + 0.5)` is
 * exactly "half away from zero"; rounding in SQL lets `sort=average_duration_seconds` order by
 * the value the client sees.
 */
const AVERAGE_DURATION = `toUInt64(floor(ifNotFinite(avgIf(v.duration_seconds, v.duration_seconds > 0), 0) + 0.5))`;

// ---------------------------------------------------------------------------------------------
// /statistics/events and /statistics/event/meta

interface RawEventStats {
  name: string;
  meta_value: string;
  visitors: string;
  count: string;
  cr: number;
  average_duration_seconds: string;
  meta_keys: string[];
}

/**
 * Events grouped by name — or, with `metaKey` (a bound placeholder), by name and the value of
 * that key, restricted to events carrying the key (SEMANTICS §7.12, §7.13). The inner query
 * aggregates under `e_*` aliases so the outer response names never shadow a column.
 */
function eventStatsSql(
  ctx: SqlContext,
  window: Window,
  metaKey: string | undefined,
  totalVisitors: number,
): string {
  const total = ctx.params.add(totalVisitors, 'UInt64');
  const value = metaKey === undefined ? `''` : `v.meta_values[indexOf(v.meta_keys, ${metaKey})]`;
  const where = [
    ...(metaKey === undefined ? [] : [`has(v.meta_keys, ${metaKey})`]),
    ...searchCondition(ctx, metaKey === undefined ? 'toString(v.name)' : value),
  ];
  const keys =
    metaKey === undefined
      ? `arraySort(groupUniqArrayArray(arrayMap(k -> toString(k), v.meta_keys)))`
      : `CAST([], 'Array(String)')`;
  const defaults =
    metaKey === undefined
      ? ['visitors DESC', 'name ASC']
      : ['visitors DESC', 'meta_value ASC', 'name ASC'];
  return `SELECT e_name AS name, e_value AS meta_value, e_visitors AS visitors, e_count AS views,
      e_count AS count, e_visitors / greatest(${total}, 1) AS cr,
      e_average AS average_duration_seconds, e_keys AS meta_keys
    FROM (
      SELECT toString(v.name) AS e_name, ${value} AS e_value,
        uniqExact(v.visitor_id) AS e_visitors, count() AS e_count,
        ${AVERAGE_DURATION} AS e_average, ${keys} AS e_keys
      ${rowsSource(ctx, 'event', window)}${where.map((c) => ` AND ${c}`).join('')}
      GROUP BY e_name, e_value
    )
    ${orderAndLimit(ctx, defaults)}`;
}

async function eventStats(
  input: StatisticInput,
  metaKey: string | undefined,
): Promise<EventStats[]> {
  const total = await totalVisitorsOf(input);
  const ctx = contextFor(input);
  const window = requestWindow(ctx);
  const key = metaKey === undefined ? undefined : ctx.params.add(metaKey, 'String');
  const rows = await runQuery<RawEventStats>(
    input.events,
    eventStatsSql(ctx, window, key, total),
    ctx.params.values,
  );
  return rows.map((r) => ({
    name: r.name,
    visitors: num(r.visitors),
    views: num(r.count),
    cr: Number(r.cr),
    average_duration_seconds: roundSeconds(num(r.average_duration_seconds)),
    meta_keys: r.meta_keys,
    meta_value: r.meta_value,
    count: num(r.count),
  }));
}

/**
 * The key `/event/meta` breaks down by: the first plain `event_meta_key` value, and only when an
 * event name is selected (A.2.19: both required, else `[]`).
 */
function breakdownKey(input: StatisticInput): string | undefined {
  const { event, eventMetaKey } = input.filter;
  if (!event.some(isPositive)) return undefined;
  return eventMetaKey.find((c) => c.op === 'eq')?.value;
}

// ---------------------------------------------------------------------------------------------
// /statistics/event/list

interface RawEventList {
  name: string;
  meta_keys: string[];
  meta_values: string[];
  visitors: string;
  count: string;
}

/**
 * Events grouped by name and metadata. The metadata is compared as its (key, value) pairs sorted
 * by key, so the same metadata sent with its keys in another order is one row (the stored order
 * is arbitrary: SEMANTICS §4.1; the v3.8.1 split is an [artefact], decision 1).
 */
function eventListSql(ctx: SqlContext, window: Window): string {
  const where = searchCondition(ctx, 'toString(v.name)');
  return `SELECT e_name AS name, arrayMap(p -> p.1, e_pairs) AS meta_keys,
      arrayMap(p -> p.2, e_pairs) AS meta_values, e_visitors AS visitors, e_count AS count
    FROM (
      SELECT toString(g_name) AS e_name,
        arraySort(arrayZip(arrayMap(k -> toString(k), g_keys), g_values)) AS e_pairs,
        uniqExactMerge(g_visitors) AS e_visitors, sum(g_count) AS e_count
      FROM (
        -- Group by the stored columns first: sorting the pairs of every event row costs more
        -- than the whole scan; per distinct stored combination it is negligible.
        SELECT v.name AS g_name, v.meta_keys AS g_keys, v.meta_values AS g_values,
          uniqExactState(v.visitor_id) AS g_visitors, count() AS g_count
        ${rowsSource(ctx, 'event', window)}${where.map((c) => ` AND ${c}`).join('')}
        GROUP BY g_name, g_keys, g_values
      )
      GROUP BY e_name, e_pairs
    )
    ${orderAndLimit(ctx, ['count DESC', 'name ASC', 'e_pairs ASC'])}`;
}

async function eventList(input: StatisticInput): Promise<EventListStats[]> {
  const ctx = contextFor(input);
  const rows = await runQuery<RawEventList>(
    input.events,
    eventListSql(ctx, requestWindow(ctx)),
    ctx.params.values,
  );
  return rows.map((r) => {
    const meta: Record<string, string> = {};
    r.meta_keys.forEach((key, i) => {
      meta[key] = r.meta_values[i] ?? '';
    });
    return { name: r.name, meta, visitors: num(r.visitors), count: num(r.count) };
  });
}

// ---------------------------------------------------------------------------------------------
// /statistics/event/page

interface RawEventPage {
  path: string;
  title: string;
  visitors: string;
  views: string;
  sessions: string;
  bounces: string;
  relative_visitors: number;
  relative_views: number;
  average_time_spent_seconds: string;
}

/**
 * The pages the selected events happened on (B.5), grouped by the event's path (and title when
 * the domain groups by title): visitors who sent the event there, `views` = number of events,
 * sessions with one, and those of them whose latest state is a bounce (SEMANTICS §6.5, §8.4).
 */
function eventPagesSql(
  ctx: SqlContext,
  window: Window,
  byTitle: boolean,
  totalVisitors: number,
): string {
  const where = searchCondition(ctx, 'toString(v.path)');
  const average = ctx.filter.includeAvgTimeOnPage ? AVERAGE_DURATION : '0';
  return `SELECT p_path AS path, p_title AS title, p_visitors AS visitors, p_views AS views,
      p_sessions AS sessions, p_bounces AS bounces,
      p_visitors / greatest(${ctx.params.add(totalVisitors, 'UInt64')}, 1) AS relative_visitors,
      p_views / greatest(${totalViews(ctx, window)}, 1) AS relative_views,
      p_bounces / if(p_sessions = 0, 1, p_sessions) AS bounce_rate,
      p_average AS average_time_spent_seconds
    FROM (
      SELECT toString(v.path) AS p_path, ${byTitle ? 'toString(v.title)' : `''`} AS p_title,
        uniqExact(v.visitor_id) AS p_visitors, count() AS p_views,
        uniqExact(${sessionKey('v.visitor_id', 'v.session_id')}) AS p_sessions,
        uniqExactIf(${sessionKey('v.visitor_id', 'v.session_id')}, s.s_bounce = 1) AS p_bounces,
        ${average} AS p_average
      ${rowsSource(ctx, 'event', window, { sessionColumns: ['s_bounce'] })}${where
        .map((c) => ` AND ${c}`)
        .join('')}
      GROUP BY p_path, p_title
    )
    ${orderAndLimit(ctx, ['visitors DESC', 'path ASC', 'title ASC'])}`;
}

async function eventPages(input: StatisticInput): Promise<EventPageStats[]> {
  // The event name must be set (JS SDK `eventPages`), else there is nothing to list.
  if (!input.filter.event.some(isPositive)) return [];
  const total = await totalVisitorsOf(input);
  const ctx = contextFor(input);
  const sql = eventPagesSql(ctx, requestWindow(ctx), input.domain.group_by_title === 1, total);
  const rows = await runQuery<RawEventPage>(input.events, sql, ctx.params.values);
  return rows.map((r) => {
    const sessions = num(r.sessions);
    const bounces = num(r.bounces);
    return {
      path: r.path,
      title: r.title,
      visitors: num(r.visitors),
      views: num(r.views),
      sessions,
      bounces,
      relative_visitors: Number(r.relative_visitors),
      relative_views: Number(r.relative_views),
      bounce_rate: ratio(bounces, sessions),
      average_time_spent_seconds: roundSeconds(num(r.average_time_spent_seconds)),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// /statistics/goals

/** Fields `sort` may name on `/statistics/goals` (goal fields and `stats` fields). */
const GOAL_SORT_FIELDS = ['name', 'path_pattern', 'visitors', 'views', 'cr'] as const;
type GoalSortField = (typeof GOAL_SORT_FIELDS)[number];

/** Byte-order comparison of two strings (UTF-8, like the engine's string order). */
const compareBytes = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** The `search` of the filter as a predicate on a goal name (case-insensitive, `!` negates). */
function nameSearch(search: string): (name: string) => boolean {
  const negate = search.startsWith('!');
  const input = (negate ? search.slice(1) : search).trim().toLowerCase();
  if (input === '') return () => true;
  return (name) => name.toLowerCase().includes(input) !== negate;
}

interface RawGoalFigures {
  [column: string]: string;
}

/**
 * Visitors and page views matching each goal's pattern (one column pair per goal) among the
 * window's page views with the request's filters (SEMANTICS §7.11); `cr` divides by
 * `totalVisitorsOf`.
 */
function goalFiguresSql(ctx: SqlContext, window: Window, patterns: readonly string[]): string {
  const matches = patterns.map((p) => `match(v.path, ${ctx.params.add(p, 'String')})`);
  const columns = matches.map(
    (m, i) => `uniqExactIf(v.visitor_id, ${m}) AS g${i}_visitors, countIf(${m}) AS g${i}_views`,
  );
  return `SELECT ${columns.join(', ')}
    ${rowsSource(ctx, 'page_view', window)} AND (${matches.join(' OR ')})`;
}

async function goalStats(input: StatisticInput): Promise<GoalStats[]> {
  const search = nameSearch(input.filter.search);
  const goals = (
    await input.meta
      .selectFrom('goal')
      .selectAll()
      .where('domain_id', '=', input.domain.id)
      .execute()
  )
    .map(toGoalJson)
    .filter((g) => search(g.name));
  if (goals.length === 0) return [];

  const ctx = contextFor(input);
  const sql = goalFiguresSql(
    ctx,
    requestWindow(ctx),
    goals.map((g) => g.pattern),
  );
  const [[row], total] = await Promise.all([
    runQuery<RawGoalFigures>(input.events, sql, ctx.params.values),
    totalVisitorsOf(input),
  ]);
  const results: GoalStats[] = goals.map((goal, i) => {
    const visitors = num(row?.[`g${i}_visitors`]);
    return {
      page_goal: {
        ...goal,
        event_name: null,
        event_meta_key: null,
        event_meta_value: null,
        custom_metric_key: null,
        custom_metric_type: null,
        custom_metric_total_goal: null,
        custom_metric_avg_goal: null,
        tags: [],
      },
      stats: {
        visitors,
        views: num(row?.[`g${i}_views`]),
        cr: ratio(visitors, total),
        custom_metric_avg: 0,
        custom_metric_total: 0,
      },
    };
  });

  const value = (g: GoalStats, field: GoalSortField): number | string =>
    field === 'name' || field === 'path_pattern' ? g.page_goal[field] : g.stats[field];
  const compare = (a: GoalStats, b: GoalStats, field: GoalSortField): number => {
    const x = value(a, field);
    const y = value(b, field);
    return typeof x === 'string' ? compareBytes(x, y as string) : x - (y as number);
  };
  // Default order (decision 19): visitors desc, then goal name asc (byte order), then id.
  const byDefault = (a: GoalStats, b: GoalStats): number =>
    compare(b, a, 'visitors') ||
    compare(a, b, 'name') ||
    compareBytes(a.page_goal.id, b.page_goal.id);
  const sort = input.filter.sort;
  results.sort((a, b) => {
    if (sort) {
      const field = sort.field as GoalSortField;
      const c = sort.direction === 'asc' ? compare(a, b, field) : compare(b, a, field);
      if (c !== 0) return c;
    }
    return byDefault(a, b);
  });
  return results.slice(0, input.filter.limit);
}

// ---------------------------------------------------------------------------------------------

const EVENT_SORT_FIELDS = [
  'name',
  'visitors',
  'views',
  'count',
  'cr',
  'average_duration_seconds',
] as const;

export const eventStatistics: Statistic[] = [
  {
    path: 'statistics/goals',
    summary: 'Conversion goals: visitors and page views matching each goal of the domain',
    sortFields: GOAL_SORT_FIELDS,
    compute: goalStats,
  },
  {
    path: 'statistics/events',
    summary: 'Events grouped by name',
    sortFields: EVENT_SORT_FIELDS,
    compute: (input) => eventStats(input, undefined),
  },
  {
    path: 'statistics/event/meta',
    summary: 'One event broken down by the values of one metadata key',
    sortFields: [...EVENT_SORT_FIELDS, 'meta_value'],
    compute: async (input) => {
      const key = breakdownKey(input);
      return key === undefined ? [] : eventStats(input, key);
    },
  },
  {
    path: 'statistics/event/list',
    summary: 'Events grouped by name and metadata',
    sortFields: ['name', 'visitors', 'count'],
    compute: eventList,
  },
  {
    path: 'statistics/event/page',
    summary: 'Pages on which an event happened',
    sortFields: [
      'path',
      'title',
      'visitors',
      'views',
      'sessions',
      'bounces',
      'relative_visitors',
      'relative_views',
      'bounce_rate',
      'average_time_spent_seconds',
    ],
    compute: eventPages,
  },
];
