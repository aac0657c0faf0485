/**
 * Referrers, UTM, languages, countries, regions, cities, devices, platforms, screens, tags and
 * keywords (API.md A.2.7–A.2.11, A.2.24–A.2.34, B.0, B.5; SEMANTICS.md §7.15–§7.17).
 *
 * Every ranked breakdown is one row of the `DIMENSIONS` table and goes through one query shape:
 *
 * 1. **base rows** — one row per session that started in the window (decision 18), with the
 *    dimension columns carried through `collapsedSessions`; or, when a path/pattern (page views)
 *    or event filter (events) is set, one row per matching page view/event (decision 21);
 * 2. the endpoint's `search` and the UTM rule "no empty value" (decision 20) on those rows;
 * 3. grouped by the dimension: unique visitors (and sessions/bounces for referrers), the share of
 *    all visitors of the period, ordered visitors desc then label asc (decision 19) unless `sort`
 *    says otherwise, limited.
 *
 * SQL aliases are prefixed (`c_` for base columns, `p_` for values picked per group) so an alias
 * never shadows a stored column name (ClickHouse rejects `any(x) AS x` next to `WHERE x`).
 */
import type { Filter } from './filter.ts';
import { hasEventFilter, hasPageFilter } from './filter.ts';
import {
  collapsedSessions,
  conditionSql,
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
  runQuery,
  totalVisitorsOf,
  type Statistic,
  type StatisticInput,
} from './statistic.ts';

/** One ranked dimension breakdown: adding an endpoint is adding one of these. */
export interface Dimension {
  path: string;
  summary: string;
  /**
   * Response fields holding the dimension, each also the stored column of that name, in label
   * order (the default order's tie-breakers).
   */
  fields: readonly string[];
  /**
   * The fields rows are grouped by (default: all of them). The other fields show the group's most
   * frequent value combination (ties: the byte-smallest).
   */
  group?: (filter: Filter) => readonly string[];
  /** Fields `search` looks into (default: the first field); several are searched together. */
  search?: readonly string[];
  /** `search` may be a comma-separated list of exact codes (language, country). */
  commaSearch?: boolean;
  /** Leave out the row of the empty value (UTM endpoints, decision 20). */
  omitEmpty?: boolean;
  /** Also answer `sessions`, `bounces` and `bounce_rate` (referrers, A.2.25). */
  sessionFigures?: boolean;
}

const hasReferrerFilter = (f: Filter): boolean =>
  f.attributes.some((a) => a.column === 'referrer' || a.column === 'referrer_name');

const utm = (name: string): Dimension => ({
  path: `statistics/utm/${name}`,
  summary: `Visitors by UTM ${name} (sessions without one are left out)`,
  fields: [`utm_${name}`],
  omitEmpty: true,
});

/** Every ranked dimension endpoint. */
export const DIMENSIONS: readonly Dimension[] = [
  utm('source'),
  utm('medium'),
  utm('campaign'),
  utm('content'),
  utm('term'),
  {
    path: 'statistics/language',
    summary: 'Visitors by language',
    fields: ['language'],
    commaSearch: true,
  },
  {
    path: 'statistics/country',
    summary: 'Visitors by country',
    fields: ['country_code'],
    commaSearch: true,
  },
  { path: 'statistics/region', summary: 'Visitors by region', fields: ['region', 'country_code'] },
  {
    path: 'statistics/city',
    summary: 'Visitors by city',
    fields: ['city', 'country_code', 'region'],
  },
  { path: 'statistics/os', summary: 'Visitors by operating system', fields: ['os'] },
  {
    path: 'statistics/os/version',
    summary: 'Visitors by operating system version',
    fields: ['os', 'os_version'],
  },
  { path: 'statistics/browser', summary: 'Visitors by browser', fields: ['browser'] },
  {
    path: 'statistics/browser/version',
    summary: 'Visitors by browser version',
    fields: ['browser', 'browser_version'],
  },
  { path: 'statistics/screen', summary: 'Visitors by screen class', fields: ['screen_class'] },
  {
    path: 'statistics/referrer',
    summary: 'Visitors, sessions and bounces by referrer',
    fields: ['referrer_name', 'referrer', 'referrer_icon'],
    // One row per name; per full referrer once the request filters on referrers (§7.15).
    group: (f) => (hasReferrerFilter(f) ? ['referrer_name', 'referrer'] : ['referrer_name']),
    search: ['referrer_name', 'referrer'],
    sessionFigures: true,
  },
];

/**
 * The base rows of a breakdown: `c_visitor`, `c_session`, `c_bounce` and `c_<column>` for each
 * column. Sessions that started in the window, or the page views/events matching a page or event
 * filter.
 */
export function baseRows(
  ctx: SqlContext,
  window: Window,
  columns: readonly string[],
  withBounce = false,
): string {
  const filter = ctx.filter;
  if (hasPageFilter(filter) || hasEventFilter(filter)) {
    const table = hasEventFilter(filter) ? 'event' : 'page_view';
    const bounce = withBounce ? 's.s_bounce' : 'toUInt8(0)';
    return `SELECT v.visitor_id AS c_visitor, v.session_id AS c_session, ${bounce} AS c_bounce${columns
      .map((c) => `, v.${c} AS c_${c}`)
      .join('')}
      ${rowsSource(ctx, table, window, { sessionColumns: withBounce ? ['s_bounce'] : [] })}`;
  }
  return `SELECT visitor_id AS c_visitor, session_id AS c_session, s_bounce AS c_bounce${columns
    .map((c) => `, ${c} AS c_${c}`)
    .join('')}
    FROM (${collapsedSessions(ctx, window, { scope: 'start', columns })})`;
}

/** The `search` condition on one or several (then newline-joined) trusted SQL expressions. */
function searchOn(ctx: SqlContext, exprs: readonly string[], commaList: boolean): string[] {
  const expr = exprs.length === 1 ? exprs[0]! : `concat(${exprs.join(`, '\\n', `)})`;
  return searchCondition(ctx, expr, commaList);
}

/**
 * `ORDER BY … LIMIT …` with response field names mapped onto SQL expressions: `sort` first, then
 * the default keys (so ties stay deterministic).
 */
function ranking(
  ctx: SqlContext,
  sortable: Record<string, string>,
  defaults: readonly string[],
): string {
  const sort = ctx.filter.sort;
  const expr = sort ? sortable[sort.field] : undefined;
  const keys = expr ? [`${expr} ${sort!.direction.toUpperCase()}`, ...defaults] : defaults;
  return `ORDER BY ${keys.join(', ')} LIMIT ${ctx.filter.limit}`;
}

/** The response fields a dimension may be sorted by. */
export const sortFieldsOf = (d: Dimension): string[] => [
  ...d.fields,
  'visitors',
  'relative_visitors',
  ...(d.sessionFigures ? ['sessions', 'bounces', 'bounce_rate'] : []),
];

/**
 * The aggregate expressions of a group's figures, by stage: `plain` in one pass; `state` per value
 * combination and `merge` per group when a group shows its most frequent combination (two-level
 * aggregation: much cheaper than a window function over every row). Base rows from sessions are
 * one per session, so counting them is enough; page views and events repeat their session, so
 * those count distinct pairs.
 */
function figureColumns(
  stage: 'plain' | 'state' | 'merge',
  perSession: boolean,
  withSessions: boolean,
): string[] {
  const pair = sessionKey('c_visitor', 'c_session');
  const exact = {
    plain: ['uniqExact(c_visitor)', `uniqExact(${pair})`, `uniqExactIf(${pair}, c_bounce = 1)`],
    state: [
      'uniqExactState(c_visitor)',
      `uniqExactState(${pair})`,
      `uniqExactStateIf(${pair}, c_bounce = 1)`,
    ],
    merge: [
      'uniqExactMerge(g_visitors)',
      'uniqExactMerge(g_sessions)',
      'uniqExactMerge(g_bounces)',
    ],
  }[stage];
  const counted = {
    plain: ['count()', 'countIf(c_bounce = 1)'],
    state: ['count()', 'countIf(c_bounce = 1)'],
    merge: ['sum(g_sessions)', 'sum(g_bounces)'],
  }[stage];
  const [visitors, sessions, bounces] = perSession ? [exact[0], ...counted] : exact;
  const names =
    stage === 'state'
      ? ['g_visitors', 'g_sessions', 'g_bounces']
      : ['visitors', 'sessions', 'bounces'];
  const out = [`${visitors} AS ${names[0]}`];
  if (withSessions) {
    out.push(`${sessions} AS ${names[1]}`, `${bounces} AS ${names[2]}`);
    if (stage !== 'state') out.push('bounces / if(sessions = 0, 1, sessions) AS bounce_rate');
  }
  return out;
}

/** The SQL of one breakdown. */
export function dimensionSql(ctx: SqlContext, window: Window, d: Dimension): string {
  const group = d.group?.(ctx.filter) ?? d.fields;
  const picked = d.fields.filter((f) => !group.includes(f));
  const conditions = [
    ...searchOn(
      ctx,
      (d.search ?? d.fields.slice(0, 1)).map((f) => `c_${f}`),
      d.commaSearch ?? false,
    ),
    ...(d.omitEmpty ? d.fields.map((f) => `c_${f} != ''`) : []),
  ];
  const perSession = !hasPageFilter(ctx.filter) && !hasEventFilter(ctx.filter);
  const withSessions = d.sessionFigures ?? false;
  const all = d.fields.map((f) => `c_${f}`);
  const grouped = group.map((f) => `c_${f}`);
  const sortable: Record<string, string> = {
    visitors: 'visitors',
    relative_visitors: 'visitors',
    sessions: 'sessions',
    bounces: 'bounces',
    bounce_rate: 'bounce_rate',
  };
  for (const f of group) sortable[f] = `c_${f}`;
  for (const f of picked) sortable[f] = `p_${f}`;
  const base = `SELECT * FROM (${baseRows(ctx, window, d.fields, withSessions)})
      ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}`;
  // With picked fields: figures per value combination first, then per group, where each picked
  // field shows the group's most frequent combination (ties: the byte-smallest).
  const pickKey = `(-toInt64(g_weight), ${all.join(', ')})`;
  const [figures, source] =
    picked.length === 0
      ? [figureColumns('plain', perSession, withSessions), base]
      : [
          [
            ...picked.map((f) => `argMin(c_${f}, ${pickKey}) AS p_${f}`),
            ...figureColumns('merge', perSession, withSessions),
          ],
          `SELECT ${all.join(', ')}, ${figureColumns('state', perSession, withSessions).join(', ')},
            count() AS g_weight
          FROM (${base}) GROUP BY ${all.join(', ')}`,
        ];
  return `SELECT ${[...grouped, ...figures].join(',\n      ')}
    FROM (${source})
    GROUP BY ${grouped.join(', ')}
    ${ranking(ctx, sortable, ['visitors DESC', ...group.map((f) => `c_${f} ASC`)])}`;
}

type RawRow = Record<string, unknown>;

/** Compute one breakdown: the rows of A.2.4 (plus the referrer figures of A.2.25). */
export async function dimensionRows(
  input: StatisticInput,
  d: Dimension,
): Promise<Record<string, string | number>[]> {
  const ctx = contextFor(input);
  const window = requestWindow(ctx);
  const [rows, totalVisitors] = await Promise.all([
    runQuery<RawRow>(input.events, dimensionSql(ctx, window, d), ctx.params.values),
    totalVisitorsOf(input),
  ]);
  return rows.map((row) => {
    const out: Record<string, string | number> = {};
    for (const f of d.fields) out[f] = String(row[`c_${f}`] ?? row[`p_${f}`] ?? '');
    const visitors = num(row.visitors);
    out.visitors = visitors;
    out.relative_visitors = ratio(visitors, totalVisitors);
    if (d.sessionFigures) {
      const sessions = num(row.sessions);
      const bounces = num(row.bounces);
      out.sessions = sessions;
      out.bounces = bounces;
      out.bounce_rate = ratio(bounces, sessions);
    }
    return out;
  });
}

/** `/statistics/platform` (A.2.32): unique visitors per platform (Later v4.3.2, decision 1). */
export interface PlatformFigures {
  platform_desktop: number;
  platform_mobile: number;
  platform_unknown: number;
  relative_platform_desktop: number;
  relative_platform_mobile: number;
  relative_platform_unknown: number;
}

async function platformFigures(input: StatisticInput): Promise<PlatformFigures> {
  const ctx = contextFor(input);
  const window = requestWindow(ctx);
  const sql = `SELECT uniqExactIf(c_visitor, c_platform = 'desktop') AS desktop,
      uniqExactIf(c_visitor, c_platform = 'mobile') AS mobile,
      uniqExactIf(c_visitor, c_platform = 'unknown') AS unknown
    FROM (${baseRows(ctx, window, ['platform'])})`;
  const [row] = await runQuery<RawRow>(input.events, sql, ctx.params.values);
  const desktop = num(row?.desktop);
  const mobile = num(row?.mobile);
  const unknown = num(row?.unknown);
  const sum = desktop + mobile + unknown;
  return {
    platform_desktop: desktop,
    platform_mobile: mobile,
    platform_unknown: unknown,
    relative_platform_desktop: ratio(desktop, sum),
    relative_platform_mobile: ratio(mobile, sum),
    relative_platform_unknown: ratio(unknown, sum),
  };
}

/** One row of `/statistics/tags` and `/statistics/tag/details` (B.5, SDK `TagStats`). */
export interface TagRow {
  key: string;
  value: string;
  visitors: number;
  views: number;
  relative_visitors: number;
  relative_views: number;
}

export const TAG_SORT_FIELDS = [
  'key',
  'value',
  'visitors',
  'views',
  'relative_visitors',
  'relative_views',
] as const;

/**
 * Tags of page views (`page_view.tags`). Tags live on page views only, so: a path/pattern filter
 * selects the page views, an event filter the sessions with a matching event; attribute and
 * entry/exit filters as everywhere. `key` undefined: one row per key; else one row per value of
 * that key.
 */
async function tagRows(input: StatisticInput, key: string | undefined): Promise<TagRow[]> {
  const ctx = contextFor(input);
  const window = requestWindow(ctx);
  const tagFilters = input.filter.tags;
  const sessionsWithEvent = hasEventFilter(ctx.filter)
    ? [
        `(c_visitor, c_session) IN (SELECT v.visitor_id, v.session_id ${rowsSource(ctx, 'event', window, { page: false })})`,
      ]
    : [];
  const where = [
    ...sessionsWithEvent,
    ...tagFilters.map((t) =>
      conditionSql(ctx, `c_tags[${ctx.params.add(t.key, 'String')}]`, t.conditions),
    ),
  ];
  const base = `SELECT v.visitor_id AS c_visitor, v.session_id AS c_session, v.tags AS c_tags
    ${rowsSource(ctx, 'page_view', window)}`;
  const label = key === undefined ? 'c_key' : 'c_value';
  const from =
    key === undefined
      ? `(${base}) ARRAY JOIN mapKeys(c_tags) AS c_key`
      : `(SELECT *, c_tags[${ctx.params.add(key, 'String')}] AS c_value FROM (${base})
          WHERE mapContains(c_tags, ${ctx.params.add(key, 'String')}))`;
  const sortable: Record<string, string> = {
    key: key === undefined ? 'c_key' : 'visitors',
    value: key === undefined ? 'visitors' : 'c_value',
    visitors: 'visitors',
    relative_visitors: 'visitors',
    views: 'views',
    relative_views: 'views',
  };
  const conditions = [...where, ...searchCondition(ctx, label)];
  const sql = `SELECT ${label} AS c_label, uniqExact(c_visitor) AS visitors, count() AS views,
      ${totalViews(ctx, window)} AS total_views
    FROM ${from}
    ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
    GROUP BY ${label}
    ${ranking(ctx, sortable, ['visitors DESC', `${label} ASC`])}`;
  const [rows, totalVisitors] = await Promise.all([
    runQuery<RawRow>(input.events, sql, ctx.params.values),
    totalVisitorsOf(input),
  ]);
  return rows.map((row) => {
    const visitors = num(row.visitors);
    const views = num(row.views);
    const labelValue = String(row.c_label ?? '');
    return {
      key: key ?? labelValue,
      value: key === undefined ? '' : labelValue,
      visitors,
      views,
      relative_visitors: ratio(visitors, totalVisitors),
      relative_views: ratio(views, num(row.total_views)),
    };
  });
}

export const dimensionStatistics: Statistic[] = [
  ...DIMENSIONS.map((d): Statistic => ({
    path: d.path,
    summary: d.summary,
    sortFields: sortFieldsOf(d),
    compute: (input) => dimensionRows(input, d),
  })),
  {
    path: 'statistics/platform',
    summary: 'Unique visitors on desktop, mobile and unknown platforms',
    compute: platformFigures,
  },
  {
    path: 'statistics/tags',
    summary: 'Visitors and page views by tag key',
    sortFields: TAG_SORT_FIELDS,
    compute: (input) => tagRows(input, undefined),
  },
  {
    path: 'statistics/tag/details',
    summary: 'Visitors and page views by value of one tag key (`tag`)',
    sortFields: TAG_SORT_FIELDS,
    // Without a key there is nothing to break down (as Pirsch answers).
    compute: async (input) => {
      const key = input.filter.tag;
      return key === '' ? [] : tagRows(input, key);
    },
  },
  {
    path: 'statistics/keywords',
    summary: 'Search Console keywords (always empty: no Google integration, decision 12)',
    compute: () => Promise.resolve([]),
  },
];
