/**
 * "Why did this change?" (DASHBOARD.md §17.1): the same ranked statistics for both periods over
 * a fixed set of dimensions, values ranked by their share of the change in visitors.
 */
import { useState } from 'preact/hooks';
import { ApiError, get } from '../api.ts';
import { ErrorNote, Modal, Skeleton } from '../components/ui.tsx';
import { countryName, formatDay, formatNumber, formatPercent } from '../format.ts';
import { useData } from '../hooks.ts';
import { rankContributions } from '../insights.ts';
import type { Figures } from '../types.ts';
import { inPeriod, useView, withParams } from './view.ts';

interface Dimension {
  label: string;
  path: string;
  field: string;
  param: string;
  name?: (value: string) => string;
}

type Rows = Record<string, unknown>[];

// The spec's list also has the channel; it joins once the server offers `/statistics/channel`.
const DIMENSIONS: Dimension[] = [
  { label: 'Referrer', path: 'referrer', field: 'referrer_name', param: 'referrer_name' },
  { label: 'Entry page', path: 'page/entry', field: 'path', param: 'entry_path' },
  { label: 'Page', path: 'page', field: 'path', param: 'path' },
  { label: 'Country', path: 'country', field: 'country_code', param: 'country', name: countryName },
  { label: 'UTM campaign', path: 'utm/campaign', field: 'utm_campaign', param: 'utm_campaign' },
  { label: 'Browser', path: 'browser', field: 'browser', param: 'browser' },
];

function ExplainModal(props: { previousRange: { from: string; to: string }; onClose: () => void }) {
  const view = useView();
  const prev = inPeriod(view.base, props.previousRange.from, props.previousRange.to);
  const data = useData(`explain|${view.key}|${props.previousRange.from}`, async (signal) => {
    const [now, before] = await Promise.all([
      get<Figures>('statistics/total', view.base, signal),
      get<Figures>('statistics/total', prev, signal),
    ]);
    const change = now.visitors - before.visitors;
    const fetchList = async (path: string, q: URLSearchParams) => {
      try {
        return await get<Rows>(`statistics/${path}`, withParams(q, { limit: 100 }), signal);
      } catch (error) {
        // A statistic this server does not offer yet just leaves its dimension out.
        if (error instanceof ApiError && error.status === 404) return [];
        throw error;
      }
    };
    const lists = await Promise.all(
      DIMENSIONS.map(async (d) => {
        const [current, previous] = await Promise.all([
          fetchList(d.path, view.base),
          fetchList(d.path, prev),
        ]);
        return { ...d, current, previous };
      }),
    );
    return {
      current: now.visitors,
      previous: before.visitors,
      change,
      contributions: rankContributions(change, lists).slice(0, 8),
    };
  });
  const change = data.data?.change ?? 0;
  const top = data.data?.contributions[0];
  const direction = change > 0 ? 'increase' : 'decrease';
  return (
    <Modal title="Why did visitors change?" onClose={props.onClose} wide>
      {data.data && (
        <p data-testid="explain-summary">
          <strong>
            {change > 0 ? '+' : ''}
            {formatNumber(change)} visitors
          </strong>{' '}
          ({formatNumber(data.data?.previous ?? 0)} → {formatNumber(data.data?.current ?? 0)},
          compared with {formatDay(props.previousRange.from)} –{' '}
          {formatDay(props.previousRange.to, { year: 'numeric' })})
          {top && (
            <>
              ; {formatPercent(Math.min(1, top.share))} of the {direction} came from{' '}
              <strong>{top.label}</strong> ({top.dimension.toLowerCase()}).
            </>
          )}
        </p>
      )}
      <ErrorNote error={data.error} />
      {data.data ? (
        data.data.contributions.length === 0 ? (
          <p class="muted">No single value stands out.</p>
        ) : (
          <table class="detail-table">
            <thead>
              <tr>
                <th scope="col">Value</th>
                <th scope="col">Dimension</th>
                <th scope="col" class="num">
                  Before
                </th>
                <th scope="col" class="num">
                  Now
                </th>
                <th scope="col" class="num">
                  Share of the {direction}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.data.contributions.map((c) => (
                <tr key={c.dimension + c.value}>
                  <th scope="row">
                    <button
                      class="link-button"
                      onClick={() => {
                        view.addFilter(c.param, c.value === '' ? 'null' : c.value);
                        props.onClose();
                      }}
                    >
                      {c.label}
                    </button>
                  </th>
                  <td>{c.dimension}</td>
                  <td class="num">{formatNumber(c.previous)}</td>
                  <td class="num">{formatNumber(c.current)}</td>
                  <td class="num">{formatPercent(c.share)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : (
        <Skeleton lines={4} />
      )}
      <p class="muted small">
        Values can explain more than 100 % together when others moved the opposite way.
      </p>
    </Modal>
  );
}

/** The "why?" button under the tiles, shown when visitors changed. */
export function ExplainButton(props: {
  growth: number | undefined;
  previousRange: { from: string; to: string } | undefined;
}) {
  const [open, setOpen] = useState(false);
  if (!props.growth || !props.previousRange) return null;
  return (
    <>
      <button class="button small ghost" onClick={() => setOpen(true)}>
        Why did visitors change?
      </button>
      {open && <ExplainModal previousRange={props.previousRange} onClose={() => setOpen(false)} />}
    </>
  );
}
