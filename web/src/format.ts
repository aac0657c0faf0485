/** Numbers, durations, dates and names in the browser's locale. */

const locale = typeof navigator === 'undefined' ? undefined : navigator.language;
const exact = new Intl.NumberFormat(locale);
const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 2 });
const percent1 = new Intl.NumberFormat(locale, {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** Exact count: `12,345`. */
export const formatNumber = (n: number): string => exact.format(n);

/** Abbreviated count: `1.2K`; exact below 10,000. */
export const formatCompact = (n: number): string =>
  Math.abs(n) < 10_000 ? exact.format(n) : compact.format(n);

/** A 0–1 ratio as a percentage with one decimal; tiny non-zero values as `< 0.1%`. */
export function formatPercent(ratio: number): string {
  if (ratio > 0 && ratio < 0.001) return `< ${percent1.format(0.001)}`;
  return percent1.format(ratio);
}

/** Seconds as `1m 52s`, `2h 3m`, `45s`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest ? `${Math.floor(s / 60)}m ${rest}s` : `${Math.floor(s / 60)}m`;
  }
  const minutes = Math.floor((s % 3600) / 60);
  return minutes ? `${Math.floor(s / 3600)}h ${minutes}m` : `${Math.floor(s / 3600)}h`;
}

/** A `YYYY-MM-DD` day in the locale's short format (the day is a calendar date, no zone). */
export function formatDay(day: string, options: Intl.DateTimeFormatOptions = {}): string {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    ...options,
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y!, m! - 1, d!)));
}

/** The flag emoji of an ISO 3166-1 alpha-2 code (regional indicator symbols). */
export function flag(code: string): string {
  if (!/^[a-z]{2}$/i.test(code)) return '🏳️';
  const base = 0x1f1e6 - 65;
  const upper = code.toUpperCase();
  return String.fromCodePoint(base + upper.charCodeAt(0), base + upper.charCodeAt(1));
}

const regionNames = safeDisplayNames('region');
const languageNames = safeDisplayNames('language');

function safeDisplayNames(type: 'region' | 'language'): Intl.DisplayNames | undefined {
  try {
    return new Intl.DisplayNames(locale ? [locale, 'en'] : ['en'], { type, fallback: 'code' });
  } catch {
    return undefined;
  }
}

/** `Germany` for `de`. */
export function countryName(code: string): string {
  if (!code) return 'Unknown';
  try {
    return regionNames?.of(code.toUpperCase()) ?? code.toUpperCase();
  } catch {
    return code.toUpperCase();
  }
}

/** `German` for `de`. */
export function languageName(code: string): string {
  if (!code) return 'Unknown';
  try {
    return languageNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** A stable hue (0–359) for a label, for letter avatars. */
export function hue(label: string): number {
  let h = 0;
  for (let i = 0; i < label.length; i++) h = (h * 31 + label.charCodeAt(i)) >>> 0;
  return h % 360;
}
