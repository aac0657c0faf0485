/** A tiny history router: the location as state, `navigate()`, and same-origin link clicks. */
import { useEffect, useState } from 'preact/hooks';

type Listener = () => void;
const listeners = new Set<Listener>();

function notify(): void {
  for (const listener of listeners) listener();
}

/** Go to a URL of the app (path + query); `replace` keeps the history entry. */
export function navigate(url: string, replace = false): void {
  if (url === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  notify();
  if (!replace) window.scrollTo(0, 0);
}

/** Replace only the query string of the current path (for view state such as filters). */
export function setQuery(params: URLSearchParams, replace = false): void {
  const text = params.toString();
  navigate(location.pathname + (text ? `?${text}` : ''), replace);
}

window.addEventListener('popstate', notify);

// Plain links inside the app navigate without reloading.
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
  const href = anchor.getAttribute('href');
  if (!href || !href.startsWith('/') || href.startsWith('/api/') || href.startsWith('//')) return;
  if (anchor.dataset.native !== undefined) return;
  event.preventDefault();
  navigate(href);
});

/** The current location; re-renders on every navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

/** Match `/sites/:id/settings/:tab?`-style patterns; returns the parameters or undefined. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < Math.max(want.length, have.length); i++) {
    const w = want[i];
    const h = have[i];
    if (w === undefined) return undefined;
    const optional = w.endsWith('?');
    if (w.startsWith(':')) {
      if (h === undefined) {
        if (optional) continue;
        return undefined;
      }
      params[w.slice(1).replace(/\?$/, '')] = decodeURIComponent(h);
    } else if (w !== h) return undefined;
  }
  return params;
}
