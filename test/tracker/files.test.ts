import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACKER_FILES, TRACKER_VERSION } from '../../src/api/tracker-files.ts';
import { buildTracker, type TrackerBuild } from '../../src/tracker/build.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';

// Serving the built scripts (TRACKER.md §3.2): names, prefix, versions, encodings, caching.
let world: TestWorld;
let built: TrackerBuild;

beforeAll(async () => {
  world = await createTestWorld({ SPOOR_TRACKER_PREFIX: '/t7' });
  built = await buildTracker();
});
afterAll(() => world.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  world.app.inject({ method: 'GET', url, headers });

describe('the tracking script files', () => {
  it('serve the core and full builds under every Pirsch name, at the root and the prefix', async () => {
    for (const build of ['core', 'full'] as const) {
      for (const name of TRACKER_FILES[build]) {
        for (const url of [`/${name}`, `/t7/${name}`]) {
          const response = await get(url);
          expect(response.statusCode, url).toBe(200);
          expect(response.body, url).toBe(built[build] + '\n');
          expect(response.headers).toMatchObject({
            'content-type': 'text/javascript; charset=utf-8',
            'cache-control': 'public, max-age=3600',
            'access-control-allow-origin': '*',
            vary: 'Accept-Encoding',
          });
        }
      }
    }
  });

  it('serve immutable copies of the current version only', async () => {
    const versioned = await get(`/v/${TRACKER_VERSION}/pa.js`);
    expect(versioned.statusCode).toBe(200);
    expect(versioned.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(versioned.body).toBe(built.full + '\n');
    expect((await get(`/t7/v/${TRACKER_VERSION}/pirsch.js`)).body).toBe(built.core + '\n');
    const other = await get('/v/0.0.0-old/pa.js');
    expect(other.statusCode).toBe(404);
    expect(other.json()).toEqual({ validation: {}, error: [expect.any(String)] });
    expect((await get('/nope.js')).statusCode).toBe(404);
  });

  it('compress with brotli or gzip as the client accepts, and answer 304 to a known ETag', async () => {
    const br = await get('/pa.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(built.full + '\n');
    const gzip = await get('/pa.js', { 'accept-encoding': 'gzip, br;q=0' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(built.full + '\n');
    const plain = await get('/pa.js', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const etag = String(br.headers.etag);
    expect(etag).toMatch(/^".+"$/);
    const again = await get('/pa.js', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(String((await get('/pirsch.js')).headers.etag)).not.toBe(etag);
  });

  it('answer HEAD and CORS pre-flights', async () => {
    const head = await world.app.inject({ method: 'HEAD', url: '/pa.js' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    const preflight = await world.app.inject({
      method: 'OPTIONS',
      url: '/pa.js',
      headers: { origin: 'https://example.com', 'access-control-request-method': 'GET' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
  });
});
