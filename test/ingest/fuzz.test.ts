import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from '../../src/store/meta/schema.ts';
import { makeAccessKey, makeDomain, makeUser } from '../helpers/accounts.ts';
import { FIREFOX } from '../helpers/ingest.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';

// Property: whatever arrives at an ingestion endpoint, the answer is 200 or 4xx with the
// envelope, never 500; a rejected request writes nothing; the server stays healthy.
let world: TestWorld;
let domain: Domain;
let key: string;

beforeAll(async () => {
  world = await createTestWorld({
    SPOOR_FLUSH_INTERVAL_MS: '1',
    SPOOR_SNIPPET_RATE_LIMIT: '100000',
  });
  const user = await makeUser(world.meta.db);
  domain = await makeDomain(world.meta.db, user, 'fuzz.example.com');
  key = await makeAccessKey(world.meta.db, user, domain);
});
afterAll(() => world.close());

async function storedRows(): Promise<number> {
  const [row] = await world.events.query<{ n: string }>(
    `SELECT (SELECT count() FROM ${world.events.database}.page_view WHERE domain_id = {d:String})
          + (SELECT count() FROM ${world.events.database}.event WHERE domain_id = {d:String})
          + (SELECT count() FROM ${world.events.database}.session WHERE domain_id = {d:String}) AS n`,
    { d: domain.id },
  );
  return Number(row!.n);
}

const scalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const anyValue = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(fc.string(), scalar, { maxKeys: 3 }),
);
const fieldNames = [
  'url',
  'ip',
  'user_agent',
  'title',
  'referrer',
  'screen_width',
  'screen_height',
  'accept_language',
  'dnt',
  'tags',
  'event_name',
  'event_duration',
  'event_meta',
  'non_interactive',
  'time',
  'x_forwarded_for',
  'forwarded',
  'sec_ch_ua',
  'disable_bot_filter',
  'identification_code',
];
// Mostly-plausible bodies with some fields replaced by anything: reaches deep validation.
// Mostly-valid bodies: each field is usually well-formed, and half of the bodies get up to three
// fields replaced by anything. That reaches the deep validation and the pipeline, not just the
// schema check.
const usually = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) =>
  fc.integer({ min: 0, max: 4 }).chain((n) => (n < 4 ? good : bad) as fc.Arbitrary<T | U>);
const plausible = fc
  .record({
    url: usually(
      fc.webPath().map((p) => `https://fuzz.example.com/${p}`),
      fc.string(),
    ),
    ip: usually(fc.ipV4(), fc.oneof(fc.ipV6(), fc.string())),
    user_agent: usually(fc.constant(FIREFOX), fc.string()),
    time: usually(
      fc
        .date({ min: new Date('2020-01-01'), max: new Date('2026-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.string(),
    ),
    event_name: usually(
      fc.string({ minLength: 1 }).map((n) => `e${n}`),
      fc.string(),
    ),
    identification_code: fc.constant('x'),
  })
  .chain((base) =>
    usually(
      fc.constant({}),
      fc.dictionary(fc.constantFrom(...fieldNames), anyValue, { maxKeys: 3 }),
    ).map((noise) => ({ ...base, ...noise })),
  );
const body = fc.oneof(
  { weight: 5, arbitrary: plausible.map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: fc.array(plausible, { maxLength: 4 }).map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: fc.json() },
  { weight: 1, arbitrary: fc.string() },
);
/** A body for an endpoint: mostly of the right shape (object or array), sometimes anything. */
const bodyFor = (path: string) =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: path.endsWith('/batch')
        ? fc.array(plausible, { minLength: 1, maxLength: 4 }).map((b) => JSON.stringify(b))
        : plausible.map((b) => JSON.stringify(b)),
    },
    { weight: 2, arbitrary: body },
  );
const apiPath = fc.constantFrom(
  '/api/v1/hit',
  '/api/v1/event',
  '/api/v1/session',
  '/api/v1/hit/batch',
  '/api/v1/event/batch',
  '/api/v1/session/batch',
);
// Mostly the types clients send; sometimes one the API refuses (415).
const contentType = fc
  .integer({ min: 0, max: 9 })
  .map((n) =>
    n < 5
      ? 'application/json'
      : n < 8
        ? 'text/plain'
        : n < 9
          ? 'application/x-www-form-urlencoded'
          : '',
  );

describe('ingestion fuzzing', () => {
  it('never answers 500 and writes nothing for rejected API requests', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        apiPath.chain((url) => fc.tuple(fc.constant(url), bodyFor(url), contentType)),
        async ([url, payload, type]) => {
          const before = await storedRows();
          const res = await world.app.inject({
            method: 'POST',
            url,
            headers: { authorization: `Bearer ${key}`, ...(type ? { 'content-type': type } : {}) },
            payload,
          });
          expect([200, 400, 413, 415]).toContain(res.statusCode);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode !== 200) {
            expect(Object.keys(res.json() as object).sort()).toEqual(['error', 'validation']);
            expect(await storedRows()).toBe(before);
          }
        },
      ),
      { numRuns: 150 },
    );
    // The generator must reach past validation, or the property says little.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(5);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(5);
  });

  it('never answers 500 on the snippet endpoints', async () => {
    const query = fc.dictionary(
      fc.constantFrom('code', 'url', 't', 'ref', 'w', 'h', 'nc', 'tag_a', 'tag_'),
      fc.oneof(
        fc.string(),
        fc.constant(domain.identification_code),
        fc.constant('https://fuzz.example.com/x'),
      ),
      { maxKeys: 7 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET /hit', 'POST /event', 'POST /session'),
        query,
        body,
        async (route, q, payload) => {
          const [method, url] = route.split(' ') as ['GET' | 'POST', string];
          const res = await world.app.inject({
            method,
            url,
            query: q,
            headers: {
              'user-agent': FIREFOX,
              'accept-language': 'en',
              'content-type': 'text/plain',
            },
            ...(method === 'POST' ? { payload } : {}),
            remoteAddress: '203.0.113.7',
          });
          expect(res.statusCode === 200 || (res.statusCode >= 400 && res.statusCode < 500)).toBe(
            true,
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is still healthy afterwards', async () => {
    expect((await world.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
