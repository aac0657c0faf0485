/** A site's dashboard: private (signed in), public (`/share/<subdomain>`) or by access link. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, get } from '../api.ts';
import { Logo, ModeButton } from '../components/Header.tsx';
import { FirstHitCheck, SnippetBox } from '../components/Snippet.tsx';
import { ErrorNote, PendingPage, Skeleton } from '../components/ui.tsx';
import { Panels } from '../dashboard/Panels.tsx';
import { Summary } from '../dashboard/Summary.tsx';
import { ActiveVisitors, ComparePicker, FilterBar, PeriodPicker } from '../dashboard/Toolbar.tsx';
import { ViewContext, type View } from '../dashboard/view.ts';
import { domainName, useDomains } from '../domains.ts';
import { activeFilters, withFilter } from '../filters.ts';
import { useData } from '../hooks.ts';
import {
  comparePeriod,
  lastInterval,
  localDate,
  resolvePeriod,
  resolveScale,
  type CompareMode,
} from '../period.ts';
import { setQuery, useLocation } from '../router.ts';
import type { Domain, Figures } from '../types.ts';

function Dashboard(props: { domain: Domain; access?: string; readOnly: boolean }) {
  const { domain, access } = props;
  const { query } = useLocation();
  const [refresh, setRefresh] = useState(0);
  const tz = query.get('tz') || domain.timezone || 'UTC';
  const now = Date.now();
  const firstDay = localDate(Date.parse(domain.def_time) || now, tz);
  // Without a period in the URL, the last one chosen in this browser (else 7 days).
  const periodQuery = new URLSearchParams(query);
  if (!query.has('interval') && !query.has('from')) {
    const last = lastInterval();
    if (last) periodQuery.set('interval', last);
  }
  const period = resolvePeriod(
    periodQuery,
    tz,
    now,
    firstDay,
    domain.active_visitors_seconds ?? 600,
  );
  const scale = resolveScale(query, period);
  const compareMode = (query.get('compare') as CompareMode | null) ?? 'off';
  const compare =
    period.start === undefined
      ? comparePeriod(
          period,
          compareMode,
          query.get('compare_weekday') !== 'false',
          query.get('compare_from'),
        )
      : undefined;
  const filters = activeFilters(query);
  const filterKey = filters.map((f) => `${f.param}=${f.raw}`).join('&');

  const base = useMemo(() => {
    const q = new URLSearchParams({ id: domain.id });
    if (period.start !== undefined) q.set('start', String(period.start));
    else {
      q.set('from', period.from);
      q.set('to', period.to);
    }
    if (query.get('tz')) q.set('tz', tz);
    for (const f of filters) q.append(f.param, f.raw);
    if (access) q.set('access', access);
    return q;
  }, [domain.id, period.from, period.to, period.start, tz, filterKey, access]);

  // The live period refreshes every 30 seconds while the tab is visible.
  useEffect(() => {
    if (period.interval !== 'live') return;
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') setRefresh((n) => n + 1);
    }, 30_000);
    return () => clearInterval(id);
  }, [period.interval]);

  const view: View = {
    domain,
    tz,
    period,
    scale,
    compare,
    base,
    key: `${base.toString()}#${refresh}`,
    query,
    readOnly: props.readOnly,
    addFilter: (param, raw) =>
      setQuery(withFilter(new URLSearchParams(location.search), param, raw)),
  };

  return (
    <ViewContext.Provider value={view}>
      <div class="toolbar">
        <ActiveVisitors />
        <PeriodPicker />
        <ComparePicker />
        <span class="spacer" />
        <button
          class="icon-button"
          aria-label="Refresh"
          title="Refresh"
          onClick={() => setRefresh((n) => n + 1)}
        >
          ↻
        </button>
      </div>
      <FilterBar />
      {!props.readOnly && <EmptyState domain={domain} />}
      <Summary />
      <Panels />
    </ViewContext.Provider>
  );
}

/** A dashboard that never received a page view shows the snippet and the first-hit check. */
function EmptyState(props: { domain: Domain }) {
  const d = props.domain;
  const today = localDate(Date.now(), d.timezone ?? 'UTC');
  const firstDay = localDate(Date.parse(d.def_time) || Date.now(), d.timezone ?? 'UTC');
  const all = useData(`all-${d.id}`, (signal) =>
    get<Figures>(
      'statistics/total',
      { id: d.id, from: firstDay < today ? firstDay : today, to: today },
      signal,
    ),
  );
  const [hidden, setHidden] = useState(false);
  if (!all.data || all.data.views > 0 || hidden) return null;
  return (
    <section class="card empty">
      <h2>No page views yet</h2>
      <SnippetBox domain={d} />
      <FirstHitCheck domain={d} onSeen={() => setTimeout(() => setHidden(true), 4000)} />
    </section>
  );
}

export function PrivateSite(props: { id: string }) {
  const { domains, error } = useDomains();
  const domain = domains?.find((d) => d.id === props.id);
  useEffect(() => {
    if (domain) document.title = `${domainName(domain)} · Spoor`;
    return () => {
      document.title = 'Spoor';
    };
  }, [domain?.id]);
  if (error || !domains) return <PendingPage error={error} />;
  if (!domain)
    return (
      <main class="page narrow">
        <h1>Dashboard not found</h1>
        <p>
          It does not exist or you have no access. <a href="/">All dashboards</a>
        </p>
      </main>
    );
  const canEdit = domain.user_role === 'Owner' || domain.user_role === 'Admin';
  return (
    <main class="page">
      <div class="row between wrap site-head">
        <h1>{domainName(domain)}</h1>
        {canEdit && (
          <a class="button small" href={`/sites/${domain.id}/settings/general`}>
            ⚙ Settings
          </a>
        )}
      </div>
      <Dashboard domain={domain} readOnly={domain.user_role === 'Viewer'} />
    </main>
  );
}

/** Public dashboards and access links: read-only, no account needed. */
export function SharedSite(props: { subdomain?: string; access?: string }) {
  const { query } = useLocation();
  const access = props.access ?? query.get('access') ?? undefined;
  const q = props.subdomain
    ? { subdomain: props.subdomain, ...(access ? { access } : {}) }
    : { access };
  const site = useData(`site?${JSON.stringify(q)}`, (signal) =>
    get<{ domain: Domain }>('dashboard/site', q, signal),
  );
  const hideUi = query.get('ui') === 'hide';
  const domain = site.data?.domain;
  useEffect(() => {
    if (domain) document.title = `${domainName(domain)} · Spoor`;
  }, [domain?.id]);
  const status = site.error instanceof ApiError ? site.error.status : 0;
  return (
    <>
      {!hideUi && (
        <header class="topbar">
          <Logo />
          <span class="spacer" />
          <ModeButton />
          <a class="button small" href="/login">
            Sign in
          </a>
        </header>
      )}
      <main class="page">
        {site.error ? (
          <section class="card narrow-card">
            <h1>{status === 401 ? 'This link is no longer valid' : 'Dashboard not available'}</h1>
            <p>
              {status === 401
                ? 'The access link has expired or was deleted. Ask its owner for a new one.'
                : status === 404
                  ? 'This dashboard does not exist or is not public.'
                  : ''}
            </p>
            {status !== 401 && status !== 404 && <ErrorNote error={site.error} />}
          </section>
        ) : domain ? (
          <>
            <div class="row between wrap site-head">
              <h1>{domainName(domain)}</h1>
              <span class="badge">{access ? 'Shared link · read-only' : 'Public dashboard'}</span>
            </div>
            <Dashboard domain={domain} access={access} readOnly />
          </>
        ) : (
          <Skeleton />
        )}
      </main>
    </>
  );
}
