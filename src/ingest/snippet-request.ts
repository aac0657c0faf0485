/**
 * From the browser snippet's requests (TRACKER.md §2.6) to pipeline requests. Unlike the API,
 * invalid optional fields are normalised, never a reason to reject: a bad screen width becomes
 * 0, nested metadata is dropped, extra tags are cut. Only a missing code, a URL that is not an
 * absolute http(s) URL and an empty event name are errors.
 */
import { isAbsoluteHttpUrl } from './request.ts';
import type { EventFields } from './session.ts';

/** Snippet limits (TRACKER.md §2.6). */
export const SNIPPET_LIMITS = {
  tags: 20,
  tagText: 50,
  eventName: 200,
  metaPairs: 20,
  metaKey: 100,
  metaValue: 2000,
} as const;

/** An integer 0–65535 from a query or JSON value; anything else is 0. */
export function screenDimension(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? Math.min(Math.floor(n), 65535) : 0;
}

/** A referrer, percent-decoded when the script sent it encoded (`https%3A%2F%2F…`). */
export function decodeReferrer(value: string): string {
  if (!/^https?%3A/i.test(value)) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Tags from `tag_<key>=<value>` query parameters or a `tags` object: at most 20 (extra ones
 * dropped in the order received), key and value cut to 50 characters, key-only tags get `1`.
 */
export function snippetTags(entries: Iterable<[string, unknown]>): Record<string, string> {
  const tags: Record<string, string> = {};
  let count = 0;
  for (const [rawKey, raw] of entries) {
    if (count >= SNIPPET_LIMITS.tags) break;
    const key = rawKey.trim().slice(0, SNIPPET_LIMITS.tagText);
    if (key === '' || (typeof raw === 'object' && raw !== null)) continue;
    const value = raw === undefined || raw === null || raw === '' ? '1' : String(raw);
    tags[key] = value.slice(0, SNIPPET_LIMITS.tagText);
    count += 1;
  }
  return tags;
}

/** The `tag_*` parameters of a hit's query string. */
export function tagsFromQuery(query: Record<string, unknown>): Record<string, string> {
  return snippetTags(
    Object.entries(query)
      .filter(([key]) => key.startsWith('tag_'))
      .map(([key, value]): [string, unknown] => [
        key.slice(4),
        Array.isArray(value) ? value[0] : value,
      ]),
  );
}

/**
 * Event fields of a snippet body; null when the name is missing or empty. Metadata keeps
 * scalars (as strings) within the limits; tags are merged in, an explicit metadata key wins.
 */
export function snippetEventFields(body: Record<string, unknown>): EventFields | null {
  const name = typeof body.event_name === 'string' ? body.event_name.trim() : '';
  if (name === '') return null;
  const meta: Record<string, string> = {};
  let pairs = 0;
  const rawMeta = body.event_meta;
  if (typeof rawMeta === 'object' && rawMeta !== null && !Array.isArray(rawMeta)) {
    for (const [rawKey, value] of Object.entries(rawMeta)) {
      if (pairs >= SNIPPET_LIMITS.metaPairs) break;
      const key = rawKey.trim().slice(0, SNIPPET_LIMITS.metaKey);
      if (key === '' || value === null || typeof value === 'object') continue;
      meta[key] = String(value).slice(0, SNIPPET_LIMITS.metaValue);
      pairs += 1;
    }
  }
  const tags =
    typeof body.tags === 'object' && body.tags !== null && !Array.isArray(body.tags)
      ? snippetTags(Object.entries(body.tags))
      : {};
  const merged = { ...tags, ...meta };
  const duration =
    typeof body.event_duration === 'number' ? body.event_duration : Number(body.event_duration);
  return {
    name: name.slice(0, SNIPPET_LIMITS.eventName),
    metaKeys: Object.keys(merged),
    metaValues: Object.values(merged),
    durationSeconds:
      Number.isFinite(duration) && duration > 0 ? Math.min(Math.floor(duration), 2 ** 32 - 1) : 0,
    nonInteractive: body.non_interactive === true,
  };
}

/** The page URL if it is an absolute http(s) URL, else null. */
export function snippetUrl(value: unknown): string | null {
  return typeof value === 'string' && isAbsoluteHttpUrl(value.trim()) ? value.trim() : null;
}

/** A text field of a snippet body or query ('' when absent or not text). */
export function textField(value: unknown): string {
  if (Array.isArray(value)) return textField(value[0]);
  return typeof value === 'string' ? value : '';
}
