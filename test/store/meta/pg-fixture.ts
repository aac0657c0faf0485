/**
 * Throw-away PostgreSQL databases for tests: one uniquely named database per test file on the
 * local server (override the admin connection with SPOOR_TEST_POSTGRES_URL).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL =
  process.env.SPOOR_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestPgDatabase {
  /** Connection URL of the new database. */
  url: string;
  /** Drops the database, disconnecting anyone still connected. */
  drop(): Promise<void>;
}

/** Runs `fn` on a short-lived connection to the admin database. */
async function withAdmin(fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database named `spoor_test_<random>`. */
export async function createTestPgDatabase(): Promise<TestPgDatabase> {
  const name = `spoor_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`create database "${name}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // WITH (FORCE) (PostgreSQL 13+): a pool a failed test left open must not keep it alive.
    drop: () => withAdmin((c) => c.query(`drop database if exists "${name}" with (force)`)),
  };
}
