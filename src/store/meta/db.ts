/**
 * Opens the metadata store: an SQLite file in the data directory by default, PostgreSQL when
 * `SPOOR_DATABASE_URL` names one. Callers get the same typed Kysely handle either way.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { CustomTypesConfig } from 'pg';
import type { MetaDatabase } from './schema.ts';
import { ImmediateSqliteDialect } from './sqlite-dialect.ts';
import { CachingSqliteDatabase } from './statement-cache.ts';

export type MetaDialect = 'sqlite' | 'postgres';

/** An open metadata store. */
export interface MetaStore {
  readonly db: Kysely<MetaDatabase>;
  readonly dialect: MetaDialect;
  /** Closes the connection(s). Idempotent. */
  close(): Promise<void>;
}

export interface MetaStoreOptions {
  /** `postgres://…` or `postgresql://…`; unset or empty means the embedded SQLite file. */
  databaseUrl?: string | undefined;
  /** Directory of the SQLite file (created if missing). */
  dataDir: string;
}

/** File name of the embedded store inside the data directory. */
export const SQLITE_FILE_NAME = 'spoor.db';

/** How long a writer waits for another process's write lock before failing with SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** Opens the metadata store selected by `databaseUrl` (see `MetaStoreOptions`). */
export async function openMetaStore(options: MetaStoreOptions): Promise<MetaStore> {
  const url = options.databaseUrl?.trim();
  if (!url) return openSqlite(options.dataDir);
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgres(url);
  throw new Error(
    `SPOOR_DATABASE_URL must start with postgres:// or postgresql:// (or be unset for the ` +
      `embedded SQLite store); got "${url.replace(/\/\/[^@/]*@/, '//***@')}"`,
  );
}

/** Opens (creating if needed) `<dataDir>/spoor.db`. */
function openSqlite(dataDir: string): MetaStore {
  mkdirSync(dataDir, { recursive: true });
  const database = new Database(join(dataDir, SQLITE_FILE_NAME), {
    timeout: SQLITE_BUSY_TIMEOUT_MS,
  });
  try {
    // busy_timeout first: switching to WAL needs a moment of exclusive access, which another
    // process opening the same file may hold.
    database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    // WAL lets readers (a CLI command) run while the server writes, and vice versa.
    database.pragma('journal_mode = WAL');
    // Off by default in SQLite, per connection; the ON DELETE CASCADE rules depend on it.
    database.pragma('foreign_keys = ON');
    // With WAL this loses no integrity, only possibly the last commits on power loss.
    database.pragma('synchronous = NORMAL');
  } catch (err) {
    database.close();
    throw err;
  }
  const db = new Kysely<MetaDatabase>({
    dialect: new ImmediateSqliteDialect({ database: new CachingSqliteDatabase(database) }),
  });
  return { db, dialect: 'sqlite', close: once(() => db.destroy()) };
}

/**
 * `count(*)` is int8 and `avg()` numeric on PostgreSQL, which `pg` returns as strings, while
 * SQLite returns numbers. Parsing both as numbers keeps callers dialect-blind; metadata counts
 * stay far below 2^53.
 */
const portableTypes: CustomTypesConfig = {
  getTypeParser: ((id: number, format?: 'text' | 'binary') => {
    if (id === pg.types.builtins.INT8 || id === pg.types.builtins.NUMERIC) return Number;
    return pg.types.getTypeParser(id, format);
  }) as CustomTypesConfig['getTypeParser'],
};

/** Connects a pool to PostgreSQL and checks the connection once, so a bad URL fails at start-up. */
async function openPostgres(connectionString: string): Promise<MetaStore> {
  const pool = new pg.Pool({ connectionString, types: portableTypes });
  // An idle client that loses its connection (database restart) emits 'error' on the pool;
  // unhandled, that would crash the process. The pool drops the client and reconnects later.
  pool.on('error', () => {});
  const db = new Kysely<MetaDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { db, dialect: 'postgres', close: once(() => db.destroy()) };
}

/** Wraps `fn` so that only the first call runs it; later calls get the same promise. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
