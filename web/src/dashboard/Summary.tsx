/** Summary tiles with growth (DASHBOARD.md §5) and the chart of the selected one. */
import { useState } from 'preact/hooks';
import { get } from '../api.ts';
import { Growth } from '../components/Growth.tsx';
import { ErrorNote, Skeleton } from '../components/ui.tsx';
import { filtersByEvent, filtersByPage, isFilterParam } from '../filters.ts';
import {
  formatCompact,
  formatDay,
  formatDuration,
  formatNumber,
  formatPercent,
} from '../format.ts';
import { useData } from '../hooks.ts';
import { compareRates } from '../insights.ts';
import { allowedScales, comparePeriod, drillDown, type Scale } from '../period.ts';
import { setQuery } from '../router.ts';
import type { Bucket, DurationRow, Figures, Growth as GrowthData, HourRow } from '../types.ts';
import { Chart, type ChartPoint } from './Chart.tsx';
import { ExplainButton } from './Explain.tsx';
import { inPeriod, useView, withParams } from './view.ts';

type Metric =
  'visitors' | 'views' | 'sessions' | 'bounce_rate' | 'session_duration' | 'time_on_page' | 'cr';

interface MetricInfo {
  label: string;
  help: string;
  format: (n: number) => string;
  exact: (n: number) => string;
  inverted?: boolean;
}

const count = { format: formatCompact, exact: formatNumber };
const METRICS: Record<Metric, MetricInfo> = {
  visitors: {
    label: 'Visitors',
    help: 'Unique visitors: each visitor counts once per day and site (no cookies).',
    ...count,
  },
  views: { label: 'Page views', help: 'Page views, reloads included.', ...count },
  sessions: {
    label: 'Sessions',
    help: 'Visits; 30 minutes without a request end one.',
    ...count,
  },
  bounce_rate: {
    label: 'Bounce rate',
    help: 'Sessions that saw only one page and sent no interactive event. Lower is better.',
    format: formatPercent,
    exact: formatPercent,
    inverted: true,
  },
  session_duration: {
    label: 'Session duration',
    help: 'Average time from the first to the last request of a session (bounces excluded).',
    format: formatDuration,
    exact: formatDuration,
  },
  time_on_page: {
    label: 'Time on page',
    help: 'Average time until the next page view of the session.',
    format: formatDuration,
    exact: formatDuration,
  },
  cr: {
    label: 'Conversion rate',
    help: 'Share of all visitors of the period that the filters select.',
    format: formatPercent,
    exact: formatPercent,
  },
};

const growthOf = (current: number, previous: number): number =>
  previous === 0 ? (current === 0 ? 0 : 1) : (current - previous) / previous;

/** Average duration over the whole period: the year bucket, weighted when it spans years. */
async function averageDuration(
  path: 'statistics/duration/session' | 'statistics/duration/page',
  q: URLSearchParams,
  signal: AbortSignal,
): Promise<number> {
  const rows = await get<DurationRow[]>(path, withParams(q, { scale: 'year' }), signal);
  if (rows.length <= 1) return rows[0]?.average_time_spent_seconds ?? 0;
  const weights = await get<Bucket[]>(
    'statistics/visitor',
    withParams(q, { scale: 'year' }),
    signal,
  );
  let sum = 0;
  let n = 0;
  rows.forEach((row, i) => {
    const w = weights[i]?.sessions ?? 0;
    sum += row.average_time_spent_seconds * w;
    n += w;
  });
  return n ? Math.round(sum / n) : 0;
}

interface TileData {
  /** Unique visitors of each period without filters (the conversion rate's base). */
  base?: { current: number; previous: number } | undefined;
  total: Figures;
  growth: GrowthData | undefined;
  duration: number;
  pageTime: number | undefined;
  previous: { total: Figures; duration: number; pageTime: number | undefined } | undefined;
}

function metricValue(m: Metric, total: Figures, duration: number, pageTime: number | undefined) {
  switch (m) {
    case 'session_duration':
      return duration;
    case 'time_on_page':
      return pageTime ?? 0;
    case 'cr':
      return total.cr ?? 0;
    default:
      return total[m];
  }
}

function bucketKey(row: {
  day: string | null;
  week: string | null;
  month: string | null;
  year: string | null;
}) {
  return (row.day ?? row.week ?? row.month ?? row.year ?? '').slice(0, 10);
}

function bucketLabel(key: string, scale: Scale): string {
  if (scale === 'year') return key.slice(0, 4);
  if (scale === 'month') return formatDay(key, { day: undefined, month: 'short', year: 'numeric' });
  return formatDay(key);
}

/** One series of the chart for a query. */
async function loadSeries(
  q: URLSearchParams,
  metric: Metric,
  scale: Scale,
  signal: AbortSignal,
): Promise<{ key: string; label: string; value: number }[]> {
  const duration = metric === 'session_duration' || metric === 'time_on_page';
  if (scale === 'hour' && !duration) {
    const rows = await get<HourRow[]>('statistics/hours', q, signal);
    return rows.map((r) => ({
      key: String(r.hour),
      label: `${String(r.hour).padStart(2, '0')}:00`,
      value: metricValue(metric, r, 0, 0),
    }));
  }
  const s = scale === 'hour' ? 'day' : scale;
  if (duration) {
    const path =
      metric === 'session_duration' ? 'statistics/duration/session' : 'statistics/duration/page';
    const rows = await get<DurationRow[]>(path, withParams(q, { scale: s }), signal);
    return rows.map((r) => ({
      key: bucketKey(r),
      label: bucketLabel(bucketKey(r), s),
      value: r.average_time_spent_seconds,
    }));
  }
  const rows = await get<Bucket[]>('statistics/visitor', withParams(q, { scale: s }), signal);
  return rows.map((r) => ({
    key: bucketKey(r),
    label: bucketLabel(bucketKey(r), s),
    value: metricValue(metric, r, 0, 0),
  }));
}

function storedChartType(): 'bar' | 'line' {
  try {
    return localStorage.getItem('spoor.chart') === 'line' ? 'line' : 'bar';
  } catch {
    return 'bar';
  }
}

function remember(key: string, value: string | null) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Not remembered without storage.
  }
}

/** Is the conversion rate really different from the comparison's? (DASHBOARD.md §17.4) */
function RateVerdict(props: {
  converted: number;
  visitors: number;
  previousConverted: number;
  previousVisitors: number;
}) {
  const r = compareRates(
    props.converted,
    props.visitors,
    props.previousConverted,
    props.previousVisitors,
  );
  const range = ([a, b]: [number, number]) => `${formatPercent(a)}–${formatPercent(b)}`;
  const text =
    r.verdict === 'too-few'
      ? 'too few visitors to judge yet (fewer than 30 in a period).'
      : r.verdict === 'unclear'
        ? `no detectable difference yet${
            Number.isFinite(r.moreNeeded)
              ? `; about ${formatNumber(r.moreNeeded)} more visitors per period would tell`
              : ''
          }.`
        : `likely ${r.verdict} (95 % confidence, p = ${r.p.toFixed(3)}).`;
  return (
    <p class="verdict small" data-testid="rate-verdict">
      <strong>Conversion rate against the comparison:</strong> {text}{' '}
      <span class="muted">
        95 % intervals {range(r.current)} now, {range(r.previous)} before.
      </span>
    </p>
  );
}

export function Summary() {
  const view = useView();
  const { query, period, compare } = view;
  const byEvent = filtersByEvent(query);
  const byPage = filtersByPage(query);
  const anyFilter = [...query.keys()].some(isFilterParam);
  const live = period.start !== undefined;

  const metrics: Metric[] = ['visitors', 'views'];
  if (!byEvent) metrics.push('sessions');
  metrics.push('bounce_rate');
  if (!byEvent) metrics.push('session_duration');
  if (byPage) metrics.push('time_on_page');
  if (anyFilter) metrics.push('cr');
  const wanted = query.get('metric') as Metric | null;
  const metric: Metric = wanted && metrics.includes(wanted) ? wanted : 'visitors';

  const [chartType, setChartType] = useState(storedChartType());
  const [collapsed, setCollapsed] = useState(() => {
    try {
      return localStorage.getItem('spoor.chart.hidden') === '1';
    } catch {
      return false;
    }
  });

  const compareKey = compare ? `${compare.from}..${compare.to}` : '';
  const tiles = useData<TileData>(`${view.key}|${compareKey}|${byPage}`, async (signal) => {
    const q = view.base;
    const previousOf = async (from: string, to: string) => {
      const p = inPeriod(q, from, to);
      const [total, duration, pageTime] = await Promise.all([
        get<Figures>('statistics/total', p, signal),
        byEvent ? 0 : averageDuration('statistics/duration/session', p, signal),
        byPage ? averageDuration('statistics/duration/page', p, signal) : undefined,
      ]);
      return { total, duration, pageTime };
    };
    const unfiltered = (p: URLSearchParams) => {
      const out = new URLSearchParams();
      for (const [k, v] of p) if (!isFilterParam(k)) out.append(k, v);
      return get<Figures>('statistics/total', out, signal);
    };
    const base =
      compare && anyFilter
        ? Promise.all([unfiltered(q), unfiltered(inPeriod(q, compare.from, compare.to))]).then(
            ([c, p]) => ({ current: c.visitors, previous: p.visitors }),
          )
        : undefined;
    const [total, growth, duration, pageTime, previous, baseVisitors] = await Promise.all([
      get<Figures>('statistics/total', q, signal),
      live || compare ? undefined : get<GrowthData>('statistics/growth', q, signal),
      byEvent ? 0 : averageDuration('statistics/duration/session', q, signal),
      byPage ? averageDuration('statistics/duration/page', q, signal) : undefined,
      compare ? previousOf(compare.from, compare.to) : undefined,
      base,
    ]);
    return { total, growth, duration, pageTime, previous, base: baseVisitors };
  });

  const scale = view.scale;
  const chartScale: Scale = live ? 'hour' : scale;
  const chart = useData<ChartPoint[]>(
    collapsed ? null : `${view.key}|${compareKey}|${metric}|${chartScale}`,
    async (signal) => {
      const [current, previous] = await Promise.all([
        loadSeries(view.base, metric, chartScale, signal),
        compare
          ? loadSeries(inPeriod(view.base, compare.from, compare.to), metric, chartScale, signal)
          : undefined,
      ]);
      return current.map((p, i) => ({
        ...p,
        ...(previous?.[i]
          ? { compareValue: previous[i].value, compareLabel: previous[i].label }
          : {}),
      }));
    },
  );

  const growthFor = (m: Metric, data: TileData): number | undefined => {
    if (live) return undefined;
    if (data.previous) {
      const p = data.previous;
      return growthOf(
        metricValue(m, data.total, data.duration, data.pageTime),
        metricValue(m, p.total, p.duration, p.pageTime),
      );
    }
    const g = data.growth;
    if (!g) return undefined;
    switch (m) {
      case 'visitors':
        return g.visitors_growth;
      case 'views':
        return g.views_growth;
      case 'sessions':
        return g.sessions_growth;
      case 'bounce_rate':
        return g.bounces_growth;
      case 'session_duration':
        return g.time_spent_growth;
      case 'cr':
        return g.cr_growth;
      default:
        return undefined;
    }
  };

  const select = (m: Metric) => {
    const next = new URLSearchParams(query);
    if (m === 'visitors') next.delete('metric');
    else next.set('metric', m);
    setQuery(next, true);
    if (collapsed) {
      setCollapsed(false);
      remember('spoor.chart.hidden', null);
    }
  };

  const info = METRICS[metric];
  return (
    <section class="card summary" aria-label="Summary">
      <div class="tiles" role="group" aria-label="Metric shown in the chart">
        {metrics.map((m) => {
          const d = tiles.data;
          const value = d ? metricValue(m, d.total, d.duration, d.pageTime) : undefined;
          const prev = d?.previous
            ? metricValue(m, d.previous.total, d.previous.duration, d.previous.pageTime)
            : undefined;
          return (
            <button
              key={m}
              aria-pressed={m === metric}
              class={`tile ${m === metric ? 'selected' : ''}`}
              data-metric={m}
              onClick={() => select(m)}
            >
              <span class="tile-label" title={METRICS[m].help}>
                {METRICS[m].label}
              </span>
              {value === undefined ? (
                <span class="tile-value skeleton-line" />
              ) : (
                <span class="tile-value" title={METRICS[m].exact(value)} data-value={value}>
                  {METRICS[m].format(value)}
                </span>
              )}
              <span class="tile-foot">
                {d && <Growth value={growthFor(m, d)} inverted={METRICS[m].inverted} />}
                {prev !== undefined && (
                  <span class="muted small" title="Comparison period" data-compare={prev}>
                    {' '}
                    vs {METRICS[m].format(prev)}
                  </span>
                )}
              </span>
            </button>
          );
        })}
      </div>
      {tiles.data?.base && tiles.data.previous && (
        <RateVerdict
          converted={tiles.data.total.visitors}
          visitors={tiles.data.base.current}
          previousConverted={tiles.data.previous.total.visitors}
          previousVisitors={tiles.data.base.previous}
        />
      )}
      <ErrorNote error={tiles.error} />
      <div class="chart-bar">
        <button
          class="button small ghost"
          aria-expanded={!collapsed}
          onClick={() => {
            setCollapsed(!collapsed);
            remember('spoor.chart.hidden', collapsed ? null : '1');
          }}
        >
          {collapsed ? '▸ Show chart' : '▾ Hide chart'}
        </button>
        {tiles.data && !live && (
          <ExplainButton
            growth={growthFor('visitors', tiles.data)}
            previousRange={compare ?? comparePeriod(period, 'previous', true, null)}
          />
        )}
        <span class="spacer" />
        {!collapsed && !live && (
          <label class="inline">
            <span class="sr-only">Scale</span>
            <select
              aria-label="Chart scale"
              value={scale}
              onChange={(e) => {
                const next = new URLSearchParams(query);
                next.set('scale', e.currentTarget.value);
                setQuery(next);
              }}
            >
              {allowedScales(period).map((s) => (
                <option key={s} value={s}>
                  {s === 'hour'
                    ? 'Hours'
                    : s === 'day'
                      ? 'Days'
                      : s === 'week'
                        ? 'Weeks'
                        : s === 'month'
                          ? 'Months'
                          : 'Years'}
                </option>
              ))}
            </select>
          </label>
        )}
        {!collapsed && (
          <div class="segmented" role="group" aria-label="Chart type">
            {(['bar', 'line'] as const).map((t) => (
              <button
                key={t}
                aria-pressed={chartType === t}
                onClick={() => {
                  setChartType(t);
                  remember('spoor.chart', t === 'bar' ? null : t);
                }}
              >
                {t === 'bar' ? 'Bars' : 'Line'}
              </button>
            ))}
          </div>
        )}
      </div>
      {!collapsed &&
        (chart.data ? (
          <Chart
            points={chart.data}
            metricLabel={info.label}
            format={info.format}
            type={chartType}
            inverted={info.inverted}
            integer={metric === 'visitors' || metric === 'views' || metric === 'sessions'}
            onPick={
              chartScale === 'hour'
                ? undefined
                : (point) => {
                    const range = drillDown(point.key, chartScale);
                    if (!range) return;
                    const next = new URLSearchParams(query);
                    next.delete('interval');
                    next.set('from', range.from);
                    next.set('to', range.to);
                    next.set('scale', range.scale);
                    setQuery(next);
                  }
            }
          />
        ) : chart.error ? (
          <ErrorNote error={chart.error} />
        ) : (
          <Skeleton lines={5} />
        ))}
    </section>
  );
}
