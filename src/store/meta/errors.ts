/**
 * Dialect-neutral recognition of constraint violations, so services answer 409 (or 404) the same
 * way whether the metadata store is SQLite or PostgreSQL.
 */

/** Which uniqueness rule a write broke. */
export interface UniqueViolation {
  /** Table of the rule, when the driver reports it. */
  table: string | undefined;
  /** Columns of the rule in declaration order, e.g. `['user_id', 'hostname']`. */
  columns: string[];
  /** PostgreSQL constraint name; undefined on SQLite, which does not report it. */
  constraint: string | undefined;
}

/**
 * The unique constraints (and primary keys) created by the migrations, by PostgreSQL name.
 * PostgreSQL's `detail` text ("Key (a, b)=(…) already exists.") is translated under a non-English
 * `lc_messages`, so the name, which is never translated, is looked up here first.
 */
const CONSTRAINTS: Readonly<Record<string, { table: string; columns: string[] }>> = {
  setting_pkey: { table: 'setting', columns: ['key'] },
  user_pkey: { table: 'user', columns: ['id'] },
  user_email_key: { table: 'user', columns: ['email'] },
  domain_pkey: { table: 'domain', columns: ['id'] },
  domain_subdomain_key: { table: 'domain', columns: ['subdomain'] },
  domain_user_id_hostname_key: { table: 'domain', columns: ['user_id', 'hostname'] },
  domain_identification_code_key: { table: 'domain', columns: ['identification_code'] },
  member_pkey: { table: 'member', columns: ['id'] },
  member_domain_id_user_id_key: { table: 'member', columns: ['domain_id', 'user_id'] },
  invitation_pkey: { table: 'invitation', columns: ['id'] },
  invitation_token_hash_key: { table: 'invitation', columns: ['token_hash'] },
  client_pkey: { table: 'client', columns: ['id'] },
  client_client_id_key: { table: 'client', columns: ['client_id'] },
  client_key_hash_key: { table: 'client', columns: ['key_hash'] },
  access_token_pkey: { table: 'access_token', columns: ['token_hash'] },
  access_link_pkey: { table: 'access_link', columns: ['id'] },
  access_link_code_key: { table: 'access_link', columns: ['code'] },
  alternative_domain_pkey: { table: 'alternative_domain', columns: ['id'] },
  alternative_domain_domain_id_hostname_key: {
    table: 'alternative_domain',
    columns: ['domain_id', 'hostname'],
  },
  email_report_pkey: { table: 'email_report', columns: ['id'] },
  email_report_unsubscribe_hash_key: { table: 'email_report', columns: ['unsubscribe_hash'] },
  goal_pkey: { table: 'goal', columns: ['id'] },
};

const SQLITE_UNIQUE_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const PG_UNIQUE_VIOLATION = '23505';
const PG_FOREIGN_KEY_VIOLATION = '23503';

/** The string-valued property `name` of an error object, if any (driver errors are duck-typed). */
function prop(err: unknown, name: string): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const value = (err as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** True when `err` is a unique or primary-key violation on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const code = prop(err, 'code');
  return code !== undefined && (SQLITE_UNIQUE_CODES.has(code) || code === PG_UNIQUE_VIOLATION);
}

/** True when `err` is a foreign-key violation (e.g. the domain was deleted meanwhile). */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = prop(err, 'code');
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === PG_FOREIGN_KEY_VIOLATION) return true;
  // SQLite reports an ON DELETE RESTRICT failure under the trigger code.
  return code === 'SQLITE_CONSTRAINT_TRIGGER' && /FOREIGN KEY/.test(prop(err, 'message') ?? '');
}

/** Details of a unique violation (table, columns), or null when `err` is not one. */
export function getUniqueViolation(err: unknown): UniqueViolation | null {
  if (!isUniqueViolation(err)) return null;
  const code = prop(err, 'code');
  const message = prop(err, 'message') ?? '';
  if (code !== PG_UNIQUE_VIOLATION) {
    // better-sqlite3: "UNIQUE constraint failed: domain.user_id, domain.hostname", or
    // "UNIQUE constraint failed: index 'name'" for an expression index.
    const list = /constraint failed: (.*)$/.exec(message)?.[1] ?? '';
    const parts = list.includes('.') ? list.split(', ').map((p) => p.split('.')) : [];
    return {
      table: parts[0]?.[0],
      columns: parts.map((p) => p.slice(1).join('.')),
      constraint: undefined,
    };
  }
  const constraint = prop(err, 'constraint');
  const known = constraint === undefined ? undefined : CONSTRAINTS[constraint];
  if (known) return { table: known.table, columns: [...known.columns], constraint };
  const detailColumns = /^Key \((.+?)\)=\(/.exec(prop(err, 'detail') ?? '')?.[1];
  return {
    table: prop(err, 'table'),
    columns: detailColumns ? detailColumns.split(', ').map((c) => c.replace(/^"|"$/g, '')) : [],
    constraint,
  };
}

/** True when `err` is a unique violation of exactly these columns of `table` (any order). */
export function isUniqueViolationOf(
  err: unknown,
  table: string,
  columns: readonly string[],
): boolean {
  const v = getUniqueViolation(err);
  if (!v || v.table !== table || v.columns.length !== columns.length) return false;
  return columns.every((c) => v.columns.includes(c));
}
