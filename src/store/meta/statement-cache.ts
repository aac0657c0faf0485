/**
 * Prepared statements reused by SQL text. Kysely's SQLite driver prepares every query anew, and
 * preparing (parsing and planning) costs more than running the small look-ups the request paths
 * make; a compiled statement can run any number of times with new parameters. Kysely compiles
 * values to placeholders, so the texts repeat and a few hundred entries hold every query shape.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { LRUCache } from 'lru-cache';

/** Distinct SQL texts kept; `IN (…)` lists of varying length make the only unbounded family. */
export const STATEMENT_CACHE_SIZE = 500;

/** A Kysely `SqliteDatabase` over better-sqlite3 that keeps the last `size` statements. */
export class CachingSqliteDatabase implements SqliteDatabase {
  private readonly statements: LRUCache<string, Statement>;

  constructor(
    private readonly database: Database,
    size = STATEMENT_CACHE_SIZE,
  ) {
    this.statements = new LRUCache({ max: size });
  }

  /** The cached statement for `sql`, or a freshly prepared one. */
  prepare(sql: string): SqliteStatement {
    const cached = this.statements.get(sql);
    if (cached !== undefined) {
      // A statement still iterating (a streamed query) cannot start again: use a fresh one.
      return cached.busy ? this.database.prepare(sql) : cached;
    }
    const statement = this.database.prepare(sql);
    this.statements.set(sql, statement);
    return statement;
  }

  /** Number of cached statements (tests). */
  get cachedCount(): number {
    return this.statements.size;
  }

  /** Close the database; its statements go with it. */
  close(): void {
    this.statements.clear();
    this.database.close();
  }
}
