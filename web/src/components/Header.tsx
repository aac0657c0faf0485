/** The top bar: logo, dashboard switcher, add, colour mode and the user menu. */
import { useState } from 'preact/hooks';
import { domainName, useDomains } from '../domains.ts';
import { navigate, useLocation } from '../router.ts';
import { logout, useSession } from '../session.ts';
import { saveMode, savedMode, type Mode } from '../theme.ts';

const NEXT: Record<Mode, Mode> = { system: 'dark', dark: 'light', light: 'system' };
const ICON: Record<Mode, string> = { system: '◐', dark: '☾', light: '☀' };

/** Switches system → dark → light. */
export function ModeButton() {
  const [mode, setMode] = useState<Mode>(savedMode());
  return (
    <button
      class="icon-button"
      aria-label={`Colour mode: ${mode} (switch to ${NEXT[mode]})`}
      title={`Colour mode: ${mode}`}
      onClick={() => {
        saveMode(NEXT[mode]);
        setMode(NEXT[mode]);
      }}
    >
      {ICON[mode]}
    </button>
  );
}

export function Logo(props: { href?: string }) {
  const body = (
    <>
      <img src="/favicon.svg" alt="" width={24} height={24} />
      <span>Spoor</span>
    </>
  );
  return props.href ? (
    <a class="logo" href={props.href} aria-label="Spoor: all dashboards">
      {body}
    </a>
  ) : (
    <span class="logo">{body}</span>
  );
}

export function Header() {
  const session = useSession();
  const { domains } = useDomains();
  const { path } = useLocation();
  const found = /^\/sites\/([^/]+)/.exec(path)?.[1];
  const currentId = found && found !== 'new' ? decodeURIComponent(found) : undefined;
  const [open, setOpen] = useState(false);
  return (
    <header class="topbar">
      <Logo href="/" />
      {domains && domains.length > 0 && (
        <select
          class="switcher"
          aria-label="Switch dashboard"
          value={currentId ?? ''}
          onChange={(e) => {
            const id = (e.target as HTMLSelectElement).value;
            navigate(id ? `/sites/${id}` : '/');
          }}
        >
          <option value="">All dashboards</option>
          {domains.map((d) => (
            <option key={d.id} value={d.id}>
              {domainName(d)}
            </option>
          ))}
        </select>
      )}
      <span class="spacer" />
      <a class="button small primary" href="/sites/new">
        + Add site
      </a>
      <ModeButton />
      <div class="menu">
        <button
          class="icon-button avatar-button"
          aria-haspopup="true"
          aria-expanded={open}
          aria-label={`Account menu for ${session.user?.email ?? ''}`}
          onClick={() => setOpen(!open)}
        >
          {(session.user?.full_name || session.user?.email || '?')[0]!.toUpperCase()}
        </button>
        {open && (
          <div
            class="menu-list"
            role="menu"
            onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
          >
            <div class="menu-label">{session.user?.email}</div>
            <a role="menuitem" href="/account" onClick={() => setOpen(false)}>
              Account
            </a>
            <button
              role="menuitem"
              onClick={async () => {
                setOpen(false);
                await logout();
                navigate('/login');
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </div>
    </header>
  );
}
