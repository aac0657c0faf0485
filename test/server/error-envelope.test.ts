import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOauthClient, makeUser, tokenFor } from '../helpers/accounts.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';

let world: TestWorld;
let token: string;

beforeAll(async () => {
  world = await createTestWorld({ SPOOR_BODY_LIMIT: '4096' });
  const user = await makeUser(world.meta.db);
  token = await tokenFor(world.app, await makeOauthClient(world.meta.db, user, null));
});
afterAll(() => world.close());

function expectEnvelope(body: string): { validation: Record<string, string>; error: string[] } {
  const parsed = JSON.parse(body) as { validation: Record<string, string>; error: string[] };
  expect(Object.keys(parsed).sort()).toEqual(
    Object.keys(parsed).includes('context')
      ? ['context', 'error', 'validation']
      : ['error', 'validation'],
  );
  expect(typeof parsed.validation).toBe('object');
  expect(Array.isArray(parsed.error)).toBe(true);
  expect(body).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  return parsed;
}

describe('error envelope', () => {
  it('answers unknown routes with 404 and the envelope', async () => {
    const res = await world.app.inject({ method: 'GET', url: '/api/v1/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(expectEnvelope(res.body).error[0]).toContain('/api/v1/nope');
  });

  it('answers malformed JSON with 400', async () => {
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/v1/token',
      headers: { 'content-type': 'application/json' },
      payload: '{"client_id": "abc", ',
    });
    expect(res.statusCode).toBe(400);
    expect(expectEnvelope(res.body).error).toHaveLength(1);
  });

  it('answers an empty JSON body with 400', async () => {
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/v1/token',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode).toBe(400);
    expectEnvelope(res.body);
  });

  it('reports wrong types and missing fields by field name', async () => {
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/v1/token',
      payload: { client_id: 42 },
    });
    expect(res.statusCode).toBe(400);
    const { validation } = expectEnvelope(res.body);
    expect(Object.keys(validation).sort()).toEqual(['client_id', 'client_secret']);
    expect(validation.client_secret).toBe('is required');
  });

  it('rejects a JSON array where an object is expected', async () => {
    const res = await world.app.inject({ method: 'POST', url: '/api/v1/token', payload: [1, 2] });
    expect(res.statusCode).toBe(400);
    expectEnvelope(res.body);
  });

  it('answers a body over the limit with 413', async () => {
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/v1/token',
      payload: { client_id: 'x'.repeat(10_000), client_secret: 'y' },
    });
    expect(res.statusCode).toBe(413);
    expectEnvelope(res.body);
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/v1/token',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(res.statusCode).toBe(415);
    expectEnvelope(res.body);
  });

  it('answers a missing or malformed Authorization header with 401', async () => {
    for (const authorization of [
      undefined,
      'Bearer ',
      'Basic abc',
      'Bearer a b',
      'Bearer unknown',
    ]) {
      const res = await world.app.inject({
        method: 'GET',
        url: '/api/v1/domain',
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(res.statusCode, String(authorization)).toBe(401);
      expectEnvelope(res.body);
    }
  });

  it('serves JSON with charset and CORS headers', async () => {
    const res = await world.app.inject({
      method: 'GET',
      url: '/api/v1/domain',
      headers: { authorization: `Bearer ${token}`, origin: 'https://site.example' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.json()).toEqual([]);
  });

  it('answers CORS pre-flights with 204', async () => {
    const res = await world.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/domain',
      headers: {
        origin: 'https://site.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(String(res.headers['access-control-allow-headers'])).toContain('Authorization');
  });

  it('never answers 500 to random garbage bodies', async () => {
    const garbage = [
      'null',
      '"string"',
      '123',
      'true',
      '{"client_id":{"$gt":""},"client_secret":[]}',
      '\u0000\u0001',
      '{"a":' + '['.repeat(500),
    ];
    for (const payload of garbage) {
      const res = await world.app.inject({
        method: 'POST',
        url: '/api/v1/token',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode, payload).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, payload).toBeLessThan(500);
      expectEnvelope(res.body);
    }
  });
});

describe('operability', () => {
  it('serves /healthz', async () => {
    const res = await world.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('serves an OpenAPI 3 document that lists the routes', async () => {
    const res = await world.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/token', '/api/v1/domain', '/healthz']),
    );
    const page = await world.app.inject({ method: 'GET', url: '/docs/api/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });

  it('counts requests by route in /metrics', async () => {
    await world.app.inject({ method: 'GET', url: '/healthz' });
    const res = await world.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(
      /spoor_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/,
    );
    expect(res.body).toContain('spoor_http_request_duration_seconds_bucket');
    expect(res.body).toContain('spoor_rows_written_total');
  });
});
