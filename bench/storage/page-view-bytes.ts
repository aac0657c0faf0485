/**
 * Bytes on disk per stored page view (quality bar: ≤ 25 at 10 million rows).
 *
 * Generates realistic page views inside the engine (INSERT … SELECT from numbers(), so no row
 * passes through JS): three domains of very different size, 30 days, sessions of 1–40 page views
 * (39 % bounces, mean ≈ 2.5), Zipf-distributed paths, referrers, languages, countries and cities,
 * a realistic OS/browser/screen mix, 8 % UTM-tagged sessions (bench/lib/world-sql.ts, shared with
 * the statistics benchmark). Then OPTIMIZE … FINAL and sum(bytes_on_disk) / rows from
 * system.parts. It also writes the matching session rows and reports their cost per page view.
 *
 * Run: npx tsx bench/storage/page-view-bytes.ts [page views, default 3000000] [--keep]
 */

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openChdbEventStore } from '../../src/store/clickhouse/chdb-store.ts';
import type { ChdbEventStore } from '../../src/store/clickhouse/chdb-store.ts';
import { migrateEventStore } from '../../src/store/clickhouse/migrations.ts';
import {
  meanViewsPerSession,
  pageViewsInsertSql,
  sessionsInsertSql,
  u,
  type WorldShape,
} from '../lib/world-sql.ts';

const DAYS = 30;

/** Three domains of very different size, 30 days of May 2024 (the generator is shared). */
function worldShape(pageViews: number): WorldShape {
  return {
    sessions: Math.round(pageViews / meanViewsPerSession(2)),
    domainSql: `multiIf(${u('1')} < 0.70, 'dom0000001', ${u('1')} < 0.95, 'dom0000002', 'dom0000003')`,
    hostnameSql: `concat(domain_id, '.example.com')`,
    from: '2024-05-01 00:00:00',
    spanMs: DAYS * 86_400_000,
    lengthMean: 2,
  };
}

interface TableSize {
  rows: string;
  bytes: string;
  parts: string;
}

async function tableSize(store: ChdbEventStore, table: string): Promise<TableSize> {
  const [size] = await store.query<TableSize>(
    `SELECT sum(rows) AS rows, sum(bytes_on_disk) AS bytes, count() AS parts
     FROM system.parts WHERE database = {db:String} AND table = {table:String} AND active`,
    { db: store.database, table },
  );
  if (!size) throw new Error(`no parts for ${table}`);
  return size;
}

async function columnBytes(store: ChdbEventStore, table: string, rows: number) {
  const columns = await store.query<{ name: string; bytes: string }>(
    `SELECT name, data_compressed_bytes AS bytes FROM system.columns
     WHERE database = {db:String} AND table = {table:String} ORDER BY data_compressed_bytes DESC`,
    { db: store.database, table },
  );
  return columns.map((c) => `${c.name} ${(Number(c.bytes) / rows).toFixed(2)}`).join(', ');
}

async function main(): Promise<void> {
  const pageViews = Number(process.argv[2] ?? 3_000_000);
  const keep = process.argv.includes('--keep');
  const shape = worldShape(pageViews);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'spoor-storage-'));
  const store = await openChdbEventStore({ dataDir, database: 'bench' });
  try {
    await migrateEventStore(store);
    let t = performance.now();
    await store.command(pageViewsInsertSql(store.database, shape));
    await store.command(`OPTIMIZE TABLE ${store.database}.page_view FINAL`);
    const generated = ((performance.now() - t) / 1000).toFixed(1);
    t = performance.now();
    await store.command(sessionsInsertSql(store.database, shape));
    await store.command(`OPTIMIZE TABLE ${store.database}.session FINAL`);
    const derived = ((performance.now() - t) / 1000).toFixed(1);

    const pv = await tableSize(store, 'page_view');
    const se = await tableSize(store, 'session');
    const rows = Number(pv.rows);
    const perView = Number(pv.bytes) / rows;
    console.log(
      `page_view: ${rows} rows, ${pv.bytes} bytes on disk in ${pv.parts} parts ` +
        `→ ${perView.toFixed(2)} bytes per page view (generated + optimized in ${generated} s)`,
    );
    console.log(
      `session:   ${se.rows} rows (merged), ${se.bytes} bytes → ` +
        `${(Number(se.bytes) / rows).toFixed(2)} bytes per page view, ` +
        `${(Number(se.bytes) / Number(se.rows)).toFixed(2)} per session (${derived} s)`,
    );
    console.log(
      `page_view bytes per row by column: ${await columnBytes(store, 'page_view', rows)}`,
    );
    console.log(JSON.stringify({ page_views: rows, bytes_per_page_view: +perView.toFixed(2) }));
  } finally {
    await store.close();
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
    else console.log(`data kept in ${dataDir}`);
  }
}

await main();
