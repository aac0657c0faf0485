/**
 * Group commit: rows of many requests are written together — one INSERT per table per flush —
 * and each request is answered only after the flush holding its rows has been stored. A flush
 * starts as soon as the previous one is done, but at most every `flushIntervalMs` (so a quiet
 * site does not create a part per hit), or at once when `maxRows` are pending. Under load the
 * rows that arrive during one flush form the next, so batches grow with the load.
 */
import { UnavailableError } from '../errors.ts';
import type { EventStore, InsertRow } from '../store/clickhouse/event-store.ts';
import {
  EventTable,
  type EventRow,
  type PageViewRow,
  type SessionRow,
} from '../store/clickhouse/rows.ts';

/** The rows of one or more requests. */
export interface RowSet {
  sessions: SessionRow[];
  pageViews: PageViewRow[];
  events: EventRow[];
}

export interface WriterOptions {
  flushIntervalMs: number;
  maxRows: number;
  /** Called after every INSERT (metrics). */
  onInsert?: (table: string, rows: number) => void;
  /** Called when a flush failed, before its waiters are told (e.g. to drop cached sessions). */
  onFailure?: (error: unknown) => void | Promise<void>;
}

interface Pending {
  /** The writer's generation when this batch began collecting rows. */
  generation: number;
  rows: RowSet;
  count: number;
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

const emptyPending = (generation: number): Pending => ({
  generation,
  rows: { sessions: [], pageViews: [], events: [] },
  count: 0,
  waiters: [],
});

/** Batches rows for the event store; see the module comment. */
export class GroupCommitWriter {
  private pending = emptyPending(0);
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private inFlight = false;
  private lastStart = 0;
  /** Increases with every failed flush; rows computed before a failure must not be written. */
  private generationCounter = 0;
  private closed = false;

  constructor(
    private readonly store: EventStore,
    private readonly options: WriterOptions,
  ) {}

  /** The current generation; pass it back to `write` with rows derived from cached state. */
  get generation(): number {
    return this.generationCounter;
  }

  /**
   * Queue rows and resolve once they are stored. Rejects with 503 if the store fails, or if a
   * flush failed since `generation` was read (the rows may build on states that were never
   * stored, and writing them would corrupt the collapsing session table).
   */
  write(rows: RowSet, generation: number): Promise<void> {
    if (this.closed) return Promise.reject(new UnavailableError('the server is shutting down'));
    if (generation !== this.generationCounter) {
      return Promise.reject(new UnavailableError('the event store failed; retry the request'));
    }
    const count = rows.sessions.length + rows.pageViews.length + rows.events.length;
    if (count === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const p = this.pending;
      p.rows.sessions.push(...rows.sessions);
      p.rows.pageViews.push(...rows.pageViews);
      p.rows.events.push(...rows.events);
      p.count += count;
      p.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Write everything pending now and wait for it (shutdown, tests). */
  async flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.startFlush();
  }

  /** Flush what is pending and refuse new rows. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  /** Start the next flush when the running one is done and the minimum gap has passed. */
  private schedule(): void {
    if (this.inFlight || this.pending.count === 0) return;
    const full = this.pending.count >= this.options.maxRows;
    // A zero delay still lets the rows of the same event-loop turn join this flush.
    const delay = full
      ? 0
      : Math.max(0, this.lastStart + this.options.flushIntervalMs - Date.now());
    if (this.timer !== undefined) {
      if (!full) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.startFlush();
    }, delay);
  }

  // Flushes run one after another so a later batch never overtakes an earlier one: a session's
  // cancel row must not be stored before the state it cancels.
  private startFlush(): Promise<void> {
    const batch = this.pending;
    this.pending = emptyPending(this.generationCounter);
    this.inFlight = true;
    this.lastStart = Date.now();
    this.flushing = this.flushing
      .then(() => this.writeBatch(batch))
      .finally(() => {
        this.inFlight = false;
        this.schedule();
      });
    return this.flushing;
  }

  private async writeBatch(batch: Pending): Promise<void> {
    if (batch.count === 0) return;
    try {
      // A batch formed before a failed flush may build on that flush's session states.
      if (batch.generation !== this.generationCounter) throw new Error('an earlier flush failed');
      // ClickHouse has no transaction across tables: if a later INSERT fails, the earlier ones
      // stay and a retried request may record its page view twice. Sessions go last so that
      // their states never reference page views that were not stored.
      await this.insert(EventTable.pageView, batch.rows.pageViews);
      await this.insert(EventTable.event, batch.rows.events);
      await this.insert(EventTable.session, batch.rows.sessions);
      for (const waiter of batch.waiters) waiter.resolve();
    } catch (error) {
      if (batch.generation === this.generationCounter) this.generationCounter += 1;
      // Rows queued meanwhile may build on this batch's states: fail them too.
      const queued = this.pending;
      this.pending = emptyPending(this.generationCounter);
      await this.options.onFailure?.(error);
      const failure = new UnavailableError('the event store is unavailable; retry the request');
      for (const waiter of [...batch.waiters, ...queued.waiters]) waiter.reject(failure);
    }
  }

  private async insert(table: string, rows: readonly InsertRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.store.insert(table, rows);
    this.options.onInsert?.(table, rows.length);
  }
}
