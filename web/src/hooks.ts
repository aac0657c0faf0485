/** Data loading with cancellation, polling and keyboard shortcuts. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, isAbort } from './api.ts';
import { sessionExpired } from './session.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Load data whenever `key` changes; the previous request is aborted. `intervalMs` polls while
 * the tab is visible.
 */
export function useData<T>(
  key: string | null,
  loader: (signal: AbortSignal) => Promise<T>,
  intervalMs = 0,
): Loaded<T> {
  // Each result remembers its key: after the key changes, the old data is not shown as new.
  const [state, setState] = useState<{
    key: string | null;
    data: T | undefined;
    error: unknown;
    loading: boolean;
  }>({ key: null, data: undefined, error: undefined, loading: key !== null });
  const [tick, setTick] = useState(0);
  const loaderRef = useRef(loader);
  loaderRef.current = loader;
  const lastKey = useRef<string | null>(null);

  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    const fresh = lastKey.current !== key;
    lastKey.current = key;
    setState((s) => ({ key, data: fresh ? undefined : s.data, error: undefined, loading: true }));
    loaderRef
      .current(controller.signal)
      .then((data) => {
        if (!controller.signal.aborted) setState({ key, data, error: undefined, loading: false });
      })
      .catch((error: unknown) => {
        if (isAbort(error) || controller.signal.aborted) return;
        if (
          error instanceof ApiError &&
          error.status === 401 &&
          !location.search.includes('access=')
        )
          sessionExpired();
        setState({ key, data: undefined, error, loading: false });
      });
    return () => controller.abort();
  }, [key, tick]);

  useEffect(() => {
    if (!intervalMs || key === null) return;
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') setTick((n) => n + 1);
    }, intervalMs);
    return () => clearInterval(id);
  }, [intervalMs, key]);

  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: !current || state.loading,
    reload: () => setTick((n) => n + 1),
  };
}

/** Call `handler` for key presses outside text fields. */
export function useShortcuts(handler: (event: KeyboardEvent) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (target?.closest('input, textarea, select, [contenteditable="true"], [role="dialog"]'))
        return;
      ref.current(event);
    };
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);
}
