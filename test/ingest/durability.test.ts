import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openChdbEventStore } from '../../src/store/clickhouse/chdb-store.ts';
import { FIREFOX } from '../helpers/ingest.ts';
import { spoor, startServe } from '../helpers/process.ts';
import { tempDataDir } from '../helpers/stores.ts';

// A hit answered 200 is durably stored: kill the server with SIGKILL mid-ingestion, restart it,
// and every acknowledged hit is there exactly once.
const dataDir = tempDataDir();
const env = { SPOOR_DATA_DIR: dataDir, SPOOR_LOG_LEVEL: 'warn' };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('durability', () => {
  it('keeps every acknowledged hit across a SIGKILL, none twice', async () => {
    await spoor(
      ['user', 'create', '--email', 'd@example.com', '--password', 'durable-password'],
      env,
    );
    const domain = JSON.parse(
      (
        await spoor(
          [
            'domain',
            'create',
            '--email',
            'd@example.com',
            '--hostname',
            'durable.example.com',
            '--json',
          ],
          env,
        )
      ).stdout,
    ) as { id: string };
    const { access_key: key } = JSON.parse(
      (
        await spoor(
          [
            'client',
            'create',
            '--email',
            'd@example.com',
            '--domain-id',
            domain.id,
            '--access-key',
            '--json',
          ],
          env,
        )
      ).stdout,
    ) as { access_key: string };

    const server = await startServe(env);
    const acknowledged: string[] = [];
    let next = 0;
    let killed = false;
    // Ten senders, each a distinct visitor, sending unique paths until the server dies.
    const sender = async (visitor: number) => {
      while (!killed) {
        const path = `/page-${next++}`;
        const res = await fetch(`${server.url}/api/v1/hit`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          // Back-to-back page views would trip the bot counter (dropped, yet answered 200).
          body: JSON.stringify({
            url: `https://durable.example.com${path}`,
            ip: `198.51.100.${visitor}`,
            user_agent: FIREFOX,
            disable_bot_filter: true,
          }),
        }).catch(() => undefined);
        if (res?.status === 200) acknowledged.push(path);
      }
    };
    const senders = Array.from({ length: 10 }, (_, i) => sender(i + 1));
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 20));
    server.child.kill('SIGKILL');
    killed = true;
    await Promise.all(senders);
    // A process killed by a signal keeps `exitCode` null: check the signal too, or a missed
    // 'exit' event would leave this waiting forever.
    await new Promise((resolve) =>
      server.child.exitCode !== null || server.child.signalCode !== null
        ? resolve(null)
        : server.child.once('exit', resolve),
    );

    // The server starts again on the same data directory.
    const restarted = await startServe(env);
    expect(await restarted.stop()).toBe(0);
    const store = await openChdbEventStore({ dataDir });
    try {
      const rows = await store.query<{ path: string; n: string }>(
        `SELECT path, count() AS n FROM ${store.database}.page_view WHERE domain_id = {d:String} GROUP BY path`,
        { d: domain.id },
      );
      const stored = new Map(rows.map((r) => [r.path, Number(r.n)]));
      const missing = acknowledged.filter((path) => !stored.has(path));
      const twice = rows.filter((r) => Number(r.n) > 1);
      expect(acknowledged.length).toBeGreaterThanOrEqual(150);
      expect(missing).toEqual([]);
      expect(twice).toEqual([]);
    } finally {
      await store.close();
    }
  }, 120_000);
});
