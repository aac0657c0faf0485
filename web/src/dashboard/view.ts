/** What a dashboard view needs to query the statistics: domain, period, filters, access code. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Period, Scale } from '../period.ts';
import type { Domain } from '../types.ts';

export interface View {
  domain: Domain;
  /** Time zone the days are counted in. */
  tz: string;
  period: Period;
  scale: Scale;
  compare: { from: string; to: string } | undefined;
  /** `id`, period, filters and `access`: the query every statistics call starts from. */
  base: URLSearchParams;
  /** Changes whenever the data must be fetched again. */
  key: string;
  /** The current URL query (view state). */
  query: URLSearchParams;
  /** Read-only (public page or access link). */
  readOnly: boolean;
  /** Add a filter (click on a row). */
  addFilter: (param: string, raw: string) => void;
}

export const ViewContext = createContext<View | null>(null);

export function useView(): View {
  const view = useContext(ViewContext);
  if (!view) throw new Error('useView outside a dashboard');
  return view;
}

/** The base query plus extra parameters. */
export function withParams(
  base: URLSearchParams,
  extra: Record<string, string | number | boolean | undefined>,
): URLSearchParams {
  const q = new URLSearchParams(base);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q;
}

/** The base query moved to another period (comparison). */
export function inPeriod(base: URLSearchParams, from: string, to: string): URLSearchParams {
  const q = new URLSearchParams(base);
  q.delete('start');
  q.set('from', from);
  q.set('to', to);
  return q;
}
