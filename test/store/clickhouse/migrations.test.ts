import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChdbEventStore } from '../../../src/store/clickhouse/chdb-store.ts';
import type { ChdbEventStore } from '../../../src/store/clickhouse/chdb-store.ts';
import { EventStoreError } from '../../../src/store/clickhouse/event-store.ts';
import {
  appliedMigrationVersions,
  eventStoreMigrations,
  migrateEventStore,
} from '../../../src/store/clickhouse/migrations.ts';
import type { Migration } from '../../../src/store/clickhouse/migrations.ts';
import type { EventRow, SessionRow } from '../../../src/store/clickhouse/rows.ts';
import { newSessionRow } from '../../../src/store/clickhouse/rows.ts';
import { eventRow, firstState, pageView, tempDataDir } from './helpers.ts';

const data = tempDataDir();
let store: ChdbEventStore;

beforeAll(async () => {
  store = await openChdbEventStore({ dataDir: data.dir, database: 'mig' });
});

afterAll(async () => {
  await store.close();
  data.remove();
});

interface TableInfo {
  name: string;
  engine: string;
  sorting_key: string;
  partition_key: string;
}

async function tables(db: string): Promise<TableInfo[]> {
  return store.query<TableInfo>(
    `SELECT name, engine, sorting_key, partition_key FROM system.tables
     WHERE database = {db:String} ORDER BY name`,
    { db },
  );
}

describe('migrateEventStore', () => {
  it('creates the schema on a fresh database and records version 1', async () => {
    expect(await migrateEventStore(store)).toEqual({ applied: [1] });
    expect(await appliedMigrationVersions(store)).toEqual([1]);
    expect(await tables('mig')).toEqual([
      {
        name: 'event',
        engine: 'MergeTree',
        sorting_key: 'domain_id, toDate(time), name, start, visitor_id, session_id, time',
        partition_key: 'toYYYYMM(time)',
      },
      {
        name: 'page_view',
        engine: 'MergeTree',
        sorting_key: 'domain_id, toDate(time), start, visitor_id, session_id, time',
        partition_key: 'toYYYYMM(time)',
      },
      {
        name: 'schema_migrations',
        engine: 'ReplacingMergeTree',
        sorting_key: 'version',
        partition_key: '',
      },
      {
        name: 'session',
        engine: 'VersionedCollapsingMergeTree',
        sorting_key: 'domain_id, start, visitor_id, session_id, version', // version is appended by the engine
        partition_key: 'toYYYYMM(start)',
      },
    ]);
  });

  it('is a no-op the second time', async () => {
    expect(await migrateEventStore(store)).toEqual({ applied: [] });
    const rows = await store.query<{ version: number; name: string }>(
      'SELECT version, name FROM mig.schema_migrations',
    );
    expect(rows).toEqual([{ version: 1, name: eventStoreMigrations[0]?.name }]);
  });

  it('keeps databases apart', async () => {
    const other = await openChdbEventStore({ dataDir: data.dir, database: 'mig_other' });
    try {
      expect(await tables('mig_other')).toEqual([]);
      expect(await migrateEventStore(other)).toEqual({ applied: [1] });
      expect((await tables('mig_other')).map((t) => t.name)).toEqual([
        'event',
        'page_view',
        'schema_migrations',
        'session',
      ]);
    } finally {
      await other.close();
    }
  });

  it('applies only the missing versions, in order, and does not record a failed one', async () => {
    const custom = await openChdbEventStore({ dataDir: data.dir, database: 'mig_custom' });
    const log: string[] = [];
    const step = (version: number, sql: (db: string) => string): Migration => ({
      version,
      name: `step ${version}`,
      statements: ({ db }) => {
        log.push(`v${version}`);
        return [sql(db)];
      },
    });
    const one = step(1, (db) => `CREATE TABLE IF NOT EXISTS ${db}.a (x UInt8) ENGINE = Memory`);
    const two = step(2, (db) => `CREATE TABLE IF NOT EXISTS ${db}.b (x UInt8) ENGINE = Memory`);
    const broken = step(3, (db) => `CREATE TABLE ${db}.c (x NoSuchType) ENGINE = Memory`);
    const fixed = step(3, (db) => `CREATE TABLE IF NOT EXISTS ${db}.c (x UInt8) ENGINE = Memory`);
    try {
      expect(await migrateEventStore(custom, [one])).toEqual({ applied: [1] });
      expect(await migrateEventStore(custom, [one, two])).toEqual({ applied: [2] });
      await expect(migrateEventStore(custom, [one, two, broken])).rejects.toBeInstanceOf(
        EventStoreError,
      );
      expect(await appliedMigrationVersions(custom)).toEqual([1, 2]);
      expect(await migrateEventStore(custom, [one, two, fixed])).toEqual({ applied: [3] });
      expect(log).toEqual(['v1', 'v2', 'v3', 'v3']);
      expect((await tables('mig_custom')).map((t) => t.name)).toEqual([
        'a',
        'b',
        'c',
        'schema_migrations',
      ]);
    } finally {
      await custom.close();
    }
  });

  it('refuses a list whose versions do not increase', async () => {
    const m = (version: number): Migration => ({ version, name: '', statements: () => [] });
    await expect(migrateEventStore(store, [m(2), m(1)])).rejects.toThrow(/increase/);
    await expect(migrateEventStore(store, [m(1), m(1)])).rejects.toThrow(/increase/);
    await expect(migrateEventStore(store, [m(0)])).rejects.toThrow(/increase/);
  });
});

describe('row types match the schema', () => {
  async function columns(table: string): Promise<string[]> {
    const rows = await store.query<{ name: string }>(
      `SELECT name FROM system.columns WHERE database = 'mig' AND table = {table:String}`,
      { table },
    );
    return rows.map((r) => r.name).sort();
  }

  const state = firstState(
    'dom0000001',
    '18446744073709551615',
    4294967295,
    '2024-05-31 23:59:59.999',
  );
  const session: SessionRow = newSessionRow(state);
  const view = { ...pageView(state, '2024-06-01 00:00:00.001', '/a'), tags: { author: 'x' } };
  const event: EventRow = eventRow(state, '2024-06-01 00:00:00.002', 'signup');

  it.each([
    ['session', session],
    ['page_view', view],
    ['event', event],
  ] as const)('%s: every column has a field, and rows round-trip', async (table, row) => {
    expect(Object.keys(row).sort()).toEqual(await columns(table));
    await store.insert(table, [row]);
    const stored = await store.query(`SELECT * FROM mig.${table}`);
    expect(stored).toEqual([row]);
  });

  it('rejects an unknown platform value', async () => {
    await expect(
      store.insert('page_view', [{ ...view, platform: 'tablet' }]),
    ).rejects.toBeInstanceOf(EventStoreError);
  });
});
