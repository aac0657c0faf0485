import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import {
  authorize,
  authorizeAccount,
  type AccountAction,
  type DomainAction,
} from '../../src/manage/authorize.ts';
import { newEntityId } from '../../src/manage/secrets.ts';
import { principalOf } from '../../src/server/auth.ts';
import { nowIso } from '../../src/store/meta/time.ts';
import type { Domain } from '../../src/store/meta/schema.ts';
import {
  addMember,
  makeAccessKey,
  makeDomain,
  makeOauthClient,
  makeUser,
  tokenFor,
} from '../helpers/accounts.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';

// Probe routes exercise the one authorization check exactly as feature routes will.
let world: TestWorld;
let domain: Domain;
let otherDomain: Domain;
const bearer: Record<string, string> = {};
let linkCode: string;

const ACTIONS: DomainAction[] = [
  'hit',
  'event',
  'session',
  'statistics',
  'domains:read',
  'domains:write',
  'domain:delete',
  'clients:read',
  'clients:write',
];

// Expected status per principal, one column per entry of ACTIONS (API.md §2.4, decision 5).
const MATRIX: Record<string, number[]> = {
  owner: [200, 200, 200, 200, 200, 200, 200, 200, 200],
  admin: [200, 200, 200, 200, 200, 200, 403, 200, 200],
  viewer: [403, 403, 403, 200, 200, 403, 403, 403, 403],
  stranger: [403, 403, 403, 403, 403, 403, 403, 403, 403],
  domainClient: [200, 200, 200, 200, 200, 200, 403, 403, 403],
  otherDomainClient: [403, 403, 403, 403, 403, 403, 403, 403, 403],
  accessKey: [200, 200, 200, 403, 403, 403, 403, 403, 403],
  otherAccessKey: [403, 403, 403, 403, 403, 403, 403, 403, 403],
  accessLink: [403, 403, 403, 200, 403, 403, 403, 403, 403],
  ownerStatisticsOnly: [403, 403, 403, 200, 403, 403, 403, 403, 403],
  ownerDomainsRead: [403, 403, 403, 403, 200, 403, 403, 200, 403],
  ownerHitOnly: [200, 403, 403, 403, 403, 403, 403, 403, 403],
};

beforeAll(async () => {
  world = await createTestWorld({}, (app, stores) => {
    app.get(
      '/api/v1/probe/:action',
      {
        config: { auth: 'client-or-link' },
        schema: {
          params: Type.Object({ action: Type.String() }),
          querystring: Type.Object({ id: Type.String(), access: Type.Optional(Type.String()) }),
        },
      },
      async (request) => {
        const access = await authorize(
          stores.meta.db,
          principalOf(request),
          request.params.action as DomainAction,
          request.query.id,
        );
        return { role: access.role };
      },
    );
    app.get(
      '/api/v1/probe-account/:action',
      {
        config: { auth: 'client-or-link' },
        schema: { params: Type.Object({ action: Type.String() }) },
      },
      async (request) => {
        authorizeAccount(principalOf(request), request.params.action as AccountAction);
        return {};
      },
    );
  });
  const db = world.meta.db;
  const owner = await makeUser(db, 'owner');
  const admin = await makeUser(db, 'admin');
  const viewer = await makeUser(db, 'viewer');
  const stranger = await makeUser(db, 'stranger');
  domain = await makeDomain(db, owner);
  otherDomain = await makeDomain(db, stranger);
  await addMember(db, domain, admin, 'admin');
  await addMember(db, domain, viewer, 'viewer');
  const token = async (
    user: typeof owner,
    d: Domain | null,
    scopes?: Parameters<typeof makeOauthClient>[3],
  ) => tokenFor(world.app, await makeOauthClient(db, user, d, scopes));
  bearer.owner = await token(owner, null);
  bearer.admin = await token(admin, null);
  bearer.viewer = await token(viewer, null);
  bearer.stranger = await token(stranger, null);
  bearer.domainClient = await token(owner, domain);
  bearer.otherDomainClient = await token(stranger, otherDomain);
  bearer.accessKey = await makeAccessKey(db, owner, domain);
  bearer.otherAccessKey = await makeAccessKey(db, stranger, otherDomain);
  bearer.ownerStatisticsOnly = await token(owner, null, { statistics: 'r' });
  bearer.ownerDomainsRead = await token(owner, null, { domains: 'r' });
  bearer.ownerHitOnly = await token(owner, null, { hit: 'w' });
  linkCode = 'L'.repeat(32);
  await db
    .insertInto('access_link')
    .values({
      id: newEntityId(),
      domain_id: domain.id,
      code: linkCode,
      description: '',
      valid_until: null,
      def_time: nowIso(),
      mod_time: nowIso(),
    })
    .execute();
});
afterAll(() => world.close());

function probe(who: string, action: string, domainId: string) {
  const link = who === 'accessLink';
  return world.app.inject({
    method: 'GET',
    url: `/api/v1/probe/${action}`,
    query: link ? { id: domainId, access: linkCode } : { id: domainId },
    headers: link ? {} : { authorization: `Bearer ${bearer[who]}` },
  });
}

describe('authorization matrix', () => {
  const cells = Object.entries(MATRIX).flatMap(([who, statuses]) =>
    ACTIONS.map((action, i) => [who, action, statuses[i]] as const),
  );
  it.each(cells)('%s → %s answers %i', async (who, action, expected) => {
    const res = await probe(who, action, domain.id);
    expect(res.statusCode, res.body).toBe(expected);
    if (expected !== 200) expect(res.json()).toHaveProperty('error');
  });

  it('reports the role on the domain', async () => {
    expect((await probe('owner', 'statistics', domain.id)).json()).toEqual({ role: 'Owner' });
    expect((await probe('admin', 'statistics', domain.id)).json()).toEqual({ role: 'Admin' });
    expect((await probe('viewer', 'statistics', domain.id)).json()).toEqual({ role: 'Viewer' });
    expect((await probe('domainClient', 'statistics', domain.id)).json()).toEqual({ role: '' });
  });

  it('answers 404 for an unknown domain once kind and scope allow the action', async () => {
    expect((await probe('owner', 'statistics', 'NoSuchDom1')).statusCode).toBe(404);
    expect((await probe('accessKey', 'hit', 'NoSuchDom1')).statusCode).toBe(404);
    expect((await probe('ownerStatisticsOnly', 'clients:read', 'NoSuchDom1')).statusCode).toBe(403);
    expect((await probe('accessKey', 'statistics', 'NoSuchDom1')).statusCode).toBe(403);
  });

  it('never lets a domain client see another domain', async () => {
    for (const action of ACTIONS) {
      expect((await probe('domainClient', action, otherDomain.id)).statusCode).toBe(403);
      expect((await probe('accessLink', action, otherDomain.id)).statusCode).toBe(403);
    }
  });

  it('rejects an unknown access code with 401', async () => {
    const res = await world.app.inject({
      method: 'GET',
      url: '/api/v1/probe/statistics',
      query: { id: domain.id, access: 'wrong' },
    });
    expect(res.statusCode).toBe(401);
  });

  const accountCases: [string, AccountAction, number][] = [
    ['owner', 'domain:list', 200],
    ['ownerStatisticsOnly', 'domain:list', 200],
    ['ownerDomainsRead', 'domain:list', 200],
    ['ownerHitOnly', 'domain:list', 403],
    ['accessKey', 'domain:list', 403],
    ['owner', 'domain:create', 200],
    ['ownerDomainsRead', 'domain:create', 403],
    ['domainClient', 'domain:create', 403],
    ['accessKey', 'domain:create', 403],
  ];
  it.each(accountCases)('%s → %s answers %i', async (who, action, expected) => {
    const res = await world.app.inject({
      method: 'GET',
      url: `/api/v1/probe-account/${action}`,
      headers: { authorization: `Bearer ${bearer[who]}` },
    });
    expect(res.statusCode, res.body).toBe(expected);
  });
});

describe('GET /api/v1/domain', () => {
  const list = async (who: string) => {
    const res = await world.app.inject({
      method: 'GET',
      url: '/api/v1/domain',
      headers: { authorization: `Bearer ${bearer[who]}` },
    });
    return { status: res.statusCode, body: res.json() as { id: string; user_role: string }[] };
  };

  it('lists owned and shared domains with the caller role', async () => {
    const owner = await list('owner');
    expect(owner.status).toBe(200);
    expect(owner.body.map((d) => [d.id, d.user_role])).toEqual([[domain.id, 'Owner']]);
    expect((await list('admin')).body.map((d) => d.user_role)).toEqual(['Admin']);
    expect((await list('viewer')).body.map((d) => d.user_role)).toEqual(['Viewer']);
    expect((await list('stranger')).body.map((d) => d.id)).toEqual([otherDomain.id]);
  });

  it('gives a domain client exactly its domain, with an empty role', async () => {
    const res = await list('domainClient');
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatchObject({ id: domain.id, user_role: '' });
  });

  it('returns the full domain object', async () => {
    const [d] = (await list('owner')).body;
    expect(Object.keys(d!).sort()).toEqual(
      [
        'id',
        'def_time',
        'mod_time',
        'user_id',
        'hostname',
        'subdomain',
        'identification_code',
        'public',
        'google_user_id',
        'google_user_email',
        'gsc_domain',
        'new_owner',
        'timezone',
        'group_by_title',
        'user_role',
      ].sort(),
    );
    expect(d).toMatchObject({
      public: false,
      group_by_title: false,
      timezone: null,
      new_owner: null,
    });
    expect((d as unknown as { identification_code: string }).identification_code).toMatch(
      /^[A-Za-z0-9]{32}$/,
    );
  });

  it('gives an access link exactly its domain', async () => {
    const res = await world.app.inject({
      method: 'GET',
      url: '/api/v1/domain',
      query: { access: linkCode },
    });
    expect(res.statusCode).toBe(200);
    expect(
      (res.json() as { id: string; user_role: string }[]).map((d) => [d.id, d.user_role]),
    ).toEqual([[domain.id, '']]);
  });

  it('refuses access keys', async () => {
    expect((await list('accessKey')).status).toBe(403);
  });
});
