/**
 * Dashboard filters (DASHBOARD.md §8): exactly the API's filter parameters, kept in the URL, with
 * the API's value prefixes (`!` is not, `~` contains, `^` not contains; `null` = unknown).
 */

/**
 * Filter fields: API parameter, label, and where suggestions come from — the ranked statistic
 * of that field (searched with `search`, most visitors first) and the response field.
 */
export const FILTER_FIELDS: readonly (readonly [
  param: string,
  label: string,
  suggest?: readonly [path: string, field: string],
])[] = [
  ['path', 'Page', ['page', 'path']],
  ['entry_path', 'Entry page', ['page/entry', 'path']],
  ['exit_path', 'Exit page', ['page/exit', 'path']],
  ['pattern', 'Page pattern'],
  ['hostname', 'Hostname'],
  ['event', 'Event', ['events', 'name']],
  ['event_meta_key', 'Event metadata key'],
  ['referrer', 'Referrer', ['referrer', 'referrer']],
  ['referrer_name', 'Referrer name', ['referrer', 'referrer_name']],
  ['channel', 'Channel'],
  ['utm_source', 'UTM source', ['utm/source', 'utm_source']],
  ['utm_medium', 'UTM medium', ['utm/medium', 'utm_medium']],
  ['utm_campaign', 'UTM campaign', ['utm/campaign', 'utm_campaign']],
  ['utm_content', 'UTM content', ['utm/content', 'utm_content']],
  ['utm_term', 'UTM term', ['utm/term', 'utm_term']],
  ['country', 'Country', ['country', 'country_code']],
  ['region', 'Region', ['region', 'region']],
  ['city', 'City', ['city', 'city']],
  ['language', 'Language', ['language', 'language']],
  ['os', 'Operating system', ['os', 'os']],
  ['os_version', 'OS version', ['os/version', 'os_version']],
  ['browser', 'Browser', ['browser', 'browser']],
  ['browser_version', 'Browser version', ['browser/version', 'browser_version']],
  ['platform', 'Platform'],
  ['screen_class', 'Screen class', ['screen', 'screen_class']],
];

const FIELD_NAMES = new Set(FILTER_FIELDS.map(([param]) => param));

/** True for a query parameter that is a statistics filter. */
export const isFilterParam = (name: string): boolean =>
  FIELD_NAMES.has(name) || /^(meta|tag)_.+/.test(name);

export interface FilterChip {
  param: string;
  /** The raw value as in the URL (with prefix). */
  raw: string;
}

/** Every active filter of a query, in URL order. */
export function activeFilters(query: URLSearchParams): FilterChip[] {
  const chips: FilterChip[] = [];
  for (const [param, raw] of query)
    if (isFilterParam(param) && raw !== '') chips.push({ param, raw });
  return chips;
}

export type Operator = 'is' | 'is not' | 'contains' | 'not contains';
const PREFIX: Record<Operator, string> = {
  is: '',
  'is not': '!',
  contains: '~',
  'not contains': '^',
};

/** Split a raw value into operator and value. */
export function parseValue(param: string, raw: string): { op: Operator; value: string } {
  // A pattern takes only `!` (the others are regular-expression syntax there).
  if (raw.startsWith('!')) return { op: 'is not', value: raw.slice(1) };
  if (param !== 'pattern' && raw.startsWith('~')) return { op: 'contains', value: raw.slice(1) };
  if (param !== 'pattern' && raw.startsWith('^'))
    return { op: 'not contains', value: raw.slice(1) };
  return { op: 'is', value: raw };
}

/** Join operator and value into the API's encoding; an empty value means unknown (`null`). */
export const encodeValue = (op: Operator, value: string): string =>
  PREFIX[op] + (value === '' ? 'null' : value);

/** The label of a filter parameter. */
export function fieldLabel(param: string): string {
  const known = FILTER_FIELDS.find(([p]) => p === param);
  if (known) return known[1];
  if (param.startsWith('meta_')) return `Event metadata “${param.slice(5)}”`;
  if (param.startsWith('tag_')) return `Tag “${param.slice(4)}”`;
  return param;
}

/** A copy of the query with one more filter (the same value is not added twice). */
export function withFilter(query: URLSearchParams, param: string, raw: string): URLSearchParams {
  const next = new URLSearchParams(query);
  if (!next.getAll(param).includes(raw)) next.append(param, raw);
  return next;
}

/** A copy of the query without one filter value (or all filters with `param` '*'). */
export function withoutFilter(
  query: URLSearchParams,
  param: string,
  raw?: string,
): URLSearchParams {
  const next = new URLSearchParams();
  for (const [p, v] of query) {
    if (param === '*' ? isFilterParam(p) : p === param && (raw === undefined || v === raw))
      continue;
    next.append(p, v);
  }
  return next;
}

/** A copy of the query with one filter value replaced. */
export function replaceFilter(
  query: URLSearchParams,
  param: string,
  raw: string,
  next: string,
): URLSearchParams {
  const out = new URLSearchParams();
  for (const [p, v] of query) out.append(p, p === param && v === raw ? next : v);
  return out;
}

/** True when the filters select events (sessions-only tiles are hidden then). */
export const filtersByEvent = (query: URLSearchParams): boolean =>
  query.has('event') || [...query.keys()].some((k) => k.startsWith('meta_'));

/** True when the filters select pages (time on page is shown then). */
export const filtersByPage = (query: URLSearchParams): boolean =>
  query.has('path') || query.has('pattern');

/** Convert a `*`/`**` path pattern to the RE2 expression goals use (DESIGN decision 9). */
export function pathPatternToRegex(pattern: string): string {
  if (!pattern.includes('*')) return pattern;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else out += /[.+?^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
  }
  return `(?i)^${out}$`;
}
