/**
 * Signing in to the dashboard: the first-run setup, e-mail and password sign-in, the sessions
 * behind the `spoor_session` cookie, password changes, and which domain a public or access-link
 * dashboard shows.
 *
 * A session token is 256 random bits stored only as its SHA-256 digest (like access tokens). The
 * CSRF token is an HMAC keyed with the session token, so it is bound to the session, needs no
 * storage, and cannot be computed without the (HttpOnly) cookie.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  AppError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from '../errors.ts';
import type { Domain, MetaDatabase, User } from '../store/meta/schema.ts';
import { nowIso } from '../store/meta/time.ts';
import { authorize } from './authorize.ts';
import { ALL_SCOPES } from './clients.ts';
import { toDomainJson, type DomainJson } from './domains.ts';
import type { ClientPrincipal, Principal, PublicPrincipal } from './principal.ts';
import { hashSecret, newAccessToken, sha256Hex, verifySecret } from './secrets.ts';
import { createUser, findUserByEmail, getUser } from './users.ts';
import { checkPassword } from './validate.ts';

/** A session lives this long after its last use (sliding). */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
// Sliding the expiry on every request would write on every request; hourly is precise enough.
const REFRESH_INTERVAL_MS = 60 * 60 * 1000;
// Tokens are 43 characters; anything much longer is not one of ours and is not even hashed.
const MAX_TOKEN_LENGTH = 128;
// Taken (row-locked) before the user count is read, so concurrent first-run setups on
// PostgreSQL queue up behind each other; SQLite transactions take the write lock up front anyway.
const SETUP_LOCK_KEY = 'dashboard_setup';

/** The signed-in user as the dashboard endpoints show it. */
export interface DashboardUserJson {
  id: string;
  email: string;
  full_name: string;
}

/** A new session: the raw token goes into the cookie and is never seen again. */
export interface SignedIn {
  user: DashboardUserJson;
  token: string;
  csrfToken: string;
  expiresAt: string;
}

/** A valid session behind a request's cookie. */
export interface ActiveSession {
  tokenHash: string;
  user: DashboardUserJson;
  csrfToken: string;
  expiresAt: string;
  /** True when this look-up slid the expiry forward (the cookie should be renewed). */
  refreshed: boolean;
  /** The user with every scope: a user client in all but name. */
  principal: ClientPrincipal;
}

// Verifying against a real hash when the e-mail is unknown keeps the response time the same,
// so timing does not reveal which addresses have accounts.
let decoyHash: Promise<string> | undefined;

/** True while no user exists: the dashboard offers the first-run setup. */
export async function needsSetup(db: Kysely<MetaDatabase>): Promise<boolean> {
  const row = await db.selectFrom('user').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/** Create the first user and sign them in; 409 once any user exists, 400 for bad fields. */
export async function setupFirstUser(
  db: Kysely<MetaDatabase>,
  input: { email: string; password: string; fullName?: string | undefined },
): Promise<SignedIn> {
  const user = await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('setting')
      .values({ key: SETUP_LOCK_KEY, value: nowIso() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: nowIso() }))
      .execute();
    if (!(await needsSetup(trx))) {
      throw new AppError(409, 'Spoor is already set up; sign in instead');
    }
    return createUser(trx, input);
  });
  return startSession(db, user);
}

/** Check an e-mail and password and start a session; 401 for wrong credentials. */
export async function signIn(
  db: Kysely<MetaDatabase>,
  credentials: { email: string; password: string },
): Promise<SignedIn> {
  const validation: Record<string, string> = {};
  if (credentials.email.trim() === '') validation.email = 'the e-mail address is required';
  if (credentials.password === '') validation.password = 'the password is required';
  if (Object.keys(validation).length > 0) throw new ValidationError(validation);
  const user = await findUserByEmail(db, credentials.email);
  decoyHash ??= hashSecret('spoor-decoy-password');
  const valid = await verifySecret(user?.password_hash ?? (await decoyHash), credentials.password);
  if (!user || !valid) throw new UnauthorizedError('the e-mail address or password is wrong');
  return startSession(db, user);
}

async function startSession(db: Kysely<MetaDatabase>, user: User): Promise<SignedIn> {
  const now = new Date();
  const token = newAccessToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  await db.transaction().execute(async (trx) => {
    // Expired sessions are useless; dropping the user's old ones here keeps the table small.
    await trx
      .deleteFrom('dashboard_session')
      .where('user_id', '=', user.id)
      .where('expires_at', '<=', now.toISOString())
      .execute();
    await trx
      .insertInto('dashboard_session')
      .values({
        token_hash: sha256Hex(token),
        user_id: user.id,
        expires_at: expiresAt,
        def_time: now.toISOString(),
      })
      .execute();
  });
  return { user: userJson(user), token, csrfToken: csrfTokenFor(token), expiresAt };
}

/**
 * The session behind a cookie token, or undefined when unknown or expired. Slides the expiry
 * forward when the last slide is more than an hour old.
 */
export async function authenticateSession(
  db: Kysely<MetaDatabase>,
  token: string,
): Promise<ActiveSession | undefined> {
  if (token === '' || token.length > MAX_TOKEN_LENGTH) return undefined;
  const tokenHash = sha256Hex(token);
  const now = Date.now();
  const row = await db
    .selectFrom('dashboard_session')
    .innerJoin('user', 'user.id', 'dashboard_session.user_id')
    .select(['dashboard_session.expires_at', 'user.id', 'user.email', 'user.full_name'])
    .where('dashboard_session.token_hash', '=', tokenHash)
    .where('dashboard_session.expires_at', '>', new Date(now).toISOString())
    .executeTakeFirst();
  if (!row) return undefined;
  let expiresAt = row.expires_at;
  const refreshed = Date.parse(expiresAt) - now < SESSION_TTL_MS - REFRESH_INTERVAL_MS;
  if (refreshed) {
    expiresAt = new Date(now + SESSION_TTL_MS).toISOString();
    await db
      .updateTable('dashboard_session')
      .set({ expires_at: expiresAt })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  return {
    tokenHash,
    user: userJson(row),
    csrfToken: csrfTokenFor(token),
    expiresAt,
    refreshed,
    principal: userPrincipal(row.id),
  };
}

/** End the session of a cookie token (nothing happens for an unknown one). */
export async function endSession(db: Kysely<MetaDatabase>, token: string): Promise<void> {
  if (token === '' || token.length > MAX_TOKEN_LENGTH) return;
  await db.deleteFrom('dashboard_session').where('token_hash', '=', sha256Hex(token)).execute();
}

/**
 * Change a user's password: 403 when `current` is wrong, 400 when `next` is not acceptable. Every
 * other session of the user ends; the one named by `keepTokenHash` stays signed in.
 */
export async function changePassword(
  db: Kysely<MetaDatabase>,
  userId: string,
  passwords: { current: string; next: string },
  keepTokenHash: string,
): Promise<void> {
  const user = await getUser(db, userId);
  if (!(await verifySecret(user.password_hash, passwords.current))) {
    throw new ForbiddenError('the current password is wrong');
  }
  const next = checkPassword(passwords.next);
  if (!next.ok) throw new ValidationError({ new_password: next.message });
  const passwordHash = await hashSecret(next.value);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('user')
      .set({ password_hash: passwordHash, mod_time: nowIso() })
      .where('id', '=', userId)
      .execute();
    await trx
      .deleteFrom('dashboard_session')
      .where('user_id', '=', userId)
      .where('token_hash', '!=', keepTokenHash)
      .execute();
  });
}

/** The CSRF token bound to a session token. */
export function csrfTokenFor(token: string): string {
  return createHmac('sha256', token).update('spoor-csrf').digest('base64url');
}

/** True when `presented` is the session's CSRF token (compared in constant time). */
export function csrfMatches(session: ActiveSession, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A signed-in user acts with every scope, like a user client of theirs. */
export function userPrincipal(userId: string): ClientPrincipal {
  return {
    kind: 'client',
    clientRecordId: '',
    type: 'oauth',
    userId,
    domainId: null,
    scopes: { ...ALL_SCOPES },
  };
}

/** The principal of a request without credential addressing `domainId`, if that domain is public. */
export async function authenticatePublicDomain(
  db: Kysely<MetaDatabase>,
  domainId: string,
): Promise<PublicPrincipal | undefined> {
  if (domainId === '') return undefined;
  const domain = await db
    .selectFrom('domain')
    .select('id')
    .where('id', '=', domainId)
    .where('public', '=', 1)
    .executeTakeFirst();
  return domain ? { kind: 'public', domainId: domain.id } : undefined;
}

/**
 * The domain a dashboard URL shows. By subdomain: a public domain for anyone (`user_role` ""
 * unless the caller is a member), a private one only for callers with access, else 404 (whether
 * it exists stays hidden). Without a subdomain: an access link's own domain.
 */
export async function dashboardSite(
  db: Kysely<MetaDatabase>,
  principal: Principal | undefined,
  subdomain: string | undefined,
): Promise<DomainJson> {
  const wanted = subdomain?.trim().toLowerCase() ?? '';
  if (wanted === '') {
    if (principal?.kind !== 'access_link') {
      throw new ValidationError({ subdomain: 'a subdomain or an access code is required' });
    }
    return toDomainJson(await domainById(db, principal.domainId), '');
  }
  const domain = await db
    .selectFrom('domain')
    .selectAll()
    .where('subdomain', '=', wanted)
    .executeTakeFirst();
  if (!domain) throw new NotFoundError('domain');
  try {
    const caller = principal ?? { kind: 'public', domainId: domain.id };
    const { role } = await authorize(db, caller, 'statistics', domain.id);
    return toDomainJson(domain, role);
  } catch (err) {
    if (err instanceof AppError && (err.status === 401 || err.status === 403)) {
      throw new NotFoundError('domain');
    }
    throw err;
  }
}

async function domainById(db: Kysely<MetaDatabase>, id: string): Promise<Domain> {
  const domain = await db.selectFrom('domain').selectAll().where('id', '=', id).executeTakeFirst();
  if (!domain) throw new NotFoundError('domain');
  return domain;
}

function userJson(user: { id: string; email: string; full_name: string }): DashboardUserJson {
  return { id: user.id, email: user.email, full_name: user.full_name };
}
