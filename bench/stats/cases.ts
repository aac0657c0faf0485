/**
 * The statistics benchmark's cases: for each endpoint and typical filter, the HTTP query and the
 * equivalent hand-written SQL — the simplest correct query for the figure, written directly
 * against the tables (collapsed sessions through `FINAL`, bot sessions excluded, the window in the
 * domain's time zone), NOT produced by the statistics SQL builder.
 *
 * Each hand-written query returns the response fields it computes, under the API's names, so the
 * benchmark also checks that the endpoint answers the same numbers (`compareResults`).
 */

/** What the hand-written SQL needs to know about the world. */
export interface Ref {
  db: string;
  domainId: string;
  tz: string;
}

/** A typical filter of the dashboard. */
export interface Variant {
  name: string;
  from: string;
  to: string;
  scale?: 'day' | 'week';
  path?: string;
  country?: string;
  event?: string;
  eventMetaKey?: string;
  tag?: string;
  includeAvgTimeOnPage?: boolean;
  start?: number;
}

export interface Case {
  /** Statistic path below /api/v1/. */
  path: string;
  variant: Variant;
  /** The hand-written SQL (none: measured through HTTP only). */
  sql?: (ref: Ref, v: Variant) => string;
  /** Turn the API body into rows comparable with the SQL rows (default: list or [object]). */
  rows?: (body: unknown) => Record<string, unknown>[];
  /** Compare rows by this key instead of by position (ties in the order are arbitrary). */
  key?: string[];
  /** Skip the result comparison (time-dependent results). */
  noCompare?: boolean;
}

export const MONTH = { from: '2024-05-01', to: '2024-05-30' } as const;
/** Second half of the month: its previous period (first half) has data too. */
const HALF = { from: '2024-05-16', to: '2024-05-30' } as const;

/** HTTP query parameters of a variant. */
export function queryOf(domainId: string, v: Variant): Record<string, string> {
  const q: Record<string, string> = { id: domainId };
  if (v.start !== undefined) q.start = String(v.start);
  else Object.assign(q, { from: v.from, to: v.to });
  if (v.scale) q.scale = v.scale;
  if (v.path) q.path = v.path;
  if (v.country) q.country = v.country;
  if (v.event) q.event = v.event;
  if (v.eventMetaKey) q.event_meta_key = v.eventMetaKey;
  if (v.tag) q.tag = v.tag;
  if (v.includeAvgTimeOnPage) q.include_avg_time_on_page = 'true';
  return q;
}

// ---------------------------------------------------------------------------------------------
// Hand-written SQL pieces. Plain text with literal values: what one would type into a client.

const addDay = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Local midnight of `day` in the domain's zone, as an instant. */
const at = (r: Ref, day: string): string => `toDateTime64('${day} 00:00:00', 3, '${r.tz}')`;

/** `column` within the variant's days. */
const win = (r: Ref, v: Variant, column: string): string =>
  `${column} >= ${at(r, v.from)} AND ${column} < ${at(r, addDay(v.to, 1))}`;

const domain = (r: Ref, alias = ''): string => `${alias}domain_id = '${r.domainId}'`;

/** The collapsed sessions that started in the window, bots excluded, attribute filters applied. */
const sessions = (r: Ref, v: Variant): string =>
  `${r.db}.session FINAL WHERE ${domain(r)} AND ${win(r, v, 'start')} AND is_bot < 5 AND sign = 1${
    v.country ? ` AND country_code = '${v.country}'` : ''
  }`;

/** Page views or events of the window (bot sessions excluded) with the variant's filters. */
function rows(r: Ref, v: Variant, table: 'page_view' | 'event', withPath = true): string {
  const where = [domain(r), win(r, v, 'time'), notBot(r)];
  if (v.country) where.push(`country_code = '${v.country}'`);
  if (v.path && withPath) where.push(`path = '${v.path}'`);
  if (v.event && table === 'event') where.push(`name = '${v.event}'`);
  return `${r.db}.${table} WHERE ${where.join(' AND ')}`;
}

const notBot = (r: Ref): string =>
  `(visitor_id, session_id) NOT IN (SELECT visitor_id, session_id FROM ${r.db}.session WHERE ${domain(r)} AND is_bot >= 5)`;

/**
 * Page views or events of the window joined to their collapsed session (which brings is_bounce
 * and excludes bots): sessions that may own rows of the window started at most a day before it.
 */
function joined(r: Ref, v: Variant, table: 'page_view' | 'event', columns: string): string {
  const where = [domain(r, 'v.'), win(r, v, 'v.time')];
  if (v.country) where.push(`v.country_code = '${v.country}'`);
  if (v.path) where.push(`v.path = '${v.path}'`);
  if (v.event && table === 'event') where.push(`v.name = '${v.event}'`);
  return `${r.db}.${table} AS v INNER JOIN (
      SELECT visitor_id, session_id, ${columns} FROM ${r.db}.session FINAL
      WHERE ${domain(r)} AND start >= ${at(r, v.from)} - INTERVAL 1 DAY
        AND start < ${at(r, addDay(v.to, 1))} AND is_bot < 5 AND sign = 1
    ) AS s USING (visitor_id, session_id)
    WHERE ${where.join(' AND ')}`;
}

/** All visitors of the period (no filter but the time): the base of relative_visitors and cr. */
const totalVisitors = (r: Ref, v: Variant): string =>
  `(SELECT uniqExact(visitor_id) FROM ${sessions(r, { ...v, country: undefined })})`;
/** All page views of the period: the base of relative_views. */
const totalViews = (r: Ref, v: Variant): string =>
  `(SELECT count() FROM ${rows(r, { ...v, country: undefined, path: undefined }, 'page_view')})`;

const rowSourced = (v: Variant): 'page_view' | 'event' | undefined =>
  v.event ? 'event' : v.path ? 'page_view' : undefined;

/** Visitors, sessions, bounces and views, grouped by `key(timeColumn)`. */
function figures(r: Ref, v: Variant, key: (column: string) => string): string {
  const table = rowSourced(v);
  if (table) {
    return `SELECT ${key('v.time')} AS b, uniqExact(visitor_id) AS visitors,
        uniqExact(visitor_id, session_id) AS sessions, count() AS views,
        uniqExactIf((visitor_id, session_id), is_bounce = 1) AS bounces
      FROM ${joined(r, v, table, 'is_bounce')} GROUP BY b`;
  }
  return `SELECT b, visitors, sessions, bounces, views FROM (
        SELECT ${key('start')} AS b, uniqExact(visitor_id) AS visitors, count() AS sessions,
          sum(is_bounce) AS bounces
        FROM ${sessions(r, v)} GROUP BY b
      ) AS s FULL OUTER JOIN (
        SELECT ${key('time')} AS b, count() AS views FROM ${rows(r, v, 'page_view')} GROUP BY b
      ) AS p USING (b)`;
}

const bucketKey =
  (r: Ref, scale: 'day' | 'week') =>
  (column: string): string =>
    scale === 'day'
      ? `toDate(${column}, '${r.tz}')`
      : `toStartOfWeek(toDate(${column}, '${r.tz}'), 1)`;

const rates = `bounces / greatest(sessions, 1) AS bounce_rate`;

// ---------------------------------------------------------------------------------------------
// The hand-written query of each statistic.

const total = (r: Ref, v: Variant) =>
  `SELECT visitors, views, sessions, bounces, ${rates}, visitors / ${totalVisitors(r, v)} AS cr
   FROM (${figures(r, v, () => '0')})`;

const visitorSeries = (r: Ref, v: Variant) => {
  const scale = v.scale ?? 'day';
  return `SELECT concat(toString(b), 'T00:00:00Z') AS ${scale}, visitors, views, sessions, bounces, ${rates},
     visitors / ${totalVisitors(r, v)} AS cr
   FROM (${figures(r, v, bucketKey(r, scale))}) ORDER BY b`;
};

const hours = (r: Ref, v: Variant) =>
  `SELECT b AS hour, visitors, views, sessions, bounces, ${rates},
     visitors / ${totalVisitors(r, v)} AS cr
   FROM (${figures(r, v, (c) => `toHour(${c}, '${r.tz}')`)}) ORDER BY hour`;

/** Growth of the variant's period against the period of the same length just before it. */
const growth = (r: Ref, v: Variant) => {
  const days = Math.round((Date.parse(v.to) - Date.parse(v.from)) / 86_400_000) + 1;
  const both: Variant = { ...v, from: addDay(v.from, -days) };
  const current = (column: string) => `${column} >= ${at(r, v.from)}`;
  const g = (c: string, p: string) =>
    `if((${p}) = 0, if((${c}) = 0, 0, 1), ((${c}) - (${p})) / (${p}))`;
  // Average duration of the sessions with a non-zero duration (decisions 17, 25): of the
  // sessions the filters select, i.e. with a page filter those with a matching page view.
  const table = rowSourced(v);
  const durations = table
    ? `(SELECT DISTINCT visitor_id, session_id, ${current('v.time')} AS b, s_duration AS d
        FROM ${joined(r, both, table, 'duration_seconds AS s_duration')})`
    : `(SELECT ${current('start')} AS b, duration_seconds AS d FROM ${sessions(r, both)})`;
  return `SELECT ${g('cv', 'pv')} AS visitors_growth, ${g('cw', 'pw')} AS views_growth,
      ${g('cs', 'ps')} AS sessions_growth, ${g('cb', 'pb')} AS bounces_growth,
      ${g('cv / greatest(ca, 1)', 'pv / greatest(pa, 1)')} AS cr_growth,
      ${g('cd', 'pd')} AS time_spent_growth
    FROM (
      SELECT anyIf(visitors, b = 1) AS cv, anyIf(visitors, b = 0) AS pv,
        anyIf(views, b = 1) AS cw, anyIf(views, b = 0) AS pw,
        anyIf(sessions, b = 1) AS cs, anyIf(sessions, b = 0) AS ps,
        anyIf(bounces / greatest(sessions, 1), b = 1) AS cb,
        anyIf(bounces / greatest(sessions, 1), b = 0) AS pb
      FROM (${figures(r, both, current)})
    ) AS f, (
      -- conversion rate: a share of all visitors of each period
      SELECT uniqExactIf(visitor_id, ${current('start')}) AS ca,
        uniqExactIf(visitor_id, NOT ${current('start')}) AS pa
      FROM ${sessions(r, { ...both, country: undefined })}
    ) AS t, (
      SELECT ifNotFinite(avgIf(d, d > 0 AND b = 1), 0) AS cd,
        ifNotFinite(avgIf(d, d > 0 AND b = 0), 0) AS pd
      FROM ${durations}
    ) AS d`;
};

const pages = (r: Ref, v: Variant) =>
  `SELECT path, visitors, sessions, views, bounces, ${rates},
     visitors / ${totalVisitors(r, v)} AS relative_visitors, views / ${totalViews(r, v)} AS relative_views
   FROM (
     SELECT v.path AS path, uniqExact(visitor_id) AS visitors,
       uniqExact(visitor_id, session_id) AS sessions, count() AS views,
       uniqExactIf((visitor_id, session_id), is_bounce = 1) AS bounces
     FROM ${joined(r, v, rowSourced(v) ?? 'page_view', 'is_bounce')} GROUP BY path
   ) ORDER BY visitors DESC, path LIMIT 100`;

/** Average time on page per path (next page view's time − this one's; non-zero values only). */
const timeOnPageByPath = (r: Ref, v: Variant) =>
  `SELECT path, avgIf(top, top > 0) AS average_time_spent_seconds FROM (
     SELECT time, path, leadInFrame(duration_seconds) OVER (PARTITION BY visitor_id, session_id
       ORDER BY time ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS top
     FROM ${rows(r, { ...v, path: undefined, to: addDay(v.to, 1) }, 'page_view')}
   ) WHERE ${win(r, v, 'time')} GROUP BY path`;

const pagesWithTime = (r: Ref, v: Variant) =>
  `SELECT p.path AS path, p.visitors AS visitors, p.sessions AS sessions, p.views AS views,
     p.bounces AS bounces, p.bounce_rate AS bounce_rate, p.relative_visitors AS relative_visitors,
     p.relative_views AS relative_views,
     t.average_time_spent_seconds AS average_time_spent_seconds
   FROM (${pages(r, v)}) AS p LEFT JOIN (${timeOnPageByPath(r, v)}) AS t ON t.path = p.path
   ORDER BY visitors DESC, path`;

/** Entry or exit pages: sessions that started (ended) on each path; visitors/sessions of the page. */
const entryExit = (which: 'entry' | 'exit') => (r: Ref, v: Variant) => {
  const count = which === 'entry' ? 'entries' : 'exits';
  // With a page filter: the sessions (started in the window) that viewed the page.
  const viewed = v.path
    ? ` AND (visitor_id, session_id) IN (SELECT visitor_id, session_id FROM ${rows(r, v, 'page_view')})`
    : '';
  // The rate is a share of all sessions of the period, like relative_visitors (§6.5); visitors
  // and sessions are those that viewed the page anywhere (page filters do not apply).
  return `SELECT e.path AS path, ${count}, ${count} / (SELECT count() FROM ${sessions(r, { ...v, country: undefined })}) AS ${which}_rate,
       p.visitors AS visitors, p.sessions AS sessions
     FROM (
       SELECT ${which}_path AS path, count() AS ${count} FROM ${sessions(r, v)}${viewed}
       GROUP BY path ORDER BY ${count} DESC, path LIMIT 100
     ) AS e LEFT JOIN (
       SELECT path, uniqExact(visitor_id) AS visitors, uniqExact(visitor_id, session_id) AS sessions
       FROM ${rows(r, { ...v, path: undefined }, 'page_view')} GROUP BY path
     ) AS p ON p.path = e.path
     ORDER BY ${count} DESC, path`;
};

/** A dimension list (languages, countries, browsers, UTM, …): unique visitors per value. */
const dimension =
  (columns: string[], options: { nonEmpty?: boolean } = {}) =>
  (r: Ref, v: Variant) => {
    const table = rowSourced(v);
    const source = table ? rows(r, v, table) : sessions(r, v);
    const nonEmpty = options.nonEmpty ? ` AND ${columns[0]} != ''` : '';
    return `SELECT ${columns.join(', ')}, uniqExact(visitor_id) AS visitors,
       visitors / ${totalVisitors(r, v)} AS relative_visitors
     FROM ${source}${nonEmpty}
     GROUP BY ${columns.join(', ')} ORDER BY visitors DESC, ${columns.join(', ')} LIMIT 100`;
  };

/** Referrers, grouped by name (SEMANTICS §7.15): visitors, sessions and bounces. */
const referrers = (r: Ref, v: Variant) => {
  const table = rowSourced(v);
  if (table) {
    return `SELECT referrer_name, uniqExact(visitor_id) AS visitors,
        uniqExact(visitor_id, session_id) AS sessions,
        uniqExactIf((visitor_id, session_id), is_bounce = 1) AS bounces,
        visitors / ${totalVisitors(r, v)} AS relative_visitors,
        topK(1)((v.referrer, v.referrer_icon)) AS _referrer
      FROM ${joined(r, v, table, 'is_bounce')}
      GROUP BY referrer_name ORDER BY visitors DESC, referrer_name LIMIT 100`;
  }
  // The full referrer and icon shown for a name: its most frequent one (not compared).
  return `SELECT referrer_name, uniqExact(visitor_id) AS visitors, count() AS sessions,
      sum(is_bounce) AS bounces, visitors / ${totalVisitors(r, v)} AS relative_visitors,
      topK(1)((referrer, referrer_icon)) AS _referrer
    FROM ${sessions(r, v)}
    GROUP BY referrer_name ORDER BY visitors DESC, referrer_name LIMIT 100`;
};

/** Channels and host names (B.5): visitors, sessions and bounces per value. */
const sessionBreakdown = (column: string) => (r: Ref, v: Variant) =>
  `SELECT ${column}, uniqExact(visitor_id) AS visitors, count() AS sessions, sum(is_bounce) AS bounces
   FROM ${sessions(r, v)} GROUP BY ${column} ORDER BY visitors DESC, ${column} LIMIT 100`;

const platform = (r: Ref, v: Variant) => {
  const table = rowSourced(v);
  const source = table ? rows(r, v, table) : sessions(r, v);
  return `SELECT platform_desktop, platform_mobile, platform_unknown,
      platform_desktop / greatest(n, 1) AS relative_platform_desktop,
      platform_mobile / greatest(n, 1) AS relative_platform_mobile,
      platform_unknown / greatest(n, 1) AS relative_platform_unknown
    FROM (SELECT uniqExactIf(visitor_id, platform = 'desktop') AS platform_desktop,
        uniqExactIf(visitor_id, platform = 'mobile') AS platform_mobile,
        uniqExactIf(visitor_id, platform = 'unknown') AS platform_unknown,
        platform_desktop + platform_mobile + platform_unknown AS n
      FROM ${source})`;
};

const events = (r: Ref, v: Variant) =>
  `SELECT name, uniqExact(visitor_id) AS visitors, count() AS views, views AS count,
     visitors / ${totalVisitors(r, v)} AS cr,
     ifNotFinite(avgIf(duration_seconds, duration_seconds > 0), 0) AS average_duration_seconds,
     groupUniqArrayArray(meta_keys) AS _meta_keys
   FROM ${rows(r, v, 'event')} GROUP BY name ORDER BY visitors DESC, name LIMIT 100`;

const eventMeta = (r: Ref, v: Variant) =>
  `SELECT name, meta_values[indexOf(meta_keys, '${v.eventMetaKey}')] AS meta_value,
     uniqExact(visitor_id) AS visitors, count() AS views, views AS count,
     visitors / ${totalVisitors(r, v)} AS cr,
     ifNotFinite(avgIf(duration_seconds, duration_seconds > 0), 0) AS average_duration_seconds
   FROM ${rows(r, v, 'event')} AND has(meta_keys, '${v.eventMetaKey}')
   GROUP BY name, meta_value ORDER BY visitors DESC, meta_value LIMIT 100`;

const eventList = (r: Ref, v: Variant) =>
  `SELECT name, CAST((meta_keys, meta_values), 'Map(String, String)') AS meta,
     uniqExact(visitor_id) AS visitors, count() AS count
   FROM ${rows(r, v, 'event')} GROUP BY name, meta_keys, meta_values
   ORDER BY count DESC, name LIMIT 100`;

/** Pages on which the event fired: the page figures computed from the matching events. */
const eventPages = pages;

/** Conversion goals: visitors and views of the pages matching each goal's pattern. */
const goals = (patterns: { name: string; pattern: string }[]) => (r: Ref, v: Variant) =>
  patterns
    .map(
      (g) => `SELECT '${g.name}' AS name, uniqExact(visitor_id) AS visitors, count() AS views,
         visitors / ${totalVisitors(r, v)} AS cr
       FROM ${rows(r, v, 'page_view')} AND match(path, '${g.pattern.replaceAll('\\', '\\\\')}')`,
    )
    .join(' UNION ALL ');

const active = (r: Ref, v: Variant) => {
  const recent = `${r.db}.page_view WHERE ${domain(r)}
    AND time >= now64(3) - INTERVAL ${v.start ?? 600} SECOND AND ${notBot(r)}`;
  return `SELECT path, uniqExact(visitor_id) AS visitors,
     (SELECT uniqExact(visitor_id) FROM ${recent}) AS _visitors,
     (SELECT groupArray((country_code, n)) FROM (SELECT country_code, uniqExact(visitor_id) AS n
       FROM ${recent} GROUP BY country_code ORDER BY n DESC, country_code LIMIT 100)) AS _countries
   FROM ${recent}
   GROUP BY path ORDER BY visitors DESC, path LIMIT 100`;
};

const sessionDuration = (r: Ref, v: Variant) => {
  const scale = v.scale ?? 'day';
  return `SELECT concat(toString(${bucketKey(r, scale)('start')}), 'T00:00:00Z') AS ${scale},
     ifNotFinite(avgIf(duration_seconds, duration_seconds > 0), 0) AS average_time_spent_seconds
   FROM ${sessions(r, v)} GROUP BY ${scale} ORDER BY ${scale}`;
};

const timeOnPage = (r: Ref, v: Variant) => {
  const scale = v.scale ?? 'day';
  return `SELECT concat(toString(${bucketKey(r, scale)('time')}), 'T00:00:00Z') AS ${scale},
     ifNotFinite(avgIf(top, top > 0), 0) AS average_time_spent_seconds
   FROM (
     SELECT time, path, leadInFrame(duration_seconds) OVER (PARTITION BY visitor_id, session_id
       ORDER BY time ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS top
     FROM ${rows(r, { ...v, path: undefined, to: addDay(v.to, 1) }, 'page_view')}
   ) WHERE ${win(r, v, 'time')}${v.path ? ` AND path = '${v.path}'` : ''}
   GROUP BY ${scale} ORDER BY ${scale}`;
};

const tagKeys = (r: Ref, v: Variant) =>
  `SELECT arrayJoin(mapKeys(tags)) AS key, uniqExact(visitor_id) AS visitors, count() AS views,
     visitors / ${totalVisitors(r, v)} AS relative_visitors, views / ${totalViews(r, v)} AS relative_views
   FROM ${rows(r, v, 'page_view')}
   GROUP BY key ORDER BY visitors DESC, key LIMIT 100`;

const tagDetails = (r: Ref, v: Variant) =>
  `SELECT '${v.tag}' AS key, tags['${v.tag}'] AS value, uniqExact(visitor_id) AS visitors,
     count() AS views, visitors / ${totalVisitors(r, v)} AS relative_visitors,
     views / ${totalViews(r, v)} AS relative_views
   FROM ${rows(r, v, 'page_view')} AND mapContains(tags, '${v.tag}')
   GROUP BY value ORDER BY visitors DESC, value LIMIT 100`;

// ---------------------------------------------------------------------------------------------
// The cases.

const month = (name: string, extra: Partial<Variant> = {}): Variant => ({
  name,
  ...MONTH,
  ...extra,
});
const NONE = month('none');
const PATH = month('path=/', { path: '/' });
const COUNTRY = month('country=de', { country: 'de' });
const EVENT = month('event=Download', { event: 'Download' });
const WEEK = month('scale=week', { scale: 'week' });

type CaseSql = NonNullable<Case['sql']>;

/** The standard variants of a ranked dimension list. */
const dimensionCases = (path: string, sql: CaseSql, key?: string[]): Case[] =>
  [NONE, PATH, COUNTRY].map((variant) => ({ path, variant, sql, ...(key ? { key } : {}) }));

/** Goals as the benchmark world defines them (their RE2 patterns, decision 9). */
export const GOAL_PATTERNS = [
  { name: 'Blog', pattern: '(?i)^/blog/.*$' },
  { name: 'Docs article', pattern: '(?i)^/docs/[^/]*$' },
  { name: 'Home', pattern: '(?i)^/$' },
];

const flattenGoals = (body: unknown) =>
  (body as { page_goal: { name: string }; stats: Record<string, unknown> }[]).map((g) => ({
    name: g.page_goal.name,
    ...g.stats,
  }));

export const CASES: Case[] = [
  ...[NONE, PATH, COUNTRY, EVENT].map((variant) => ({
    path: 'statistics/total',
    variant,
    sql: total,
  })),
  ...[NONE, WEEK, PATH, COUNTRY, EVENT].map((variant) => ({
    path: 'statistics/visitor',
    variant,
    sql: visitorSeries,
  })),
  ...[NONE, PATH, COUNTRY].map((variant) => ({ path: 'statistics/hours', variant, sql: hours })),
  ...[
    NONE,
    { ...NONE, ...HALF, name: 'second half vs first' },
    { ...PATH, ...HALF, name: 'path=/, halves' },
    { ...COUNTRY, ...HALF, name: 'country=de, halves' },
  ].map((variant) => ({ path: 'statistics/growth', variant, sql: growth })),
  {
    path: 'statistics/active',
    variant: { name: 'start=600', ...MONTH, start: 600 },
    sql: active,
    rows: (body) => (body as { stats: Record<string, unknown>[] }).stats,
    noCompare: true,
  },
  ...[NONE, WEEK, COUNTRY].map((variant) => ({
    path: 'statistics/duration/session',
    variant,
    sql: sessionDuration,
  })),
  ...[NONE, WEEK, PATH].map((variant) => ({
    path: 'statistics/duration/page',
    variant,
    sql: timeOnPage,
  })),
  ...[NONE, PATH, COUNTRY, EVENT].map((variant) => ({
    path: 'statistics/page',
    variant,
    sql: pages,
  })),
  {
    path: 'statistics/page',
    variant: month('include_avg_time_on_page', { includeAvgTimeOnPage: true }),
    sql: pagesWithTime,
  },
  ...[NONE, PATH, COUNTRY].map((variant) => ({
    path: 'statistics/page/entry',
    variant,
    sql: entryExit('entry'),
  })),
  ...[NONE, PATH, COUNTRY].map((variant) => ({
    path: 'statistics/page/exit',
    variant,
    sql: entryExit('exit'),
  })),
  ...[NONE, PATH, COUNTRY, EVENT].map((variant) => ({
    path: 'statistics/referrer',
    variant,
    sql: referrers,
  })),
  ...dimensionCases('statistics/utm/source', dimension(['utm_source'], { nonEmpty: true })),
  ...dimensionCases('statistics/utm/medium', dimension(['utm_medium'], { nonEmpty: true })),
  ...dimensionCases('statistics/utm/campaign', dimension(['utm_campaign'], { nonEmpty: true })),
  ...dimensionCases('statistics/utm/content', dimension(['utm_content'], { nonEmpty: true })),
  ...dimensionCases('statistics/utm/term', dimension(['utm_term'], { nonEmpty: true })),
  ...dimensionCases('statistics/language', dimension(['language'])),
  ...dimensionCases('statistics/country', dimension(['country_code'])),
  ...dimensionCases('statistics/region', dimension(['region', 'country_code'])),
  ...dimensionCases('statistics/city', dimension(['city', 'country_code', 'region'])),
  ...dimensionCases('statistics/os', dimension(['os'])),
  ...dimensionCases('statistics/os/version', dimension(['os', 'os_version'])),
  ...dimensionCases('statistics/browser', dimension(['browser'])),
  ...dimensionCases('statistics/browser/version', dimension(['browser', 'browser_version'])),
  ...dimensionCases('statistics/screen', dimension(['screen_class'])),
  ...[NONE, PATH, COUNTRY, EVENT].map((variant) => ({
    path: 'statistics/platform',
    variant,
    sql: platform,
  })),
  { path: 'statistics/channel', variant: NONE, sql: sessionBreakdown('channel') },
  { path: 'statistics/hostname', variant: NONE, sql: sessionBreakdown('hostname') },
  ...[NONE, PATH].map((variant) => ({ path: 'statistics/tags', variant, sql: tagKeys })),
  {
    path: 'statistics/tag/details',
    variant: month('tag=author', { tag: 'author' }),
    sql: tagDetails,
  },
  ...[NONE, PATH, COUNTRY].map((variant) => ({ path: 'statistics/events', variant, sql: events })),
  {
    path: 'statistics/event/meta',
    variant: month('event=Purchase, key=plan', { event: 'Purchase', eventMetaKey: 'plan' }),
    sql: eventMeta,
  },
  ...[NONE, month('event=Purchase', { event: 'Purchase' })].map((variant) => ({
    path: 'statistics/event/list',
    variant,
    sql: eventList,
    key: ['name', 'meta'],
  })),
  { path: 'statistics/event/page', variant: EVENT, sql: eventPages },
  ...[NONE, COUNTRY].map((variant) => ({
    path: 'statistics/goals',
    variant,
    sql: goals(GOAL_PATTERNS),
    rows: flattenGoals,
    key: ['name'],
  })),
];

/**
 * The requests the dashboard makes for one view (DASHBOARD.md §5, panels): the month, unfiltered.
 */
export const DASHBOARD: { path: string; variant: Variant }[] = [
  { path: 'statistics/total', variant: NONE },
  { path: 'statistics/visitor', variant: NONE },
  { path: 'statistics/growth', variant: NONE },
  { path: 'statistics/page', variant: NONE },
  { path: 'statistics/page/entry', variant: NONE },
  { path: 'statistics/page/exit', variant: NONE },
  { path: 'statistics/referrer', variant: NONE },
  { path: 'statistics/utm/source', variant: NONE },
  { path: 'statistics/country', variant: NONE },
  { path: 'statistics/language', variant: NONE },
  { path: 'statistics/browser', variant: NONE },
  { path: 'statistics/os', variant: NONE },
  { path: 'statistics/platform', variant: NONE },
  { path: 'statistics/screen', variant: NONE },
  { path: 'statistics/events', variant: NONE },
  { path: 'statistics/goals', variant: NONE },
  { path: 'statistics/active', variant: { name: 'start=600', ...MONTH, start: 600 } },
  { path: 'statistics/duration/session', variant: NONE },
];

/** The same dashboard view with one filter applied to every request. */
export const dashboardWith = (extra: Partial<Variant>) =>
  DASHBOARD.map(({ path, variant }) => ({
    path,
    variant: variant.start === undefined ? { ...variant, ...extra } : variant,
  }));

// ---------------------------------------------------------------------------------------------
// Comparing the endpoint's answer with the hand-written query's.

/** The body as a list of rows. */
export function rowsOf(c: Case, body: unknown): Record<string, unknown>[] {
  if (c.rows) return c.rows(body);
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  return [body as Record<string, unknown>];
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort())
      : v,
  );

function sameValue(field: string, api: unknown, sql: unknown): boolean {
  if (typeof sql === 'number' || (typeof sql === 'string' && /^-?\d+$/.test(sql))) {
    const a = Number(api);
    const b = Number(sql);
    // Durations are rounded to whole seconds by the API and unrounded here.
    if (field.startsWith('average_')) return Math.abs(a - b) <= 0.5 + 1e-9;
    // The API may compare rounded averages.
    if (field === 'time_spent_growth') return Math.abs(a - b) <= 1e-2;
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  }
  if (typeof sql === 'object') return canonical(api) === canonical(sql);
  return api === sql;
}

/**
 * Differences between the API rows and the SQL rows on the SQL's fields: row count, then each
 * row (by position, or matched by `key`). At most `max` messages.
 */
export function compareResults(
  c: Case,
  apiRows: Record<string, unknown>[],
  sqlRows: Record<string, unknown>[],
  max = 3,
): string[] {
  const out: string[] = [];
  if (apiRows.length !== sqlRows.length) {
    out.push(`rows: api ${apiRows.length}, sql ${sqlRows.length}`);
  }
  const keyOf = (row: Record<string, unknown>) =>
    canonical((c.key ?? []).map((k) => row[k] ?? null));
  const byKey = c.key ? new Map(apiRows.map((row) => [keyOf(row), row])) : undefined;
  sqlRows.forEach((sqlRow, i) => {
    const apiRow = byKey ? byKey.get(keyOf(sqlRow)) : apiRows[i];
    if (!apiRow) {
      if (i < apiRows.length || byKey) out.push(`row ${keyOf(sqlRow)} missing from api`);
      return;
    }
    for (const [field, value] of Object.entries(sqlRow)) {
      // Fields starting with `_` are computed for a fair timing but not compared.
      if (field.startsWith('_')) continue;
      if (!sameValue(field, apiRow[field], value)) {
        out.push(
          `row ${i} ${field}: api ${canonical(apiRow[field])}, sql ${canonical(value)}` +
            (c.key ? '' : ` (${canonical(Object.values(sqlRow)[0])})`),
        );
      }
    }
  });
  return out.slice(0, max).concat(out.length > max ? [`… ${out.length - max} more`] : []);
}
