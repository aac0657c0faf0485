/**
 * The pure parts of the tracking script (TRACKER.md §1.7, §1.9, §1.12, §3.5, §3.8): list and
 * pattern parsing, URL rewriting, tags and link classification. No DOM access here, so the
 * functions run (and are unit-tested) in Node as well as in the browser. Written for size: every
 * byte ends up in the script each visitor downloads.
 */

/** Reads an element's `data-<name>` attributes (null when absent). */
export const data =
  (element: { getAttribute(name: string): string | null }) =>
  (name: string): string | null =>
    element.getAttribute('data-' + name);

/** A comma-separated attribute value as a list without empty entries. */
export function list(value: string | null): string[] {
  return value ? value.split(',').filter((item) => item) : [];
}

/**
 * Whether `path` is tracked under `data-include` / `data-exclude` (regex lists): it matches an
 * include pattern (if any are set) and no exclude pattern. A pattern that does not compile is
 * logged and its check skipped, as Pirsch does (§1.3 rules 5–6). Compiled per call: page views
 * are rare enough, and the lists are re-read for every page view and event (§3.6).
 */
export function tracked(include: string | null, exclude: string | null, path: string): boolean {
  const matches = (value: string | null, skipped?: 1) =>
    list(value).some((source) => {
      try {
        return new RegExp(source).test(path);
      } catch (error) {
        console.error(error);
        return skipped;
      }
    });
  return (!include || matches(include, 1)) && !matches(exclude);
}

/**
 * Element `index` of a prefix/suffix list, the last one repeating; none for a negative index
 * (the primary request when `data-domain` is set, §1.7 step 3).
 */
export function pick(items: string[], index: number): string {
  return index < 0 ? '' : items[Math.min(index, items.length - 1)] || '';
}

/** `text` with the first `hostname` replaced by `host`, if one is given (§1.7 step 2). */
export function rewrite(text: string, hostname: string, host: string | null | undefined): string {
  return host ? text.replace(hostname, host) : text;
}

/**
 * The page URL as the full build sends it (§1.7): host rewrite, `prefix + pathname + suffix` as
 * the path, cut before the first of each character of `at` (`?` for `data-disable-query`, `#`
 * for `data-strip-anchor`), then to 1,800 characters.
 */
export function pageUrl(
  href: string,
  hostname: string,
  host: string | null | undefined,
  prefix: string,
  suffix: string,
  at: string,
): string {
  href = rewrite(href, hostname, host);
  if (prefix || suffix) {
    const url = new URL(href);
    url.pathname = prefix + url.pathname + suffix;
    href = url.href;
  }
  for (const char of at) href = href.split(char)[0]!;
  return href.slice(0, 1800);
}

/** Tags from the script tag's attributes: `data-tag-<key>="value"` and `data-tag="k1,k2"`. */
export function tags(
  attributes: ArrayLike<{ name: string; value: string }>,
): Record<string, string> {
  const found: Record<string, string> = {};
  // Hyphens in keys are spaces (HTML attribute names cannot contain spaces), empty values `1`.
  const add = (key: string, value?: string) => (found[key.replace(/-/g, ' ')] = value || '1');
  for (const { name, value } of Array.from(attributes)) {
    if (name == 'data-tag') list(value).forEach((key) => add(key));
    else if (!name.indexOf('data-tag-')) add(name.slice(9), value);
  }
  return found;
}

/** Options of `pirsch(name, options)` (§1.10). */
export interface EventOptions {
  duration?: number;
  meta?: Record<string, unknown>;
  non_interactive?: boolean;
}

/** What `declared` reads: an element's attributes and classes. */
export interface Declaring {
  attributes: ArrayLike<{ name: string; value: string }>;
  classList: ArrayLike<string>;
}

/**
 * A declarative event from an element's attributes and classes (§1.11): `data-pirsch-*` and the
 * legacy `pirsch-*` attributes, or `pirsch-event=Name+With+Spaces` style classes (`+` is a
 * space). The name is '' when none is declared.
 */
export function declared(element: Declaring): [string, EventOptions] {
  let name = '';
  const meta: Record<string, string> = {};
  const options: EventOptions = { meta };
  const pairs = Array.from(element.attributes, (a) => [a.name, a.value]).concat(
    Array.from(element.classList, (c) => c.replace(/\+/g, ' ').split('=')),
  );
  for (const [key, value = ''] of pairs) {
    // What follows `data-pirsch-` or `pirsch-`; '' for any other name.
    const k = key!.replace(/^(data-)?pirsch-|.*/, '');
    if (k == 'event') name = value;
    // The server keeps whole seconds of a number and drops anything else (§2.6).
    else if (k == 'duration') options.duration = parseInt(value) || 0;
    else if (k == 'non-interactive') options.non_interactive = true;
    else if (!k.indexOf('meta-')) meta[k.slice(5)] = value;
  }
  return [name, options];
}

/** File extensions that make a link a download (§1.12). */
export const DOWNLOAD_EXTENSIONS =
  '7z,avi,csv,docx,exe,gz,key,midi,mov,mp3,mp4,mpeg,pdf,pkg,pps,ppt,pptx,rar,rtf,txt,wav,wma,wmv,xlsx,zip';

/**
 * What a click on a link reports (§3.8): `[0, {file}]` for a download (extension of the URL's
 * pathname, or a `download` attribute), `[1, {url}]` for an outbound http(s) link to another
 * host, null for anything else. `page` is the current location.
 */
export function classifyLink(
  href: string,
  page: { origin: string; hostname: string },
  extensions: string[],
  download: boolean,
): [0, { file: string }] | [1, { url: string }] | null {
  const url = new URL(href);
  if (!/^http/.test(url.protocol)) return null;
  const extension = /\.([^./]+)$/.exec(url.pathname);
  if (download || (extension && extensions.indexOf(extension[1]!.toLowerCase()) >= 0))
    return [0, { file: (url.origin == page.origin ? '' : url.origin) + url.pathname }];
  return url.hostname != page.hostname
    ? [1, { url: url.origin + url.pathname + url.search }]
    : null;
}

/** Default endpoints: `hit`, `event`, `session` next to the script (outside `/v/<version>/`). */
export function endpointBase(src: string): string {
  return src.replace(/(\/v\/\d[^/]*)?\/[^/]*$/, '/');
}

/** Pages the Pirsch scripts ignore unless the tag has `data-dev` (§1.3 rule 4). */
export function isLocal(page: { hostname: string; protocol: string }): boolean {
  return /^localhost|^127(\.\d+){3}$/.test(page.hostname) || page.protocol == 'file:';
}
