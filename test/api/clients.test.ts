import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDomain, makeOauthClient, tokenFor } from '../helpers/accounts.ts';
import { createManagementWorld, type ManagementWorld } from './world.ts';

let m: ManagementWorld;
beforeAll(async () => {
  m = await createManagementWorld();
});
afterAll(() => m.close());

const CLIENT_FIELDS = [
  'client_id',
  'def_time',
  'description',
  'domain_id',
  'id',
  'mod_time',
  'scope_domains',
  'scope_event',
  'scope_hit',
  'scope_session',
  'scope_statistics',
  'type',
];
const ALL = {
  scope_hit: 'w',
  scope_event: 'w',
  scope_session: 'w',
  scope_statistics: 'r',
  scope_domains: 'w',
};

const create = (payload: object) => m.call('owner', 'POST', '/api/v1/client', { payload });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const listDomains = (token: string) =>
  m.world.app.inject({ url: '/api/v1/domain', headers: bearer(token) });

describe('clients', () => {
  it('lists [] for a domain without clients; user clients are never listed', async () => {
    const domain = await makeDomain(m.world.meta.db, m.owner);
    await makeOauthClient(m.world.meta.db, m.owner, null);
    const res = await m.call('owner', 'GET', '/api/v1/client', { query: { id: domain.id } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([]);
  });

  it('creates an oauth client: the secret once, then a working client', async () => {
    const res = await create({ domain_id: m.domain.id, description: 'Backend', ...ALL });
    expect(res.statusCode, res.body).toBe(200);
    const client = res.json();
    expect(Object.keys(client).sort()).toEqual([...CLIENT_FIELDS, 'client_secret'].sort());
    expect(client).toMatchObject({
      domain_id: m.domain.id,
      type: 'oauth',
      description: 'Backend',
      ...ALL,
    });
    expect(client.client_id).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(client.client_secret).toMatch(/^[A-Za-z0-9]{64}$/);

    const token = await tokenFor(m.world.app, {
      id: client.id,
      clientId: client.client_id,
      secret: client.client_secret,
    });
    const domains = await listDomains(token);
    expect(
      domains.json().map((d: { id: string; user_role: string }) => [d.id, d.user_role]),
    ).toEqual([[m.domain.id, '']]);

    const list = await m.call('admin', 'GET', '/api/v1/client', {
      query: { domain_id: m.domain.id },
    });
    const listed = list.json().find((c: { id: string }) => c.id === client.id);
    expect(Object.keys(listed).sort()).toEqual(CLIENT_FIELDS);
    expect(listed).toEqual({ ...client, client_secret: undefined });
  });

  it('creates an access key: pa_ key, only the write scopes', async () => {
    const res = await create({ domain_id: m.domain.id, type: 'token', ...ALL });
    expect(res.statusCode, res.body).toBe(200);
    const key = res.json();
    expect(key).toMatchObject({
      type: 'token',
      client_id: '',
      scope_hit: 'w',
      scope_event: 'w',
      scope_session: 'w',
      scope_statistics: '',
      scope_domains: '',
    });
    expect(key.client_secret).toMatch(/^pa_[A-Za-z0-9]{45}$/);
    // A known key that may only send data: 403, not 401.
    expect((await listDomains(key.client_secret)).statusCode).toBe(403);
  });

  it('defaults to no scopes and accepts "" for none', async () => {
    const res = await create({ domain_id: m.domain.id, scope_hit: '' });
    expect(res.json()).toMatchObject({
      type: 'oauth',
      description: '',
      scope_hit: '',
      scope_event: '',
      scope_session: '',
      scope_statistics: '',
      scope_domains: '',
    });
  });

  it('validates scopes, type, description and domain before creating anything', async () => {
    const count = async () =>
      (await m.world.meta.db.selectFrom('client').select('id').execute()).length;
    const before = await count();
    const bad = await create({
      domain_id: m.domain.id,
      scope_hit: 'r',
      scope_event: 'rw',
      scope_session: 'x',
      scope_statistics: 'w',
      scope_domains: 'W',
      description: 'x'.repeat(300),
    });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().validation).sort()).toEqual([
      'description',
      'scope_domains',
      'scope_event',
      'scope_hit',
      'scope_session',
      'scope_statistics',
    ]);
    const type = await create({ domain_id: m.domain.id, type: 'password' });
    expect(type.statusCode).toBe(400);
    expect(type.json().validation).toHaveProperty('type');
    const noDomain = await create({ description: 'x' });
    expect(noDomain.statusCode).toBe(400);
    expect(noDomain.json().validation).toHaveProperty('domain_id');
    const wrongType = await create({ domain_id: m.domain.id, scope_hit: 1 });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().validation).toHaveProperty('scope_hit');
    expect(await count()).toBe(before);
  });

  it('updates only the description, by PUT or by POST with an id; no secret in the answer', async () => {
    const created = (
      await create({ domain_id: m.domain.id, description: 'one', scope_statistics: 'r' })
    ).json();
    const put = await m.call('admin', 'PUT', '/api/v1/client', {
      payload: { id: created.id, description: 'two' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(Object.keys(put.json()).sort()).toEqual(CLIENT_FIELDS);
    expect(put.json()).toMatchObject({
      id: created.id,
      description: 'two',
      client_id: created.client_id,
    });
    const post = await create({
      id: created.id,
      description: 'three',
      domain_id: 'ignored',
      scope_domains: 'w',
    });
    expect(post.statusCode, post.body).toBe(200);
    expect(post.json()).toMatchObject({
      id: created.id,
      description: 'three',
      scope_domains: '',
      scope_statistics: 'r',
    });
    expect(post.json()).not.toHaveProperty('client_secret');
    const tooLong = await m.call('owner', 'PUT', '/api/v1/client', {
      payload: { id: created.id, description: 'y'.repeat(256) },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().validation).toHaveProperty('description');
  });

  it('deletes a client: its tokens stop working at once', async () => {
    const created = (await create({ domain_id: m.domain.id, scope_statistics: 'r' })).json();
    const token = await tokenFor(m.world.app, {
      id: created.id,
      clientId: created.client_id,
      secret: created.client_secret,
    });
    expect((await listDomains(token)).statusCode).toBe(200);
    const res = await m.call('owner', 'DELETE', '/api/v1/client', { query: { id: created.id } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect((await listDomains(token)).statusCode).toBe(401);
    const key = (await create({ domain_id: m.domain.id, type: 'token', scope_hit: 'w' })).json();
    await m.call('admin', 'DELETE', '/api/v1/client', { query: { id: key.id } });
    expect((await listDomains(key.client_secret)).statusCode).toBe(401);
  });

  it('answers 400 without ids, 404 for unknown and user clients, 403 across domains', async () => {
    expect((await m.call('owner', 'GET', '/api/v1/client')).json().validation).toHaveProperty('id');
    expect((await m.call('owner', 'DELETE', '/api/v1/client')).json().validation).toHaveProperty(
      'id',
    );
    expect(
      (await m.call('owner', 'PUT', '/api/v1/client', { payload: { id: '' } })).statusCode,
    ).toBe(400);
    expect(
      (await m.call('owner', 'DELETE', '/api/v1/client', { query: { id: 'NoSuchCli1' } }))
        .statusCode,
    ).toBe(404);
    const userClient = await makeOauthClient(m.world.meta.db, m.owner, null);
    expect(
      (await m.call('owner', 'DELETE', '/api/v1/client', { query: { id: userClient.id } }))
        .statusCode,
    ).toBe(404);
    const foreign = await makeOauthClient(m.world.meta.db, m.stranger, m.otherDomain);
    expect(
      (
        await m.call('owner', 'PUT', '/api/v1/client', {
          payload: { id: foreign.id, description: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await m.call('owner', 'GET', '/api/v1/client', { query: { id: m.otherDomain.id } }))
        .statusCode,
    ).toBe(403);
    expect(
      (await m.call('owner', 'GET', '/api/v1/client', { query: { id: 'NoSuchDom1' } })).statusCode,
    ).toBe(404);
  });
});
