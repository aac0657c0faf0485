/**
 * Brings the metadata schema up to date with Kysely's migrator. Safe to run from several
 * processes at once: PostgreSQL takes an advisory lock; SQLite runs the migrations in a
 * `BEGIN IMMEDIATE` transaction (see `sqlite-dialect.ts`), so the second process waits and then
 * finds nothing left to do.
 */
import { Migrator } from 'kysely';
import type { MetaStore } from './db.ts';
import { metaMigrations } from './migrations/index.ts';

/** Applies every pending migration and returns the names of those this call applied. */
export async function migrateMetaStore(store: MetaStore): Promise<{ applied: string[] }> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: () => Promise.resolve(metaMigrations) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      failed
        ? `metadata migration ${failed} failed: ${reason}`
        : `metadata migration failed: ${reason}`,
      { cause: error },
    );
  }
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
  };
}

/** Names of all known migrations, in order (for `spoor migrate --status` and tests). */
export function metaMigrationNames(): string[] {
  return Object.keys(metaMigrations).sort();
}
