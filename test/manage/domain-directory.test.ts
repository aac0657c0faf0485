import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authorizeWith } from '../../src/manage/authorize.ts';
import { DomainDirectory } from '../../src/manage/domain-directory.ts';
import type { ClientPrincipal } from '../../src/manage/principal.ts';
import { metaChanged } from '../../src/store/meta/changes.ts';
import type { Domain, User } from '../../src/store/meta/schema.ts';
import { addMember, makeDomain, makeUser } from '../helpers/accounts.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';

let world: TestWorld;
let owner: User;
let domain: Domain;
const directories: DomainDirectory[] = [];

beforeAll(async () => {
  world = await createTestWorld();
  owner = await makeUser(world.meta.db);
  domain = await makeDomain(world.meta.db, owner);
});
afterAll(() => world.close());
afterEach(() => {
  for (const directory of directories.splice(0)) directory.close();
});

function directoryWithClock() {
  const clock = { now: Date.now() };
  const directory = new DomainDirectory(world.meta.db, 10_000, () => clock.now);
  directories.push(directory);
  return { directory, clock };
}

/** A user client of `user` with every scope (what a dashboard session also is). */
const userClient = (user: User): ClientPrincipal => ({
  kind: 'client',
  clientRecordId: 'c',
  type: 'oauth',
  userId: user.id,
  domainId: null,
  scopes: { hit: 'w', event: 'w', session: 'w', statistics: 'r', domains: 'w' },
});

const setRole = (user: User, role: 'admin' | 'viewer') =>
  world.meta.db
    .updateTable('member')
    .set({ role })
    .where('domain_id', '=', domain.id)
    .where('user_id', '=', user.id)
    .execute();

describe('DomainDirectory as the source of ingestion authorization', () => {
  it('decides like the store and caches what it read until a change is announced', async () => {
    const { directory } = directoryWithClock();
    const admin = await makeUser(world.meta.db, 'admin');
    await addMember(world.meta.db, domain, admin, 'admin');
    const access = await authorizeWith(directory, userClient(admin), 'hit', domain.id);
    expect(access.role).toBe('Admin');
    expect(access.domain).toMatchObject({ id: domain.id, userId: owner.id, public: false });
    expect((await directory.managedBy(admin.id)).map((d) => d.id)).toEqual([domain.id]);

    // Changed behind the services' back: still the cached answer.
    await setRole(admin, 'viewer');
    expect((await authorizeWith(directory, userClient(admin), 'hit', domain.id)).role).toBe(
      'Admin',
    );
    // Announced (as the member services do): the next check reads the store.
    metaChanged(domain.id);
    await expect(authorizeWith(directory, userClient(admin), 'hit', domain.id)).rejects.toThrow(
      /role/,
    );
    expect(await directory.managedBy(admin.id)).toEqual([]);
  });

  it('forgets entries after their lifetime', async () => {
    const { directory, clock } = directoryWithClock();
    const viewer = await makeUser(world.meta.db, 'viewer');
    await addMember(world.meta.db, domain, viewer, 'viewer');
    expect(await directory.memberRole(domain.id, viewer.id)).toBe('viewer');
    await setRole(viewer, 'admin');
    clock.now += 9_999;
    expect(await directory.memberRole(domain.id, viewer.id)).toBe('viewer');
    clock.now += 2;
    expect(await directory.memberRole(domain.id, viewer.id)).toBe('admin');
  });

  it('caches the domains of a host name until a domain is created or changed', async () => {
    const { directory } = directoryWithClock();
    const moved = await makeDomain(world.meta.db, owner, 'elsewhere.example.com');
    expect(await directory.byHostname('www.later.example.com')).toEqual([]);
    // Renamed without announcing it: the cached answer stands.
    await world.meta.db
      .updateTable('domain')
      .set({ hostname: 'later.example.com' })
      .where('id', '=', moved.id)
      .execute();
    expect(await directory.byHostname('www.later.example.com')).toEqual([]);
    // Created through the service, which announces it: both found (the www. variant matches).
    const created = await makeDomain(world.meta.db, owner, 'www.later.example.com');
    const found = await directory.byHostname('www.later.example.com');
    expect(found.map((d) => d.id).sort()).toEqual([created.id, moved.id].sort());
  });

  it('does not store what a load read before a change was announced', async () => {
    const { directory } = directoryWithClock();
    const member = await makeUser(world.meta.db, 'member');
    await addMember(world.meta.db, domain, member, 'admin');
    const pending = directory.memberRole(domain.id, member.id);
    metaChanged(domain.id);
    expect(await pending).toBe('admin');
    await setRole(member, 'viewer');
    expect(await directory.memberRole(domain.id, member.id)).toBe('viewer');
  });
});
