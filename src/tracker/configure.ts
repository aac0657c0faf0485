/// <reference lib="dom" />
/**
 * What only the full build reads from the script tag (TRACKER.md §1.2, §1.7–§1.9, §3.5, §3.7):
 * roll-up targets with their prefix/suffix lists, tags, URL cutting and the calls a queueing stub
 * collected before the script ran. Kept out of core.ts so that the core build, which calls it
 * only under `FULL`, does not carry it.
 */
import type { TrackerWindow } from './core.ts';
import { list, pick, tags } from './logic.ts';

/**
 * One request per page view or event: `[code, host written into url and referrer, path prefix,
 * path suffix, title prefix, title suffix]`.
 */
export type Target = [string, string | null | undefined, string, string, string, string];

/** The full build's extra configuration. */
export interface Configured {
  /** The primary request, then one per `data-domain` entry. */
  r: Target[];
  /** Tags (`tags` of events). */
  t: Record<string, string>;
  /** Tags as `&tag_<key>=<value>` page-view parameters. */
  q: string;
  /** Cut the URL before these: `?` for `data-disable-query`, `#` for `data-strip-anchor`. */
  c: string;
  /** Early calls of a queueing stub (`window.pirsch.q`). */
  e: ArrayLike<unknown>[] | undefined;
}

/**
 * Read the full build's extra configuration from the tag (`attr` reads its `data-` attributes);
 * `code` is the page's own identification code.
 */
export function configure(
  attr: (name: string) => string | null,
  tag: Element,
  code: string,
): Configured {
  const w = window as Window & TrackerWindow;
  const lists = ['path-prefix', 'path-suffix', 'title-prefix', 'title-suffix'].map((name) =>
    list(attr(name)),
  );
  const domains = list(attr('domain')).map((entry) => entry.split(':'));
  // With roll-ups the i-th list element goes to the i-th of them, none to the primary (§1.7).
  const target = (own: string, host: string | null | undefined, i: number) =>
    [own, host, ...lists.map((items) => pick(items, i))] as Target;
  const t = tags(tag.attributes);
  let q = '';
  for (const key in t) q += '&tag_' + encodeURIComponent(key) + '=' + encodeURIComponent(t[key]!);
  return {
    // `host:code` roll-ups keep the real URL, 2022-style `host` ones rewrite it (§3.5).
    r: [target(code, attr('dev'), domains.length ? -1 : 0)].concat(
      domains.map(([host, own], i) => (own ? target(own, null, i) : target(code, host, i))),
    ),
    t,
    q,
    c: (attr('disable-query') != null ? '?' : '') + (attr('strip-anchor') != null ? '#' : ''),
    e: w.pirsch && w.pirsch.q,
  };
}
