/**
 * Minimal valid rows for every metadata table, so tests state only what they are about.
 */
import { randomBytes } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type {
  AccessLinkTable,
  AccessTokenTable,
  AlternativeDomainTable,
  ClientTable,
  DomainTable,
  EmailReportTable,
  GoalTable,
  InvitationTable,
  MemberTable,
  MetaDatabase,
  UserTable,
} from '../../../src/store/meta/schema.ts';

type Db = Kysely<MetaDatabase>;

export const T0 = '2024-01-01T00:00:00.000Z';

/** A random token of `n` hex characters, unique enough for test rows. */
export function rid(n = 10): string {
  return randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n);
}

/** Inserts a user; returns its row. */
export async function addUser(db: Db, over: Partial<Insertable<UserTable>> = {}) {
  const row = {
    id: rid(),
    email: `${rid()}@example.com`,
    full_name: 'Test User',
    password_hash: '$argon2id$test',
    def_time: T0,
    mod_time: T0,
    ...over,
  };
  await db.insertInto('user').values(row).execute();
  return row;
}

/** Inserts a domain owned by `userId`. */
export async function addDomain(
  db: Db,
  userId: string,
  over: Partial<Insertable<DomainTable>> = {},
) {
  const row = {
    id: rid(),
    user_id: userId,
    hostname: `${rid()}.example.com`,
    subdomain: `s-${rid()}`,
    identification_code: rid(32),
    public: 0,
    group_by_title: 0,
    timezone: null,
    def_time: T0,
    mod_time: T0,
    ...over,
  };
  await db.insertInto('domain').values(row).execute();
  return row;
}

/** Inserts a membership of `userId` in `domainId`. */
export async function addMember(
  db: Db,
  domainId: string,
  userId: string,
  over: Partial<Insertable<MemberTable>> = {},
) {
  const row = {
    id: rid(),
    domain_id: domainId,
    user_id: userId,
    role: 'viewer' as const,
    def_time: T0,
    mod_time: T0,
    ...over,
  };
  await db.insertInto('member').values(row).execute();
  return row;
}

/** Inserts a pending invitation to `domainId`. */
export async function addInvitation(
  db: Db,
  domainId: string,
  invitedBy: string,
  over: Partial<Insertable<InvitationTable>> = {},
) {
  const row = {
    id: rid(),
    domain_id: domainId,
    email: `${rid()}@example.com`,
    role: 'viewer' as const,
    token_hash: rid(64),
    invited_by: invitedBy,
    expires_at: T0,
    def_time: T0,
    ...over,
  };
  await db.insertInto('invitation').values(row).execute();
  return row;
}

/** Inserts an oauth client (pass `type: 'token'`, `client_id: null`, `key_hash` for a key). */
export async function addClient(
  db: Db,
  userId: string,
  domainId: string | null,
  over: Partial<Insertable<ClientTable>> = {},
) {
  const row = {
    id: rid(),
    user_id: userId,
    domain_id: domainId,
    type: 'oauth' as const,
    client_id: rid(32),
    secret_hash: '$argon2id$secret',
    key_hash: null,
    description: '',
    scope_hit: 'w',
    scope_event: 'w',
    scope_session: 'w',
    scope_statistics: 'r',
    scope_domains: 'w',
    def_time: T0,
    mod_time: T0,
    ...over,
  };
  await db.insertInto('client').values(row).execute();
  return row;
}

/** Inserts an access token of client record `clientId`. */
export async function addToken(
  db: Db,
  clientId: string,
  over: Partial<Insertable<AccessTokenTable>> = {},
) {
  const row = { token_hash: rid(64), client_id: clientId, expires_at: T0, def_time: T0, ...over };
  await db.insertInto('access_token').values(row).execute();
  return row;
}

/** Inserts an access link of `domainId`. */
export async function addLink(
  db: Db,
  domainId: string,
  over: Partial<Insertable<AccessLinkTable>> = {},
) {
  const row = {
    id: rid(),
    domain_id: domainId,
    code: rid(32),
    description: '',
    valid_until: null,
    def_time: T0,
    mod_time: T0,
    ...over,
  };
  await db.insertInto('access_link').values(row).execute();
  return row;
}

/** Inserts an alternative host name of `domainId`. */
export async function addAlternative(
  db: Db,
  domainId: string,
  over: Partial<Insertable<AlternativeDomainTable>> = {},
) {
  const row = {
    id: rid(),
    domain_id: domainId,
    hostname: `${rid()}.example.org`,
    def_time: T0,
    mod_time: T0,
    ...over,
  };
  await db.insertInto('alternative_domain').values(row).execute();
  return row;
}

/** Inserts an email report of `domainId`. */
export async function addReport(
  db: Db,
  domainId: string,
  over: Partial<Insertable<EmailReportTable>> = {},
) {
  const row = {
    id: rid(),
    domain_id: domainId,
    email: `${rid()}@example.com`,
    interval: 1,
    next_report: T0,
    unsubscribe_hash: rid(64),
    last_period: null,
    def_time: T0,
    mod_time: T0,
    ...over,
  };
  await db.insertInto('email_report').values(row).execute();
  return row;
}

/** Inserts a conversion goal of `domainId`. */
export async function addGoal(db: Db, domainId: string, over: Partial<Insertable<GoalTable>> = {}) {
  const row = {
    id: rid(),
    domain_id: domainId,
    name: 'Checkout',
    path_pattern: '/checkout/**',
    pattern: '(?i)^/checkout/.*$',
    visitor_goal: null,
    cr_goal: null,
    delete_reached: 0,
    email_reached: 0,
    def_time: T0,
    mod_time: T0,
    ...over,
  };
  await db.insertInto('goal').values(row).execute();
  return row;
}
