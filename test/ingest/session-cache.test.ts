import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemorySessionCache,
  preloadLiveSessions,
  visitorKey,
} from '../../src/ingest/session-cache.ts';
import { SESSION_TIMEOUT_MS } from '../../src/ingest/session.ts';
import { makeAccessKey, makeDomain, makeUser } from '../helpers/accounts.ts';
import { collapsedSessions, FIREFOX, post } from '../helpers/ingest.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';

let world: TestWorld;
beforeAll(async () => {
  world = await createTestWorld({ SPOOR_FLUSH_INTERVAL_MS: '5' });
});
afterAll(() => world.close());

describe('MemorySessionCache', () => {
  it('vouches for misses only for sessions alive after it started, and evicts the oldest', async () => {
    let now = 1_000_000_000;
    const cache = new MemorySessionCache(2, () => now);
    expect(cache.complete(now)).toBe(false);
    expect(cache.complete(now + SESSION_TIMEOUT_MS + 1)).toBe(true);
    const live = (timeMs: number) => ({
      state: {} as never,
      timeMs,
      startMs: timeMs,
      lastPageViewMs: timeMs,
    });
    await cache.set('a', live(now));
    await cache.set('b', live(now));
    await cache.get('a'); // a is now the most recently used
    await cache.set('c', live(now));
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    // The evicted session could still be continued: misses until its expiry ask the store.
    now += 1000;
    expect(cache.complete(now + SESSION_TIMEOUT_MS + 1)).toBe(false);
    cache.markComplete(now);
    expect(cache.complete(now)).toBe(false);
  });
});

describe('preloadLiveSessions', () => {
  it('loads the sessions alive now, so a restarted process continues them from memory', async () => {
    const user = await makeUser(world.meta.db);
    const domain = await makeDomain(world.meta.db, user, 'preload.example.com');
    const key = await makeAccessKey(world.meta.db, user, domain);
    const hit = (path: string) => ({
      url: `https://preload.example.com${path}`,
      ip: '198.51.100.77',
      user_agent: FIREFOX,
    });
    expect((await post(world.app, '/api/v1/hit', key, hit('/one'))).statusCode).toBe(200);
    expect((await post(world.app, '/api/v1/hit', key, hit('/two'))).statusCode).toBe(200);
    const [session] = await collapsedSessions(world.events, domain.id);

    const cache = new MemorySessionCache();
    const loaded = await preloadLiveSessions(world.events, cache, Date.now());
    expect(loaded).toBeGreaterThanOrEqual(1);
    const live = await cache.get(visitorKey(domain.id, session!.visitor_id));
    expect(live?.state).toMatchObject({
      session_id: session!.session_id,
      page_views: 2,
      exit_path: '/two',
      sign: 1,
      version: 2,
    });
    expect(live!.lastPageViewMs).toBe(live!.timeMs);
    expect(cache.complete(Date.now())).toBe(true);
  });
});
