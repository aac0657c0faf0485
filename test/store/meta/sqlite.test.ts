/**
 * What only the embedded SQLite store has to get right: the pragmas, and a second process (a CLI
 * command) working on the same file while the server has it open.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMetaStore, SQLITE_FILE_NAME } from '../../../src/store/meta/db.ts';
import type { MetaStore } from '../../../src/store/meta/db.ts';
import { migrateMetaStore } from '../../../src/store/meta/migrate.ts';
import type { MetaDatabase } from '../../../src/store/meta/schema.ts';
import { getSetting, setSettingIfAbsent } from '../../../src/store/meta/settings.ts';
import { raceChildren } from './child.ts';
import { addDomain, addUser } from './rows.ts';

/** The single value a `pragma name` returns. */
async function pragma(db: Kysely<MetaDatabase>, name: string): Promise<unknown> {
  const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(db);
  return Object.values(rows[0] ?? {})[0];
}

describe('embedded SQLite metadata store', () => {
  const root = mkdtempSync(join(tmpdir(), 'spoor-sqlite-'));
  const dataDir = join(root, 'nested', 'data');
  let server: MetaStore;

  beforeAll(async () => {
    server = await openMetaStore({ dataDir });
    await migrateMetaStore(server);
  });

  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the data directory and spoor.db in it', () => {
    expect(server.dialect).toBe('sqlite');
    expect(existsSync(join(dataDir, SQLITE_FILE_NAME))).toBe(true);
  });

  it('sets the pragmas that shared access relies on', async () => {
    expect(await pragma(server.db, 'journal_mode')).toBe('wal');
    expect(await pragma(server.db, 'busy_timeout')).toBe(5000);
    expect(await pragma(server.db, 'foreign_keys')).toBe(1);
    expect(await pragma(server.db, 'synchronous')).toBe(1); // NORMAL
  });

  it('treats an empty database URL as unset', async () => {
    const store = await openMetaStore({ databaseUrl: '', dataDir });
    try {
      expect(store.dialect).toBe('sqlite');
    } finally {
      await store.close();
    }
  });

  it('lets a second store (a CLI command) use the file while the first stays open', async () => {
    const cli = await openMetaStore({ dataDir });
    try {
      expect(await migrateMetaStore(cli)).toEqual({ applied: [] });
      expect(await pragma(cli.db, 'foreign_keys')).toBe(1);

      // The server writes, the CLI sees it; and the other way round.
      const owner = await addUser(server.db);
      const seen = await cli.db
        .selectFrom('user')
        .select('email')
        .where('id', '=', owner.id)
        .execute();
      expect(seen).toEqual([{ email: owner.email }]);
      const domain = await addDomain(cli.db, owner.id);
      const back = await server.db
        .selectFrom('domain')
        .select('id')
        .where('user_id', '=', owner.id)
        .execute();
      expect(back).toEqual([{ id: domain.id }]);

      // A transaction on one store commits and is visible to the other.
      await cli.db.transaction().execute(async (trx) => {
        await trx.updateTable('domain').set({ public: 1 }).where('id', '=', domain.id).execute();
      });
      const row = await server.db
        .selectFrom('domain')
        .select('public')
        .where('id', '=', domain.id)
        .executeTakeFirst();
      expect(row).toEqual({ public: 1 });
    } finally {
      await cli.close();
    }
    // The server's store is unaffected by the CLI closing its own connection.
    expect(await getSetting(server.db, 'nothing')).toBeUndefined();
  });

  it('lets other processes write while this one has the file open', async () => {
    const results = await raceChildren(3, { dataDir }, 'shared_secret');
    expect(results.flatMap((r) => r.applied)).toEqual([]);
    expect(new Set(results.map((r) => r.value)).size).toBe(1);
    expect(await setSettingIfAbsent(server.db, 'shared_secret', 'mine')).toBe(results[0]?.value);
  });
});
