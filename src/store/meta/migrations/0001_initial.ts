/**
 * The initial metadata schema. Frozen once released: change the schema with a new migration.
 *
 * Portable on SQLite and PostgreSQL: only `text`, `integer` and `double precision` columns
 * (`real` is 4-byte on PostgreSQL and would return a `cr_goal` of 42.11 as 42.11000061035156),
 * ISO text timestamps, 0/1 integers for booleans. Every constraint is named so PostgreSQL errors
 * can be mapped back to columns (see `../errors.ts`). Kysely quotes every identifier, which is
 * what makes the table `user` (reserved in PostgreSQL) work.
 */
import type { CreateTableBuilder, Kysely } from 'kysely';

type Table = CreateTableBuilder<string, string>;

/** `def_time` and `mod_time`, shared by most tables. */
function withTimes(t: Table): Table {
  return t
    .addColumn('def_time', 'text', (c) => c.notNull())
    .addColumn('mod_time', 'text', (c) => c.notNull());
}

/** A text primary key `id`; NOT NULL spelled out because SQLite lets a non-integer key be NULL. */
function withId(t: Table, table: string): Table {
  return t
    .addColumn('id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${table}_pkey`, ['id']);
}

/** A non-null `domain_id` whose rows go when their domain is deleted. */
function withDomain(t: Table, table: string): Table {
  return t
    .addColumn('domain_id', 'text', (c) => c.notNull())
    .addForeignKeyConstraint(`${table}_domain_id_fkey`, ['domain_id'], 'domain', ['id'], (fk) =>
      fk.onDelete('cascade'),
    );
}

/** Creates every table of `MetaDatabase` with its keys and indexes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('setting')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('setting_pkey', ['key'])
    .execute();

  await withTimes(
    withId(db.schema.createTable('user'), 'user')
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('full_name', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull()),
  )
    .addUniqueConstraint('user_email_key', ['email'])
    .execute();

  // Deleting a user who still owns domains is refused: the domains' events live in ClickHouse,
  // which no cascade reaches, so the service must delete them deliberately first.
  await withTimes(
    withId(db.schema.createTable('domain'), 'domain')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('hostname', 'text', (c) => c.notNull())
      .addColumn('subdomain', 'text', (c) => c.notNull())
      .addColumn('identification_code', 'text', (c) => c.notNull())
      .addColumn('public', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('group_by_title', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('timezone', 'text'),
  )
    // NO ACTION rather than RESTRICT (same effect here): SQLite reports a RESTRICT failure as
    // SQLITE_CONSTRAINT_TRIGGER instead of SQLITE_CONSTRAINT_FOREIGNKEY.
    .addForeignKeyConstraint('domain_user_id_fkey', ['user_id'], 'user', ['id'])
    .addUniqueConstraint('domain_subdomain_key', ['subdomain'])
    // Also serves "domains of a user" (leftmost column), so user_id needs no index of its own.
    .addUniqueConstraint('domain_user_id_hostname_key', ['user_id', 'hostname'])
    .addUniqueConstraint('domain_identification_code_key', ['identification_code'])
    .execute();
  // Ingestion by a user client resolves the domain from the hit's host name.
  await db.schema.createIndex('domain_hostname_idx').on('domain').column('hostname').execute();

  await withTimes(
    withDomain(withId(db.schema.createTable('member'), 'member'), 'member')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull()),
  )
    .addForeignKeyConstraint('member_user_id_fkey', ['user_id'], 'user', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .addUniqueConstraint('member_domain_id_user_id_key', ['domain_id', 'user_id'])
    .execute();
  await db.schema.createIndex('member_user_id_idx').on('member').column('user_id').execute();

  await withDomain(withId(db.schema.createTable('invitation'), 'invitation'), 'invitation')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('def_time', 'text', (c) => c.notNull())
    .addForeignKeyConstraint('invitation_invited_by_fkey', ['invited_by'], 'user', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .addUniqueConstraint('invitation_token_hash_key', ['token_hash'])
    .execute();
  // "Is this address already invited?" and the cascade from domain.
  await db.schema
    .createIndex('invitation_domain_id_email_idx')
    .on('invitation')
    .columns(['domain_id', 'email'])
    .execute();
  // Without it every user deletion scans the table for the cascade.
  await db.schema
    .createIndex('invitation_invited_by_idx')
    .on('invitation')
    .column('invited_by')
    .execute();

  // domain_id is nullable (user clients), so withDomain() does not fit.
  await withTimes(
    withId(db.schema.createTable('client'), 'client')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('domain_id', 'text')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text')
      .addColumn('secret_hash', 'text')
      .addColumn('key_hash', 'text')
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('scope_hit', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('scope_event', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('scope_session', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('scope_statistics', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('scope_domains', 'text', (c) => c.notNull().defaultTo('')),
  )
    .addForeignKeyConstraint('client_user_id_fkey', ['user_id'], 'user', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint('client_domain_id_fkey', ['domain_id'], 'domain', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    // Both are NULL for the other client type; NULLs never collide on either dialect.
    .addUniqueConstraint('client_client_id_key', ['client_id'])
    .addUniqueConstraint('client_key_hash_key', ['key_hash'])
    .execute();
  await db.schema.createIndex('client_domain_id_idx').on('client').column('domain_id').execute();
  await db.schema.createIndex('client_user_id_idx').on('client').column('user_id').execute();

  await db.schema
    .createTable('access_token')
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('def_time', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('access_token_pkey', ['token_hash'])
    .addForeignKeyConstraint('access_token_client_id_fkey', ['client_id'], 'client', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('access_token_expires_at_idx')
    .on('access_token')
    .column('expires_at')
    .execute();
  // Deleting a client revokes its tokens at once (decision 6) through this cascade.
  await db.schema
    .createIndex('access_token_client_id_idx')
    .on('access_token')
    .column('client_id')
    .execute();

  await withTimes(
    withDomain(withId(db.schema.createTable('access_link'), 'access_link'), 'access_link')
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('valid_until', 'text'),
  )
    .addUniqueConstraint('access_link_code_key', ['code'])
    .execute();
  await db.schema
    .createIndex('access_link_domain_id_idx')
    .on('access_link')
    .column('domain_id')
    .execute();

  await withTimes(
    withDomain(
      withId(db.schema.createTable('alternative_domain'), 'alternative_domain'),
      'alternative_domain',
    ).addColumn('hostname', 'text', (c) => c.notNull()),
  )
    .addUniqueConstraint('alternative_domain_domain_id_hostname_key', ['domain_id', 'hostname'])
    .execute();
  await db.schema
    .createIndex('alternative_domain_hostname_idx')
    .on('alternative_domain')
    .column('hostname')
    .execute();

  await withTimes(
    withDomain(withId(db.schema.createTable('email_report'), 'email_report'), 'email_report')
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('interval', 'integer', (c) => c.notNull())
      .addColumn('next_report', 'text', (c) => c.notNull())
      .addColumn('unsubscribe_hash', 'text', (c) => c.notNull())
      .addColumn('last_period', 'text'),
  )
    .addUniqueConstraint('email_report_unsubscribe_hash_key', ['unsubscribe_hash'])
    .execute();
  await db.schema
    .createIndex('email_report_next_report_idx')
    .on('email_report')
    .column('next_report')
    .execute();
  await db.schema
    .createIndex('email_report_domain_id_idx')
    .on('email_report')
    .column('domain_id')
    .execute();

  await withTimes(
    withDomain(withId(db.schema.createTable('goal'), 'goal'), 'goal')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('path_pattern', 'text', (c) => c.notNull())
      .addColumn('pattern', 'text', (c) => c.notNull())
      .addColumn('visitor_goal', 'integer')
      .addColumn('cr_goal', 'double precision')
      .addColumn('delete_reached', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('email_reached', 'integer', (c) => c.notNull().defaultTo(0)),
  ).execute();
  await db.schema.createIndex('goal_domain_id_idx').on('goal').column('domain_id').execute();
}

/** Drops every table, children first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'goal',
    'email_report',
    'alternative_domain',
    'access_link',
    'access_token',
    'client',
    'invitation',
    'member',
    'domain',
    'user',
    'setting',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
