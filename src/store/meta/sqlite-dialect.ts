/**
 * Kysely's SQLite dialect, changed in two places so that several processes can share one file
 * (the server and a CLI command, or two nodes starting at once):
 *
 * - transactions start with `BEGIN IMMEDIATE`. A plain (deferred) `BEGIN` that reads and then
 *   writes fails at once with SQLITE_BUSY when another connection wrote in between, without
 *   waiting for `busy_timeout`; taking the write lock up front makes it wait instead. Read-then-
 *   write transactions (claiming a due report, accepting an invitation) are also serialised.
 * - the adapter claims transactional DDL (which SQLite has). Kysely's migrator then runs the
 *   migrations inside such a transaction; its SQLite migration lock is a no-op that only guards
 *   the one connection of this process, so without this two processes would both apply a
 *   migration, and a crash half-way would leave half a schema.
 */
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** SQLite dialect whose transactions take the write lock up front (see the module comment). */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
