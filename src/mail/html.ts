/**
 * HTML for e-mail clients: tables and inline styles only (no `<style>` blocks, scripts, web
 * fonts or external images), 600 px wide at most, a light background. Every value that comes
 * from data goes through `escapeHtml`.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text → HTML text or attribute value. */
export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/** Shorten a label to `max` characters with an ellipsis, so one long path cannot dominate. */
export function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

export const FONT =
  "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
export const COLOR_TEXT = '#1f2933';
export const COLOR_MUTED = '#616e7c';
export const COLOR_ACCENT = '#2f6fdb';
export const COLOR_PREVIOUS = '#c3d3ee';
export const COLOR_LINE = '#e4e7eb';
export const COLOR_UP = '#1a7f37';
export const COLOR_DOWN = '#c62828';

/** The width of the content column. */
export const CONTENT_WIDTH = 600;

/** A complete HTML document around `body` (rows of the 600 px content table). */
export function layout(input: { title: string; preheader: string; body: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(input.title)}</title>
</head>
<body style="margin:0;padding:0;background:#f4f5f7;${FONT};color:${COLOR_TEXT}">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">${escapeHtml(input.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f4f5f7">
<tr><td align="center" style="padding:16px 0">
<table role="presentation" class="content" width="${CONTENT_WIDTH}" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:${CONTENT_WIDTH}px;background:#ffffff;border-collapse:collapse;table-layout:fixed">
${input.body}
</table>
</td></tr>
</table>
</body>
</html>
`;
}

/** One padded row of the content table. */
export const section = (html: string, padding = '16px 24px'): string =>
  `<tr><td style="padding:${padding};${FONT};font-size:14px;line-height:20px;color:${COLOR_TEXT}">${html}</td></tr>\n`;

/** A section heading. */
export const heading = (text: string): string =>
  `<h2 style="margin:0 0 8px 0;font-size:16px;line-height:22px;font-weight:600;color:${COLOR_TEXT}">${escapeHtml(text)}</h2>`;

/** A paragraph of already-escaped HTML. */
export const paragraph = (html: string, color = COLOR_TEXT): string =>
  `<p style="margin:0 0 12px 0;font-size:14px;line-height:20px;color:${color}">${html}</p>`;

/** A button that also renders in clients without CSS support for `<a>` padding (a table cell). */
export function button(url: string, label: string): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>
<td bgcolor="${COLOR_ACCENT}" style="background:${COLOR_ACCENT};border-radius:4px">
<a class="button" href="${escapeHtml(url)}" style="display:inline-block;padding:10px 20px;${FONT};font-size:14px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(label)}</a>
</td></tr></table>`;
}

/** A link; `breakAnywhere` for a long URL shown as its own text, which must wrap. */
export const link = (url: string, text: string, breakAnywhere = false): string =>
  `<a href="${escapeHtml(url)}" style="color:${COLOR_ACCENT};text-decoration:underline${
    breakAnywhere ? ';word-break:break-all' : ''
  }">${escapeHtml(text)}</a>`;

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 12345 → `12,345`. */
export const formatInteger = (value: number): string => integerFormat.format(value);

/** 0.4791 → `47.9 %`. */
export const formatPercent = (ratio: number): string =>
  `${(Math.round(ratio * 1000) / 10).toFixed(1)} %`;

/** `2026-11-10` → `Tue 10 Nov` (a calendar day, not an instant: formatted in UTC). */
export function formatDay(day: string, withWeekday = true, withYear = false): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: withWeekday ? 'short' : undefined,
    day: 'numeric',
    month: 'short',
    year: withYear ? 'numeric' : undefined,
  }).format(new Date(`${day}T00:00:00Z`));
}

/** `2026-11-10`…`2026-11-16` → `10 Nov – 16 Nov 2026` (the year once when both share it). */
export function formatRange(from: string, to: string): string {
  if (from === to) return formatDay(from, false, true);
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  return `${formatDay(from, false, !sameYear)} – ${formatDay(to, false, true)}`;
}
