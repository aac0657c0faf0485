import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Domain, User } from '../../src/store/meta/schema.ts';
import { deleteClient } from '../../src/manage/clients.ts';
import { changeMemberRole, findMemberTarget, removeMember } from '../../src/manage/members.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import {
  addMember,
  makeAccessKey,
  makeDomain,
  makeOauthClient,
  makeUser,
  tokenFor,
} from '../helpers/accounts.ts';
import {
  at,
  CHROME_MAC,
  collapsedSessions,
  events,
  FIREFOX,
  pageViews,
  post,
  SAFARI_IPHONE,
} from '../helpers/ingest.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';

// Session scenarios end to end through the HTTP API, with batch `time` (issue: ingestion).
let world: TestWorld;
let user: User;
let key: string;
let domainCounter = 0;

beforeAll(async () => {
  world = await createTestWorld({ SPOOR_FLUSH_INTERVAL_MS: '5' });
  user = await makeUser(world.meta.db);
});
afterAll(() => world.close());

/** A fresh domain (so every scenario reads only its own rows) and an access key for it. */
async function freshDomain(): Promise<{ domain: Domain; key: string; host: string }> {
  domainCounter += 1;
  const host = `scenario${domainCounter}.example.com`;
  const domain = await makeDomain(world.meta.db, user, host);
  key = await makeAccessKey(world.meta.db, user, domain);
  return { domain, key, host };
}

const DAY = '2026-11-20T10:00:00.000Z';
const visitor = { ip: '198.51.100.23', user_agent: FIREFOX, accept_language: 'de-DE,de;q=0.9' };

function hits(
  host: string,
  items: { t: number; path?: string; extra?: Record<string, unknown> }[],
) {
  return items.map(({ t, path = '/', extra = {} }) => ({
    url: `https://${host}${path}`,
    title: `Title ${path}`,
    ...visitor,
    time: at(DAY, t),
    ...extra,
  }));
}

describe('POST /api/v1/hit/batch session scenarios', () => {
  it('continues a session within 30 minutes and starts a new one after', async () => {
    const { domain, key, host } = await freshDomain();
    const res = await post(
      world.app,
      '/api/v1/hit/batch',
      key,
      hits(host, [
        { t: 0, path: '/' },
        { t: 1, path: '/pricing' },
        { t: 3, path: '/signup' },
        { t: 40, path: '/' },
      ]),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toBe('');
    const sessions = await collapsedSessions(world.events, domain.id);
    expect(
      sessions.map((s) => [
        s.page_views,
        s.is_bounce,
        s.duration_seconds,
        s.entry_path,
        s.exit_path,
      ]),
    ).toEqual([
      [3, 0, 180, '/', '/signup'],
      [1, 1, 0, '/', '/'],
    ]);
    const views = await pageViews(world.events, domain.id);
    expect(views.map((v) => [v.path, v.duration_seconds, v.title])).toEqual([
      ['/', 0, 'Title /'],
      ['/pricing', 60, 'Title /pricing'],
      ['/signup', 120, 'Title /signup'],
      ['/', 0, 'Title /'],
    ]);
    expect(views[0]).toMatchObject({
      browser: 'Firefox',
      os: 'Linux',
      platform: 'desktop',
      language: 'de',
      hostname: host,
    });
  });

  it('processes a batch in time order whatever the order it was sent in', async () => {
    const { domain, key, host } = await freshDomain();
    const items = hits(host, [
      { t: 0, path: '/a' },
      { t: 2, path: '/b' },
      { t: 5, path: '/c' },
    ]).reverse();
    expect((await post(world.app, '/api/v1/hit/batch', key, items)).statusCode).toBe(200);
    const [session] = await collapsedSessions(world.events, domain.id);
    expect(session).toMatchObject({
      entry_path: '/a',
      exit_path: '/c',
      page_views: 3,
      duration_seconds: 300,
    });
  });

  it('counts reloads as page views and keeps the bounce', async () => {
    const { domain, key, host } = await freshDomain();
    await post(world.app, '/api/v1/hit/batch', key, hits(host, [{ t: 0 }, { t: 1 }, { t: 2 }]));
    const sessions = await collapsedSessions(world.events, domain.id);
    expect(sessions.map((s) => [s.page_views, s.is_bounce])).toEqual([[3, 1]]);
  });

  it('starts a new session when the referrer or the campaign changes', async () => {
    const { domain, key, host } = await freshDomain();
    await post(
      world.app,
      '/api/v1/hit/batch',
      key,
      hits(host, [
        { t: 0, extra: { referrer: 'https://www.google.com/' } },
        { t: 1, path: '/a' },
        { t: 2, path: '/b', extra: { referrer: 'https://news.ycombinator.com/item?id=1' } },
        { t: 3, path: '/c?utm_source=newsletter&utm_campaign=winter' },
        { t: 4, path: '/d?utm_source=newsletter' },
      ]),
    );
    const sessions = await collapsedSessions(world.events, domain.id);
    expect(sessions.map((s) => [s.referrer_name, s.utm_source, s.page_views])).toEqual([
      ['Google', '', 2],
      ['Hacker News', '', 1],
      // utm_source doubles as the referrer name when no referrer was sent (API.md I.9).
      ['newsletter', 'newsletter', 2],
    ]);
    const views = await pageViews(world.events, domain.id);
    expect(views.map((v) => v.path)).toEqual(['/', '/a', '/b', '/c', '/d']);
    expect(views[3]).toMatchObject({ utm_campaign: 'winter' });
  });

  it('continues a session across midnight UTC, counted on the day it started', async () => {
    const { domain, key, host } = await freshDomain();
    const items = [
      { url: `https://${host}/late`, ...visitor, time: '2026-11-20T23:50:00.000Z' },
      { url: `https://${host}/early`, ...visitor, time: '2026-11-21T00:10:00.000Z' },
    ];
    expect((await post(world.app, '/api/v1/hit/batch', key, items)).statusCode).toBe(200);
    const sessions = await collapsedSessions(world.events, domain.id);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      page_views: 2,
      duration_seconds: 1200,
      start: '2026-11-20 23:50:00.000',
    });
  });

  it('separates visitors by address and user agent', async () => {
    const { domain, key, host } = await freshDomain();
    await post(world.app, '/api/v1/hit/batch', key, [
      ...hits(host, [{ t: 0 }]),
      ...hits(host, [{ t: 0, extra: { user_agent: CHROME_MAC } }]),
      ...hits(host, [{ t: 0, extra: { ip: '203.0.113.77', user_agent: SAFARI_IPHONE } }]),
    ]);
    const sessions = await collapsedSessions(world.events, domain.id);
    expect(new Set(sessions.map((s) => s.visitor_id)).size).toBe(3);
    const views = await pageViews(world.events, domain.id);
    expect(views.map((v) => `${v.browser}/${v.os}/${v.platform}`).sort()).toEqual([
      'Chrome/Mac/desktop',
      'Firefox/Linux/desktop',
      'Safari/iOS/mobile',
    ]);
  });

  it('accepts but does not store DNT, bot and referrer-spam requests', async () => {
    const { domain, key, host } = await freshDomain();
    const res = await post(world.app, '/api/v1/hit/batch', key, [
      ...hits(host, [{ t: 0, extra: { dnt: '1' } }]),
      ...hits(host, [
        {
          t: 1,
          extra: {
            user_agent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
          },
        },
      ]),
      ...hits(host, [{ t: 2, extra: { user_agent: '' } }]),
      ...hits(host, [{ t: 3, extra: { user_agent: 'curl/8.5.0' } }]),
    ]);
    expect(res.statusCode).toBe(200);
    expect(await pageViews(world.events, domain.id)).toEqual([]);
    const single = await post(world.app, '/api/v1/hit', key, {
      url: `https://${host}/`,
      ...visitor,
      dnt: '1',
    });
    expect(single.statusCode).toBe(200);
    expect(await pageViews(world.events, domain.id)).toEqual([]);
  });

  it('stores the hit before answering a single request', async () => {
    const { domain, key, host } = await freshDomain();
    const res = await post(world.app, '/api/v1/hit', key, {
      url: `https://${host}/now?utm_source=x`,
      ...visitor,
      title: '  Now  ',
      screen_width: 1920,
      screen_height: 1080,
      tags: { author: 'Jane', premium: true, ignored: null },
    });
    expect(res.statusCode).toBe(200);
    const views = await pageViews(world.events, domain.id);
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({
      path: '/now',
      title: 'Now',
      screen_class: 'Full HD',
      utm_source: 'x',
      tags: { author: 'Jane', premium: 'true' },
    });
  });
});

describe('events and keep-alive', () => {
  it('un-bounces with interactive events, keeps the bounce with non-interactive ones', async () => {
    const { domain, key, host } = await freshDomain();
    await post(world.app, '/api/v1/hit/batch', key, hits(host, [{ t: 0 }]));
    await post(world.app, '/api/v1/event/batch', key, [
      {
        url: `https://${host}/`,
        ...visitor,
        time: at(DAY, 1),
        event_name: ' Scrolled ',
        non_interactive: true,
      },
    ]);
    let [session] = await collapsedSessions(world.events, domain.id);
    expect(session).toMatchObject({ is_bounce: 1, page_views: 1, duration_seconds: 60 });
    await post(world.app, '/api/v1/event/batch', key, [
      {
        url: `https://${host}/`,
        ...visitor,
        time: at(DAY, 2),
        event_name: 'Signup',
        event_duration: 4.7,
        event_meta: { plan: 'pro', seats: 3, trial: false },
        tags: { plan: 'ignored-because-meta-wins', source: 'footer' },
      },
    ]);
    [session] = await collapsedSessions(world.events, domain.id);
    expect(session).toMatchObject({ is_bounce: 0, page_views: 1, duration_seconds: 120 });
    const stored = await events(world.events, domain.id);
    expect(stored.map((e) => e.name)).toEqual(['Scrolled', 'Signup']);
    expect(stored[1]).toMatchObject({ duration_seconds: 4, non_interactive: 0, path: '/' });
    const meta = Object.fromEntries(
      stored[1]!.meta_keys.map((k, i) => [k, stored[1]!.meta_values[i]]),
    );
    expect(meta).toEqual({ plan: 'pro', seats: '3', trial: 'false', source: 'footer' });
    expect(stored[0]!.non_interactive).toBe(1);
  });

  it('records a page view for an event that starts a session', async () => {
    const { domain, key, host } = await freshDomain();
    const res = await post(world.app, '/api/v1/event', key, {
      url: `https://${host}/landing`,
      ...visitor,
      event_name: 'Open',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await pageViews(world.events, domain.id)).map((v) => v.path)).toEqual(['/landing']);
    expect(await collapsedSessions(world.events, domain.id)).toMatchObject([
      { page_views: 1, is_bounce: 0 },
    ]);
  });

  it('extends a session with keep-alives, and ignores one without a session', async () => {
    const { domain, key, host } = await freshDomain();
    const alone = await post(world.app, '/api/v1/session', key, {
      ...visitor,
      ip: '203.0.113.200',
    });
    expect(alone.statusCode).toBe(200);
    await post(world.app, '/api/v1/hit/batch', key, hits(host, [{ t: 0 }]));
    await post(world.app, '/api/v1/session/batch', key, [
      { ...visitor, time: at(DAY, 20) },
      { ...visitor, time: at(DAY, 45) },
    ]);
    await post(world.app, '/api/v1/hit/batch', key, hits(host, [{ t: 70, path: '/later' }]));
    const sessions = await collapsedSessions(world.events, domain.id);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ page_views: 2, extended: 2, duration_seconds: 70 * 60 });
    const views = await pageViews(world.events, domain.id);
    expect(views.map((v) => v.duration_seconds)).toEqual([0, 70 * 60]);
  });
});

describe('credentials and domains', () => {
  it('lets a user client send to the domain whose host matches the URL', async () => {
    const { domain, host } = await freshDomain();
    const token = await tokenFor(world.app, await makeOauthClient(world.meta.db, user, null));
    const res = await post(world.app, '/api/v1/hit', token, {
      url: `https://www.${host}/x`,
      ...visitor,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await pageViews(world.events, domain.id)).map((v) => v.path)).toEqual(['/x']);
    const stranger = await post(world.app, '/api/v1/hit', token, {
      url: 'https://unknown.example.org/',
      ...visitor,
    });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json()).toMatchObject({ validation: { url: expect.any(String) } });
  });

  it('refuses clients without the scope and statistics-only tokens', async () => {
    const { domain, host } = await freshDomain();
    const statsOnly = await tokenFor(
      world.app,
      await makeOauthClient(world.meta.db, user, domain, { statistics: 'r' }),
    );
    expect(
      (await post(world.app, '/api/v1/hit', statsOnly, { url: `https://${host}/`, ...visitor }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await post(world.app, '/api/v1/hit', 'pa_' + 'x'.repeat(45), {
          url: `https://${host}/`,
          ...visitor,
        })
      ).statusCode,
    ).toBe(401);
  });
  it('refuses an access key on its next request once its client is deleted', async () => {
    const { domain, host } = await freshDomain();
    const send = () => post(world.app, '/api/v1/hit', key, { url: `https://${host}/`, ...visitor });
    expect((await send()).statusCode).toBe(200);
    expect((await send()).statusCode).toBe(200);
    const client = await world.meta.db
      .selectFrom('client')
      .select('id')
      .where('domain_id', '=', domain.id)
      .executeTakeFirstOrThrow();
    await deleteClient(world.meta.db, client.id);
    expect((await send()).statusCode).toBe(401);
  });
  it("follows a member's role change and removal at once", async () => {
    const { domain, host } = await freshDomain();
    const admin = await makeUser(world.meta.db, 'admin');
    await addMember(world.meta.db, domain, admin, 'admin');
    const token = await tokenFor(world.app, await makeOauthClient(world.meta.db, admin, null));
    const send = () =>
      post(world.app, '/api/v1/hit', token, { url: `https://${host}/`, ...visitor });
    expect((await send()).statusCode).toBe(200);
    const target = await findMemberTarget(
      world.meta.db,
      (
        await world.meta.db
          .selectFrom('member')
          .select('id')
          .where('domain_id', '=', domain.id)
          .executeTakeFirstOrThrow()
      ).id,
    );
    const owner = { userId: user.id, role: 'Owner' } as const;
    await changeMemberRole(world.meta.db, owner, target!, 'viewer');
    // A viewer's domains are no candidates for a user client's hits.
    expect((await send()).statusCode).toBe(400);
    await changeMemberRole(world.meta.db, owner, target!, 'admin');
    expect((await send()).statusCode).toBe(200);
    await removeMember(world.meta.db, owner, target!);
    expect((await send()).statusCode).toBe(400);
  });
});

describe('validation', () => {
  it('rejects bad single requests with field errors', async () => {
    const { key, host } = await freshDomain();
    const cases: [Record<string, unknown>, string][] = [
      [{ ...visitor }, 'url'],
      [{ ...visitor, url: 'ftp://x.org/' }, 'url'],
      [{ ...visitor, url: '/relative' }, 'url'],
      [{ url: `https://${host}/`, user_agent: FIREFOX, ip: 'nope' }, 'ip'],
      [{ url: `https://${host}/`, user_agent: FIREFOX }, 'ip'],
      [{ url: `https://${host}/`, ...visitor, screen_width: 'wide' }, 'screen_width'],
      [{ url: `https://${host}/`, ...visitor, tags: { nested: { no: 1 } } }, 'tags.nested'],
    ];
    for (const [payload, field] of cases) {
      const res = await post(world.app, '/api/v1/hit', key, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(Object.keys((res.json() as { validation: object }).validation)).toContain(field);
    }
    const event = await post(world.app, '/api/v1/event', key, {
      url: `https://${host}/`,
      ...visitor,
      event_name: '  ',
    });
    expect(event.json()).toMatchObject({ validation: { event_name: expect.any(String) } });
    const meta = await post(world.app, '/api/v1/event', key, {
      url: `https://${host}/`,
      ...visitor,
      event_name: 'x',
      event_meta: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])),
    });
    expect(meta.json()).toMatchObject({ validation: { event_meta: expect.any(String) } });
  });

  it('reports batch problems as [i].field and stores nothing of a bad batch', async () => {
    const { domain, key, host } = await freshDomain();
    const items = hits(host, [{ t: 0 }, { t: 1 }, { t: 2 }]);
    // Structural problems (schema) are reported first…
    const missing = items.map((item, i) => (i === 1 ? { ...item, url: undefined } : item));
    const structural = await post(world.app, '/api/v1/hit/batch', key, missing);
    expect(structural.statusCode).toBe(400);
    expect(Object.keys((structural.json() as { validation: object }).validation)).toEqual([
      '[1].url',
    ]);
    // …then every value problem of every element.
    const values = items.map((item, i) =>
      i === 1 ? { ...item, url: 'mailto:x@y.z' } : i === 2 ? { ...item, time: 'yesterday' } : item,
    );
    const res = await post(world.app, '/api/v1/hit/batch', key, values);
    expect(res.statusCode).toBe(400);
    expect(Object.keys((res.json() as { validation: object }).validation).sort()).toEqual([
      '[1].url',
      '[2].time',
    ]);
    expect(await pageViews(world.events, domain.id)).toEqual([]);

    const future = await post(world.app, '/api/v1/hit/batch', key, [
      { ...items[0], time: at(new Date().toISOString(), 60) },
    ]);
    expect(future.json()).toMatchObject({ validation: { '[0].time': expect.any(String) } });
    expect((await post(world.app, '/api/v1/hit/batch', key, [])).statusCode).toBe(200);
  });

  it('answers 413 for a batch over the limit', async () => {
    const limited = await createTestWorld({ SPOOR_BATCH_LIMIT: '3' });
    try {
      const owner = await makeUser(limited.meta.db);
      const domain = await makeDomain(limited.meta.db, owner, 'big.example.com');
      const accessKey = await makeAccessKey(limited.meta.db, owner, domain);
      const res = await post(
        limited.app,
        '/api/v1/hit/batch',
        accessKey,
        hits('big.example.com', [{ t: 0 }, { t: 1 }, { t: 2 }, { t: 3 }]),
      );
      expect(res.statusCode).toBe(413);
    } finally {
      await limited.close();
    }
  });
});

describe('restarts', () => {
  it('continues a session after a restart from the stored state', async () => {
    const { domain, key, host } = await freshDomain();
    await post(world.app, '/api/v1/hit/batch', key, hits(host, [{ t: 0 }, { t: 2, path: '/two' }]));
    // A second app on the same stores has an empty session cache, like a restarted process.
    const restarted: App = await buildApp({
      config: world.config,
      meta: world.meta,
      events: world.events,
    });
    await restarted.ready();
    try {
      await post(restarted, '/api/v1/hit/batch', key, hits(host, [{ t: 5, path: '/three' }]));
      const sessions = await collapsedSessions(world.events, domain.id);
      expect(sessions).toHaveLength(1);
      expect(sessions[0]).toMatchObject({
        page_views: 3,
        is_bounce: 0,
        duration_seconds: 300,
        exit_path: '/three',
      });
      const views = await pageViews(world.events, domain.id);
      expect(views.map((v) => v.duration_seconds)).toEqual([0, 120, 180]);
    } finally {
      await restarted.close();
    }
  });
});
