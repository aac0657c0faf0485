/** The domain list of the signed-in user, shared by the header, overview and pages. */
import { useEffect, useState } from 'preact/hooks';
import { get } from './api.ts';
import type { Domain } from './types.ts';

let cached: Promise<Domain[]> | undefined;
const listeners = new Set<() => void>();

/** Fetch the list (once, until invalidated). */
export function loadDomains(): Promise<Domain[]> {
  cached ??= get<Domain[]>('domain').catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/** Forget the list after a change (create, delete, rename). */
export function invalidateDomains(): void {
  cached = undefined;
  for (const listener of listeners) listener();
}

/** The domains, or undefined while loading. */
export function useDomains(): { domains: Domain[] | undefined; error: unknown } {
  const [state, setState] = useState<{ domains: Domain[] | undefined; error: unknown }>({
    domains: undefined,
    error: undefined,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  useEffect(() => {
    let live = true;
    loadDomains().then(
      (domains) => live && setState({ domains, error: undefined }),
      (error: unknown) => live && setState({ domains: undefined, error }),
    );
    return () => {
      live = false;
    };
  }, [tick]);
  return state;
}

/** The name to show for a domain. */
export const domainName = (d: Domain): string => d.display_name || d.hostname;
