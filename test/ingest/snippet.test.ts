import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEntityId } from '../../src/manage/secrets.ts';
import { metaChanged } from '../../src/store/meta/changes.ts';
import { nowIso } from '../../src/store/meta/time.ts';
import type { Domain } from '../../src/store/meta/schema.ts';
import { makeDomain, makeUser } from '../helpers/accounts.ts';
import { CHROME_MAC, collapsedSessions, events, pageViews } from '../helpers/ingest.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';

// The browser snippet's endpoints (API.md I.8, TRACKER.md §2) through HTTP.
let world: TestWorld;
let domain: Domain;

// What a real Chrome sends with a tracking request.
const browser = {
  'user-agent': CHROME_MAC,
  'accept-language': 'fr-CH, fr;q=0.9, en;q=0.8',
  'accept-encoding': 'gzip, deflate, br',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'no-cors',
  'sec-fetch-dest': 'empty',
  'sec-ch-ua': '"Chromium";v="131", "Google Chrome";v="131", "Not_A Brand";v="24"',
  'sec-ch-ua-mobile': '?0',
  'sec-ch-ua-platform': '"macOS"',
};

let addressCounter = 0;
/** A distinct visitor address per test, so tests never share sessions. */
const nextAddress = () => `203.0.113.${++addressCounter}`;

beforeAll(async () => {
  world = await createTestWorld({
    SPOOR_TRACKER_PREFIX: '/t7',
    SPOOR_TRUSTED_PROXIES: '10.0.0.0/8',
  });
  domain = await makeDomain(world.meta.db, await makeUser(world.meta.db), 'shop.example.com');
  await world.meta.db
    .insertInto('alternative_domain')
    .values({
      id: newEntityId(),
      domain_id: domain.id,
      hostname: '*.shop-cdn.net',
      def_time: nowIso(),
      mod_time: nowIso(),
    })
    .execute();
  metaChanged(domain.id);
});
afterAll(() => world.close());

function hit(
  query: Record<string, string>,
  headers: Record<string, string> = browser,
  remoteAddress = nextAddress(),
) {
  return world.app.inject({ method: 'GET', url: '/hit', query, headers, remoteAddress });
}

const page = (path: string, extra: Record<string, string> = {}) => ({
  nc: String(Date.now()),
  code: domain.identification_code,
  url: `https://shop.example.com${path}`,
  t: 'Shop',
  ref: '',
  w: '1440',
  h: '900',
  ...extra,
});

async function viewsSince(count: number) {
  return (await pageViews(world.events, domain.id)).slice(count);
}

describe('GET /hit', () => {
  it('records a page view from the connection and query, and answers 200 with an empty body', async () => {
    const before = (await pageViews(world.events, domain.id)).length;
    const res = await hit(
      page('/products?utm_source=mastodon', {
        ref: 'https://www.google.de/',
        tag_author: 'Jane',
        tag_sale: '',
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toBe('');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(String(res.headers['accept-ch'])).toContain('Sec-CH-UA-Platform');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const [view] = await viewsSince(before);
    expect(view).toMatchObject({
      path: '/products',
      title: 'Shop',
      browser: 'Chrome',
      os: 'Mac',
      language: 'fr',
      screen_class: 'HD',
      referrer_name: 'Google',
      utm_source: 'mastodon',
      hostname: 'shop.example.com',
      tags: { author: 'Jane', sale: '1' },
    });
  });

  it('is also served under the tracker prefix and as POST', async () => {
    const before = (await pageViews(world.events, domain.id)).length;
    const prefixed = await world.app.inject({
      method: 'GET',
      url: '/t7/hit',
      query: page('/prefixed'),
      headers: browser,
      remoteAddress: nextAddress(),
    });
    expect(prefixed.statusCode).toBe(200);
    const posted = await world.app.inject({
      method: 'POST',
      url: '/hit',
      query: page('/posted'),
      headers: browser,
      remoteAddress: nextAddress(),
    });
    expect(posted.statusCode).toBe(200);
    expect((await viewsSince(before)).map((v) => v.path).sort()).toEqual(['/posted', '/prefixed']);
  });

  it('accepts the www variant and alternative domains, refuses other hosts with 403', async () => {
    const before = (await pageViews(world.events, domain.id)).length;
    expect((await hit({ ...page('/'), url: 'https://www.shop.example.com/w' })).statusCode).toBe(
      200,
    );
    expect((await hit({ ...page('/'), url: 'https://img.shop-cdn.net/alt' })).statusCode).toBe(200);
    const other = await hit({ ...page('/'), url: 'https://evil.example.org/' });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toEqual({ validation: {}, error: [expect.any(String)] });
    expect((await viewsSince(before)).map((v) => v.path)).toEqual(['/w', '/alt']);
  });

  it('answers 404 for an unknown code and 400 for a missing code or URL', async () => {
    expect((await hit({ ...page('/'), code: 'x'.repeat(32) })).statusCode).toBe(404);
    expect((await hit({ ...page('/'), code: 'not-set' })).statusCode).toBe(404);
    const noCode = await hit({ url: 'https://shop.example.com/' });
    expect(noCode.statusCode).toBe(400);
    expect(noCode.json()).toMatchObject({ validation: { code: expect.any(String) } });
    const badUrl = await hit({ ...page('/'), url: 'javascript:alert(1)' });
    expect(badUrl.json()).toMatchObject({ validation: { url: expect.any(String) } });
  });

  it('stops accepting an identification code as soon as it is reset', async () => {
    const other = await makeDomain(
      world.meta.db,
      await makeUser(world.meta.db),
      'reset.example.com',
    );
    const query = { code: other.identification_code, url: 'https://reset.example.com/' };
    expect((await hit(query)).statusCode).toBe(200);
    await world.meta.db
      .updateTable('domain')
      .set({ identification_code: 'N'.repeat(32) })
      .where('id', '=', other.id)
      .execute();
    metaChanged(other.id);
    expect((await hit(query)).statusCode).toBe(404);
  });

  it('honours DNT and Sec-GPC, skips prefetches and obvious bots, still answering 200', async () => {
    const before = (await pageViews(world.events, domain.id)).length;
    const variants: Record<string, string>[] = [
      { ...browser, dnt: '1' },
      { ...browser, 'sec-gpc': '1' },
      { ...browser, 'sec-purpose': 'prefetch' },
      {
        ...browser,
        'user-agent': 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
      },
      { ...browser, 'user-agent': '' },
    ];
    for (const headers of variants)
      expect((await hit(page('/filtered'), headers)).statusCode).toBe(200);
    expect(await viewsSince(before)).toEqual([]);
  });

  it('reads forwarding headers only from trusted proxies', async () => {
    const before = (await pageViews(world.events, domain.id)).length;
    // Two visitors behind a trusted proxy: two sessions.
    await hit(page('/proxied'), { ...browser, 'x-forwarded-for': '198.51.100.1' }, '10.1.1.1');
    await hit(page('/proxied'), { ...browser, 'x-forwarded-for': '198.51.100.2' }, '10.1.1.1');
    // A direct client cannot pretend to be others: one visitor.
    await hit(page('/direct'), { ...browser, 'x-forwarded-for': '198.51.100.3' }, '203.0.113.250');
    await hit(page('/direct'), { ...browser, 'x-forwarded-for': '198.51.100.4' }, '203.0.113.250');
    const views = await viewsSince(before);
    expect(new Set(views.filter((v) => v.path === '/proxied').map((v) => v.session_id)).size).toBe(
      2,
    );
    expect(new Set(views.filter((v) => v.path === '/direct').map((v) => v.session_id)).size).toBe(
      1,
    );
  });

  it('answers CORS pre-flights with 204', async () => {
    const res = await world.app.inject({
      method: 'OPTIONS',
      url: '/event',
      headers: {
        origin: 'https://shop.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('POST /event and /session', () => {
  it('records an event sent by sendBeacon as text/plain with a percent-encoded referrer', async () => {
    const remoteAddress = nextAddress();
    await hit(page('/pricing'), browser, remoteAddress);
    const body = {
      identification_code: domain.identification_code,
      url: 'https://shop.example.com/pricing',
      title: 'Pricing',
      referrer: 'https%3A%2F%2Fnews.ycombinator.com%2F',
      screen_width: 1440,
      screen_height: 900,
      event_name: 'Add to cart',
      event_duration: 0,
      event_meta: { product: 'Lamp', price: 49.9, nested: { dropped: true } },
      tags: { campaign: 'x' },
      non_interactive: false,
    };
    const res = await world.app.inject({
      method: 'POST',
      url: '/event',
      headers: { ...browser, 'content-type': 'text/plain;charset=UTF-8' },
      payload: JSON.stringify(body),
      remoteAddress,
    });
    expect(res.statusCode, res.body).toBe(200);
    const stored = (await events(world.events, domain.id)).filter((e) => e.name === 'Add to cart');
    expect(stored).toHaveLength(1);
    const meta = Object.fromEntries(
      stored[0]!.meta_keys.map((k, i) => [k, stored[0]!.meta_values[i]]),
    );
    expect(meta).toEqual({ campaign: 'x', product: 'Lamp', price: '49.9' });
  });

  it('accepts an event body without a content type and rejects an empty name', async () => {
    const payload = JSON.stringify({
      identification_code: domain.identification_code,
      url: 'https://shop.example.com/',
      event_name: 'Bare',
    });
    const bare = await world.app.inject({
      method: 'POST',
      url: '/event',
      headers: browser,
      payload,
      remoteAddress: nextAddress(),
    });
    expect(bare.statusCode, bare.body).toBe(200);
    const empty = await world.app.inject({
      method: 'POST',
      url: '/event',
      headers: { ...browser, 'content-type': 'text/plain' },
      payload: JSON.stringify({
        identification_code: domain.identification_code,
        url: 'https://shop.example.com/',
        event_name: ' ',
      }),
      remoteAddress: nextAddress(),
    });
    expect(empty.statusCode).toBe(400);
    const garbage = await world.app.inject({
      method: 'POST',
      url: '/event',
      headers: { ...browser, 'content-type': 'text/plain' },
      payload: '{oops',
      remoteAddress: nextAddress(),
    });
    expect(garbage.statusCode).toBe(400);
  });

  it('extends a live session with POST /session', async () => {
    const remoteAddress = nextAddress();
    const sessionsBefore = (await collapsedSessions(world.events, domain.id)).length;
    await hit(page('/app'), browser, remoteAddress);
    const res = await world.app.inject({
      method: 'POST',
      url: '/session',
      query: { nc: '1', code: domain.identification_code, url: 'https://shop.example.com/app' },
      headers: browser,
      remoteAddress,
    });
    expect(res.statusCode).toBe(200);
    const sessions = await collapsedSessions(world.events, domain.id);
    expect(sessions.length).toBe(sessionsBefore + 1);
    expect(sessions.some((s) => s.extended === 1 && s.entry_path === '/app')).toBe(true);
  });
});

describe('rate limit', () => {
  it('answers 429 past the per-visitor limit', async () => {
    const limited = await createTestWorld({ SPOOR_SNIPPET_RATE_LIMIT: '2' });
    try {
      const d = await makeDomain(
        limited.meta.db,
        await makeUser(limited.meta.db),
        'rl.example.com',
      );
      const query = { code: d.identification_code, url: 'https://rl.example.com/' };
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          (
            await limited.app.inject({
              method: 'GET',
              url: '/hit',
              query,
              headers: browser,
              remoteAddress: '203.0.113.99',
            })
          ).statusCode,
        );
      }
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});
