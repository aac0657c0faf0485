/**
 * What the end-to-end tests read back: page views, events and sessions of one dashboard, in a
 * shape that does not depend on where they come from. Today it reads the event store directly;
 * once the statistics API exists, only this file needs to change.
 */
import type { EventStore } from '../../src/store/clickhouse/event-store.ts';
import { collapsedSessions } from '../helpers/ingest.ts';

export interface RecordedPageView {
  path: string;
  title: string;
  hostname: string;
  tags: Record<string, string>;
}

export interface RecordedEvent {
  name: string;
  path: string;
  meta: Record<string, string>;
  durationSeconds: number;
  nonInteractive: boolean;
}

export interface Recorded {
  pageViews: RecordedPageView[];
  events: RecordedEvent[];
  /** Visits: one entry per session with its page-view count. */
  sessions: { pageViews: number; bounced: boolean; entryPath: string }[];
}

/** Everything recorded for a dashboard, page views and events in time order. */
export async function recorded(store: EventStore, domainId: string): Promise<Recorded> {
  const pageViews = await store.query<RecordedPageView>(
    `SELECT path, title, hostname, tags FROM ${store.database}.page_view
     WHERE domain_id = {domain:String} ORDER BY time`,
    { domain: domainId },
  );
  const events = await store.query<{
    name: string;
    path: string;
    meta_keys: string[];
    meta_values: string[];
    duration_seconds: number;
    non_interactive: number;
  }>(
    `SELECT name, path, meta_keys, meta_values, duration_seconds, non_interactive
     FROM ${store.database}.event WHERE domain_id = {domain:String} ORDER BY time`,
    { domain: domainId },
  );
  const sessions = await collapsedSessions(store, domainId);
  return {
    pageViews,
    events: events.map((event) => ({
      name: event.name,
      path: event.path,
      meta: Object.fromEntries(event.meta_keys.map((key, i) => [key, event.meta_values[i]!])),
      durationSeconds: event.duration_seconds,
      nonInteractive: event.non_interactive === 1,
    })),
    sessions: sessions.map((session) => ({
      pageViews: session.page_views,
      bounced: session.is_bounce > 0,
      entryPath: session.entry_path,
    })),
  };
}

/**
 * Poll `read` until `done` accepts its value (deterministic waiting for asynchronous delivery,
 * never a fixed sleep); fails with the last value after `timeoutMs`.
 */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
