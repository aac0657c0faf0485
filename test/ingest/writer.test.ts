import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/errors.ts';
import { GroupCommitWriter, type RowSet } from '../../src/ingest/writer.ts';
import { openChdbEventStore, type ChdbEventStore } from '../../src/store/clickhouse/chdb-store.ts';
import { migrateEventStore } from '../../src/store/clickhouse/migrations.ts';
import { newSessionRow } from '../../src/store/clickhouse/rows.ts';
import { firstState, pageView, tempDataDir } from '../store/clickhouse/helpers.ts';

// The group-commit writer against the real embedded engine.
const dir = tempDataDir();
let store: ChdbEventStore;
let sessionCounter = 0;

beforeAll(async () => {
  store = await openChdbEventStore({ dataDir: dir.dir, database: 'writer_test' });
  await migrateEventStore(store);
});
afterAll(async () => {
  await store.close();
  dir.remove();
});
beforeEach(async () => {
  for (const table of ['session', 'page_view', 'event']) {
    await store.command(`TRUNCATE TABLE IF EXISTS ${store.database}.${table}`);
  }
});

function rowsOfOneHit(): RowSet {
  sessionCounter += 1;
  const state = firstState(
    'Dom1234567',
    String(1000 + sessionCounter),
    sessionCounter,
    '2026-11-30 10:00:00.000',
  );
  return {
    sessions: [newSessionRow(state)],
    pageViews: [pageView(state, state.time, '/')],
    events: [],
  };
}

async function count(table: string): Promise<number> {
  const [row] = await store.query<{ n: string }>(
    `SELECT count() AS n FROM ${store.database}.${table}`,
  );
  return Number(row!.n);
}

describe('GroupCommitWriter', () => {
  it('answers each write only after its rows are stored, with one INSERT per table per flush', async () => {
    const inserts: [string, number][] = [];
    const writer = new GroupCommitWriter(store, {
      flushIntervalMs: 50,
      maxRows: 10_000,
      onInsert: (table, rows) => inserts.push([table, rows]),
    });
    const writes = Array.from({ length: 40 }, () =>
      writer.write(rowsOfOneHit(), writer.generation),
    );
    expect(await count('page_view')).toBe(0);
    await Promise.all(writes);
    expect(await count('page_view')).toBe(40);
    expect(await count('session')).toBe(40);
    expect(inserts).toEqual([
      ['page_view', 40],
      ['session', 40],
    ]);
    await writer.close();
  });

  it('flushes at once when the row limit is reached', async () => {
    const writer = new GroupCommitWriter(store, { flushIntervalMs: 60_000, maxRows: 4 });
    const started = Date.now();
    await Promise.all([writer.write(rowsOfOneHit(), 0), writer.write(rowsOfOneHit(), 0)]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await count('session')).toBe(2);
    await writer.close();
  });

  it('writes what is pending on close and refuses rows afterwards', async () => {
    const writer = new GroupCommitWriter(store, { flushIntervalMs: 60_000, maxRows: 10_000 });
    const pending = writer.write(rowsOfOneHit(), 0);
    await writer.close();
    await pending;
    expect(await count('session')).toBe(1);
    await expect(writer.write(rowsOfOneHit(), 0)).rejects.toBeInstanceOf(UnavailableError);
  });

  it('fails the affected requests with 503 when the store fails, and recovers', async () => {
    let failures = 0;
    const writer = new GroupCommitWriter(store, {
      flushIntervalMs: 10,
      maxRows: 10_000,
      onFailure: () => {
        failures += 1;
      },
    });
    await store.command(`RENAME TABLE ${store.database}.session TO ${store.database}.session_away`);
    const before = writer.generation;
    const results = await Promise.allSettled([
      writer.write(rowsOfOneHit(), before),
      writer.write(rowsOfOneHit(), before),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const reason = (results[0] as PromiseRejectedResult).reason as UnavailableError;
    expect(reason).toBeInstanceOf(UnavailableError);
    expect(reason.status).toBe(503);
    expect(reason.retryAfterSeconds).toBeGreaterThan(0);
    expect(failures).toBe(1);
    expect(writer.generation).toBe(before + 1);

    await store.command(`RENAME TABLE ${store.database}.session_away TO ${store.database}.session`);
    // Rows computed before the failure may build on states that were never stored.
    await expect(writer.write(rowsOfOneHit(), before)).rejects.toBeInstanceOf(UnavailableError);
    await writer.write(rowsOfOneHit(), writer.generation);
    expect(await count('session')).toBe(1);
    await writer.close();
  });
});
