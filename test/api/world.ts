/**
 * A test world for the management API: an owner with one domain, an admin and a viewer member,
 * a stranger with another domain, and a credential for each kind of caller.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sha256Hex } from '../../src/manage/secrets.ts';
import type { Domain, User } from '../../src/store/meta/schema.ts';
import {
  addMember,
  makeAccessKey,
  makeDomain,
  makeOauthClient,
  makeUser,
  tokenFor,
} from '../helpers/accounts.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';
import { createTestPgDatabase, type TestPgDatabase } from '../store/meta/pg-fixture.ts';

/** Every kind of caller the authorization matrix distinguishes. */
export const CALLERS = [
  'owner',
  'admin',
  'viewer',
  'domainClient',
  'otherDomainClient',
  'accessKey',
  'none',
  'expired',
] as const;
export type Caller = (typeof CALLERS)[number];

export interface ManagementWorld {
  world: TestWorld;
  owner: User;
  admin: User;
  viewer: User;
  stranger: User;
  /** Owned by `owner`; `admin` and `viewer` are its members. */
  domain: Domain;
  /** Owned by `stranger`. */
  otherDomain: Domain;
  /** The user behind each caller (undefined for none/expired). */
  userOf: Record<Caller, User | undefined>;
  /** Call the API as `who`; `payload` is sent as JSON. */
  call(
    who: Caller,
    method: InjectOptions['method'],
    url: string,
    options?: { query?: Record<string, string>; payload?: unknown },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * Build the world: users, domains, memberships and a credential per caller. The metadata store
 * is SQLite, or a throw-away database on the local PostgreSQL with `metadata: 'postgres'`.
 */
export async function createManagementWorld(
  metadata: 'sqlite' | 'postgres' = 'sqlite',
): Promise<ManagementWorld> {
  let pg: TestPgDatabase | undefined;
  if (metadata === 'postgres') pg = await createTestPgDatabase();
  const world = await createTestWorld(pg ? { SPOOR_DATABASE_URL: pg.url } : {});
  const db = world.meta.db;
  const owner = await makeUser(db, 'owner');
  const admin = await makeUser(db, 'admin');
  const viewer = await makeUser(db, 'viewer');
  const stranger = await makeUser(db, 'stranger');
  const domain = await makeDomain(db, owner);
  const otherDomain = await makeDomain(db, stranger);
  await addMember(db, domain, admin, 'admin');
  await addMember(db, domain, viewer, 'viewer');
  const token = async (user: User, d: Domain | null) =>
    tokenFor(world.app, await makeOauthClient(db, user, d));
  const expired = await token(owner, null);
  await db
    .updateTable('access_token')
    .set({ expires_at: '2000-01-01T00:00:00.000Z' })
    .where('token_hash', '=', sha256Hex(expired))
    .execute();
  const bearer: Record<Caller, string | undefined> = {
    owner: await token(owner, null),
    admin: await token(admin, null),
    viewer: await token(viewer, null),
    domainClient: await token(owner, domain),
    otherDomainClient: await token(stranger, otherDomain),
    accessKey: await makeAccessKey(db, owner, domain),
    none: undefined,
    expired,
  };
  return {
    world,
    owner,
    admin,
    viewer,
    stranger,
    domain,
    otherDomain,
    userOf: {
      owner,
      admin,
      viewer,
      domainClient: owner,
      otherDomainClient: stranger,
      accessKey: owner,
      none: undefined,
      expired: undefined,
    },
    call(who, method, url, options = {}) {
      const auth = bearer[who];
      return world.app.inject({
        method,
        url,
        query: options.query,
        headers: auth === undefined ? {} : { authorization: `Bearer ${auth}` },
        ...(options.payload === undefined ? {} : { payload: options.payload as object }),
      });
    },
    async close() {
      await world.close();
      await pg?.drop();
    },
  };
}
