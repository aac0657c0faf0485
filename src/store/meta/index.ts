/**
 * The metadata store: users, domains, credentials and settings, on SQLite or PostgreSQL.
 */
export * from './schema.ts';
export { openMetaStore, SQLITE_FILE_NAME } from './db.ts';
export type { MetaDialect, MetaStore, MetaStoreOptions } from './db.ts';
export { migrateMetaStore, metaMigrationNames } from './migrate.ts';
export {
  getUniqueViolation,
  isForeignKeyViolation,
  isUniqueViolation,
  isUniqueViolationOf,
} from './errors.ts';
export type { UniqueViolation } from './errors.ts';
export { getSetting, setSetting, setSettingIfAbsent } from './settings.ts';
export { addMs, isPast, nowIso, parseRfc3339, toIso } from './time.ts';
