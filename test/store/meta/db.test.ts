/**
 * Choosing the metadata dialect from SPOOR_DATABASE_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMetaStore } from '../../../src/store/meta/db.ts';
import { createTestPgDatabase } from './pg-fixture.ts';
import type { TestPgDatabase } from './pg-fixture.ts';

describe('openMetaStore', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'spoor-open-'));
  let pgdb: TestPgDatabase;

  beforeAll(async () => {
    pgdb = await createTestPgDatabase();
  });

  afterAll(async () => {
    await pgdb?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    'mysql://root@localhost/spoor',
    'sqlite:///tmp/x.db',
    'file:spoor.db',
    'localhost:5432',
  ])('rejects %s, naming the variable', async (databaseUrl) => {
    await expect(openMetaStore({ databaseUrl, dataDir })).rejects.toThrow(/SPOOR_DATABASE_URL/);
  });

  it('does not echo a password from a rejected URL', async () => {
    await expect(
      openMetaStore({ databaseUrl: 'mysql://root:hunter2@localhost/spoor', dataDir }),
    ).rejects.toThrow(/^(?!.*hunter2)/s);
  });

  it('accepts both postgres:// and postgresql://', async () => {
    for (const url of [pgdb.url, pgdb.url.replace(/^postgres:/, 'postgresql:')]) {
      const store = await openMetaStore({ databaseUrl: url, dataDir });
      try {
        expect(store.dialect).toBe('postgres');
      } finally {
        await store.close();
      }
    }
  });

  it('fails at open, not at the first query, when PostgreSQL is unreachable', async () => {
    await expect(
      openMetaStore({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', dataDir }),
    ).rejects.toThrow();
  });
});
