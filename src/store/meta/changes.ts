/**
 * An in-process feed of metadata changes that caches (e.g. the ingestion domain directory)
 * subscribe to. Services announce a change right after writing it.
 */
type Listener = (domainId: string | undefined) => void;

const listeners = new Set<Listener>();

/** Subscribe to changes; returns the unsubscribe function. */
export function onMetaChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Announce that a domain (or, without an id, anything) changed. */
export function metaChanged(domainId?: string): void {
  for (const listener of listeners) listener(domainId);
}
