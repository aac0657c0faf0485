/** Who is signed in: loaded once at start, changed by sign-in, sign-out and 401 answers. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post, setCsrf } from './api.ts';
import type { Session, User } from './types.ts';

export interface SessionState {
  /** Still asking the server. */
  loading: boolean;
  /** No user exists yet: offer the first-run setup. */
  needsSetup: boolean;
  user: User | null;
}

let state: SessionState = { loading: true, needsSetup: false, user: null };
const listeners = new Set<() => void>();
// A hint (not a credential: the cookie is HttpOnly) so a signed-out visitor is not sent to the
// server just to learn that they are signed out.
const HINT = 'spoor.signed-in';

function update(next: Partial<SessionState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

function hint(on: boolean): void {
  try {
    if (on) localStorage.setItem(HINT, '1');
    else localStorage.removeItem(HINT);
  } catch {
    // Storage may be unavailable (private mode, embedded); the hint is only an optimisation.
  }
}

function hasHint(): boolean {
  try {
    return localStorage.getItem(HINT) === '1';
  } catch {
    return true;
  }
}

function signedIn(session: Session): void {
  setCsrf(session.csrf_token);
  hint(true);
  update({ loading: false, needsSetup: false, user: session.user });
}

/** Ask the server whether setup is needed and who is signed in. */
export async function loadSession(): Promise<void> {
  try {
    const setup = await get<{ needs_setup: boolean }>('dashboard/setup');
    if (setup.needs_setup) {
      hint(false);
      update({ loading: false, needsSetup: true, user: null });
      return;
    }
    if (!hasHint()) {
      update({ loading: false, needsSetup: false, user: null });
      return;
    }
    signedIn(await get<Session>('dashboard/me'));
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) console.warn(error);
    hint(false);
    update({ loading: false, user: null });
  }
}

export async function login(email: string, password: string): Promise<void> {
  signedIn(await post<Session>('dashboard/login', { email, password }));
}

export async function setup(email: string, password: string, fullName: string): Promise<void> {
  signedIn(
    await post<Session>('dashboard/setup', { email, password, full_name: fullName || undefined }),
  );
}

export async function logout(): Promise<void> {
  try {
    await post('dashboard/logout');
  } finally {
    setCsrf('');
    hint(false);
    update({ user: null });
  }
}

/** Forget the user after the server said 401 (expired session). */
export function sessionExpired(): void {
  setCsrf('');
  hint(false);
  update({ user: null });
}

/** The session state; re-renders when it changes. */
export function useSession(): SessionState {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return state;
}
