/**
 * Where live sessions are kept between requests. In-process now (Redis for several nodes later,
 * behind the same interface). A miss is answered from the event store when the cache cannot
 * vouch for it (after a restart, or after evicting a session that was still alive), so a restart
 * does not split sessions.
 */
import { LRUCache } from 'lru-cache';
import type { EventStore } from '../store/clickhouse/event-store.ts';
import type { SessionRow } from '../store/clickhouse/rows.ts';
import { toDateTime64 } from '../store/clickhouse/sql.ts';
import { SESSION_TIMEOUT_MS, type LiveSession } from './session.ts';

export interface SessionCache {
  /** The live session of a visitor key, if the cache holds it. */
  get(key: string): Promise<LiveSession | undefined>;
  /** Remember the session's new state. */
  set(key: string, session: LiveSession): Promise<void>;
  /**
   * True when the cache holds every session alive at `timeMs` that this installation wrote, so a
   * miss means "no session" without asking the event store.
   */
  complete(timeMs: number): boolean;
  /** Forget everything (after a failed write: cached states may never have been stored). */
  clear(): Promise<void>;
}

/** Key of one visitor on one domain. */
export const visitorKey = (domainId: string, visitorId: string): string =>
  `${domainId}:${visitorId}`;

/** A bounded in-process cache; the least recently used session goes first. */
export class MemorySessionCache implements SessionCache {
  private readonly entries: LRUCache<string, LiveSession>;
  /** Sessions alive at or after this time may be missing (process start, evictions, clears). */
  private incompleteUntil: number;

  constructor(
    capacity = 200_000,
    private readonly now: () => number = Date.now,
  ) {
    // Sessions written by an earlier process are not here until they are looked up.
    this.incompleteUntil = now();
    this.entries = new LRUCache({
      max: capacity,
      dispose: (oldest, _key, reason) => {
        // An evicted session may still be continued: misses up to its expiry must ask the store.
        if (reason === 'evict') {
          this.incompleteUntil = Math.max(this.incompleteUntil, oldest.timeMs + SESSION_TIMEOUT_MS);
        }
      },
    });
  }

  async get(key: string): Promise<LiveSession | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, session: LiveSession): Promise<void> {
    this.entries.set(key, session);
  }

  complete(timeMs: number): boolean {
    return timeMs - SESSION_TIMEOUT_MS > this.incompleteUntil;
  }

  async clear(): Promise<void> {
    this.entries.clear();
    this.incompleteUntil = Math.max(this.incompleteUntil, this.now());
  }

  /**
   * Declare that the cache now holds every session alive at `atMs` (after a preload), so later
   * misses need not ask the event store. Evictions and clears still count.
   */
  markComplete(atMs: number): void {
    this.incompleteUntil = Math.min(this.incompleteUntil, atMs - SESSION_TIMEOUT_MS);
  }

  /** Number of sessions held (for metrics and tests). */
  get size(): number {
    return this.entries.size;
  }
}

/** Parse `'YYYY-MM-DD HH:MM:SS.mmm'` (UTC) into epoch milliseconds. */
function parseDateTime64(text: string): number {
  return Date.parse(text.replace(' ', 'T') + 'Z');
}

/**
 * The visitor's latest session state in the event store whose latest request lies within the
 * timeout of `timeMs`, with the time of its last page view; undefined if there is none.
 */
export async function loadLiveSession(
  store: EventStore,
  domainId: string,
  visitorId: string,
  timeMs: number,
): Promise<LiveSession | undefined> {
  const db = store.database;
  const window = {
    domain: domainId,
    visitor: BigInt(visitorId),
    from: toDateTime64(new Date(timeMs - SESSION_TIMEOUT_MS)),
    to: toDateTime64(new Date(timeMs + SESSION_TIMEOUT_MS)),
    // Sessions last at most 24 h, so their start bounds the scan to the key's leading columns.
    startFrom: toDateTime64(new Date(timeMs - 25 * 3_600_000)),
  };
  // The newest +1 state of the newest session, among states not cancelled yet. Cancelled states
  // have a −1 twin with the same version; the latest state has none.
  const rows = await store.query<SessionRow>(
    `SELECT * FROM ${db}.session
     WHERE domain_id = {domain:String} AND visitor_id = {visitor:UInt64}
       AND start >= {startFrom:DateTime64(3, 'UTC')}
       AND time > {from:DateTime64(3, 'UTC')} AND time < {to:DateTime64(3, 'UTC')}
       AND (session_id, version) NOT IN (
         SELECT session_id, version FROM ${db}.session
         WHERE domain_id = {domain:String} AND visitor_id = {visitor:UInt64}
           AND start >= {startFrom:DateTime64(3, 'UTC')} AND sign = -1)
       AND sign = 1
     ORDER BY time DESC, version DESC
     LIMIT 1`,
    window,
  );
  const state = rows[0];
  if (state === undefined) return undefined;
  const [lastPageView] = await store.query<{ last: string }>(
    `SELECT toString(max(time)) AS last FROM ${db}.page_view
     WHERE domain_id = {domain:String} AND visitor_id = {visitor:UInt64}
       AND session_id = {session:UInt32} AND toDate(time) >= toDate({startFrom:DateTime64(3, 'UTC')})`,
    {
      domain: domainId,
      visitor: BigInt(visitorId),
      session: state.session_id,
      startFrom: window.startFrom,
    },
  );
  const timeMsOfState = parseDateTime64(state.time);
  const lastMs = lastPageView ? parseDateTime64(lastPageView.last) : NaN;
  return {
    state: { ...state, sign: 1 },
    timeMs: timeMsOfState,
    startMs: parseDateTime64(state.start),
    lastPageViewMs: Number.isFinite(lastMs) && lastMs > 0 ? lastMs : timeMsOfState,
  };
}

/**
 * Load every session still alive at `nowMs` from the event store into the cache, so a restarted
 * process continues sessions without asking the store once per new visitor for half an hour.
 * Returns the number of sessions loaded.
 */
export async function preloadLiveSessions(
  store: EventStore,
  cache: MemorySessionCache,
  nowMs: number,
): Promise<number> {
  const db = store.database;
  const window = {
    alive: toDateTime64(new Date(nowMs - SESSION_TIMEOUT_MS)),
    // Sessions last at most 24 h: their start bounds the scan to the key's leading columns.
    startFrom: toDateTime64(new Date(nowMs - 25 * 3_600_000)),
  };
  const rows = await store.query<SessionRow & { last_page_view: string }>(
    `SELECT s.*, toString(pv.last) AS last_page_view
     FROM (
       SELECT * FROM ${db}.session
       WHERE start >= {startFrom:DateTime64(3, 'UTC')} AND time > {alive:DateTime64(3, 'UTC')} AND sign = 1
         AND (domain_id, visitor_id, session_id, version) NOT IN (
           SELECT domain_id, visitor_id, session_id, version FROM ${db}.session
           WHERE start >= {startFrom:DateTime64(3, 'UTC')} AND sign = -1)
     ) AS s
     LEFT JOIN (
       SELECT domain_id, visitor_id, session_id, max(time) AS last FROM ${db}.page_view
       WHERE time >= {startFrom:DateTime64(3, 'UTC')}
       GROUP BY domain_id, visitor_id, session_id
     ) AS pv ON pv.domain_id = s.domain_id AND pv.visitor_id = s.visitor_id AND pv.session_id = s.session_id
     ORDER BY s.time`,
    window,
  );
  for (const { last_page_view, ...state } of rows) {
    const timeMs = parseDateTime64(state.time);
    const lastMs = parseDateTime64(last_page_view);
    // Ordered by time, so a visitor's newest session is set last and wins.
    await cache.set(visitorKey(state.domain_id, state.visitor_id), {
      state: { ...state, sign: 1 },
      timeMs,
      startMs: parseDateTime64(state.start),
      lastPageViewMs: Number.isFinite(lastMs) && lastMs > 0 ? lastMs : timeMs,
    });
  }
  cache.markComplete(nowMs);
  return rows.length;
}
