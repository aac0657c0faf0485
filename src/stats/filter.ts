/**
 * The statistics filter (API.md A.2.1–A.2.2, B.3): query parameters → one validated `Filter`
 * that every statistic reads. Pure: the caller supplies the domain's time zone and the clock.
 */
import { ValidationError } from '../errors.ts';

export type Scale = 'day' | 'week' | 'month' | 'year';

/** One condition on a field. Positive conditions of a field are OR-ed, negative ones AND-ed. */
export interface Condition {
  op: 'eq' | 'neq' | 'contains' | 'not_contains';
  value: string;
}

/** A dimension filter on a column copied onto sessions, page views and events. */
export interface AttributeFilter {
  column: string;
  conditions: Condition[];
}

/** The requested time: whole local days, or the last N seconds (`start`). */
export type Period =
  { kind: 'days'; from: string; to: string } | { kind: 'instant'; fromMs: number; toMs: number };

export interface Filter {
  domainId: string;
  /** IANA zone of the domain; days, weeks, months and hours are counted in it. */
  timezone: string;
  period: Period;
  scale: Scale;
  path: Condition[];
  /** RE2 expressions matched against the page path. */
  pattern: Condition[];
  entryPath: Condition[];
  exitPath: Condition[];
  event: Condition[];
  eventMetaKey: Condition[];
  meta: { key: string; conditions: Condition[] }[];
  /** The tag key `/statistics/tag/details` breaks down (`tag`), or ''. */
  tag: string;
  /** `tag_<key>` filters on page-view tags (B.3). */
  tags: { key: string; conditions: Condition[] }[];
  attributes: AttributeFilter[];
  /** Rows of ranked lists (1–100). */
  limit: number;
  includeAvgTimeOnPage: boolean;
  sort: { field: string; direction: 'asc' | 'desc' } | undefined;
  search: string;
}

/** Query parameters as Fastify parses them (repeated parameters become arrays). */
export type RawQuery = Record<string, string | string[] | undefined>;

/** Filter parameters that map straight onto a stored column. */
export const ATTRIBUTE_PARAMETERS: Record<string, string> = {
  language: 'language',
  country: 'country_code',
  region: 'region',
  city: 'city',
  referrer: 'referrer',
  referrer_name: 'referrer_name',
  os: 'os',
  os_version: 'os_version',
  browser: 'browser',
  browser_version: 'browser_version',
  platform: 'platform',
  screen_class: 'screen_class',
  screen_width: 'screen_width',
  screen_height: 'screen_height',
  utm_source: 'utm_source',
  utm_medium: 'utm_medium',
  utm_campaign: 'utm_campaign',
  utm_content: 'utm_content',
  utm_term: 'utm_term',
  hostname: 'hostname',
  channel: 'channel',
};

const SCALES: readonly Scale[] = ['day', 'week', 'month', 'year'];
const NUMERIC_FIELDS =
  /^(visitors|views|sessions|bounces|count|entries|exits|cr|hour)$|_rate$|^relative_|^average_|^platform_/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Options a statistic passes when its filter is parsed. */
export interface FilterOptions {
  timezone: string | null;
  nowMs: number;
  /** Whether `from`/`to` (or `start`) are required. */
  requirePeriod: boolean;
  /** Response fields `sort` may name; empty = sorting not offered. */
  sortFields: readonly string[];
}

/** Every value of a parameter, empty ones dropped (an empty value means "not set"). */
function values(query: RawQuery, name: string): string[] {
  const raw = query[name];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((v) => v.trim()).filter((v) => v !== '');
}

const first = (query: RawQuery, name: string): string | undefined => values(query, name)[0];

/**
 * One filter value → condition: `!x` is not x, `~x` contains x, `^x` does not contain x, and
 * `null` (any case) stands for the empty/unknown value.
 */
export function parseCondition(raw: string): Condition {
  const prefix = raw[0];
  const op =
    prefix === '!' ? 'neq' : prefix === '~' ? 'contains' : prefix === '^' ? 'not_contains' : 'eq';
  const rest = op === 'eq' ? raw : raw.slice(1);
  return { op, value: rest.toLowerCase() === 'null' ? '' : rest };
}

/** The calendar date of a `from`/`to` value in the domain's zone (decision 29), or undefined. */
export function parseDay(raw: string, timezone: string): string | undefined {
  const m = DATE.exec(raw);
  if (m) {
    const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return date.toISOString().slice(0, 10) === raw ? raw : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw)) return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : localDate(ms, timezone);
}

/** `YYYY-MM-DD` of an instant in a time zone. */
export function localDate(ms: number, timezone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(ms));
}

/** `YYYY-MM-DD` plus `days` days. */
export function addDays(day: string, days: number): string {
  const ms = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Parse and validate the query of a statistics request; throws 400 with every problem. */
export function parseFilter(query: RawQuery, options: FilterOptions): Filter {
  const problems: Record<string, string> = {};
  const timezone = options.timezone ?? 'UTC';
  const domainId = first(query, 'id') ?? first(query, 'domain_id') ?? '';
  if (domainId === '') problems.id = 'the domain id is required';

  let period: Period | undefined;
  const startRaw = first(query, 'start');
  if (startRaw !== undefined && startRaw !== '0') {
    const seconds = Number(startRaw);
    if (!/^\d+$/.test(startRaw) || seconds < 1)
      problems.start = 'a number of seconds from 1 to 3600 is required';
    else
      period = {
        kind: 'instant',
        fromMs: options.nowMs - Math.min(seconds, 3600) * 1000,
        toMs: options.nowMs,
      };
  }
  if (period === undefined) {
    const fromRaw = first(query, 'from');
    const toRaw = first(query, 'to');
    let from = fromRaw === undefined ? undefined : parseDay(fromRaw, timezone);
    let to = toRaw === undefined ? undefined : parseDay(toRaw, timezone);
    if (fromRaw !== undefined && from === undefined)
      problems.from = 'a date YYYY-MM-DD is required';
    if (toRaw !== undefined && to === undefined) problems.to = 'a date YYYY-MM-DD is required';
    if (options.requirePeriod) {
      if (fromRaw === undefined) problems.from = 'the first day (from) is required';
      if (toRaw === undefined) problems.to = 'the last day (to) is required';
    }
    // One bound alone (where the period is optional) means that single day.
    from ??= to;
    to ??= from;
    if (from !== undefined && to !== undefined) {
      if (from > to) [from, to] = [to, from];
      // Tomorrow rather than today, so every time zone can reach its own today.
      const tomorrow = addDays(new Date(options.nowMs).toISOString().slice(0, 10), 1);
      if (to > tomorrow) to = tomorrow;
      if (from > to) from = to;
      period = { kind: 'days', from, to };
    } else if (!options.requirePeriod) {
      // Statistics that need no period (active visitors) look at the last 10 minutes.
      period = { kind: 'instant', fromMs: options.nowMs - 600_000, toMs: options.nowMs };
    }
  }

  const scaleRaw = first(query, 'scale') ?? 'day';
  if (!SCALES.includes(scaleRaw as Scale)) problems.scale = `must be one of ${SCALES.join(', ')}`;

  const limitRaw = first(query, 'limit');
  let limit = 100;
  if (limitRaw !== undefined) {
    if (!/^\d+$/.test(limitRaw)) problems.limit = 'must be a whole number from 0 to 100';
    else if (Number(limitRaw) > 0) limit = Math.min(Number(limitRaw), 100);
  }

  let sort: Filter['sort'];
  const sortRaw = first(query, 'sort');
  const directionRaw = first(query, 'direction')?.toLowerCase();
  if (directionRaw !== undefined && directionRaw !== 'asc' && directionRaw !== 'desc') {
    problems.direction = 'must be asc or desc';
  }
  if (sortRaw !== undefined) {
    if (!options.sortFields.includes(sortRaw)) {
      problems.sort =
        options.sortFields.length === 0
          ? 'this statistic cannot be sorted'
          : `must be one of ${options.sortFields.join(', ')}`;
    } else {
      // Counts and rates sort high to low by default, names and paths alphabetically.
      const fallback = NUMERIC_FIELDS.test(sortRaw) ? 'desc' : 'asc';
      sort = {
        field: sortRaw,
        direction: (directionRaw as 'asc' | 'desc' | undefined) ?? fallback,
      };
    }
  }

  const conditions = (name: string) => values(query, name).map(parseCondition);
  const meta: Filter['meta'] = [];
  const tags: Filter['tags'] = [];
  const attributes: AttributeFilter[] = [];
  for (const name of Object.keys(query)) {
    if (name.startsWith('meta_') && name.length > 5) {
      const list = conditions(name);
      if (list.length > 0) meta.push({ key: name.slice(5), conditions: list });
    }
    if (name.startsWith('tag_') && name.length > 4) {
      const list = conditions(name);
      if (list.length > 0) tags.push({ key: name.slice(4), conditions: list });
    }
  }
  for (const [parameter, column] of Object.entries(ATTRIBUTE_PARAMETERS)) {
    const list = conditions(parameter);
    if (list.length > 0) attributes.push({ column, conditions: list });
  }

  const path = conditions('path');
  const include = first(query, 'include_avg_time_on_page')?.toLowerCase();
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  return {
    domainId,
    timezone,
    period: period!,
    scale: scaleRaw as Scale,
    path,
    // Path wins over pattern when both are set. Only `!` negates a pattern: `^` and `~` are
    // regular-expression syntax there.
    pattern:
      path.length > 0
        ? []
        : values(query, 'pattern').map((v): Condition =>
            v.startsWith('!') ? { op: 'neq', value: v.slice(1) } : { op: 'eq', value: v },
          ),
    entryPath: conditions('entry_path'),
    exitPath: conditions('exit_path'),
    event: conditions('event'),
    eventMetaKey: conditions('event_meta_key'),
    meta,
    tag: first(query, 'tag') ?? '',
    tags,
    attributes,
    limit,
    includeAvgTimeOnPage: include === 'true' || include === '1',
    sort,
    search: first(query, 'search') ?? '',
  };
}

/** True when statistics must be computed from page views (a page filter is set). */
export const hasPageFilter = (f: Filter): boolean => f.path.length > 0 || f.pattern.length > 0;

/** True when statistics must be computed from events (an event filter is set). */
export const hasEventFilter = (f: Filter): boolean => f.event.length > 0 || f.meta.length > 0;
