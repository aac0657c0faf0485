import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChdbEventStore } from '../../../src/store/clickhouse/chdb-store.ts';
import type { ChdbEventStore } from '../../../src/store/clickhouse/chdb-store.ts';
import { deleteDomainEvents } from '../../../src/store/clickhouse/delete-domain.ts';
import { migrateEventStore } from '../../../src/store/clickhouse/migrations.ts';
import { newSessionRow } from '../../../src/store/clickhouse/rows.ts';
import { eventRow, firstState, pageView, tempDataDir } from './helpers.ts';

const data = tempDataDir();
let store: ChdbEventStore;

const DOMAINS = ['dom0000001', 'dom0000002', "x' OR '1"];

async function rowsPerDomain(): Promise<Record<string, string>> {
  const rows = await store.query<{ t: string; domain_id: string; c: string }>(
    `SELECT 'session' AS t, domain_id, count() AS c FROM del.session GROUP BY domain_id
     UNION ALL SELECT 'page_view', domain_id, count() FROM del.page_view GROUP BY domain_id
     UNION ALL SELECT 'event', domain_id, count() FROM del.event GROUP BY domain_id`,
  );
  return Object.fromEntries(rows.map((r) => [`${r.t} ${r.domain_id}`, r.c]));
}

beforeAll(async () => {
  store = await openChdbEventStore({ dataDir: data.dir, database: 'del' });
  await migrateEventStore(store);
  for (const [i, domain] of DOMAINS.entries()) {
    // two months, so the rows sit in several partitions
    for (const start of ['2024-04-30 12:00:00.000', '2024-05-01 12:00:00.000']) {
      const state = firstState(domain, String(1000 + i), i, start);
      await store.insert('session', [newSessionRow(state)]);
      await store.insert('page_view', [pageView(state, start, '/')]);
      await store.insert('event', [eventRow(state, start, 'signup')]);
    }
  }
});

afterAll(async () => {
  await store.close();
  data.remove();
});

describe('deleteDomainEvents', () => {
  it("removes only that domain's sessions, page views and events", async () => {
    const before = await rowsPerDomain();
    expect(Object.keys(before)).toHaveLength(9);
    expect(new Set(Object.values(before))).toEqual(new Set(['2']));

    await deleteDomainEvents(store, 'dom0000001');
    const after = await rowsPerDomain();
    expect(after).toEqual(
      Object.fromEntries(Object.entries(before).filter(([key]) => !key.endsWith(' dom0000001'))),
    );
  });

  it('binds the id as a value: a quote in it deletes nothing else', async () => {
    await deleteDomainEvents(store, "x' OR '1'='1");
    const rows = await rowsPerDomain();
    expect(Object.keys(rows).sort()).toEqual([
      'event dom0000002',
      "event x' OR '1",
      'page_view dom0000002',
      "page_view x' OR '1",
      'session dom0000002',
      "session x' OR '1",
    ]);
    await deleteDomainEvents(store, "x' OR '1");
    expect(Object.keys(await rowsPerDomain())).toHaveLength(3);
  });

  it('deletes physically: no row of the domain is left in any part', async () => {
    const [row] = await store.query<{ c: string }>(
      `SELECT count() AS c FROM del.page_view WHERE domain_id = 'dom0000001'
       SETTINGS apply_deleted_mask = 0`,
    );
    expect(row?.c).toBe('0');
    const pending = await store.query(
      "SELECT command FROM system.mutations WHERE database = 'del' AND NOT is_done",
    );
    expect(pending).toEqual([]);
  });

  it('can queue the deletion without waiting for it', async () => {
    await deleteDomainEvents(store, 'dom0000002', { wait: false });
    let left = -1;
    for (let attempt = 0; attempt < 100 && left !== 0; attempt += 1) {
      const [row] = await store.query<{ c: string }>(
        `SELECT (SELECT count() FROM del.session WHERE domain_id = 'dom0000002')
              + (SELECT count() FROM del.page_view WHERE domain_id = 'dom0000002')
              + (SELECT count() FROM del.event WHERE domain_id = 'dom0000002') AS c`,
      );
      left = Number(row?.c);
      if (left !== 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(left).toBe(0);
  });
});
