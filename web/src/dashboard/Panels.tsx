/** The panel grid (DASHBOARD.md §9): ranked lists with tabs, click to filter, detail tables. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get } from '../api.ts';
import { Avatar, ErrorNote, Modal, Skeleton } from '../components/ui.tsx';
import { filtersByEvent } from '../filters.ts';
import {
  countryName,
  flag,
  formatCompact,
  formatDuration,
  formatNumber,
  formatPercent,
  languageName,
} from '../format.ts';
import { useData } from '../hooks.ts';
import type { GoalStats, Row } from '../types.ts';
import { useView, withParams } from './view.ts';

type Kind = 'n' | 'pct' | 'dur' | 'text';

interface Column {
  key: string;
  label: string;
  kind: Kind;
  /** Sortable through the API (`sort=`). */
  sort?: boolean;
}

interface Tab {
  id: string;
  label: string;
  path: string;
  extra?: Record<string, string>;
  /** Shown only when this holds. */
  when?: (query: URLSearchParams) => boolean;
  /** The row's label with its icon. */
  render: (row: Row) => ComponentChildren;
  /** Plain text of the label (titles, search). */
  text: (row: Row) => string;
  /** The filter a click adds: [param, value]. */
  filter?: (row: Row) => [string, string] | undefined;
  /** Primary number and the share shown as a bar. */
  value: string;
  valueLabel: string;
  share: (row: Row) => number;
  columns: Column[];
  /** Turn a non-list answer into rows. */
  transform?: (data: unknown) => Row[];
  /** Detail table from another endpoint (versions). */
  detail?: Omit<Tab, 'id' | 'detail' | 'when'>;
  /** An extra action per row (event metadata). */
  action?: (row: Row) => { label: string; run: () => void } | undefined;
}

const str = (row: Row, key: string): string => String(row[key] ?? '');
const num = (row: Row, key: string): number => Number(row[key] ?? 0);
const orNull = (v: string): string => (v === '' ? 'null' : v);

function fmt(kind: Kind, v: unknown): string {
  if (kind === 'text') return String(v ?? '');
  const n = Number(v ?? 0);
  return kind === 'pct' ? formatPercent(n) : kind === 'dur' ? formatDuration(n) : formatNumber(n);
}

const visitorsCols = (extra: Column[] = []): Column[] => [
  { key: 'visitors', label: 'Visitors', kind: 'n', sort: true },
  ...extra,
  { key: 'relative_visitors', label: 'Share', kind: 'pct', sort: true },
];

const unknown = (label: string, text = 'Unknown') =>
  label === '' ? <em class="muted">{text}</em> : label;

function dimension(
  id: string,
  label: string,
  path: string,
  field: string,
  param: string,
  icon?: (row: Row) => ComponentChildren,
  name: (v: string) => string = (v) => v,
): Tab {
  return {
    id,
    label,
    path,
    render: (row) => (
      <>
        {icon?.(row)}
        {str(row, field) === '' ? <em class="muted">Unknown</em> : name(str(row, field))}
      </>
    ),
    text: (row) => name(str(row, field)) || 'Unknown',
    filter: (row) => [param, orNull(str(row, field))],
    value: 'visitors',
    valueLabel: 'Visitors',
    share: (row) => num(row, 'relative_visitors'),
    columns: visitorsCols(),
  };
}

const flagIcon = (row: Row) => (
  <span class="flag" aria-hidden="true">
    {flag(str(row, 'country_code'))}
  </span>
);
const letter = (field: string) => (row: Row) => <Avatar label={str(row, field) || '?'} />;

const pageTabs = (): Tab[] => {
  const pathLabel = (row: Row) =>
    str(row, 'title') ? (
      <span>
        {str(row, 'title')} <span class="muted small">{str(row, 'path')}</span>
      </span>
    ) : (
      str(row, 'path') || <em class="muted">Unknown</em>
    );
  return [
    {
      id: 'pages',
      label: 'Pages',
      path: 'statistics/page',
      extra: { include_avg_time_on_page: 'true' },
      render: pathLabel,
      text: (row) => str(row, 'path'),
      filter: (row) => ['path', orNull(str(row, 'path'))],
      value: 'visitors',
      valueLabel: 'Visitors',
      share: (row) => num(row, 'relative_visitors'),
      columns: [
        { key: 'visitors', label: 'Visitors', kind: 'n', sort: true },
        { key: 'views', label: 'Views', kind: 'n', sort: true },
        { key: 'sessions', label: 'Sessions', kind: 'n', sort: true },
        { key: 'bounces', label: 'Bounces', kind: 'n', sort: true },
        { key: 'relative_visitors', label: 'Visitors %', kind: 'pct', sort: true },
        { key: 'relative_views', label: 'Views %', kind: 'pct', sort: true },
        { key: 'bounce_rate', label: 'Bounce rate', kind: 'pct', sort: true },
        { key: 'average_time_spent_seconds', label: 'Time on page', kind: 'dur', sort: true },
      ],
    },
    {
      id: 'entry',
      label: 'Entry pages',
      path: 'statistics/page/entry',
      extra: { include_avg_time_on_page: 'true' },
      render: pathLabel,
      text: (row) => str(row, 'path'),
      filter: (row) => ['entry_path', orNull(str(row, 'path'))],
      value: 'entries',
      valueLabel: 'Entries',
      share: (row) => num(row, 'entry_rate'),
      columns: [
        { key: 'entries', label: 'Entries', kind: 'n', sort: true },
        { key: 'entry_rate', label: 'Entry rate', kind: 'pct', sort: true },
        { key: 'visitors', label: 'Visitors', kind: 'n', sort: true },
        { key: 'sessions', label: 'Sessions', kind: 'n', sort: true },
        { key: 'average_time_spent_seconds', label: 'Time on page', kind: 'dur', sort: true },
      ],
    },
    {
      id: 'exit',
      label: 'Exit pages',
      path: 'statistics/page/exit',
      render: pathLabel,
      text: (row) => str(row, 'path'),
      filter: (row) => ['exit_path', orNull(str(row, 'path'))],
      value: 'exits',
      valueLabel: 'Exits',
      share: (row) => num(row, 'exit_rate'),
      columns: [
        { key: 'exits', label: 'Exits', kind: 'n', sort: true },
        { key: 'exit_rate', label: 'Exit rate', kind: 'pct', sort: true },
        { key: 'visitors', label: 'Visitors', kind: 'n', sort: true },
        { key: 'sessions', label: 'Sessions', kind: 'n', sort: true },
      ],
    },
    {
      id: 'event-pages',
      label: 'Event pages',
      path: 'statistics/event/page',
      when: filtersByEvent,
      render: pathLabel,
      text: (row) => str(row, 'path'),
      filter: (row) => ['path', orNull(str(row, 'path'))],
      value: 'visitors',
      valueLabel: 'Visitors',
      share: (row) => num(row, 'relative_visitors'),
      columns: [
        { key: 'visitors', label: 'Visitors', kind: 'n' },
        { key: 'views', label: 'Events', kind: 'n' },
      ],
    },
  ];
};

const sourceTabs = (): Tab[] => [
  {
    id: 'referrers',
    label: 'Referrers',
    path: 'statistics/referrer',
    render: (row) => {
      const name = str(row, 'referrer_name');
      return (
        <>
          <Avatar label={name || '→'} />
          {name === '' ? <em class="muted">Direct / none</em> : name}
          {str(row, 'referrer') && str(row, 'referrer') !== name && (
            <span class="muted small"> {str(row, 'referrer').replace(/^https?:\/\//, '')}</span>
          )}
        </>
      );
    },
    text: (row) => str(row, 'referrer_name') || 'Direct / none',
    filter: (row) =>
      str(row, 'referrer_name') === ''
        ? ['referrer_name', 'null']
        : ['referrer_name', str(row, 'referrer_name')],
    value: 'visitors',
    valueLabel: 'Visitors',
    share: (row) => num(row, 'relative_visitors'),
    columns: visitorsCols([
      { key: 'sessions', label: 'Sessions', kind: 'n', sort: true },
      { key: 'bounces', label: 'Bounces', kind: 'n', sort: true },
      { key: 'bounce_rate', label: 'Bounce rate', kind: 'pct', sort: true },
    ]),
  },
  dimension('channels', 'Channels', 'statistics/channel', 'channel', 'channel', letter('channel')),
];

const utmTabs = (): Tab[] =>
  (['source', 'medium', 'campaign', 'content', 'term'] as const).map((part) =>
    dimension(
      `utm-${part}`,
      part[0]!.toUpperCase() + part.slice(1),
      `statistics/utm/${part}`,
      `utm_${part}`,
      `utm_${part}`,
    ),
  );

const goalTabs = (): Tab[] => [
  {
    id: 'goals',
    label: 'Conversion goals',
    path: 'statistics/goals',
    transform: (data) =>
      (data as GoalStats[]).map((g) => ({
        ...g.page_goal,
        goal_name: g.page_goal.name,
        visitors: g.stats.visitors,
        views: g.stats.views,
        cr: g.stats.cr,
      })),
    render: (row) => (
      <span>
        {str(row, 'goal_name')} <span class="muted small">{str(row, 'path_pattern')}</span>
        <GoalTarget row={row} />
      </span>
    ),
    text: (row) => str(row, 'goal_name'),
    filter: (row) => (str(row, 'pattern') ? ['pattern', str(row, 'pattern')] : undefined),
    value: 'visitors',
    valueLabel: 'Visitors',
    share: (row) => num(row, 'cr'),
    columns: [
      { key: 'visitors', label: 'Visitors', kind: 'n' },
      { key: 'views', label: 'Views', kind: 'n' },
      { key: 'cr', label: 'CR', kind: 'pct' },
    ],
  },
];

function GoalTarget(props: { row: Row }) {
  const { row } = props;
  const visitorsGoal = row.visitor_goal as number | null;
  const crGoal = row.cr_goal as number | null;
  const parts: string[] = [];
  let progress = 0;
  if (visitorsGoal) {
    parts.push(`${formatNumber(num(row, 'visitors'))} / ${formatNumber(visitorsGoal)} visitors`);
    progress = Math.max(progress, num(row, 'visitors') / visitorsGoal);
  }
  if (crGoal) {
    parts.push(`${formatPercent(num(row, 'cr'))} / ${formatPercent(crGoal / 100)} CR`);
    progress = Math.max(progress, num(row, 'cr') / (crGoal / 100));
  }
  if (parts.length === 0) return null;
  return (
    <span class="goal-target">
      <span class="muted small">Target: {parts.join(' · ')}</span>
      <progress max={1} value={Math.min(1, progress)} aria-label="Progress towards the target" />
    </span>
  );
}

const eventTabs = (openMeta: (row: Row) => void): Tab[] => [
  {
    id: 'events',
    label: 'Events',
    path: 'statistics/events',
    render: (row) => str(row, 'name'),
    text: (row) => str(row, 'name'),
    filter: (row) => ['event', str(row, 'name')],
    value: 'visitors',
    valueLabel: 'Visitors',
    share: (row) => num(row, 'cr'),
    columns: [
      { key: 'visitors', label: 'Visitors', kind: 'n', sort: true },
      { key: 'count', label: 'Count', kind: 'n' },
      { key: 'cr', label: 'CR', kind: 'pct', sort: true },
      { key: 'average_duration_seconds', label: 'Avg. duration', kind: 'dur' },
    ],
    action: (row) =>
      (row.meta_keys as string[] | undefined)?.length
        ? { label: `Metadata of ${str(row, 'name')}`, run: () => openMeta(row) }
        : undefined,
  },
];

const locationTabs = (): Tab[] => [
  dimension(
    'countries',
    'Countries',
    'statistics/country',
    'country_code',
    'country',
    flagIcon,
    countryName,
  ),
  {
    ...dimension('regions', 'Regions', 'statistics/region', 'region', 'region', flagIcon),
  },
  dimension('cities', 'Cities', 'statistics/city', 'city', 'city', flagIcon),
  dimension(
    'languages',
    'Languages',
    'statistics/language',
    'language',
    'language',
    undefined,
    languageName,
  ),
];

/** Small line icons for platforms (bundled, no emoji font needed). */
function PlatformIcon(props: { kind: string }) {
  const d =
    props.kind === 'desktop'
      ? 'M3 4h18v12H3zM8 20h8M12 16v4'
      : props.kind === 'mobile'
        ? 'M7 2h10v20H7zM11 18h2'
        : 'M12 17h.01M9.1 9a3 3 0 1 1 4.2 2.7c-.8.4-1.3 1.1-1.3 2v.3';
  return (
    <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path
        d={d}
        fill="none"
        stroke="currentColor"
        stroke-width="2"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}

const platformRows = (data: unknown): Row[] => {
  const p = data as Record<string, number>;
  return (['desktop', 'mobile', 'unknown'] as const)
    .map((k) => ({
      platform: k,
      visitors: p[`platform_${k}`] ?? 0,
      relative_visitors: p[`relative_platform_${k}`] ?? 0,
    }))
    .filter((r) => r.visitors > 0)
    .sort((a, b) => b.visitors - a.visitors);
};

const deviceTabs = (): Tab[] => [
  {
    ...dimension(
      'browsers',
      'Browsers',
      'statistics/browser',
      'browser',
      'browser',
      letter('browser'),
    ),
    detail: {
      ...dimension(
        '',
        'Browser versions',
        'statistics/browser/version',
        'browser',
        'browser',
        letter('browser'),
      ),
      render: (row) => (
        <>
          <Avatar label={str(row, 'browser') || '?'} />
          {unknown(str(row, 'browser'))} <span class="muted">{str(row, 'browser_version')}</span>
        </>
      ),
      filter: (row) => ['browser_version', orNull(str(row, 'browser_version'))],
    },
  },
  {
    ...dimension('os', 'Operating systems', 'statistics/os', 'os', 'os', letter('os')),
    detail: {
      ...dimension('', 'OS versions', 'statistics/os/version', 'os', 'os', letter('os')),
      render: (row) => (
        <>
          <Avatar label={str(row, 'os') || '?'} />
          {unknown(str(row, 'os'))} <span class="muted">{str(row, 'os_version')}</span>
        </>
      ),
      filter: (row) => ['os_version', orNull(str(row, 'os_version'))],
    },
  },
  {
    ...dimension('platforms', 'Platforms', 'statistics/platform', 'platform', 'platform'),
    render: (row) => (
      <>
        <PlatformIcon kind={str(row, 'platform')} />
        {str(row, 'platform')[0]!.toUpperCase() + str(row, 'platform').slice(1)}
      </>
    ),
    filter: (row) => ['platform', str(row, 'platform')],
    transform: platformRows,
    columns: visitorsCols(),
  },
  dimension('screens', 'Screens', 'statistics/screen', 'screen_class', 'screen_class'),
];

/** Call `onVisible` once the element scrolls near the viewport. */
function useVisible<T extends Element>(): [ref: { current: T | null }, visible: boolean] {
  const ref = useRef<T>(null);
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    if (visible || !ref.current) return;
    if (typeof IntersectionObserver === 'undefined') return setVisible(true);
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setVisible(true);
      },
      { rootMargin: '300px' },
    );
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, [visible]);
  return [ref, visible];
}

function RowList(props: { tab: Tab; rows: Row[]; readOnly: boolean; limit?: number }) {
  const { tab, rows } = props;
  const view = useView();
  const max = Math.max(1e-9, ...rows.map((r) => num(r, tab.value)));
  const shown = rows.slice(0, props.limit ?? 10);
  if (shown.length === 0) return <p class="empty-panel muted">No data for this period.</p>;
  return (
    <ul class="rows" data-testid={`rows-${tab.id}`}>
      {shown.map((row, i) => {
        const filter = tab.filter?.(row);
        const action = tab.action?.(row);
        const label = tab.text(row);
        const body = (
          <>
            <span class="bar" style={{ width: `${(num(row, tab.value) / max) * 100}%` }} />
            <span class="row-label">{tab.render(row)}</span>
            <span
              class="row-value"
              title={formatNumber(num(row, tab.value))}
              data-value={num(row, tab.value)}
            >
              {formatCompact(num(row, tab.value))}
            </span>
            <span class="row-share muted">{formatPercent(tab.share(row))}</span>
          </>
        );
        return (
          <li key={i} data-label={label}>
            {filter ? (
              <button
                class="row-button"
                aria-label={`${label}: ${formatNumber(num(row, tab.value))} ${tab.valueLabel.toLowerCase()}. Filter by it`}
                onClick={() => view.addFilter(filter[0], filter[1])}
              >
                {body}
              </button>
            ) : (
              <div class="row-button">{body}</div>
            )}
            {action && (
              <button
                class="icon-button small"
                aria-label={action.label}
                title={action.label}
                onClick={action.run}
              >
                ⋯
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** All rows of a tab with sortable columns and a search box. */
function DetailModal(props: { tab: Tab; onClose: () => void }) {
  const tab = props.tab.detail ? { ...props.tab, ...props.tab.detail } : props.tab;
  const view = useView();
  const [sort, setSort] = useState<{ key: string; dir: 'asc' | 'desc' } | undefined>();
  const [search, setSearch] = useState('');
  const [typed, setTyped] = useState('');
  useEffect(() => {
    const id = setTimeout(() => setSearch(typed), 250);
    return () => clearTimeout(id);
  }, [typed]);
  const q = withParams(view.base, {
    ...tab.extra,
    limit: 100,
    search,
    ...(sort ? { sort: sort.key, direction: sort.dir } : {}),
  });
  const data = useData(`${tab.path}?${q}`, async (signal) => {
    const raw = await get<unknown>(tab.path, q, signal);
    return tab.transform ? tab.transform(raw) : (raw as Row[]);
  });
  const cycle = (key: string) =>
    setSort(
      sort?.key !== key
        ? { key, dir: 'asc' }
        : sort.dir === 'asc'
          ? { key, dir: 'desc' }
          : undefined,
    );
  return (
    <Modal title={tab.label} onClose={props.onClose} wide>
      {!tab.transform && (
        <input
          type="search"
          class="search"
          placeholder="Search"
          aria-label={`Search ${tab.label}`}
          value={typed}
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
      )}
      <ErrorNote error={data.error} />
      <div class="table-scroll">
        <table class="detail-table">
          <thead>
            <tr>
              <th scope="col">{tab.label}</th>
              {tab.columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  class="num"
                  aria-sort={
                    sort?.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'
                  }
                >
                  {c.sort && !tab.transform ? (
                    <button class="sort" onClick={() => cycle(c.key)}>
                      {c.label}
                      {sort?.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.data?.map((row, i) => {
              const filter = tab.filter?.(row);
              return (
                <tr key={i}>
                  <th scope="row">
                    {filter ? (
                      <button
                        class="link-button"
                        onClick={() => {
                          view.addFilter(filter[0], filter[1]);
                          props.onClose();
                        }}
                      >
                        {tab.render(row)}
                      </button>
                    ) : (
                      tab.render(row)
                    )}
                  </th>
                  {tab.columns.map((c) => (
                    <td key={c.key} class="num">
                      {fmt(c.kind, row[c.key])}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
        {data.loading && <Skeleton lines={3} />}
        {data.data?.length === 0 && <p class="muted">Nothing found.</p>}
      </div>
    </Modal>
  );
}

/** Event metadata: pick a key, see its values; a click filters by `meta_<key>`. */
function MetaModal(props: { event: Row; onClose: () => void }) {
  const view = useView();
  const name = str(props.event, 'name');
  const keys = (props.event.meta_keys as string[]) ?? [];
  const [key, setKey] = useState(keys[0] ?? '');
  const q = withParams(view.base, { event: name, event_meta_key: key });
  const data = useData(`meta?${q}`, (signal) => get<Row[]>('statistics/event/meta', q, signal));
  const tab: Tab = {
    id: 'meta',
    label: key,
    path: '',
    render: (row) => unknown(str(row, 'meta_value')),
    text: (row) => str(row, 'meta_value'),
    filter: (row) => [`meta_${key}`, orNull(str(row, 'meta_value'))],
    value: 'visitors',
    valueLabel: 'Visitors',
    share: (row) => num(row, 'cr'),
    columns: [],
  };
  return (
    <Modal title={`${name}: metadata`} onClose={props.onClose}>
      <label class="field">
        <span>Metadata key</span>
        <select value={key} onChange={(e) => setKey(e.currentTarget.value)}>
          {keys.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <ErrorNote error={data.error} />
      {data.data ? (
        <table class="detail-table" data-testid="meta-table">
          <thead>
            <tr>
              <th scope="col">Value</th>
              <th scope="col" class="num">
                Visitors
              </th>
              <th scope="col" class="num">
                Count
              </th>
              <th scope="col" class="num">
                CR
              </th>
              <th scope="col" class="num">
                Avg. duration
              </th>
            </tr>
          </thead>
          <tbody>
            {data.data.map((row, i) => (
              <tr key={i}>
                <th scope="row">
                  <button
                    class="link-button"
                    onClick={() => {
                      const f = tab.filter!(row)!;
                      view.addFilter('event', name);
                      view.addFilter(f[0], f[1]);
                      props.onClose();
                    }}
                  >
                    {tab.render(row)}
                  </button>
                </th>
                <td class="num">{formatNumber(num(row, 'visitors'))}</td>
                <td class="num">{formatNumber(num(row, 'count') || num(row, 'views'))}</td>
                <td class="num">{formatPercent(num(row, 'cr'))}</td>
                <td class="num">{formatDuration(num(row, 'average_duration_seconds'))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Skeleton lines={3} />
      )}
    </Modal>
  );
}

/** A card with tabs; loads its active tab once it is near the viewport. */
function Panel(props: {
  title: string;
  tabs: Tab[];
  id: string;
  /** A link in the panel's head (e.g. "+ Goal" for admins). */
  link?: { href: string; label: string } | undefined;
}) {
  const view = useView();
  const tabs = props.tabs.filter((t) => !t.when || t.when(view.query));
  const [active, setActive] = useState(tabs[0]!.id);
  const tab = tabs.find((t) => t.id === active) ?? tabs[0]!;
  const [ref, visible] = useVisible<HTMLElement>();
  const [detail, setDetail] = useState(false);
  const q = withParams(view.base, { ...tab.extra, limit: 10 });
  const data = useData(visible ? `${tab.path}?${q}|${view.key}` : null, async (signal) => {
    const raw = await get<unknown>(tab.path, q, signal);
    return tab.transform ? tab.transform(raw) : (raw as Row[]);
  });
  return (
    <section
      class="card panel"
      ref={ref}
      aria-labelledby={`panel-${props.id}`}
      data-panel={props.id}
    >
      <div class="panel-head">
        <h2 id={`panel-${props.id}`} class={tabs.length > 1 ? 'sr-only' : ''}>
          {props.title}
        </h2>
        {tabs.length > 1 && (
          <div
            class="tabs"
            role="tablist"
            aria-label={props.title}
            onKeyDown={(e) => {
              // Arrow keys move between tabs (WAI-ARIA tabs pattern).
              const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (!step) return;
              e.preventDefault();
              e.stopPropagation();
              const i = tabs.findIndex((t) => t.id === tab.id);
              const next = tabs[(i + step + tabs.length) % tabs.length]!;
              setActive(next.id);
              e.currentTarget.querySelector<HTMLElement>(`[data-tab="${next.id}"]`)?.focus();
            }}
          >
            {tabs.map((t) => (
              <button
                key={t.id}
                role="tab"
                aria-selected={t.id === tab.id}
                tabIndex={t.id === tab.id ? 0 : -1}
                data-tab={t.id}
                onClick={() => setActive(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>
        )}
        <span class="spacer" />
        {props.link && (
          <a class="button small ghost" href={props.link.href}>
            {props.link.label}
          </a>
        )}
        <button
          class="icon-button small"
          aria-label={`Show all ${tab.label}`}
          title="Show all"
          onClick={() => setDetail(true)}
        >
          ⤢
        </button>
      </div>
      <div class="rows-head muted small">
        <span>{tab.label}</span>
        <span>{tab.valueLabel}</span>
      </div>
      {data.error instanceof ApiError && data.error.status === 404 ? (
        <p class="empty-panel muted">Not available on this server yet.</p>
      ) : data.error ? (
        <ErrorNote error={data.error} />
      ) : data.data ? (
        <RowList tab={tab} rows={data.data} readOnly={view.readOnly} />
      ) : (
        <Skeleton />
      )}
      {detail && <DetailModal tab={tab} onClose={() => setDetail(false)} />}
    </section>
  );
}

export function Panels() {
  const [metaOf, setMetaOf] = useState<Row | undefined>();
  const view = useView();
  const canEdit = ['Owner', 'Admin'].includes(view.domain.user_role) && !view.readOnly;
  return (
    <div class="panel-grid">
      <Panel id="pages" title="Pages" tabs={pageTabs()} />
      <Panel id="sources" title="Sources" tabs={sourceTabs()} />
      <Panel id="location" title="Location" tabs={locationTabs()} />
      <Panel id="devices" title="Devices" tabs={deviceTabs()} />
      <Panel id="events" title="Events" tabs={eventTabs(setMetaOf)} />
      <Panel
        id="goals"
        title="Conversion goals"
        tabs={goalTabs()}
        link={
          canEdit ? { href: `/sites/${view.domain.id}/settings/goals`, label: '+ Goal' } : undefined
        }
      />
      <Panel id="campaigns" title="Campaigns" tabs={utmTabs()} />
      {metaOf && <MetaModal event={metaOf} onClose={() => setMetaOf(undefined)} />}
    </div>
  );
}
