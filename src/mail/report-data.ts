/**
 * The numbers of one e-mail report: totals of the period and of the one before, visitors per
 * day of both, top pages, referrers and events — all through the API's statistics.
 */
import type { ReportInterval } from '../manage/report-schedule.ts';
import type { Domain } from '../store/meta/schema.ts';
import { dashboardUrl } from './links.ts';
import { daysOf, reportPeriod, type DayRange, type ReportPeriod } from './report-period.ts';
import { computeStatistic, type StatisticStores } from './statistics.ts';

/** How many rows each top list shows. */
export const TOP_ROWS = 10;

export interface Totals {
  visitors: number;
  views: number;
  sessions: number;
  bounce_rate: number;
}

export interface DayVisitors {
  day: string;
  visitors: number;
  /** The day at the same position of the previous period (absent when that period is shorter). */
  previousDay: string | undefined;
  previousVisitors: number | undefined;
}

export interface TopRow {
  label: string;
  visitors: number;
  /** Page views of a page, number of times an event was sent. */
  count?: number;
}

export interface ReportData {
  hostname: string;
  interval: ReportInterval;
  period: ReportPeriod;
  current: Totals;
  previous: Totals;
  days: DayVisitors[];
  /** Undefined when the installation has no such statistic. */
  pages: TopRow[] | undefined;
  referrers: TopRow[] | undefined;
  events: TopRow[] | undefined;
  /** The dashboard of this domain for the report's days. */
  dashboardUrl: string;
}

interface TotalJson {
  visitors: number;
  views: number;
  sessions: number;
  bounce_rate: number;
}

interface VisitorJson {
  day: string | null;
  visitors: number;
}

interface PageJson {
  path: string;
  visitors: number;
  views: number;
}

interface ReferrerJson {
  referrer: string;
  referrer_name: string;
  visitors: number;
}

interface EventJson {
  name: string;
  visitors: number;
  views: number;
  count?: number;
}

/** The label of a referrer row: its name, else its URL, else direct traffic. */
export const referrerLabel = (row: Pick<ReferrerJson, 'referrer' | 'referrer_name'>): string =>
  row.referrer_name || row.referrer || 'Direct / none';

/** Collect every number of the report due at `slot` for `domain`. */
export async function collectReportData(
  stores: StatisticStores,
  domain: Domain,
  interval: ReportInterval,
  slot: string,
  baseUrl: string,
  nowMs: number = Date.now(),
): Promise<ReportData> {
  const period = reportPeriod(slot, interval, domain.timezone);
  const stat = <T>(path: string, range: DayRange, extra: Record<string, string> = {}) =>
    computeStatistic<T>(stores, domain, path, { from: range.from, to: range.to, ...extra }, nowMs);
  const required = async <T>(path: string, range: DayRange): Promise<T> => {
    const value = await stat<T>(path, range);
    if (value === undefined) throw new Error(`the statistic ${path} is missing`);
    return value;
  };
  const top = { limit: String(TOP_ROWS) };

  const [current, previous, series, previousSeries, pages, referrers, events] = await Promise.all([
    required<TotalJson>('statistics/total', period),
    required<TotalJson>('statistics/total', period.previous),
    required<VisitorJson[]>('statistics/visitor', period),
    required<VisitorJson[]>('statistics/visitor', period.previous),
    stat<PageJson[]>('statistics/page', period, top),
    stat<ReferrerJson[]>('statistics/referrer', period, top),
    stat<EventJson[]>('statistics/events', period, top),
  ] as const);

  const byDay = (rows: VisitorJson[]) =>
    new Map(rows.map((r) => [(r.day ?? '').slice(0, 10), r.visitors]));
  const visitorsOn = byDay(series);
  const previousOn = byDay(previousSeries);
  const previousDays = daysOf(period.previous);
  const days = daysOf(period).map((day, i): DayVisitors => {
    const previousDay = previousDays[i];
    return {
      day,
      visitors: visitorsOn.get(day) ?? 0,
      previousDay,
      previousVisitors: previousDay === undefined ? undefined : (previousOn.get(previousDay) ?? 0),
    };
  });

  return {
    hostname: domain.hostname,
    interval,
    period,
    current: totals(current),
    previous: totals(previous),
    days,
    pages: pages?.map((p) => ({ label: p.path, visitors: p.visitors, count: p.views })),
    referrers: referrers?.map((r) => ({ label: referrerLabel(r), visitors: r.visitors })),
    events: events?.map((e) => ({
      label: e.name,
      visitors: e.visitors,
      count: e.count ?? e.views,
    })),
    dashboardUrl: dashboardUrl(baseUrl, domain.id, { from: period.from, to: period.to }),
  };
}

const totals = (t: TotalJson): Totals => ({
  visitors: t.visitors,
  views: t.views,
  sessions: t.sessions,
  bounce_rate: t.bounce_rate,
});

/**
 * The relative change from `previous` to `current` as the API's growth figures define it:
 * 0 when both are 0, 1 when only the previous one is 0.
 */
export function growth(current: number, previous: number): number {
  if (previous === 0) return current === 0 ? 0 : 1;
  return (current - previous) / previous;
}
