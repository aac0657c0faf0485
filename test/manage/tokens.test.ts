import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Domain, User } from '../../src/store/meta/schema.ts';
import { sha256Hex } from '../../src/manage/secrets.ts';
import {
  makeAccessKey,
  makeDomain,
  makeOauthClient,
  makeUser,
  tokenFor,
  type OauthClient,
} from '../helpers/accounts.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';

let world: TestWorld;
let user: User;
let domain: Domain;
let client: OauthClient;

beforeAll(async () => {
  world = await createTestWorld({ SPOOR_TOKEN_TTL: '1h' });
  user = await makeUser(world.meta.db);
  domain = await makeDomain(world.meta.db, user);
  client = await makeOauthClient(world.meta.db, user, null);
});
afterAll(() => world.close());

const listDomains = (bearer: string) =>
  world.app.inject({
    method: 'GET',
    url: '/api/v1/domain',
    headers: { authorization: `Bearer ${bearer}` },
  });

const requestToken = (client_id: string, client_secret: string) =>
  world.app.inject({ method: 'POST', url: '/api/v1/token', payload: { client_id, client_secret } });

describe('POST /api/v1/token', () => {
  it('issues an opaque token that expires after the configured lifetime', async () => {
    const before = Date.now();
    const res = await requestToken(client.clientId, client.secret);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { access_token: string; expires_at: string };
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_at']);
    expect(body.access_token).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const lifetime = Date.parse(body.expires_at) - before;
    expect(lifetime).toBeGreaterThan(3600_000 - 5_000);
    expect(lifetime).toBeLessThanOrEqual(3600_000 + 5_000);
    expect((await listDomains(body.access_token)).statusCode).toBe(200);
  });

  it('stores tokens and secrets only as hashes', async () => {
    const token = await tokenFor(world.app, client);
    const rows = await world.meta.db.selectFrom('access_token').selectAll().execute();
    expect(rows.some((r) => r.token_hash === sha256Hex(token))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(token);
    const clients = await world.meta.db.selectFrom('client').selectAll().execute();
    expect(JSON.stringify(clients)).not.toContain(client.secret);
    expect(clients.find((c) => c.id === client.id)?.secret_hash).toMatch(/^\$argon2id\$/);
  });

  it('answers 401 for a wrong secret, an unknown id or an access key as secret', async () => {
    const key = await makeAccessKey(world.meta.db, user, domain);
    for (const [id, secret] of [
      [client.clientId, client.secret.slice(0, -1) + 'x'],
      ['x'.repeat(32), client.secret],
      [client.clientId, key],
      [key, key],
    ] as const) {
      const res = await requestToken(id, secret);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ validation: {}, error: [expect.any(String)] });
    }
  });

  it('answers 400 with validation for empty fields', async () => {
    const res = await requestToken('', '');
    expect(res.statusCode).toBe(400);
    expect(Object.keys((res.json() as { validation: object }).validation).sort()).toEqual([
      'client_id',
      'client_secret',
    ]);
  });

  it('keeps older tokens valid when a new one is issued', async () => {
    const first = await tokenFor(world.app, client);
    const second = await tokenFor(world.app, client);
    expect(first).not.toBe(second);
    expect((await listDomains(first)).statusCode).toBe(200);
    expect((await listDomains(second)).statusCode).toBe(200);
  });

  it('rejects an expired token with 401', async () => {
    const token = await tokenFor(world.app, client);
    await world.meta.db
      .updateTable('access_token')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('token_hash', '=', sha256Hex(token))
      .execute();
    expect((await listDomains(token)).statusCode).toBe(401);
  });

  it('revokes tokens and access keys at once when their client is deleted', async () => {
    const doomed = await makeOauthClient(world.meta.db, user, domain);
    const token = await tokenFor(world.app, doomed);
    expect((await listDomains(token)).statusCode).toBe(200);
    await world.meta.db.deleteFrom('client').where('id', '=', doomed.id).execute();
    expect((await listDomains(token)).statusCode).toBe(401);
    expect((await requestToken(doomed.clientId, doomed.secret)).statusCode).toBe(401);
  });

  it('takes access keys as bearer tokens directly, only for writing', async () => {
    const key = await makeAccessKey(world.meta.db, user, domain);
    expect(key).toMatch(/^pa_[A-Za-z0-9]{45}$/);
    expect((await listDomains(key)).statusCode).toBe(403);
    const row = await world.meta.db
      .selectFrom('client')
      .selectAll()
      .where('key_hash', '=', sha256Hex(key))
      .executeTakeFirst();
    expect(row).toMatchObject({
      type: 'token',
      scope_statistics: '',
      scope_domains: '',
      client_id: null,
    });
    await world.meta.db.deleteFrom('client').where('id', '=', row!.id).execute();
    expect((await listDomains(key)).statusCode).toBe(401);
  });
});

describe('token rate limit', () => {
  let limited: TestWorld;
  beforeAll(async () => {
    limited = await createTestWorld({ SPOOR_TOKEN_RATE_LIMIT: '3' });
  });
  afterAll(() => limited.close());

  it('answers 429 with the envelope and rate-limit headers past the limit', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await limited.app.inject({
        method: 'POST',
        url: '/api/v1/token',
        payload: { client_id: 'a'.repeat(32), client_secret: 'b'.repeat(64) },
      });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(last!.headers['retry-after']).toBeDefined();
    expect(last!.headers['x-ratelimit-limit']).toBe('3');
    const body = last!.json() as { error: string[]; context: { retry_after_seconds: number } };
    expect(body.error).toEqual(['too many requests']);
    expect(body.context.retry_after_seconds).toBeGreaterThan(0);
  });
});
