/** Settings of one dashboard (DASHBOARD.md §13), all through the management API. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, get, post, put } from '../api.ts';
import { SnippetBox } from '../components/Snippet.tsx';
import {
  CopyButton,
  ErrorNote,
  Field,
  PendingPage,
  Skeleton,
  Toggle,
  useAction,
} from '../components/ui.tsx';
import { domainName, invalidateDomains, useDomains } from '../domains.ts';
import { formatDay } from '../format.ts';
import { useData } from '../hooks.ts';
import { navigate } from '../router.ts';
import { timeZones } from '../timezones.ts';
import type {
  Alternative,
  Client,
  Domain,
  Goal,
  Invitation,
  Link,
  Member,
  Report,
} from '../types.ts';

const TABS = [
  ['general', 'General'],
  ['access', 'Access'],
  ['reports', 'Reports'],
  ['goals', 'Goals'],
  ['integration', 'Integration'],
  ['danger', 'Danger zone'],
] as const;

const fieldErrors = (error: unknown): Record<string, string> =>
  error instanceof ApiError ? error.validation : {};

function Section(props: { title: string; children: ComponentChildren; intro?: ComponentChildren }) {
  return (
    <section class="card">
      <h2>{props.title}</h2>
      {props.intro && <p class="muted">{props.intro}</p>}
      {props.children}
    </section>
  );
}

/** A one-row form of fields and a button; submitting runs `onSubmit` instead of a page load. */
function InlineForm(props: { onSubmit: () => void; children: ComponentChildren }) {
  return (
    <form
      class="row end wrap"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      {props.children}
    </form>
  );
}

function Saved(props: { show: boolean }) {
  return props.show ? (
    <span class="ok-note" role="status">
      Saved
    </span>
  ) : null;
}

// ---------------------------------------------------------------------------------------------
// General

function General(props: { domain: Domain }) {
  const d = props.domain;
  const [subdomain, setSubdomain] = useState(d.subdomain);
  const [timezone, setTimezone] = useState(d.timezone ?? 'UTC');
  const [saved, setSaved] = useState('');
  const [busy, error, run] = useAction();
  const v = fieldErrors(error);
  const save = (what: string, action: () => Promise<unknown>) =>
    void run(async () => {
      setSaved('');
      await action();
      invalidateDomains();
      setSaved(what);
    });
  return (
    <>
      <Section title="Hostname">
        <p>
          <strong>{d.hostname}</strong>
        </p>
        <p class="muted small">
          Page views are accepted from this host, its www. variant and the alternative domains
          (Integration).
        </p>
      </Section>
      <Section title="Subdomain" intro="Names the public dashboard and its URL.">
        <InlineForm
          onSubmit={() => {
            save('subdomain', () => post('domain/subdomain', { domain_id: d.id, subdomain }));
          }}
        >
          <Field
            label="Subdomain"
            value={subdomain}
            error={v.subdomain}
            onInput={(e) => setSubdomain(e.currentTarget.value.toLowerCase())}
          />
          <button class="button" disabled={busy || subdomain === d.subdomain}>
            Save subdomain
          </button>
          <Saved show={saved === 'subdomain'} />
        </InlineForm>
      </Section>
      <Section
        title="Time zone"
        intro="Days, weeks and hours are counted in this zone. Changing it applies to all statistics at once."
      >
        <InlineForm
          onSubmit={() => {
            save('timezone', () => post('domain/timezone', { domain_id: d.id, timezone }));
          }}
        >
          <label class="field">
            <span>Time zone</span>
            <select
              aria-label="Time zone"
              value={timezone}
              onChange={(e) => setTimezone(e.currentTarget.value)}
            >
              {timeZones().map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </label>
          <button class="button" disabled={busy || timezone === (d.timezone ?? 'UTC')}>
            Save time zone
          </button>
          <Saved show={saved === 'timezone'} />
        </InlineForm>
        {v.timezone && <p class="field-error">{v.timezone}</p>}
      </Section>
      <Section title="Pages">
        <Toggle
          label="Group pages by title"
          hint="Page panels list titles (with their paths) instead of paths. Titles must be meaningful for this to help."
          checked={d.group_by_title}
          disabled={busy}
          onChange={() => save('title', () => post('domain/title', { domain_id: d.id }))}
        />
        <Saved show={saved === 'title'} />
      </Section>
      {Object.keys(v).length === 0 && <ErrorNote error={error} />}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Access: public dashboard, members, invitations, access links

function PublicAccess(props: { domain: Domain }) {
  const d = props.domain;
  const [busy, error, run] = useAction();
  const url = `${location.origin}/share/${d.subdomain}`;
  return (
    <Section
      title="Public dashboard"
      intro="Anyone with the URL can read the statistics; nobody can change anything."
    >
      <Toggle
        label="Make the dashboard public"
        checked={d.public}
        disabled={busy}
        onChange={() =>
          void run(async () => {
            await post('domain/public', { domain_id: d.id });
            invalidateDomains();
          })
        }
      />
      {d.public && (
        <p class="row wrap">
          <a href={`/share/${d.subdomain}`} data-native target="_blank" rel="noopener">
            {url}
          </a>
          <CopyButton text={url} />
        </p>
      )}
      <ErrorNote error={error} />
    </Section>
  );
}

function Members(props: { domain: Domain }) {
  const d = props.domain;
  const members = useData(`members-${d.id}`, (signal) =>
    get<Member[]>('member', { id: d.id }, signal),
  );
  const invitations = useData(`invitations-${d.id}`, (signal) =>
    get<Invitation[]>('invitation', { domain_id: d.id }, signal),
  );
  const [emails, setEmails] = useState('');
  const [links, setLinks] = useState<Invitation[]>([]);
  const [busy, error, run] = useAction();
  const v = fieldErrors(error);
  return (
    <Section
      title="Members"
      intro="New members get the Viewer role: they see all statistics and change nothing."
    >
      {members.data ? (
        <table class="detail-table">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.data.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  {m.user.full_name || m.user.email}
                  {m.user.full_name && <span class="muted small"> {m.user.email}</span>}
                </th>
                <td>
                  {m.role === 'owner' ? (
                    'Owner'
                  ) : (
                    <select
                      aria-label={`Role of ${m.user.email}`}
                      value={m.role}
                      disabled={busy}
                      onChange={(e) => {
                        const role = e.currentTarget.value;
                        void run(async () => {
                          await put('member', { id: m.id, role });
                          members.reload();
                        });
                      }}
                    >
                      <option value="viewer">Viewer</option>
                      <option value="admin">Admin</option>
                    </select>
                  )}
                </td>
                <td class="num">
                  {m.role !== 'owner' && (
                    <button
                      class="button small danger"
                      disabled={busy}
                      aria-label={`Remove ${m.user.email}`}
                      onClick={() =>
                        void run(async () => {
                          await del('member', { id: m.id });
                          members.reload();
                        })
                      }
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Skeleton lines={2} />
      )}
      <InlineForm
        onSubmit={() => {
          const list = emails.split(/[\s,;]+/).filter(Boolean);
          if (list.length === 0) return;
          void run(async () => {
            const created = await post<Invitation[] | undefined>('member', {
              id: d.id,
              emails: list,
            });
            setLinks(created ?? []);
            setEmails('');
            invitations.reload();
          });
        }}
      >
        <Field
          label="Invite by email"
          placeholder="colleague@example.com, …"
          value={emails}
          error={v.emails}
          onInput={(e) => setEmails(e.currentTarget.value)}
        />
        <button class="button" disabled={busy}>
          Invite
        </button>
      </InlineForm>
      {links.some((l) => l.accept_link) && (
        <div class="notice">
          <p>No email is configured on this server. Hand over these links:</p>
          <ul class="plain-list">
            {links.map((l) => (
              <li key={l.id} class="row wrap">
                <span>{l.email}</span>
                <code class="break">{l.accept_link}</code>
                {l.accept_link && <CopyButton text={l.accept_link} />}
              </li>
            ))}
          </ul>
        </div>
      )}
      {invitations.data && invitations.data.length > 0 && (
        <>
          <h3>Pending invitations</h3>
          <ul class="plain-list">
            {invitations.data.map((inv) => (
              <li key={inv.id} class="row between">
                <span>
                  {inv.email}
                  {inv.expires_at && (
                    <span class="muted small"> · until {formatDay(inv.expires_at)}</span>
                  )}
                </span>
                <button
                  class="button small"
                  disabled={busy}
                  aria-label={`Revoke the invitation of ${inv.email}`}
                  onClick={() =>
                    void run(async () => {
                      await del('invitation', undefined, { id: inv.id, domain_id: d.id });
                      invitations.reload();
                    })
                  }
                >
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {Object.keys(v).length === 0 && <ErrorNote error={error} />}
    </Section>
  );
}

function AccessLinks(props: { domain: Domain }) {
  const d = props.domain;
  const links = useData(`links-${d.id}`, (signal) =>
    get<Link[]>('domain/link', { domain_id: d.id }, signal),
  );
  const [description, setDescription] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [editing, setEditing] = useState<string | undefined>();
  const [editText, setEditText] = useState('');
  const [busy, error, run] = useAction();
  const urlOf = (l: Link) => `${location.origin}/?access=${l.code}`;
  const until = (day: string) => (day ? `${day}T23:59:59Z` : null);
  return (
    <Section
      title="Access links"
      intro="Read-only links to this dashboard that work without an account, whether or not it is public."
    >
      <ul class="plain-list">
        {links.data?.map((l) => (
          <li key={l.id} class="link-item" data-testid="access-link">
            {editing === l.id ? (
              <form
                class="row wrap"
                onSubmit={(e) => {
                  e.preventDefault();
                  void run(async () => {
                    await put('domain/link', {
                      id: l.id,
                      description: editText,
                      valid_until: l.valid_until,
                    });
                    setEditing(undefined);
                    links.reload();
                  });
                }}
              >
                <input
                  aria-label="Description"
                  value={editText}
                  onInput={(e) => setEditText(e.currentTarget.value)}
                />
                <button class="button small primary">Save</button>
                <button type="button" class="button small" onClick={() => setEditing(undefined)}>
                  Cancel
                </button>
              </form>
            ) : (
              <div class="row between wrap">
                <span>
                  <strong>{l.description || 'No description'}</strong>
                  {l.valid_until && (
                    <span class="muted small">
                      {' '}
                      · valid until {formatDay(l.valid_until, { year: 'numeric' })}
                    </span>
                  )}
                </span>
                <span class="row">
                  <CopyButton text={urlOf(l)} label="Copy link" />
                  <button
                    class="button small"
                    onClick={() => {
                      setEditing(l.id);
                      setEditText(l.description);
                    }}
                  >
                    Edit
                  </button>
                  <button
                    class="button small danger"
                    disabled={busy}
                    aria-label={`Delete link ${l.description}`}
                    onClick={() =>
                      void run(async () => {
                        await del('domain/link', { id: l.id });
                        links.reload();
                      })
                    }
                  >
                    Delete
                  </button>
                </span>
              </div>
            )}
            <code class="break small">{urlOf(l)}</code>
          </li>
        ))}
      </ul>
      <InlineForm
        onSubmit={() => {
          void run(async () => {
            await post('domain/link', {
              domain_id: d.id,
              description,
              valid_until: until(validUntil),
            });
            setDescription('');
            setValidUntil('');
            links.reload();
          });
        }}
      >
        <Field
          label="Description"
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
        />
        <Field
          label="Valid until (optional)"
          type="date"
          value={validUntil}
          onInput={(e) => setValidUntil(e.currentTarget.value)}
        />
        <button class="button" disabled={busy}>
          Create link
        </button>
      </InlineForm>
      <ErrorNote error={error} />
    </Section>
  );
}

// ---------------------------------------------------------------------------------------------
// Reports

const INTERVAL_LABELS: Record<number, string> = {
  1: 'Weekly',
  2: 'Every two weeks',
  3: 'Every three weeks',
  4: 'Monthly',
};

function Reports(props: { domain: Domain }) {
  const d = props.domain;
  const reports = useData(`reports-${d.id}`, (signal) =>
    get<Report[]>('report', { id: d.id }, signal),
  );
  const [emails, setEmails] = useState('');
  const [interval, setInterval] = useState(1);
  const [busy, error, run] = useAction();
  const v = fieldErrors(error);
  const select = (value: number, onChange: (n: number) => void, label: string) => (
    <select
      aria-label={label}
      value={value}
      disabled={busy}
      onChange={(e) => onChange(Number(e.currentTarget.value))}
    >
      {Object.entries(INTERVAL_LABELS).map(([k, text]) => (
        <option key={k} value={k}>
          {text}
        </option>
      ))}
    </select>
  );
  return (
    <Section
      title="Email reports"
      intro="Sent at 07:00 in the dashboard's time zone: weekly reports on Mondays, monthly ones on the 1st, each compared with the period before."
    >
      <ul class="plain-list">
        {reports.data?.map((r) => (
          <li key={r.id} class="row between wrap" data-testid="report">
            <span>
              {r.email}
              <span class="muted small">
                {' '}
                · next {formatDay(r.next_report, { year: 'numeric' })}
              </span>
            </span>
            <span class="row">
              {select(
                r.interval,
                (n) =>
                  void run(async () => {
                    await put('report', { id: r.id, interval: n });
                    reports.reload();
                  }),
                `Interval of the report to ${r.email}`,
              )}
              <button
                class="button small danger"
                disabled={busy}
                aria-label={`Delete the report to ${r.email}`}
                onClick={() =>
                  void run(async () => {
                    await del('report', { id: r.id });
                    reports.reload();
                  })
                }
              >
                Delete
              </button>
            </span>
          </li>
        ))}
      </ul>
      {reports.data?.length === 0 && <p class="muted">No reports yet.</p>}
      <InlineForm
        onSubmit={() => {
          const list = emails.split(/[\s,;]+/).filter(Boolean);
          if (list.length === 0) return;
          void run(async () => {
            await post('report', { domain_id: d.id, emails: list, interval });
            setEmails('');
            reports.reload();
          });
        }}
      >
        <Field
          label="Recipients"
          placeholder="boss@example.com"
          value={emails}
          error={v.emails}
          onInput={(e) => setEmails(e.currentTarget.value)}
        />
        <label class="field">
          <span>Interval</span>
          {select(interval, setInterval, 'Interval')}
        </label>
        <button class="button" disabled={busy}>
          Add report
        </button>
      </InlineForm>
      {Object.keys(v).length === 0 && <ErrorNote error={error} />}
    </Section>
  );
}

// ---------------------------------------------------------------------------------------------
// Goals

interface GoalForm {
  name: string;
  path_pattern: string;
  visitors: string;
  cr: string;
  email_reached: boolean;
  delete_reached: boolean;
}

const emptyGoal: GoalForm = {
  name: '',
  path_pattern: '',
  visitors: '',
  cr: '',
  email_reached: false,
  delete_reached: false,
};

function RegexTester() {
  const [regex, setRegex] = useState('');
  const [sample, setSample] = useState('');
  const [result, setResult] = useState<{ match?: boolean; error?: string }>({});
  useEffect(() => {
    if (!regex) return setResult({});
    const id = setTimeout(() => {
      post<{ match: boolean }>('goal/regex', { regex, sample }).then(
        (r) => setResult({ match: r.match }),
        (e: unknown) =>
          setResult({
            error: e instanceof ApiError ? (e.validation.regex ?? e.message) : String(e),
          }),
      );
    }, 300);
    return () => clearTimeout(id);
  }, [regex, sample]);
  return (
    <details class="regex-tester">
      <summary>Regular expression tester (RE2)</summary>
      <div class="row wrap end">
        <Field
          label="Expression"
          placeholder="(?i)^/blog/[^/]*$"
          value={regex}
          onInput={(e) => setRegex(e.currentTarget.value)}
        />
        <Field
          label="Sample path"
          placeholder="/blog/hello"
          value={sample}
          onInput={(e) => setSample(e.currentTarget.value)}
        />
      </div>
      <p
        role="status"
        data-testid="regex-result"
        class={result.error ? 'field-error' : result.match ? 'ok-note' : 'muted'}
      >
        {result.error ??
          (result.match === undefined ? '' : result.match ? 'Matches' : 'Does not match')}
      </p>
    </details>
  );
}

function Goals(props: { domain: Domain }) {
  const d = props.domain;
  const goals = useData(`goals-${d.id}`, (signal) => get<Goal[]>('goal', { id: d.id }, signal));
  const [form, setForm] = useState<GoalForm>(emptyGoal);
  const [editing, setEditing] = useState<string | undefined>();
  const [busy, error, run] = useAction();
  const v = fieldErrors(error);
  const set = (patch: Partial<GoalForm>) => setForm({ ...form, ...patch });
  const hasTarget = Number(form.visitors) > 0 || Number(form.cr) > 0;
  return (
    <>
      <Section
        title="Conversion goals"
        intro="A goal counts the visitors who reach matching pages: * is one path segment, ** any number of segments."
      >
        <ul class="plain-list">
          {goals.data?.map((g) => (
            <li key={g.id} class="row between wrap" data-testid="goal">
              <span>
                <strong>{g.name}</strong> <code>{g.path_pattern}</code>
                {(g.visitor_goal || g.cr_goal) && (
                  <span class="muted small">
                    {' '}
                    · target {g.visitor_goal ? `${g.visitor_goal} visitors` : ''}
                    {g.visitor_goal && g.cr_goal ? ', ' : ''}
                    {g.cr_goal ? `${g.cr_goal}% CR` : ''}
                  </span>
                )}
              </span>
              <span class="row">
                <button
                  class="button small"
                  onClick={() => {
                    setEditing(g.id);
                    setForm({
                      name: g.name,
                      path_pattern: g.path_pattern,
                      visitors: g.visitor_goal ? String(g.visitor_goal) : '',
                      cr: g.cr_goal ? String(g.cr_goal) : '',
                      email_reached: g.email_reached,
                      delete_reached: g.delete_reached,
                    });
                  }}
                >
                  Edit
                </button>
                <button
                  class="button small danger"
                  disabled={busy}
                  aria-label={`Delete goal ${g.name}`}
                  onClick={() =>
                    void run(async () => {
                      await del('goal', { id: g.id });
                      goals.reload();
                    })
                  }
                >
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
        {goals.data?.length === 0 && <p class="muted">No goals yet.</p>}
      </Section>
      <Section title={editing ? 'Edit goal' : 'New goal'}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              const body = {
                domain_id: d.id,
                name: form.name,
                path_pattern: form.path_pattern,
                visitors: Number(form.visitors) || 0,
                cr: Number(form.cr) || 0,
                email_reached: hasTarget && form.email_reached,
                delete_reached: hasTarget && form.delete_reached,
              };
              if (editing) await put('goal', { id: editing, ...body });
              else await post('goal', body);
              setForm(emptyGoal);
              setEditing(undefined);
              goals.reload();
            });
          }}
        >
          <div class="row wrap end">
            <Field
              label="Name"
              required
              value={form.name}
              error={v.name}
              onInput={(e) => set({ name: e.currentTarget.value })}
            />
            <Field
              label="Path pattern"
              required
              placeholder="/checkout/**"
              value={form.path_pattern}
              error={v.path_pattern}
              onInput={(e) => set({ path_pattern: e.currentTarget.value })}
            />
          </div>
          <div class="row wrap end">
            <Field
              label="Visitor target"
              type="number"
              min={0}
              value={form.visitors}
              error={v.visitors}
              onInput={(e) => set({ visitors: e.currentTarget.value })}
            />
            <Field
              label="Conversion rate target (%)"
              type="number"
              min={0}
              max={100}
              step="0.01"
              value={form.cr}
              error={v.cr}
              onInput={(e) => set({ cr: e.currentTarget.value })}
            />
          </div>
          {hasTarget && (
            <div class="row wrap">
              <Toggle
                label="Email when reached"
                checked={form.email_reached}
                onChange={(c) => set({ email_reached: c })}
              />
              <Toggle
                label="Delete when reached"
                checked={form.delete_reached}
                onChange={(c) => set({ delete_reached: c })}
              />
            </div>
          )}
          {Object.keys(v).length === 0 && <ErrorNote error={error} />}
          <div class="row">
            <button class="button primary" disabled={busy}>
              {editing ? 'Save goal' : 'Add goal'}
            </button>
            {editing && (
              <button
                type="button"
                class="button"
                onClick={() => {
                  setEditing(undefined);
                  setForm(emptyGoal);
                }}
              >
                Cancel
              </button>
            )}
          </div>
        </form>
        <RegexTester />
      </Section>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Integration: snippet, identification code, alternative domains, clients

function IdentificationCode(props: { domain: Domain }) {
  const d = props.domain;
  const [busy, error, run] = useAction();
  const [confirming, setConfirming] = useState(false);
  return (
    <Section title="Identification code">
      <p>
        <code data-testid="identification-code">{d.identification_code}</code>
      </p>
      {confirming ? (
        <div class="notice">
          <p>
            A new code stops the old one at once: every page must be updated with the new snippet.
          </p>
          <div class="row">
            <button
              class="button danger"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await put('domain', { id: d.id });
                  invalidateDomains();
                  setConfirming(false);
                })
              }
            >
              Reset the code
            </button>
            <button class="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button class="button" onClick={() => setConfirming(true)}>
          Reset the identification code…
        </button>
      )}
      <ErrorNote error={error} />
    </Section>
  );
}

function Alternatives(props: { domain: Domain }) {
  const d = props.domain;
  const list = useData(`alt-${d.id}`, (signal) =>
    get<Alternative[]>('domain/alternative', { domain_id: d.id }, signal),
  );
  const [hostname, setHostname] = useState('');
  const [busy, error, run] = useAction();
  const v = fieldErrors(error);
  return (
    <Section
      title="Alternative domains"
      intro="Other host names whose page views this dashboard accepts: one dashboard for several sites, or roll-up copies. *.example.com matches every subdomain."
    >
      <ul class="plain-list">
        {list.data?.map((a) => (
          <li key={a.id} class="row between">
            <code>{a.hostname}</code>
            <button
              class="button small danger"
              disabled={busy}
              aria-label={`Delete ${a.hostname}`}
              onClick={() =>
                void run(async () => {
                  await del('domain/alternative', { id: a.id });
                  list.reload();
                })
              }
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      <InlineForm
        onSubmit={() => {
          void run(async () => {
            await post('domain/alternative', { domain_id: d.id, hostname: hostname.trim() });
            setHostname('');
            list.reload();
          });
        }}
      >
        <Field
          label="Hostname"
          placeholder="shop.example.com"
          value={hostname}
          error={v.hostname}
          onInput={(e) => setHostname(e.currentTarget.value)}
        />
        <button class="button" disabled={busy}>
          Add
        </button>
      </InlineForm>
      {Object.keys(v).length === 0 && <ErrorNote error={error} />}
    </Section>
  );
}

const SCOPES = [
  ['scope_hit', 'Send page views', 'w'],
  ['scope_event', 'Send events', 'w'],
  ['scope_session', 'Keep sessions alive', 'w'],
  ['scope_statistics', 'Read statistics', 'r'],
  ['scope_domains', 'Change settings', 'w'],
] as const;

function Clients(props: { domain: Domain }) {
  const d = props.domain;
  const clients = useData(`clients-${d.id}`, (signal) =>
    get<Client[]>('client', { id: d.id }, signal),
  );
  const [type, setType] = useState<'oauth' | 'token'>('token');
  const [description, setDescription] = useState('');
  const [scopes, setScopes] = useState<Record<string, boolean>>({
    scope_hit: true,
    scope_event: true,
    scope_session: true,
  });
  const [created, setCreated] = useState<Client | undefined>();
  const [busy, error, run] = useAction();
  return (
    <Section
      title="Clients and access keys"
      intro="Access keys (pa_…) only send data. OAuth clients exchange their ID and secret for tokens at /api/v1/token."
    >
      <ul class="plain-list">
        {clients.data?.map((c) => (
          <li key={c.id} class="row between wrap" data-testid="client">
            <span>
              <strong>
                {c.description || (c.type === 'token' ? 'Access key' : 'OAuth client')}
              </strong>
              <span class="muted small">
                {' '}
                · {c.type === 'token' ? 'access key' : `client ID ${c.client_id}`} ·{' '}
                {SCOPES.filter(([k]) => c[k])
                  .map(([, label]) => label.toLowerCase())
                  .join(', ') || 'no scopes'}
              </span>
            </span>
            <button
              class="button small danger"
              disabled={busy}
              aria-label={`Delete client ${c.description}`}
              onClick={() =>
                void run(async () => {
                  await del('client', { id: c.id });
                  clients.reload();
                })
              }
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      {created?.client_secret && (
        <div class="notice" role="status">
          <p>
            <strong>Copy it now: it is shown only once.</strong>
          </p>
          {created.type === 'oauth' && (
            <p>
              Client ID <code class="break">{created.client_id}</code>{' '}
              <CopyButton text={created.client_id} />
            </p>
          )}
          <p>
            {created.type === 'token' ? 'Access key' : 'Client secret'}{' '}
            <code class="break" data-testid="client-secret">
              {created.client_secret}
            </code>{' '}
            <CopyButton text={created.client_secret} />
          </p>
          <button class="button small" onClick={() => setCreated(undefined)}>
            Done
          </button>
        </div>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const body: Record<string, string> = { domain_id: d.id, type, description };
            for (const [key, , level] of SCOPES) if (scopes[key]) body[key] = level;
            const client = await post<Client>('client', body);
            setCreated(client);
            setDescription('');
            clients.reload();
          });
        }}
      >
        <div class="row wrap end">
          <label class="field">
            <span>Type</span>
            <select
              value={type}
              onChange={(e) => setType(e.currentTarget.value as 'oauth' | 'token')}
            >
              <option value="token">Access key (send data only)</option>
              <option value="oauth">OAuth client (ID + secret)</option>
            </select>
          </label>
          <Field
            label="Description"
            value={description}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        </div>
        {type === 'oauth' && (
          <fieldset class="scopes">
            <legend>Scopes</legend>
            {SCOPES.map(([key, label]) => (
              <label key={key} class="inline">
                <input
                  type="checkbox"
                  checked={!!scopes[key]}
                  onChange={(e) => setScopes({ ...scopes, [key]: e.currentTarget.checked })}
                />
                {label}
              </label>
            ))}
          </fieldset>
        )}
        <button class="button" disabled={busy}>
          Create {type === 'token' ? 'access key' : 'client'}
        </button>
      </form>
      <ErrorNote error={error} />
    </Section>
  );
}

// ---------------------------------------------------------------------------------------------
// Danger zone

function Danger(props: { domain: Domain }) {
  const d = props.domain;
  const [typed, setTyped] = useState('');
  const [busy, error, run] = useAction();
  if (d.user_role !== 'Owner')
    return (
      <Section title="Delete dashboard">
        <p class="muted">Only the owner can delete this dashboard.</p>
      </Section>
    );
  return (
    <Section title="Delete dashboard">
      <p>
        Deletes <strong>all statistics</strong> of {d.hostname} together with its clients, links,
        members, reports and goals. This cannot be undone.
      </p>
      <InlineForm
        onSubmit={() => {
          if (typed !== d.hostname) return;
          void run(async () => {
            await del('domain', { id: d.id });
            invalidateDomains();
            navigate('/');
          });
        }}
      >
        <Field
          label={`Type ${d.hostname} to confirm`}
          value={typed}
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
        <button class="button danger" disabled={busy || typed !== d.hostname}>
          Delete dashboard
        </button>
      </InlineForm>
      <ErrorNote error={error} />
    </Section>
  );
}

export function Settings(props: { id: string; tab: string }) {
  const { domains, error } = useDomains();
  const domain = domains?.find((d) => d.id === props.id);
  if (error || !domains) return <PendingPage error={error} />;
  if (!domain || domain.user_role === 'Viewer')
    return (
      <main class="page narrow">
        <h1>Settings not available</h1>
        <p>
          Only owners and admins change settings. <a href="/">All dashboards</a>
        </p>
      </main>
    );
  const tab = TABS.some(([id]) => id === props.tab) ? props.tab : 'general';
  return (
    <main class="page settings">
      <div class="row between wrap site-head">
        <h1>
          <a href={`/sites/${domain.id}`}>{domainName(domain)}</a> · Settings
        </h1>
      </div>
      <nav class="settings-tabs" aria-label="Settings sections">
        {TABS.map(([id, label]) => (
          <a
            key={id}
            href={`/sites/${domain.id}/settings/${id}`}
            aria-current={id === tab ? 'page' : undefined}
          >
            {label}
          </a>
        ))}
      </nav>
      <div class="settings-body">
        {tab === 'general' && <General domain={domain} />}
        {tab === 'access' && (
          <>
            <PublicAccess domain={domain} />
            <Members domain={domain} />
            <AccessLinks domain={domain} />
          </>
        )}
        {tab === 'reports' && <Reports domain={domain} />}
        {tab === 'goals' && <Goals domain={domain} />}
        {tab === 'integration' && (
          <>
            <Section title="Snippet">
              <SnippetBox domain={domain} />
            </Section>
            <IdentificationCode domain={domain} />
            <Alternatives domain={domain} />
            <Clients domain={domain} />
          </>
        )}
        {tab === 'danger' && <Danger domain={domain} />}
      </div>
    </main>
  );
}
