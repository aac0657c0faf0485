/**
 * Dashboard sign-in sessions (the `spoor_session` cookie). Frozen once released: change the
 * schema with a new migration.
 *
 * The cookie carries a 256-bit random token; only its SHA-256 digest is stored, as the key, so
 * a copy of the database signs nobody in. Same portable conventions as `0001_initial.ts`.
 */
import type { Kysely } from 'kysely';

/** Creates `dashboard_session` with its indexes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dashboard_session')
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('def_time', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dashboard_session_pkey', ['token_hash'])
    .addForeignKeyConstraint('dashboard_session_user_id_fkey', ['user_id'], 'user', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  // Signing out a user's other sessions (password change) and dropping expired ones on sign-in.
  await db.schema
    .createIndex('dashboard_session_user_id_idx')
    .on('dashboard_session')
    .column('user_id')
    .execute();
  await db.schema
    .createIndex('dashboard_session_expires_at_idx')
    .on('dashboard_session')
    .column('expires_at')
    .execute();
}

/** Drops `dashboard_session`. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dashboard_session').execute();
}
