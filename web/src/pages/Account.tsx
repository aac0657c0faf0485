/** Account settings: who is signed in, password change, sign out. */
import { useState } from 'preact/hooks';
import { ApiError, put } from '../api.ts';
import { ErrorNote, Field, Toggle, useAction } from '../components/ui.tsx';
import { navigate } from '../router.ts';
import { logout, useSession } from '../session.ts';
import { flagOn, saveMode, savedMode, setFlag, type Mode } from '../theme.ts';

export function Account() {
  const { user } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const [busy, error, run] = useAction();
  const validation = error instanceof ApiError ? error.validation : {};
  const [mode, setMode] = useState<Mode>(savedMode());
  const [colorblind, setColorblind] = useState(flagOn('colorblind'));
  const [wide, setWide] = useState(flagOn('wide'));
  const wrongCurrent = error instanceof ApiError && error.status === 403;
  return (
    <main class="page narrow">
      <h1>Account</h1>
      <section class="card">
        <h2>Signed in as</h2>
        <p>
          {user?.full_name && <strong>{user.full_name} · </strong>}
          {user?.email}
        </p>
        <button
          class="button"
          onClick={async () => {
            await logout();
            navigate('/login');
          }}
        >
          Sign out
        </button>
      </section>
      <section class="card">
        <h2>Appearance</h2>
        <p class="muted small">Kept in this browser.</p>
        <label class="field">
          <span>Colour mode</span>
          <select
            value={mode}
            onChange={(e) => {
              const next = e.currentTarget.value as Mode;
              saveMode(next);
              setMode(next);
            }}
          >
            <option value="system">Follow the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <Toggle
          label="Colour-blind palette"
          hint="Growth shows in blue and orange instead of green and red."
          checked={colorblind}
          onChange={(on) => {
            setFlag('colorblind', on);
            setColorblind(on);
          }}
        />
        <Toggle
          label="Full width"
          hint="Dashboards use the whole width of the window."
          checked={wide}
          onChange={(on) => {
            setFlag('wide', on);
            setWide(on);
          }}
        />
      </section>
      <section class="card">
        <h2>Change password</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setDone(false);
            if (next !== repeat) return;
            void run(async () => {
              await put('dashboard/password', { current_password: current, new_password: next });
              setCurrent('');
              setNext('');
              setRepeat('');
              setDone(true);
            });
          }}
        >
          <Field
            label="Current password"
            type="password"
            required
            autocomplete="current-password"
            value={current}
            error={
              wrongCurrent ? 'The current password is not right.' : validation.current_password
            }
            onInput={(e) => setCurrent(e.currentTarget.value)}
          />
          <Field
            label="New password"
            type="password"
            required
            minLength={8}
            autocomplete="new-password"
            value={next}
            error={validation.new_password}
            onInput={(e) => setNext(e.currentTarget.value)}
          />
          <Field
            label="Repeat the new password"
            type="password"
            required
            autocomplete="new-password"
            value={repeat}
            error={repeat && next !== repeat ? 'The two passwords differ.' : undefined}
            onInput={(e) => setRepeat(e.currentTarget.value)}
          />
          {!wrongCurrent && Object.keys(validation).length === 0 && <ErrorNote error={error} />}
          {done && (
            <p class="ok-note" role="status">
              Password changed.
            </p>
          )}
          <button class="button primary" disabled={busy}>
            Change password
          </button>
        </form>
      </section>
    </main>
  );
}
