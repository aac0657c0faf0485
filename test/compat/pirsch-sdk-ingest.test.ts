import { Pirsch } from 'pirsch-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from '../../src/store/meta/schema.ts';
import { makeAccessKey, makeDomain, makeOauthClient, makeUser } from '../helpers/accounts.ts';
import { at, collapsedSessions, events, FIREFOX, pageViews } from '../helpers/ingest.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';

// The official JS SDK's ingestion calls (npm pirsch-sdk 2.9.1) against a listening server.
let world: TestWorld;
let baseUrl: string;
let domain: Domain;
let oauth: InstanceType<typeof Pirsch>;
let keyed: InstanceType<typeof Pirsch>;

beforeAll(async () => {
  world = await createTestWorld({ SPOOR_FLUSH_INTERVAL_MS: '5' });
  baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
  const user = await makeUser(world.meta.db);
  domain = await makeDomain(world.meta.db, user, 'sdk-ingest.example.com');
  const client = await makeOauthClient(world.meta.db, user, domain);
  oauth = new Pirsch({
    baseUrl,
    clientId: client.clientId,
    clientSecret: client.secret,
    hostname: 'sdk-ingest.example.com',
  });
  keyed = new Pirsch({
    baseUrl,
    accessToken: await makeAccessKey(world.meta.db, user, domain),
    hostname: 'sdk-ingest.example.com',
  });
});
afterAll(() => world.close());

const hit = (path: string, ip: string) => ({
  url: `https://sdk-ingest.example.com${path}`,
  ip,
  user_agent: FIREFOX,
  accept_language: 'en-GB,en;q=0.8',
  title: `Page ${path}`,
  screen_width: 390,
  screen_height: 844,
  tags: { release: 7, beta: true },
});

describe('pirsch-sdk 2.9.1 ingestion', () => {
  it('sends hits, events and keep-alives with an oauth client', async () => {
    expect(await oauth.hit(hit('/sdk', '198.51.100.10'))).toBeUndefined();
    expect(
      await oauth.event('SDK Event', hit('/sdk', '198.51.100.10'), 12, { size: 'L', count: 2 }),
    ).toBeUndefined();
    expect(
      await oauth.session({
        ip: '198.51.100.10',
        user_agent: FIREFOX,
      }),
    ).toBeUndefined();
    const views = (await pageViews(world.events, domain.id)).filter((v) => v.path === '/sdk');
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({
      title: 'Page /sdk',
      language: 'en',
      screen_class: 'XS',
      tags: { release: '7', beta: 'true' },
    });
    const [event] = (await events(world.events, domain.id)).filter((e) => e.name === 'SDK Event');
    expect(event).toMatchObject({ duration_seconds: 12 });
    expect(
      Object.fromEntries(event!.meta_keys.map((k, i) => [k, event!.meta_values[i]])),
    ).toMatchObject({ size: 'L', count: '2' });
  });

  it('sends batches with an access key', async () => {
    const base = '2026-11-25T08:00:00.000Z';
    expect(
      await keyed.batchHits([
        { ...hit('/batch-1', '198.51.100.11'), time: at(base, 0) },
        { ...hit('/batch-2', '198.51.100.11'), time: at(base, 2) },
      ]),
    ).toBeUndefined();
    expect(
      await keyed.batchEvents([
        {
          name: 'Batch Event',
          hit: hit('/batch-2', '198.51.100.11'),
          time: at(base, 3),
          duration: 1,
          meta: { a: 'b' },
        },
      ]),
    ).toBeUndefined();
    expect(
      await keyed.batchSessions([
        {
          ip: '198.51.100.11',
          user_agent: FIREFOX,
          time: at(base, 10),
        },
      ]),
    ).toBeUndefined();
    const views = (await pageViews(world.events, domain.id)).filter((v) =>
      v.path.startsWith('/batch'),
    );
    expect(views.map((v) => [v.path, v.duration_seconds])).toEqual([
      ['/batch-1', 0],
      ['/batch-2', 120],
    ]);
    const session = (await collapsedSessions(world.events, domain.id)).find(
      (s) => s.entry_path === '/batch-1',
    );
    expect(session).toMatchObject({
      page_views: 2,
      is_bounce: 0,
      extended: 1,
      duration_seconds: 600,
    });
  });

  it('surfaces validation errors as API errors', async () => {
    await expect(
      keyed.hit({ url: 'not a url', ip: '198.51.100.12', user_agent: FIREFOX }),
    ).rejects.toMatchObject({
      code: 400,
      message: expect.stringContaining('url'),
    });
  });
});
