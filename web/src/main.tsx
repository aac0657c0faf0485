/** The dashboard app: session bootstrap, shell and routes. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './styles.css';
import { Header } from './components/Header.tsx';
import { Skeleton } from './components/ui.tsx';
import { match, navigate, useLocation } from './router.ts';
import { loadSession, useSession } from './session.ts';
import { applyMode } from './theme.ts';
import { Account } from './pages/Account.tsx';
import { AddSite } from './pages/AddSite.tsx';
import { Login, Setup } from './pages/Auth.tsx';
import { InvitationPage } from './pages/Invitation.tsx';
import { Overview } from './pages/Overview.tsx';
import { PrivateSite, SharedSite } from './pages/Site.tsx';
import { Settings } from './pages/Settings.tsx';

function NotFound() {
  return (
    <main class="page narrow">
      <h1>Page not found</h1>
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </main>
  );
}

/** Go elsewhere after rendering (never navigate during a render). */
function Redirect(props: { to: string }) {
  useEffect(() => navigate(props.to, true), [props.to]);
  return null;
}

/** Routes that need a signed-in user. */
function Private(props: { path: string; query: URLSearchParams }) {
  const { path } = props;
  let params: Record<string, string> | undefined;
  if (path === '/') return <Overview />;
  if (path === '/sites/new') return <AddSite />;
  if (path === '/account') return <Account />;
  if ((params = match('/invitation/:token', path))) return <InvitationPage token={params.token!} />;
  if ((params = match('/sites/:id/settings/:tab?', path)))
    return <Settings id={params.id!} tab={params.tab ?? 'general'} />;
  if ((params = match('/sites/:id', path))) return <PrivateSite id={params.id!} />;
  return <NotFound />;
}

function App() {
  const session = useSession();
  const { path, query } = useLocation();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void loadSession().then(() => setReady(true));
  }, []);
  useEffect(() => applyMode(), [query.get('mode')]);

  const share = match('/share/:subdomain', path);
  const access = path === '/' ? query.get('access') : null;
  const hideUi = query.get('ui') === 'hide';
  useEffect(() => {
    document.documentElement.classList.toggle('embedded', hideUi);
  }, [hideUi]);

  // Public views never wait for (or need) a session.
  if (share) return <SharedSite subdomain={share.subdomain!} />;
  if (access) return <SharedSite access={access} />;

  if (!ready || session.loading)
    return (
      <main class="page">
        <Skeleton />
      </main>
    );
  if (session.needsSetup) return path === '/setup' ? <Setup /> : <Redirect to="/setup" />;
  if (!session.user) {
    if (path === '/login') return <Login />;
    const back =
      path === '/' || path === '/setup'
        ? ''
        : `?next=${encodeURIComponent(path + location.search)}`;
    return <Redirect to={`/login${back}`} />;
  }
  if (path === '/login' || path === '/setup') {
    const next = query.get('next');
    return <Redirect to={next && next.startsWith('/') && !next.startsWith('//') ? next : '/'} />;
  }
  return (
    <>
      {!hideUi && <Header />}
      <Private path={path} query={query} />
    </>
  );
}

render(<App />, document.getElementById('app')!);
