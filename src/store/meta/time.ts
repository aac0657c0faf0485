/**
 * Timestamps of the metadata store are TEXT in `Date.prototype.toISOString()` form: fixed width,
 * UTC, millisecond precision, `Z` suffix. Only that canonical form compares correctly as text
 * (`...12Z` sorts after `...12.500Z`), so every timestamp goes through these helpers before it
 * is stored or compared in SQL.
 */

/** RFC 3339 date-time with an explicit offset; fraction of any length (Pirsch sends up to 9 digits). */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/** The current time in canonical form, e.g. `2021-05-22T10:11:12.123Z`. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** A `Date` in canonical form; throws `RangeError` for an invalid date. */
export function toIso(date: Date): string {
  return date.toISOString();
}

/** The canonical form of `iso` moved by `ms` milliseconds (negative moves back). */
export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** True when the timestamp `iso` is at or before `now` (both canonical), e.g. an expired token. */
export function isPast(iso: string, now: string = nowIso()): boolean {
  return iso <= now;
}

/**
 * Parses an RFC 3339 timestamp (any offset, any fraction) into canonical form, or returns null.
 * Stricter than `Date.parse`, which accepts free text and rolls `02-30` over into March.
 */
export function parseRfc3339(value: string): string | null {
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second, offHour, offMinute] = m
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part)));
  const fields = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  const check = new Date(fields);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month! - 1 ||
    check.getUTCDate() !== day ||
    hour! > 23 ||
    minute! > 59 ||
    second! > 59 ||
    offHour! > 23 ||
    offMinute! > 59
  ) {
    return null;
  }
  // V8 parses only the upper-case `T`/`Z` spelling reliably.
  const ms = Date.parse(value.toUpperCase().replace(' ', 'T'));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
