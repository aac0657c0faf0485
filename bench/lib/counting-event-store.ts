/**
 * An event store that counts and times the calls the app makes on it, so a benchmark can tell
 * how many INSERTs (and of what size) and how many look-up queries a run caused.
 */
import type { EventStore, InsertRow, QueryParams } from '../../src/store/clickhouse/event-store.ts';

/** Totals since the store was wrapped; subtract two snapshots for one run. */
export interface StoreCounters {
  inserts: number;
  insertedRows: number;
  insertMs: number;
  queries: number;
  queryMs: number;
}

/** Wraps an event store and counts its traffic (see the module comment). */
export class CountingEventStore implements EventStore {
  private readonly counters: StoreCounters = {
    inserts: 0,
    insertedRows: 0,
    insertMs: 0,
    queries: 0,
    queryMs: 0,
  };

  constructor(readonly inner: EventStore) {}

  get database(): string {
    return this.inner.database;
  }

  async insert(table: string, rows: readonly InsertRow[]): Promise<void> {
    const started = performance.now();
    try {
      await this.inner.insert(table, rows);
    } finally {
      this.counters.inserts += 1;
      this.counters.insertedRows += rows.length;
      this.counters.insertMs += performance.now() - started;
    }
  }

  async query<T>(sql: string, params?: QueryParams): Promise<T[]> {
    const started = performance.now();
    try {
      return await this.inner.query<T>(sql, params);
    } finally {
      this.counters.queries += 1;
      this.counters.queryMs += performance.now() - started;
    }
  }

  command(sql: string, params?: QueryParams): Promise<void> {
    return this.inner.command(sql, params);
  }

  /** The app does not own the wrapped store: the benchmark closes it itself. */
  async close(): Promise<void> {}

  /** A copy of the totals so far. */
  snapshot(): StoreCounters {
    return { ...this.counters };
  }
}

/** `after − before`, field by field. */
export function counterDelta(before: StoreCounters, after: StoreCounters): StoreCounters {
  return {
    inserts: after.inserts - before.inserts,
    insertedRows: after.insertedRows - before.insertedRows,
    insertMs: after.insertMs - before.insertMs,
    queries: after.queries - before.queries,
    queryMs: after.queryMs - before.queryMs,
  };
}
