/**
 * Installation-wide key/value settings, shared by every node through the metadata store.
 */
import type { Kysely } from 'kysely';
import type { MetaDatabase } from './schema.ts';

/** The value stored under `key`, or undefined. */
export async function getSetting(
  db: Kysely<MetaDatabase>,
  key: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('setting')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

/**
 * Stores `value` under `key` unless a value is already there, and returns the value actually
 * stored. Several nodes starting at once each propose a freshly generated secret; the first
 * insert wins and all of them go on with that one. `ON CONFLICT DO NOTHING` makes the insert
 * atomic on both dialects (no read-then-write window).
 */
export async function setSettingIfAbsent(
  db: Kysely<MetaDatabase>,
  key: string,
  value: string,
): Promise<string> {
  await db
    .insertInto('setting')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const stored = await getSetting(db, key);
  // Only a concurrent delete of the key could get here; settings are never deleted.
  if (stored === undefined) throw new Error(`setting ${key} vanished while being set`);
  return stored;
}

/** Stores `value` under `key`, replacing any previous value. */
export async function setSetting(
  db: Kysely<MetaDatabase>,
  key: string,
  value: string,
): Promise<void> {
  await db
    .insertInto('setting')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
