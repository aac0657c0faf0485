import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore, QueryParams } from '../../src/store/clickhouse/event-store.ts';
import { runQuery } from '../../src/stats/statistic.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';

let world: TestWorld;
let runs = 0;
/** The world's real event store, counting the queries that reach the engine. */
let events: EventStore;

beforeAll(async () => {
  world = await createTestWorld();
  const real = world.events;
  events = Object.create(real, {
    query: {
      value: (sql: string, params?: QueryParams) => {
        runs += 1;
        return real.query(sql, params);
      },
    },
  }) as EventStore;
});

afterAll(() => world.close());

const SQL = 'SELECT toUInt32({n:UInt32} + 1) AS next';

describe('statistics queries in flight', () => {
  it('share one engine run between identical queries asked at the same time', async () => {
    runs = 0;
    const [a, b, other] = await Promise.all([
      runQuery<{ next: number }>(events, SQL, { n: 1 }),
      runQuery<{ next: number }>(events, SQL, { n: 1 }),
      runQuery<{ next: number }>(events, SQL, { n: 2 }),
    ]);
    expect(a).toEqual([{ next: 2 }]);
    expect(b).toEqual([{ next: 2 }]);
    expect(other).toEqual([{ next: 3 }]);
    expect(runs).toBe(2);
    expect(a).not.toBe(b);
  });

  it('run again once the shared run is over, also after a failure', async () => {
    runs = 0;
    await runQuery(events, SQL, { n: 1 });
    await runQuery(events, SQL, { n: 1 });
    expect(runs).toBe(2);

    const broken = 'SELECT no_such_column FROM system.one';
    const both = await Promise.allSettled([
      runQuery(events, broken, {}),
      runQuery(events, broken, {}),
    ]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(runs).toBe(3);
    await expect(runQuery(events, broken, {})).rejects.toThrow();
    expect(runs).toBe(4);
  });
});
