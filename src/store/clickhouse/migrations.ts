/** The event store's versioned schema migrations and the runner that applies them. */

import type { EventStore } from './event-store.ts';
import { EventStoreError } from './event-store.ts';
import type { Migration } from './migration-types.ts';
import { initialSchema } from './migrations/0001-initial-schema.ts';
import { assertIdentifier, qualify } from './sql.ts';

export type { Migration, MigrationContext } from './migration-types.ts';

/** Every migration, oldest first. Append only. */
export const eventStoreMigrations: readonly Migration[] = [
  { version: 1, name: 'initial schema', statements: initialSchema },
];

/** The table recording applied versions, inside the store's database. */
export const SCHEMA_MIGRATIONS_TABLE = 'schema_migrations';

function assertOrdered(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const { version } of migrations) {
    if (!Number.isInteger(version) || version <= previous) {
      throw new EventStoreError(`migration versions must increase strictly (${version})`);
    }
    previous = version;
  }
}

/** The versions recorded in `schema_migrations`, ascending (creates the table if missing). */
export async function appliedMigrationVersions(store: EventStore): Promise<number[]> {
  const table = qualify(store.database, SCHEMA_MIGRATIONS_TABLE);
  // ReplacingMergeTree: two nodes migrating at once record a version twice; merges fold them.
  await store.command(`CREATE TABLE IF NOT EXISTS ${table} (
  version UInt32,
  name String,
  applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY version`);
  const rows = await store.query<{ version: number }>(
    `SELECT DISTINCT version FROM ${table} ORDER BY version`,
  );
  return rows.map((row) => row.version);
}

/**
 * Apply, in order, every migration not yet recorded in the store's `schema_migrations` table, and
 * record each one after its statements succeed. Running it again is a no-op.
 */
export async function migrateEventStore(
  store: EventStore,
  migrations: readonly Migration[] = eventStoreMigrations,
): Promise<{ applied: number[] }> {
  assertOrdered(migrations);
  const done = new Set(await appliedMigrationVersions(store));
  const context = { db: assertIdentifier(store.database) };
  const applied: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    for (const statement of migration.statements(context)) await store.command(statement);
    await store.insert(SCHEMA_MIGRATIONS_TABLE, [
      { version: migration.version, name: migration.name },
    ]);
    applied.push(migration.version);
  }
  return { applied };
}
