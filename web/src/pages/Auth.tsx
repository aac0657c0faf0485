/** First-run setup and sign-in. */
import { useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { Logo, ModeButton } from '../components/Header.tsx';
import { ErrorNote, Field, useAction } from '../components/ui.tsx';
import { login, setup } from '../session.ts';

function AuthFrame(props: { title: string; children: preact.ComponentChildren }) {
  return (
    <main class="auth">
      <div class="auth-top">
        <Logo />
        <ModeButton />
      </div>
      <div class="card auth-card">
        <h1>{props.title}</h1>
        {props.children}
      </div>
    </main>
  );
}

export function Setup() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, error, run] = useAction();
  const validation = error instanceof ApiError ? error.validation : {};
  return (
    <AuthFrame title="Welcome to Spoor">
      <p class="muted">Create the admin account of this installation.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => setup(email, password, name));
        }}
      >
        <Field
          label="Your name"
          value={name}
          autocomplete="name"
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <Field
          label="Email"
          type="email"
          required
          autocomplete="username"
          value={email}
          error={validation.email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <Field
          label="Password"
          type="password"
          required
          minLength={8}
          autocomplete="new-password"
          value={password}
          error={validation.password}
          hint="At least 8 characters; a long passphrase is best."
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {Object.keys(validation).length === 0 && <ErrorNote error={error} />}
        <button class="button primary wide" disabled={busy}>
          Create the admin account
        </button>
      </form>
    </AuthFrame>
  );
}

export function Login() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, error, run] = useAction();
  const message =
    error instanceof ApiError && error.status === 401 ? 'Wrong email or password.' : undefined;
  return (
    <AuthFrame title="Sign in">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => login(email, password));
        }}
      >
        <Field
          label="Email"
          type="email"
          required
          autocomplete="username"
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <Field
          label="Password"
          type="password"
          required
          autocomplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {message ? (
          <p class="error-note" role="alert">
            {message}
          </p>
        ) : (
          <ErrorNote error={error} />
        )}
        <button class="button primary wide" disabled={busy}>
          Sign in
        </button>
      </form>
    </AuthFrame>
  );
}
