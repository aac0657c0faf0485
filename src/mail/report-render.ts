/**
 * An e-mail report as a message: subject, HTML part and plain-text part. Pure: numbers in
 * (`report-data.ts`), text out. The chart is a table of horizontal bars (one row per day, this
 * period and the one before), which every mail client renders without images or scripts.
 */
import type { ReportInterval } from '../manage/report-schedule.ts';
import {
  COLOR_ACCENT,
  COLOR_DOWN,
  COLOR_LINE,
  COLOR_MUTED,
  COLOR_PREVIOUS,
  COLOR_UP,
  FONT,
  button,
  escapeHtml,
  formatDay,
  formatInteger,
  formatPercent,
  formatRange,
  heading,
  layout,
  link,
  paragraph,
  section,
  truncate,
} from './html.ts';
import { growth, type ReportData, type Totals, type TopRow } from './report-data.ts';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

const INTERVAL_NAMES: Record<ReportInterval, string> = {
  1: 'Weekly',
  2: 'Two-week',
  3: 'Three-week',
  4: 'Monthly',
};

/** `Weekly report for example.com: 2 Nov – 8 Nov 2026`. */
export function reportSubject(data: Pick<ReportData, 'hostname' | 'interval' | 'period'>): string {
  return `${INTERVAL_NAMES[data.interval]} report for ${data.hostname}: ${formatRange(
    data.period.from,
    data.period.to,
  )}`;
}

interface Metric {
  label: string;
  key: keyof Totals;
  format: (value: number) => string;
  /** Whether a rise is good news (colours the change). */
  higherIsBetter: boolean;
}

const METRICS: readonly Metric[] = [
  { label: 'Visitors', key: 'visitors', format: formatInteger, higherIsBetter: true },
  { label: 'Page views', key: 'views', format: formatInteger, higherIsBetter: true },
  { label: 'Sessions', key: 'sessions', format: formatInteger, higherIsBetter: true },
  { label: 'Bounce rate', key: 'bounce_rate', format: formatPercent, higherIsBetter: false },
];

/** The change against the previous period as shown: `+25 %`, `−10 %`, `±0 %` or `new`. */
export function changeLabel(current: number, previous: number): string {
  if (previous === 0 && current !== 0) return 'new';
  const percent = Math.round(growth(current, previous) * 100);
  if (percent === 0) return '±0 %';
  return percent > 0 ? `+${percent} %` : `−${Math.abs(percent)} %`;
}

function changeColor(metric: Metric, current: number, previous: number): string {
  // Equal, or nothing to compare with ("new"): neither good nor bad news.
  if (current === previous || previous === 0) return COLOR_MUTED;
  return current > previous === metric.higherIsBetter ? COLOR_UP : COLOR_DOWN;
}

function summaryHtml(data: ReportData): string {
  const cells = METRICS.map((m) => {
    const current = data.current[m.key];
    const previous = data.previous[m.key];
    return `<td class="metric" width="25%" valign="top" style="padding:8px 4px;${FONT}">
<div style="font-size:12px;line-height:16px;color:${COLOR_MUTED}">${escapeHtml(m.label)}</div>
<div class="metric-value" data-metric="${m.key}" style="font-size:22px;line-height:30px;font-weight:700;color:#1f2933">${escapeHtml(m.format(current))}</div>
<div class="metric-change" style="font-size:12px;line-height:16px;color:${changeColor(m, current, previous)}">${escapeHtml(changeLabel(current, previous))}<span style="color:${COLOR_MUTED}"> (was ${escapeHtml(m.format(previous))})</span></div>
</td>`;
  }).join('\n');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="table-layout:fixed"><tr>
${cells}
</tr></table>`;
}

/** One bar: a filled cell `percent` wide and the rest empty. */
function bar(className: string, percent: number, color: string, height: number): string {
  const empty = `<td style="font-size:0;line-height:0;height:${height}px">&nbsp;</td>`;
  const filled =
    percent > 0
      ? `<td class="${className}" width="${percent}%" bgcolor="${color}" style="width:${percent}%;background:${color};font-size:0;line-height:0;height:${height}px">&nbsp;</td>`
      : '';
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="table-layout:auto"><tr>${filled}${percent < 100 ? empty : ''}</tr></table>`;
}

/** Bar width in percent of the largest value; a non-zero value is always visible. */
const barPercent = (value: number, max: number): number =>
  value <= 0 || max <= 0 ? 0 : Math.max(1, Math.round((value / max) * 100));

function chartHtml(data: ReportData): string {
  const max = Math.max(0, ...data.days.flatMap((d) => [d.visitors, d.previousVisitors ?? 0]));
  const rows = data.days
    .map((d) => {
      const previous =
        d.previousDay === undefined
          ? ''
          : `<div style="font-size:11px;line-height:13px;color:${COLOR_MUTED}">${formatInteger(d.previousVisitors ?? 0)}</div>`;
      return `<tr class="chart-row">
<td width="88" style="padding:3px 0;${FONT};font-size:12px;line-height:14px;color:${COLOR_MUTED};white-space:nowrap">${escapeHtml(formatDay(d.day))}</td>
<td style="padding:3px 8px">${bar('bar-current', barPercent(d.visitors, max), COLOR_ACCENT, 10)}<div style="font-size:0;line-height:0;height:2px">&nbsp;</div>${
        d.previousDay === undefined
          ? ''
          : bar('bar-previous', barPercent(d.previousVisitors ?? 0, max), COLOR_PREVIOUS, 5)
      }</td>
<td width="56" align="right" style="padding:3px 0;${FONT};text-align:right"><div style="font-size:13px;line-height:15px;font-weight:600">${formatInteger(d.visitors)}</div>${previous}</td>
</tr>`;
    })
    .join('\n');
  const legend = `<p style="margin:8px 0 0 0;font-size:12px;line-height:16px;color:${COLOR_MUTED}"><span style="color:${COLOR_ACCENT}">&#9632;</span> ${escapeHtml(
    formatRange(data.period.from, data.period.to),
  )} &nbsp; <span style="color:${COLOR_PREVIOUS}">&#9632;</span> ${escapeHtml(
    formatRange(data.period.previous.from, data.period.previous.to),
  )} (same position in the period before)</p>`;
  return `<table role="presentation" class="chart" width="100%" cellpadding="0" cellspacing="0" border="0" style="table-layout:fixed">
${rows}
</table>${legend}`;
}

function topListHtml(
  title: string,
  rows: TopRow[],
  columns: { label: string; count?: string },
  empty: string,
): string {
  if (rows.length === 0) return heading(title) + paragraph(escapeHtml(empty), COLOR_MUTED);
  const th = (text: string, align: string) =>
    `<th align="${align}" style="padding:4px 0;${FONT};font-size:12px;line-height:16px;font-weight:600;color:${COLOR_MUTED};text-align:${align};border-bottom:1px solid ${COLOR_LINE}">${escapeHtml(text)}</th>`;
  const td = (html: string, align: string, extra = '') =>
    `<td align="${align}" style="padding:5px 0;${FONT};font-size:13px;line-height:18px;text-align:${align};border-bottom:1px solid ${COLOR_LINE};${extra}">${html}</td>`;
  const countColumn = columns.count !== undefined;
  const body = rows
    .map(
      (r) =>
        `<tr>${td(escapeHtml(truncate(r.label, 80)), 'left', 'word-break:break-all;padding-right:8px')}${td(
          formatInteger(r.visitors),
          'right',
        )}${countColumn ? td(formatInteger(r.count ?? 0), 'right') : ''}</tr>`,
    )
    .join('\n');
  return `${heading(title)}<table role="presentation" class="top-list" width="100%" cellpadding="0" cellspacing="0" border="0" style="table-layout:fixed">
<tr>${th(columns.label, 'left')}<th width="72" align="right" style="padding:4px 0;${FONT};font-size:12px;line-height:16px;font-weight:600;color:${COLOR_MUTED};text-align:right;border-bottom:1px solid ${COLOR_LINE}">Visitors</th>${
    countColumn
      ? `<th width="72" align="right" style="padding:4px 0;${FONT};font-size:12px;line-height:16px;font-weight:600;color:${COLOR_MUTED};text-align:right;border-bottom:1px solid ${COLOR_LINE}">${escapeHtml(columns.count ?? '')}</th>`
      : ''
  }</tr>
${body}
</table>`;
}

export interface ReportRecipient {
  email: string;
  unsubscribeUrl: string;
}

/** The whole report message for one recipient. */
export function renderReport(data: ReportData, recipient: ReportRecipient): RenderedMail {
  const subject = reportSubject(data);
  const range = formatRange(data.period.from, data.period.to);
  const previousRange = formatRange(data.period.previous.from, data.period.previous.to);
  const kind = INTERVAL_NAMES[data.interval].toLowerCase();

  const body = [
    section(
      `<div style="font-size:12px;line-height:16px;color:${COLOR_MUTED};text-transform:uppercase;letter-spacing:0.5px">${escapeHtml(INTERVAL_NAMES[data.interval])} report</div>
<h1 style="margin:4px 0 4px 0;font-size:22px;line-height:28px;font-weight:700;word-break:break-all">${escapeHtml(data.hostname)}</h1>
<div style="font-size:14px;line-height:20px;color:${COLOR_MUTED}">${escapeHtml(range)}, compared with ${escapeHtml(previousRange)}</div>`,
      '24px 24px 8px 24px',
    ),
    section(summaryHtml(data), '8px 20px'),
    section(heading('Visitors per day') + chartHtml(data)),
    data.pages === undefined
      ? ''
      : section(
          topListHtml('Top pages', data.pages, { label: 'Page', count: 'Views' }, 'No page views.'),
        ),
    data.referrers === undefined
      ? ''
      : section(
          topListHtml('Top referrers', data.referrers, { label: 'Referrer' }, 'No visitors.'),
        ),
    data.events === undefined
      ? ''
      : section(
          topListHtml('Top events', data.events, { label: 'Event', count: 'Count' }, 'No events.'),
        ),
    section(button(data.dashboardUrl, 'Open the dashboard'), '8px 24px 24px 24px'),
    section(
      paragraph(
        `You receive this ${escapeHtml(kind)} report of ${escapeHtml(data.hostname)} at ${escapeHtml(
          recipient.email,
        )}. ${link(recipient.unsubscribeUrl, 'Unsubscribe')} from this report.`,
        COLOR_MUTED,
      ),
      `16px 24px 24px 24px;border-top:1px solid ${COLOR_LINE};font-size:12px`,
    ),
  ].join('');

  const html = layout({
    title: subject,
    preheader: `${formatInteger(data.current.visitors)} visitors, ${formatInteger(
      data.current.views,
    )} page views (${range})`,
    body,
  });
  return { subject, html, text: reportText(data, recipient) };
}

/** The plain-text part: the same content, aligned for monospace readers. */
function reportText(data: ReportData, recipient: ReportRecipient): string {
  const lines: string[] = [];
  const range = formatRange(data.period.from, data.period.to);
  lines.push(`${INTERVAL_NAMES[data.interval]} report for ${data.hostname}`);
  lines.push(
    `${range}, compared with ${formatRange(data.period.previous.from, data.period.previous.to)}`,
  );
  lines.push('');
  for (const m of METRICS) {
    const current = data.current[m.key];
    const previous = data.previous[m.key];
    lines.push(
      `${m.label.padEnd(12)} ${m.format(current).padStart(10)}   ${changeLabel(current, previous)} (was ${m.format(previous)})`,
    );
  }
  lines.push('', 'Visitors per day (previous period in brackets)');
  const max = Math.max(0, ...data.days.flatMap((d) => [d.visitors, d.previousVisitors ?? 0]));
  for (const d of data.days) {
    const width = max === 0 ? 0 : Math.round((d.visitors / max) * 30);
    const previous =
      d.previousVisitors === undefined ? '' : ` (${formatInteger(d.previousVisitors)})`;
    lines.push(
      `${formatDay(d.day).padEnd(11)} ${'#'.repeat(width).padEnd(30)} ${formatInteger(d.visitors)}${previous}`,
    );
  }
  const list = (title: string, rows: TopRow[] | undefined, count?: string) => {
    if (rows === undefined) return;
    lines.push('', title);
    if (rows.length === 0) lines.push('  (none)');
    for (const r of rows) {
      const extra = count === undefined ? '' : `, ${formatInteger(r.count ?? 0)} ${count}`;
      lines.push(`  ${truncate(r.label, 80)}: ${formatInteger(r.visitors)} visitors${extra}`);
    }
  };
  list('Top pages', data.pages, 'views');
  list('Top referrers', data.referrers);
  list('Top events', data.events, 'times');
  lines.push('', `Open the dashboard: ${data.dashboardUrl}`, '');
  lines.push(
    `You receive this ${INTERVAL_NAMES[data.interval].toLowerCase()} report of ${data.hostname} at ${recipient.email}.`,
  );
  lines.push(`Unsubscribe: ${recipient.unsubscribeUrl}`);
  return lines.join('\n') + '\n';
}
