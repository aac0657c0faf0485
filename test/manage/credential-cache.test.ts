import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deleteClient } from '../../src/manage/clients.ts';
import { CredentialCache } from '../../src/manage/credential-cache.ts';
import { newAccessToken, sha256Hex } from '../../src/manage/secrets.ts';
import { metaChanged } from '../../src/store/meta/changes.ts';
import type { Domain, User } from '../../src/store/meta/schema.ts';
import { makeAccessKey, makeDomain, makeOauthClient, makeUser } from '../helpers/accounts.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';

let world: TestWorld;
let user: User;
let domain: Domain;
const caches: CredentialCache[] = [];

beforeAll(async () => {
  world = await createTestWorld();
  user = await makeUser(world.meta.db);
  domain = await makeDomain(world.meta.db, user);
});
afterAll(() => world.close());
afterEach(() => {
  for (const cache of caches.splice(0)) cache.close();
});

/** A cache on the test world's store with a clock the test moves. */
function cacheWithClock(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const clock = { now: Date.now() };
  const cache = new CredentialCache(world.meta.db, { ...options, now: () => clock.now });
  caches.push(cache);
  return { cache, clock };
}

const keyRecordId = async (key: string) =>
  (
    await world.meta.db
      .selectFrom('client')
      .select('id')
      .where('key_hash', '=', sha256Hex(key))
      .executeTakeFirstOrThrow()
  ).id;

/** An access token for a new domain client, expiring `inMs` from now. */
async function tokenExpiringIn(inMs: number): Promise<string> {
  const client = await makeOauthClient(world.meta.db, user, domain);
  const token = newAccessToken();
  await world.meta.db
    .insertInto('access_token')
    .values({
      token_hash: sha256Hex(token),
      client_id: client.id,
      expires_at: new Date(Date.now() + inMs).toISOString(),
      def_time: new Date().toISOString(),
    })
    .execute();
  return token;
}

describe('CredentialCache', () => {
  it('resolves access keys and tokens like the store does', async () => {
    const { cache } = cacheWithClock();
    const key = await makeAccessKey(world.meta.db, user, domain);
    expect(await cache.authenticate(key)).toMatchObject({
      kind: 'client',
      type: 'token',
      domainId: domain.id,
      userId: user.id,
      scopes: { hit: 'w' },
    });
    expect(await cache.authenticate(await tokenExpiringIn(60_000))).toMatchObject({
      type: 'oauth',
      domainId: domain.id,
    });
    expect(await cache.authenticate('')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('serves a known credential without the store until its lifetime ends', async () => {
    const { cache, clock } = cacheWithClock({ ttlMs: 5_000 });
    const key = await makeAccessKey(world.meta.db, user, domain);
    expect(await cache.authenticate(key)).toBeDefined();
    // Deleted behind the services' back (as another node would): unseen until the entry expires.
    await world.meta.db
      .deleteFrom('client')
      .where('id', '=', await keyRecordId(key))
      .execute();
    clock.now += 4_999;
    expect(await cache.authenticate(key)).toBeDefined();
    clock.now += 1;
    expect(await cache.authenticate(key)).toBeUndefined();
  });

  it('refuses a client at once when its deletion is announced', async () => {
    const { cache } = cacheWithClock({ ttlMs: 3_600_000 });
    const key = await makeAccessKey(world.meta.db, user, domain);
    expect(await cache.authenticate(key)).toBeDefined();
    await deleteClient(world.meta.db, await keyRecordId(key));
    expect(cache.size).toBe(0);
    expect(await cache.authenticate(key)).toBeUndefined();
  });

  it('never keeps an access token past its expiry', async () => {
    const cache = new CredentialCache(world.meta.db, { ttlMs: 3_600_000 });
    caches.push(cache);
    const token = await tokenExpiringIn(150);
    expect(await cache.authenticate(token)).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await cache.authenticate(token)).toBeUndefined();
  });

  it('does not remember unknown credentials', async () => {
    const { cache } = cacheWithClock();
    expect(await cache.authenticate('pa_' + 'x'.repeat(45))).toBeUndefined();
    expect(await cache.authenticate('y'.repeat(43))).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries credentials, dropping the least recently used', async () => {
    const { cache } = cacheWithClock({ maxEntries: 2 });
    const [a, b, c] = [
      await makeAccessKey(world.meta.db, user, domain),
      await makeAccessKey(world.meta.db, user, domain),
      await makeAccessKey(world.meta.db, user, domain),
    ];
    await cache.authenticate(a);
    await cache.authenticate(b);
    await cache.authenticate(a); // a is now the most recently used
    await cache.authenticate(c);
    expect(cache.size).toBe(2);
    // b went: deleting it in the store is seen at once, while a is still served from memory.
    await world.meta.db
      .deleteFrom('client')
      .where('id', '=', await keyRecordId(b))
      .execute();
    await world.meta.db
      .deleteFrom('client')
      .where('id', '=', await keyRecordId(a))
      .execute();
    expect(await cache.authenticate(b)).toBeUndefined();
    expect(await cache.authenticate(a)).toBeDefined();
  });

  it('does not store what a look-up read before a change was announced', async () => {
    const { cache } = cacheWithClock();
    const key = await makeAccessKey(world.meta.db, user, domain);
    const pending = cache.authenticate(key);
    metaChanged();
    expect(await pending).toBeDefined();
    expect(cache.size).toBe(0);
  });

  it('hands out principals nobody can change', async () => {
    const { cache } = cacheWithClock();
    const principal = await cache.authenticate(await makeAccessKey(world.meta.db, user, domain));
    expect(Object.isFrozen(principal)).toBe(true);
    expect(Object.isFrozen(principal?.scopes)).toBe(true);
  });
});
