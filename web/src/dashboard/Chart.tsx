/**
 * The main chart (uPlot): bars or a line for the selected metric, the comparison period as a
 * muted line, a tooltip with both values, click to drill down, and the same numbers as a table.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartPoint {
  /** Bucket key (day or hour) and its label. */
  key: string;
  label: string;
  value: number;
  compareLabel?: string;
  compareValue?: number;
}

interface Props {
  points: ChartPoint[];
  metricLabel: string;
  format: (n: number) => string;
  type: 'bar' | 'line';
  onPick?: (point: ChartPoint) => void;
  /** Lower values are better (bounce rate): growth colours invert. */
  inverted?: boolean;
  /** Whole numbers only (counts): no 0.5 ticks. */
  integer?: boolean;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** A round upper bound for the y axis. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (step * magnitude >= max * 1.05) return step * magnitude;
  }
  return 10 * magnitude;
}

export function Chart(props: Props) {
  const box = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  latest.current = props;
  const theme = document.documentElement.dataset.theme;

  useEffect(() => {
    const el = box.current!;
    const { points, type } = props;
    const xs = points.map((_, i) => i);
    const hasCompare = points.some((p) => p.compareValue !== undefined);
    const accent = cssVar('--accent');
    const muted = cssVar('--muted');
    const grid = cssVar('--line');
    const text = cssVar('--text-2');
    const series: uPlot.Series[] = [
      {},
      {
        label: props.metricLabel,
        stroke: accent,
        width: 2,
        fill: type === 'bar' ? accent + 'cc' : accent + '22',
        points: { show: type === 'line' && points.length < 40, size: 5, fill: accent },
        paths: type === 'bar' ? uPlot.paths.bars!({ size: [0.7, 64], radius: 0.15 }) : undefined,
      },
    ];
    if (hasCompare)
      series.push({
        label: 'Comparison',
        stroke: muted,
        width: 1.5,
        dash: [5, 4],
        points: { show: false },
      });
    const data: uPlot.AlignedData = hasCompare
      ? [xs, points.map((p) => p.value), points.map((p) => p.compareValue ?? null)]
      : [xs, points.map((p) => p.value)];
    const maxValue = Math.max(0, ...points.map((p) => Math.max(p.value, p.compareValue ?? 0)));
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: el.clientWidth < 500 ? 180 : 240,
      legend: { show: false },
      scales: {
        x: {
          time: false,
          range: () => [-0.5, Math.max(0.5, points.length - 0.5)],
        },
        y: { range: () => [0, niceMax(maxValue)] },
      },
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
      series,
      axes: [
        {
          stroke: text,
          grid: { show: false },
          ticks: { show: false },
          splits: (u) => {
            const fit = Math.max(1, Math.floor(u.bbox.width / devicePixelRatio / 72));
            const step = Math.max(1, Math.ceil(points.length / fit));
            return xs.filter((i) => i % step === 0);
          },
          values: (_u, splits) => splits.map((i) => points[i]?.label ?? ''),
        },
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { show: false },
          size: 56,
          ...(props.integer
            ? {
                incrs: [
                  1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 2500, 5e3, 1e4, 2e4, 25e3,
                  5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7,
                ],
              }
            : {}),
          values: (_u, splits) => splits.map((v) => latest.current.format(v)),
        },
      ],
      hooks: {
        setCursor: [
          (u) => {
            const t = tip.current;
            if (!t) return;
            const idx = u.cursor.idx;
            const point =
              idx === null || idx === undefined ? undefined : latest.current.points[idx];
            if (!point || u.cursor.left === undefined || u.cursor.left < 0) {
              t.hidden = true;
              return;
            }
            const f = latest.current.format;
            let html = `<strong>${point.label}</strong><br>${latest.current.metricLabel}: ${f(point.value)}`;
            if (point.compareValue !== undefined) {
              const prev = point.compareValue;
              const change = prev === 0 ? (point.value === 0 ? 0 : 1) : (point.value - prev) / prev;
              html += `<br><span class="muted">${point.compareLabel ?? ''}: ${f(prev)}</span>`;
              html += `<br>${change >= 0 ? '↑' : '↓'} ${Math.abs(change * 100).toFixed(1)}%`;
            }
            t.innerHTML = html;
            t.hidden = false;
            const left = u.cursor.left + u.bbox.left / devicePixelRatio;
            const width = el.clientWidth;
            t.style.left = `${Math.min(Math.max(0, left - 70), width - 150)}px`;
          },
        ],
      },
    };
    const plot = new uPlot(opts, data, el);
    const onClick = () => {
      const idx = plot.cursor.idx;
      const point = idx === null || idx === undefined ? undefined : latest.current.points[idx];
      if (point) latest.current.onPick?.(point);
    };
    plot.over.addEventListener('click', onClick);
    plot.over.style.cursor = props.onPick ? 'pointer' : 'default';
    const resize = new ResizeObserver(() => {
      const width = Math.max(200, el.clientWidth);
      if (Math.abs(width - plot.width) > 2)
        plot.setSize({ width, height: width < 500 ? 180 : 240 });
    });
    resize.observe(el);
    const hide = () => {
      if (tip.current) tip.current.hidden = true;
    };
    plot.over.addEventListener('mouseleave', hide);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.points, props.type, props.metricLabel, props.integer, theme]);

  const summary = `${props.metricLabel}: ${props.points
    .map((p) => `${p.label} ${props.format(p.value)}`)
    .join(', ')}`;
  return (
    <div class="chart-wrap">
      <div ref={box} class="chart" role="img" aria-label={summary} data-testid="chart" />
      <div ref={tip} class="chart-tip" hidden role="presentation" />
      <details class="chart-table">
        <summary>Show as table</summary>
        <table data-testid="chart-table">
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">{props.metricLabel}</th>
              {props.points.some((p) => p.compareValue !== undefined) && (
                <th scope="col">Comparison</th>
              )}
            </tr>
          </thead>
          <tbody>
            {props.points.map((p) => (
              <tr key={p.key} data-key={p.key}>
                <th scope="row">{p.label}</th>
                <td data-value={p.value}>{props.format(p.value)}</td>
                {p.compareValue !== undefined && <td>{props.format(p.compareValue)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
