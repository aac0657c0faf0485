/** The landing page: one card per dashboard with visitors of the last 7 days and a sparkline. */
import { useState } from 'preact/hooks';
import { del, get, post } from '../api.ts';
import { Growth } from '../components/Growth.tsx';
import { Sparkline } from '../components/Sparkline.tsx';
import { ErrorNote, Skeleton, useAction } from '../components/ui.tsx';
import { domainName, invalidateDomains, useDomains } from '../domains.ts';
import { formatCompact, formatNumber } from '../format.ts';
import { useData } from '../hooks.ts';
import { addDays, localDate } from '../period.ts';
import type {
  Active,
  Bucket,
  Domain,
  Figures,
  Growth as GrowthData,
  Invitation,
} from '../types.ts';

const PINNED = 'spoor.pinned';

function readPinned(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(PINNED) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function writePinned(ids: string[]): void {
  try {
    localStorage.setItem(PINNED, JSON.stringify(ids));
  } catch {
    // Pins last for this page only without storage.
  }
}

function SiteCard(props: { domain: Domain; pinned: boolean; onPin: () => void }) {
  const d = props.domain;
  const tz = d.timezone ?? 'UTC';
  const to = localDate(Date.now(), tz);
  const from = addDays(to, -6);
  const q = { id: d.id, from, to };
  const { data } = useData(`${d.id}:${from}`, async (signal) => {
    const [total, series, growth, active] = await Promise.all([
      get<Figures>('statistics/total', q, signal),
      get<Bucket[]>('statistics/visitor', q, signal),
      get<GrowthData>('statistics/growth', q, signal),
      get<Active>(
        'statistics/active',
        { id: d.id, start: d.active_visitors_seconds ?? 600 },
        signal,
      ),
    ]);
    return { total, series, growth, active };
  });
  return (
    <div class="card site-card">
      <div class="site-card-head">
        <a class="site-name stretched" href={`/sites/${d.id}`}>
          {domainName(d)}
        </a>
        {d.public && <span class="badge">public</span>}
        {d.user_role !== 'Owner' && <span class="badge">{d.user_role}</span>}
        <span class="spacer" />
        <button
          class={`icon-button small pin${props.pinned ? ' on' : ''}`}
          aria-pressed={props.pinned}
          aria-label={`Pin ${domainName(d)}`}
          title={props.pinned ? 'Unpin' : 'Pin to the top'}
          onClick={props.onPin}
        >
          {props.pinned ? '★' : '☆'}
        </button>
      </div>
      {data ? (
        <>
          <div class="site-card-figures">
            <div>
              <span
                class="big"
                title={formatNumber(data.total.visitors)}
                data-testid="card-visitors"
              >
                {formatCompact(data.total.visitors)}
              </span>
              <span class="muted small"> visitors · 7 days</span>
            </div>
            <Growth value={data.growth.visitors_growth} />
          </div>
          <Sparkline
            values={data.series.map((b) => b.visitors)}
            label={`Visitors per day: ${data.series.map((b) => b.visitors).join(', ')}`}
          />
          <div class="muted small">
            {formatNumber(data.total.views)} page {data.total.views === 1 ? 'view' : 'views'} ·{' '}
            <span
              class={data.active.visitors > 0 ? 'live-dot on' : 'live-dot'}
              aria-hidden="true"
            />
            {formatNumber(data.active.visitors)} active now
          </div>
        </>
      ) : (
        <Skeleton lines={2} />
      )}
    </div>
  );
}

function PendingInvitations() {
  const { data, reload } = useData('invitations', (signal) =>
    get<Invitation[]>('invitation', undefined, signal),
  );
  const [busy, error, run] = useAction();
  if (!data || data.length === 0) return null;
  return (
    <section class="card">
      <h2>Invitations for you</h2>
      <ErrorNote error={error} />
      <ul class="plain-list">
        {data.map((inv) => (
          <li key={inv.id} class="row between">
            <span>{inv.domain ? domainName(inv.domain) : inv.domain_id}</span>
            <span class="row">
              <button
                class="button small primary"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    await post('invitation', { id: inv.id });
                    invalidateDomains();
                    reload();
                  })
                }
              >
                Accept
              </button>
              <button
                class="button small"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    await del('invitation', undefined, { id: inv.id });
                    reload();
                  })
                }
              >
                Decline
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Overview() {
  const { domains, error } = useDomains();
  const [search, setSearch] = useState('');
  const [pinned, setPinned] = useState(readPinned);
  const rank = (id: string) => {
    const i = pinned.indexOf(id);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  const shown = domains
    ?.filter((d) =>
      `${d.hostname} ${d.display_name ?? ''}`.toLowerCase().includes(search.toLowerCase()),
    )
    // Pinned dashboards first, in the order they were pinned.
    .sort((a, b) => rank(a.id) - rank(b.id));
  const togglePin = (id: string) => {
    const next = pinned.includes(id) ? pinned.filter((p) => p !== id) : [...pinned, id];
    writePinned(next);
    setPinned(next);
  };
  return (
    <main class="page">
      <div class="row between wrap">
        <h1>Dashboards</h1>
        {domains && domains.length > 3 && (
          <input
            type="search"
            class="search"
            placeholder="Search dashboards"
            aria-label="Search dashboards"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        )}
      </div>
      <PendingInvitations />
      <ErrorNote error={error} />
      {!domains && !error && <Skeleton />}
      {domains && domains.length === 0 && (
        <section class="card empty">
          <h2>No sites yet</h2>
          <p>Add your first site to get the snippet to paste into its pages.</p>
          <a class="button primary" href="/sites/new">
            Add a site
          </a>
        </section>
      )}
      <div class="site-grid">
        {shown?.map((d) => (
          <SiteCard
            key={d.id}
            domain={d}
            pinned={pinned.includes(d.id)}
            onPin={() => togglePin(d.id)}
          />
        ))}
      </div>
    </main>
  );
}
