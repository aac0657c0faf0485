import { afterAll, describe, expect, it } from 'vitest';
import { openChdbEventStore } from '../../../src/store/clickhouse/chdb-store.ts';
import { EventStoreError } from '../../../src/store/clickhouse/event-store.ts';
import { tempDataDir } from './helpers.ts';

const first = tempDataDir();
const second = tempDataDir();

afterAll(() => {
  first.remove();
  second.remove();
});

async function count(store: Awaited<ReturnType<typeof openChdbEventStore>>, table: string) {
  const [row] = await store.query<{ c: string }>(`SELECT count() AS c FROM ${table}`);
  return Number(row?.c);
}

describe('engine lifecycle', () => {
  it('keeps data across close and reopen', async () => {
    const store = await openChdbEventStore({ dataDir: first.dir, database: 'life' });
    await store.command('CREATE TABLE life.kept (id UInt64) ENGINE = MergeTree ORDER BY id');
    await store.insert('kept', [{ id: 1 }, { id: 2 }]);
    await store.close();

    const reopened = await openChdbEventStore({ dataDir: first.dir, database: 'life' });
    try {
      expect(await count(reopened, 'life.kept')).toBe(2);
    } finally {
      await reopened.close();
    }
  });

  it('shares one engine between stores on the same directory until the last one closes', async () => {
    const a = await openChdbEventStore({ dataDir: first.dir, database: 'shared_a' });
    const b = await openChdbEventStore({ dataDir: first.dir, database: 'shared_b' });
    await a.command('CREATE TABLE shared_a.x (id UInt8) ENGINE = MergeTree ORDER BY id');
    await b.command('CREATE TABLE shared_b.x (id UInt8) ENGINE = MergeTree ORDER BY id');
    await a.insert('x', [{ id: 1 }]);
    await b.insert('x', [{ id: 2 }, { id: 3 }]);
    // Same engine: each store sees the other's database.
    expect(await count(a, 'shared_b.x')).toBe(2);

    await a.close();
    expect(await count(b, 'shared_a.x')).toBe(1);
    await b.close();
  });

  it('closes idempotently and refuses calls afterwards', async () => {
    const store = await openChdbEventStore({ dataDir: first.dir, database: 'life' });
    await store.close();
    await store.close();
    await expect(store.query('SELECT 1')).rejects.toBeInstanceOf(EventStoreError);
    await expect(store.insert('kept', [{ id: 3 }])).rejects.toBeInstanceOf(EventStoreError);
  });

  it('lets in-flight calls finish before the engine is released', async () => {
    const store = await openChdbEventStore({ dataDir: first.dir, database: 'life' });
    const pending = store.query<{ c: string }>(
      'SELECT count() AS c FROM numbers(20000000) WHERE number % 7 = 3',
    );
    const closed = store.close();
    expect(await pending).toEqual([{ c: '2857143' }]);
    await closed;
  });

  it('refuses a second data directory while one is open, and accepts it afterwards', async () => {
    const store = await openChdbEventStore({ dataDir: first.dir, database: 'life' });
    const error = await openChdbEventStore({ dataDir: second.dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventStoreError);
    await store.close();

    const other = await openChdbEventStore({ dataDir: second.dir, database: 'life' });
    try {
      const tables = await other.query("SELECT name FROM system.tables WHERE database = 'life'");
      expect(tables).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
