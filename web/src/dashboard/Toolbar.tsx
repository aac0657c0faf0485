/** Active visitors, period and comparison pickers, filter builder and filter chips. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../api.ts';
import { ErrorNote, Modal } from '../components/ui.tsx';
import {
  activeFilters,
  encodeValue,
  fieldLabel,
  FILTER_FIELDS,
  parseValue,
  pathPatternToRegex,
  replaceFilter,
  withFilter,
  withoutFilter,
  type FilterChip,
  type Operator,
} from '../filters.ts';
import { countryName, formatDay, formatNumber, languageName } from '../format.ts';
import { useData, useShortcuts } from '../hooks.ts';
import {
  addDays,
  INTERVALS,
  localDate,
  periodLabel,
  rememberInterval,
  type CompareMode,
  type Interval,
} from '../period.ts';
import { setQuery } from '../router.ts';
import type { Active } from '../types.ts';
import { useView, withParams } from './view.ts';

/** Green dot + "N active visitors"; a click lists their pages. Refreshed every 30 s. */
export function ActiveVisitors() {
  const view = useView();
  const seconds = view.domain.active_visitors_seconds ?? 600;
  const q = new URLSearchParams({ id: view.domain.id, start: String(seconds) });
  const access = view.base.get('access');
  if (access) q.set('access', access);
  const data = useData(
    `active?${q}|${view.key}`,
    (signal) => get<Active>('statistics/active', q, signal),
    30_000,
  );
  const [open, setOpen] = useState(false);
  const n = data.data?.visitors;
  return (
    <>
      <button class="active-button" onClick={() => setOpen(true)} data-testid="active-visitors">
        <span class={`live-dot ${n ? 'on' : ''}`} aria-hidden="true" />
        {n === undefined ? '…' : formatNumber(n)} active {n === 1 ? 'visitor' : 'visitors'}
      </button>
      {open && (
        <Modal title="Active visitors" onClose={() => setOpen(false)}>
          <p class="muted small">
            Pages open in the last {Math.round(seconds / 60)} minutes. One visitor can have several
            pages open, so pages can add up to more than the visitors.
          </p>
          <ErrorNote error={data.error} />
          <table class="detail-table">
            <thead>
              <tr>
                <th scope="col">Page</th>
                <th scope="col" class="num">
                  Visitors
                </th>
              </tr>
            </thead>
            <tbody>
              {data.data?.stats.map((s) => (
                <tr key={s.path + s.title}>
                  <th scope="row">{s.title || s.path}</th>
                  <td class="num">{formatNumber(s.visitors)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.data?.stats.length === 0 && <p class="muted">Nobody right now.</p>}
        </Modal>
      )}
    </>
  );
}

const SHORTCUTS = new Map<string, Interval>(
  INTERVALS.filter(([, , key]) => key).map(([value, , key]) => [key.toLowerCase(), value]),
);

/** Presets, a custom range and arrows; shortcuts L H T Y W F M Q A, ← →. */
export function PeriodPicker() {
  const view = useView();
  const { period, query, tz } = view;
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const today = localDate(Date.now(), tz);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setFrom(period.from);
    setTo(period.to);
  }, [period.from, period.to]);

  const choose = (interval: Interval) => {
    const next = new URLSearchParams(query);
    for (const k of ['from', 'to', 'scale', 'compare_from']) next.delete(k);
    next.set('interval', interval);
    rememberInterval(interval);
    setQuery(next);
    setOpen(false);
  };
  const range = (a: string, b: string) => {
    const next = new URLSearchParams(query);
    next.delete('interval');
    next.delete('scale');
    next.set('from', a <= b ? a : b);
    next.set('to', a <= b ? b : a);
    setQuery(next);
    setOpen(false);
  };
  const canShift = period.start === undefined;
  const shift = (direction: -1 | 1) => {
    if (!canShift) return;
    const n = period.days * direction;
    if (direction === 1 && period.to >= today) return;
    range(addDays(period.from, n), addDays(period.to, n));
  };

  useShortcuts((event) => {
    const key = event.key.toLowerCase();
    if (key === 'escape') setOpen(false);
    else if (event.key === 'ArrowLeft') shift(-1);
    else if (event.key === 'ArrowRight') shift(1);
    else if (SHORTCUTS.has(key)) choose(SHORTCUTS.get(key)!);
  });

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  return (
    <div class="period" ref={box}>
      <button
        class="icon-button"
        aria-label="Previous period"
        disabled={!canShift}
        onClick={() => shift(-1)}
      >
        ‹
      </button>
      <button
        class="button period-button"
        aria-haspopup="dialog"
        aria-expanded={open}
        data-testid="period"
        onClick={() => setOpen(!open)}
      >
        {periodLabel(period, (d) => formatDay(d, { year: 'numeric' }))}
      </button>
      <button
        class="icon-button"
        aria-label="Next period"
        disabled={!canShift || period.to >= today}
        onClick={() => shift(1)}
      >
        ›
      </button>
      {open && (
        <div
          class="popover period-popover"
          role="dialog"
          aria-label="Choose the period"
          onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
        >
          <ul class="presets">
            {INTERVALS.map(([value, label, key]) => (
              <li key={value}>
                <button aria-pressed={period.interval === value} onClick={() => choose(value)}>
                  <span>{label}</span>
                  {key && <kbd>{key}</kbd>}
                </button>
              </li>
            ))}
          </ul>
          <form
            class="custom-range"
            onSubmit={(e) => {
              e.preventDefault();
              range(from, to);
            }}
          >
            <label>
              From
              <input
                type="date"
                value={from}
                max={today}
                required
                onInput={(e) => setFrom(e.currentTarget.value)}
              />
            </label>
            <label>
              To
              <input
                type="date"
                value={to}
                max={addDays(today, 1)}
                required
                onInput={(e) => setTo(e.currentTarget.value)}
              />
            </label>
            <button class="button small primary">Apply</button>
          </form>
          <p class="muted small">Time zone: {tz}. Keys: ← → move the period.</p>
        </div>
      )}
    </div>
  );
}

/** Off, previous period, year over year, custom; match day of week. */
export function ComparePicker() {
  const { query, period, compare } = useView();
  if (period.start !== undefined) return null;
  const mode = (query.get('compare') as CompareMode | null) ?? 'off';
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setQuery(next);
  };
  return (
    <div class="compare">
      <label class="inline">
        <span class="sr-only">Compare with</span>
        <select
          aria-label="Compare with"
          value={mode}
          onChange={(e) => {
            const v = e.currentTarget.value;
            set({
              compare: v === 'off' ? null : v,
              compare_from: v === 'custom' ? addDays(period.from, -period.days) : null,
            });
          }}
        >
          <option value="off">No comparison</option>
          <option value="previous">Previous period</option>
          <option value="year">Year over year</option>
          <option value="custom">Custom…</option>
        </select>
      </label>
      {mode === 'custom' && (
        <label class="inline small">
          from
          <input
            type="date"
            value={query.get('compare_from') ?? ''}
            max={addDays(period.from, -1)}
            onChange={(e) => set({ compare_from: e.currentTarget.value })}
          />
        </label>
      )}
      {mode !== 'off' && (
        <label class="inline small">
          <input
            type="checkbox"
            checked={query.get('compare_weekday') !== 'false'}
            onChange={(e) => set({ compare_weekday: e.currentTarget.checked ? null : 'false' })}
          />
          Match day of week
        </label>
      )}
      {compare && (
        <span class="muted small" data-testid="compare-range">
          {compare.from === compare.to
            ? formatDay(compare.from, { weekday: 'short', year: 'numeric' })
            : `${formatDay(compare.from)} – ${formatDay(compare.to, { year: 'numeric' })}`}
        </span>
      )}
    </div>
  );
}

/** How a filter value reads: country names, "unknown". */
export function displayValue(param: string, value: string): string {
  if (value === 'null' || value === '') return 'unknown';
  if (param === 'country') return countryName(value);
  if (param === 'language') return languageName(value);
  return value;
}

const OPERATORS: Operator[] = ['is', 'is not', 'contains', 'not contains'];

/** Field, operator and value with suggestions from `statistics/options/…`. */
function FilterEditor(props: {
  initial?: FilterChip;
  onDone: (param: string, raw: string) => void;
  onRemove?: () => void;
}) {
  const view = useView();
  const first = props.initial ? parseValue(props.initial.param, props.initial.raw) : undefined;
  const [param, setParam] = useState(props.initial?.param ?? 'path');
  const [metaKey, setMetaKey] = useState('');
  const [op, setOp] = useState<Operator>(first?.op ?? 'is');
  const [value, setValue] = useState(first && first.value !== 'null' ? first.value : '');
  const [isUnknown, setUnknown] = useState(first?.value === 'null');
  const suggest = FILTER_FIELDS.find(([p]) => p === param)?.[2];
  const [search, setSearch] = useState('');
  useEffect(() => {
    const id = setTimeout(() => setSearch(value), 250);
    return () => clearTimeout(id);
  }, [value]);
  // Suggestions: the field's ranked statistic for the period, searched as the user types; the
  // field's own filters are left out so other values show.
  const q = withParams(view.base, { search, limit: 50 });
  q.delete(param);
  const suggestions = useData(suggest ? `suggest/${suggest[0]}?${q}` : null, async (signal) => {
    const rows = await get<Record<string, unknown>[]>(`statistics/${suggest![0]}`, q, signal);
    return [...new Set(rows.map((r) => String(r[suggest![1]] ?? '')).filter(Boolean))];
  });
  const fixed = param === 'platform' ? ['desktop', 'mobile', 'unknown'] : undefined;
  const editing = props.initial !== undefined;
  const name = param === 'meta' ? `meta_${metaKey}` : param;
  const ops = param === 'pattern' ? (['is', 'is not'] as Operator[]) : OPERATORS;
  return (
    <form
      class="filter-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (param === 'meta' && !metaKey) return;
        const v = param === 'pattern' ? pathPatternToRegex(value) : value;
        props.onDone(name, encodeValue(op, isUnknown ? '' : v));
      }}
    >
      <label class="field">
        <span>Field</span>
        <select value={param} disabled={editing} onChange={(e) => setParam(e.currentTarget.value)}>
          {FILTER_FIELDS.map(([p, label]) => (
            <option key={p} value={p}>
              {label}
            </option>
          ))}
          <option value="meta">Event metadata value</option>
          {editing && !FILTER_FIELDS.some(([p]) => p === param) && (
            <option value={param}>{fieldLabel(param)}</option>
          )}
        </select>
      </label>
      {param === 'meta' && (
        <label class="field">
          <span>Metadata key</span>
          <input value={metaKey} required onInput={(e) => setMetaKey(e.currentTarget.value)} />
        </label>
      )}
      <label class="field">
        <span>Operator</span>
        <select value={op} onChange={(e) => setOp(e.currentTarget.value as Operator)}>
          {ops.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>Filter value</span>
        <input
          list="filter-options"
          value={value}
          disabled={isUnknown}
          required={!isUnknown}
          placeholder={param === 'pattern' ? '/blog/** or a regular expression' : ''}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
        <datalist id="filter-options">
          {(fixed ?? suggestions.data ?? []).map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </label>
      <label class="inline small">
        <input
          type="checkbox"
          checked={isUnknown}
          onChange={(e) => setUnknown(e.currentTarget.checked)}
        />
        Unknown / empty value
      </label>
      <div class="row">
        <button class="button primary small">{editing ? 'Apply' : 'Add filter'}</button>
        {props.onRemove && (
          <button type="button" class="button small danger" onClick={props.onRemove}>
            Remove
          </button>
        )}
      </div>
    </form>
  );
}

/** The lens button and the filter chips with "clear all". */
export function FilterBar() {
  const view = useView();
  const { query } = view;
  const chips = activeFilters(query);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<FilterChip | undefined>();
  return (
    <div class="filter-bar" aria-label="Filters">
      <button class="button small" onClick={() => setAdding(true)} aria-label="Add a filter">
        ⌕ Filter
      </button>
      {chips.map((chip) => {
        const { op, value } = parseValue(chip.param, chip.raw);
        const text = `${fieldLabel(chip.param)} ${op} ${displayValue(chip.param, value)}`;
        return (
          <span class="chip" key={chip.param + chip.raw} data-testid="filter-chip">
            <button
              class="chip-label"
              title="Edit, invert or remove"
              onClick={() => setEditing(chip)}
            >
              {text}
            </button>
            <button
              class="chip-remove"
              aria-label={`Remove filter ${text}`}
              onClick={() => setQuery(withoutFilter(query, chip.param, chip.raw))}
            >
              ✕
            </button>
          </span>
        );
      })}
      {chips.length > 1 && (
        <button class="link-button small" onClick={() => setQuery(withoutFilter(query, '*'))}>
          Clear all
        </button>
      )}
      {adding && (
        <Modal title="Add a filter" onClose={() => setAdding(false)}>
          <FilterEditor
            onDone={(param, raw) => {
              setQuery(withFilter(query, param, raw));
              setAdding(false);
            }}
          />
        </Modal>
      )}
      {editing && (
        <Modal title={`Filter: ${fieldLabel(editing.param)}`} onClose={() => setEditing(undefined)}>
          <FilterEditor
            initial={editing}
            onDone={(param, raw) => {
              setQuery(replaceFilter(query, param, editing.raw, raw));
              setEditing(undefined);
            }}
            onRemove={() => {
              setQuery(withoutFilter(query, editing.param, editing.raw));
              setEditing(undefined);
            }}
          />
        </Modal>
      )}
    </div>
  );
}
