import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from '../../src/store/meta/schema.ts';
import { makeDomain, makeUser } from '../helpers/accounts.ts';
import { collapsedSessions, events, pageViews } from '../helpers/ingest.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';

// Requests exactly as Pirsch's own scripts sent them (TRACKER.md §1.4, §1.10, §1.13), written
// down as data, are accepted unchanged by the snippet endpoints and stored like the requests of
// Spoor's script.

let world: TestWorld;
let domain: Domain;

beforeAll(async () => {
  world = await createTestWorld();
  domain = await makeDomain(world.meta.db, await makeUser(world.meta.db), 'blog.example.com');
});
afterAll(() => world.close());

/** Headers of Chrome 103 on Windows (mid-2022) sending a cross-site request. */
const CHROME_2022 = {
  'user-agent':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/103.0.0.0 Safari/537.36',
  accept: '*/*',
  'accept-language': 'de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7',
  'accept-encoding': 'gzip, deflate, br',
  origin: 'https://blog.example.com',
  referer: 'https://blog.example.com/',
  'sec-ch-ua': '".Not/A)Brand";v="99", "Google Chrome";v="103", "Chromium";v="103"',
  'sec-ch-ua-mobile': '?0',
  'sec-ch-ua-platform': '"Windows"',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'cors',
  'sec-fetch-dest': 'empty',
};

/** One recorded request: method, path with query, extra headers, body. */
interface Recorded {
  method: 'GET' | 'POST' | 'OPTIONS';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

const PAGE = 'https%3A%2F%2Fblog.example.com%2Fposts%2Fhello%3Futm_source%3Dnewsletter';

/** The 2022 scripts: pirsch.js, pirsch-events.js (XHR JSON, then beacons), pirsch-sessions.js. */
const pirsch2022 = (code: string): Recorded[] => [
  {
    method: 'GET',
    url: `/hit?nc=1656332861394&code=${code}&url=${PAGE}&t=Hello%20World&ref=https%3A%2F%2Fwww.google.com%2F&w=1920&h=1080`,
  },
  // pirsch-events.js until August 2022: an XMLHttpRequest with a JSON content type (pre-flighted).
  {
    method: 'OPTIONS',
    url: '/event',
    headers: {
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  },
  {
    method: 'POST',
    url: '/event',
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body: `{"identification_code":"${code}","url":"https://blog.example.com/posts/hello?utm_source=newsletter","title":"Hello World","referrer":"https://www.google.com/","screen_width":1920,"screen_height":1080,"event_name":"Download","event_duration":0,"event_meta":{"file":"hello.pdf"}}`,
  },
  // From October 2022: sendBeacon (text/plain) with the referrer percent-encoded inside the JSON.
  {
    method: 'POST',
    url: '/event',
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'sec-fetch-mode': 'no-cors' },
    body: `{"identification_code":"${code}","url":"https://blog.example.com/posts/hello?utm_source=newsletter","title":"Hello World","referrer":"https%3A%2F%2Fwww.google.com%2F","screen_width":1920,"screen_height":1080,"event_name":"Upgrade","event_duration":12,"event_meta":{"plan":"pro"}}`,
  },
  // pirsch-sessions.js (November 2022): an XMLHttpRequest POST without a body.
  { method: 'POST', url: `/session?nc=1656332921394&code=${code}&url=${PAGE}` },
];

/** pa.js (2024): tags as raw `tag_` parameters and a `tags` object, events by beacon. */
const pirsch2024 = (code: string, page: string): Recorded[] => [
  {
    method: 'GET',
    url: `/hit?nc=1718000000000&code=${code}&url=${encodeURIComponent(page)}&t=Pricing&ref=https%3A%2F%2Fwww.google.com%2F&w=390&h=844&tag_author=John&tag_logged in=1`,
  },
  {
    method: 'POST',
    url: '/event',
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'sec-fetch-mode': 'no-cors' },
    body: JSON.stringify({
      identification_code: code,
      url: page,
      title: 'Pricing',
      referrer: encodeURIComponent('https://www.google.com/'),
      screen_width: 390,
      screen_height: 844,
      tags: { author: 'John', 'logged in': '1' },
      event_name: 'Plan Selected',
      event_duration: 0,
      event_meta: { plan: 'team' },
      non_interactive: false,
    }),
  },
];

/** The same page view and event as Spoor's script sends them (TRACKER.md §3.5). */
const spoorScript = (code: string, page: string): Recorded[] => [
  {
    method: 'GET',
    url: `/hit?nc=1718000000000&code=${code}&url=${encodeURIComponent(page)}&t=Pricing&ref=https%3A%2F%2Fwww.google.com%2F&w=390&h=844&tag_author=John&tag_logged%20in=1`,
  },
  {
    method: 'POST',
    url: '/event',
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'sec-fetch-mode': 'no-cors' },
    body: JSON.stringify({
      identification_code: code,
      url: page,
      title: 'Pricing',
      referrer: 'https://www.google.com/',
      screen_width: 390,
      screen_height: 844,
      tags: { author: 'John', 'logged in': '1' },
      event_name: 'Plan Selected',
      event_duration: 0,
      event_meta: { plan: 'team' },
      non_interactive: false,
    }),
  },
];

async function replay(requests: Recorded[], remoteAddress: string, userAgent?: string) {
  const statuses: number[] = [];
  for (const request of requests) {
    const response = await world.app.inject({
      method: request.method,
      url: request.url,
      headers: {
        ...CHROME_2022,
        ...(userAgent ? { 'user-agent': userAgent } : {}),
        ...request.headers,
      },
      payload: request.body,
      remoteAddress,
    });
    statuses.push(response.statusCode);
  }
  return statuses;
}

describe('requests of the Pirsch scripts', () => {
  it('accepts the 2022 page view, events and keep-alive unchanged', async () => {
    expect(await replay(pirsch2022(domain.identification_code), '198.51.100.22')).toEqual([
      200, 204, 200, 200, 200,
    ]);
    const views = await pageViews(world.events, domain.id);
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({
      path: '/posts/hello',
      title: 'Hello World',
      hostname: 'blog.example.com',
      referrer_name: 'Google',
      utm_source: 'newsletter',
      screen_class: 'Full HD',
      browser: 'Chrome',
      os: 'Windows',
      language: 'de',
    });
    const stored = await events(world.events, domain.id);
    expect(
      stored.map(({ name, meta_keys, meta_values, duration_seconds, path }) => ({
        name,
        meta: Object.fromEntries(meta_keys.map((key, i) => [key, meta_values[i]])),
        duration_seconds,
        path,
      })),
    ).toEqual([
      { name: 'Download', meta: { file: 'hello.pdf' }, duration_seconds: 0, path: '/posts/hello' },
      { name: 'Upgrade', meta: { plan: 'pro' }, duration_seconds: 12, path: '/posts/hello' },
    ]);
    // The encoded referrer of the beacon is the same referrer: no second visit.
    const sessions = await collapsedSessions(world.events, domain.id);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ page_views: 1, is_bounce: 0, referrer_name: 'Google' });
  });

  it('stores the 2024 pa.js requests like the same requests from Spoor’s script', async () => {
    const mobile =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
    const before = (await pageViews(world.events, domain.id)).length;
    const beforeEvents = (await events(world.events, domain.id)).length;
    const page = 'https://blog.example.com/pricing';
    expect(
      await replay(pirsch2024(domain.identification_code, page), '198.51.100.24', mobile),
    ).toEqual([200, 200]);
    expect(
      await replay(spoorScript(domain.identification_code, page), '198.51.100.25', mobile),
    ).toEqual([200, 200]);
    const comparable = <T extends { session_id: number; time?: string }>(rows: T[]) =>
      rows.map(({ session_id: _session, time: _time, ...rest }) => rest);
    const [fromPirsch, fromSpoor] = comparable(
      (await pageViews(world.events, domain.id)).slice(before),
    );
    expect(fromPirsch).toMatchObject({
      path: '/pricing',
      tags: { author: 'John', 'logged in': '1' },
    });
    expect(fromSpoor).toEqual(fromPirsch);
    const [eventFromPirsch, eventFromSpoor] = comparable(
      (await events(world.events, domain.id)).slice(beforeEvents),
    );
    expect(eventFromPirsch).toMatchObject({ name: 'Plan Selected', path: '/pricing' });
    expect(eventFromSpoor).toEqual(eventFromPirsch);
  });
});
