/**
 * Dimension breakdowns (API.md A.2.7–A.2.11, A.2.24–A.2.34, B.5 region/tags/tag details). Every
 * expected number is computed by hand from the world of `world.ts` (five sessions A–E, all
 * started within 2026-11-10…12 in Berlin and in UTC, so 5 visitors in the period):
 *
 * | visitor | country | browser / version | OS / version | platform | lang | screen | referrer | UTM | bounced |
 * |---|---|---|---|---|---|---|---|---|---|
 * | A | de | Firefox 128 | Linux "" | desktop | de | Full HD | Google (https://www.google.com) | – | no |
 * | B | us | Chrome 131 | Mac 10.15 | desktop | en | HD | name `newsletter` from `utm_source`, no URL (SEMANTICS §3.1 item 3) | source newsletter, campaign nov | yes |
 * | C | fr | Safari 17.5 | iOS 17.5 | mobile | fr | XS | – | – | yes |
 * | D | au | Chrome 131 | Mac 10.15 | desktop | en | WQHD | Hacker News (https://news.ycombinator.com) | – | no |
 * | E | de | Chrome 131 | Mac 10.15 | desktop | de | HD | – | – | yes |
 *
 * Versions are major.minor of the user agents with a zero minor dropped (src/ingest/user-agent.ts):
 * `Firefox/128.0` → 128, `Chrome/131.0.0.0` → 131, Safari's `Version/17.5`, `Intel Mac OS X
 * 10_15_7` → 10.15, `CPU iPhone OS 17_5` → 17.5. No city database is
 * configured in tests, so every city and region is "".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomain } from '../../src/manage/domains.ts';
import type { Domain } from '../../src/store/meta/schema.ts';
import { CHROME_MAC, FIREFOX, post, SAFARI_IPHONE } from '../helpers/ingest.ts';
import { createClient, createStatsWorld, FROM, TO, type StatsWorld } from './world.ts';

let world: StatsWorld;
/** A third domain with tagged page views (see `tagHits`). */
let tagged: Domain;

/**
 * Tagged traffic, UTC domain, 2026-11-10:
 * - V1 (Firefox): `/a` {author: John, kind: post} at 10:00 · `/b` {author: Jane} at 10:01
 * - V2 (Chrome): `/a` {author: John} at 12:00 · event `Click` on `/a` at 12:01 (same page: no
 *   extra page view)
 * - V3 (Safari): `/c` without tags at 13:00
 * → 3 visitors and 4 page views in the period.
 *
 * And on 2026-11-11, three Google visitors for the referrer grouping: W1 and W2 from
 * https://www.google.de/, W3 from https://www.google.com/.
 */
function tagHits(host: string) {
  const v1 = { ip: '193.99.144.80', user_agent: FIREFOX, accept_language: 'de' };
  const v2 = { ip: '8.8.8.8', user_agent: CHROME_MAC, accept_language: 'en' };
  const v3 = { ip: '80.67.169.12', user_agent: SAFARI_IPHONE, accept_language: 'fr' };
  const hit = (v: object, path: string, time: string, tags?: Record<string, string>) => ({
    url: `https://${host}${path}`,
    ...v,
    time,
    ...(tags ? { tags } : {}),
  });
  return {
    hits: [
      hit(v1, '/a', '2026-11-10T10:00:00Z', { author: 'John', kind: 'post' }),
      hit(v1, '/b', '2026-11-10T10:01:00Z', { author: 'Jane' }),
      hit(v2, '/a', '2026-11-10T12:00:00Z', { author: 'John' }),
      hit(v3, '/c', '2026-11-10T13:00:00Z'),
      ...['1.1.1.1', '8.8.4.4', '9.9.9.9'].map((ip, i) => ({
        ...hit({ ip, user_agent: CHROME_MAC }, '/', `2026-11-11T1${i}:00:00Z`),
        referrer: i < 2 ? 'https://www.google.de/' : 'https://www.google.com/',
      })),
    ],
    events: [{ ...hit(v2, '/a', '2026-11-10T12:01:00Z'), event_name: 'Click' }],
  };
}

beforeAll(async () => {
  world = await createStatsWorld();
  tagged = await createDomain(world.meta.db, {
    userId: world.berlin.user_id,
    hostname: 'tags.example.com',
  });
  const { secret } = await createClient(world.meta.db, {
    userId: world.berlin.user_id,
    domainId: tagged.id,
    type: 'token',
    scopes: { hit: 'w', event: 'w', session: 'w' },
  });
  const { hits, events } = tagHits(tagged.hostname);
  for (const [path, body] of [
    ['/api/v1/hit/batch', hits],
    ['/api/v1/event/batch', events],
  ] as const) {
    const res = await post(world.app, path, secret, body);
    if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
  }
});
afterAll(() => world.close());

const period = { from: FROM, to: TO };

/** GET a statistic of the Berlin domain over the whole period, expecting 200. */
async function berlin(
  path: string,
  query: Record<string, string | string[]> = {},
): Promise<unknown> {
  const { status, body } = await world.get(path, { id: world.berlin.id, ...period, ...query });
  expect(status, JSON.stringify(body)).toBe(200);
  return body;
}

const row = (field: string, value: string, visitors: number, total = 5) => ({
  [field]: value,
  visitors,
  relative_visitors: visitors / total,
});

describe('demographics', () => {
  it('lists languages, visitors desc then label asc', async () => {
    // de: A, E · en: B, D · fr: C
    expect(await berlin('statistics/language')).toEqual([
      row('language', 'de', 2),
      row('language', 'en', 2),
      row('language', 'fr', 1),
    ]);
  });

  it('lists countries as country_code', async () => {
    // de: A, E; au, fr, us one each, by code
    expect(await berlin('statistics/country')).toEqual([
      row('country_code', 'de', 2),
      row('country_code', 'au', 1),
      row('country_code', 'fr', 1),
      row('country_code', 'us', 1),
    ]);
  });

  it('lists cities with country and region ("" without a city database)', async () => {
    expect(await berlin('statistics/city')).toEqual([
      { city: '', country_code: 'de', region: '', visitors: 2, relative_visitors: 0.4 },
      { city: '', country_code: 'au', region: '', visitors: 1, relative_visitors: 0.2 },
      { city: '', country_code: 'fr', region: '', visitors: 1, relative_visitors: 0.2 },
      { city: '', country_code: 'us', region: '', visitors: 1, relative_visitors: 0.2 },
    ]);
  });

  it('lists regions with their country', async () => {
    expect(await berlin('statistics/region')).toEqual([
      { region: '', country_code: 'de', visitors: 2, relative_visitors: 0.4 },
      { region: '', country_code: 'au', visitors: 1, relative_visitors: 0.2 },
      { region: '', country_code: 'fr', visitors: 1, relative_visitors: 0.2 },
      { region: '', country_code: 'us', visitors: 1, relative_visitors: 0.2 },
    ]);
  });

  it('searches language and country by a comma-separated list of codes, or negated', async () => {
    expect(await berlin('statistics/language', { search: 'de,FR' })).toEqual([
      row('language', 'de', 2),
      row('language', 'fr', 1),
    ]);
    expect(await berlin('statistics/country', { search: 'DE' })).toEqual([
      row('country_code', 'de', 2),
    ]);
    // `!` negates: every language but de.
    expect(await berlin('statistics/language', { search: '!de' })).toEqual([
      row('language', 'en', 2),
      row('language', 'fr', 1),
    ]);
    // A list matches exact codes only, not parts of them.
    expect(await berlin('statistics/language', { search: 'd' })).toEqual([]);
  });
});

describe('devices', () => {
  it('lists browsers and browser versions', async () => {
    // Chrome: B, D, E · Firefox: A · Safari: C
    expect(await berlin('statistics/browser')).toEqual([
      row('browser', 'Chrome', 3),
      row('browser', 'Firefox', 1),
      row('browser', 'Safari', 1),
    ]);
    expect(await berlin('statistics/browser/version')).toEqual([
      { browser: 'Chrome', browser_version: '131', visitors: 3, relative_visitors: 0.6 },
      { browser: 'Firefox', browser_version: '128', visitors: 1, relative_visitors: 0.2 },
      { browser: 'Safari', browser_version: '17.5', visitors: 1, relative_visitors: 0.2 },
    ]);
  });

  it('lists operating systems and versions in byte order of the label', async () => {
    // Mac: B, D, E · Linux: A · iOS: C ("Linux" < "iOS": upper case sorts first)
    expect(await berlin('statistics/os')).toEqual([
      row('os', 'Mac', 3),
      row('os', 'Linux', 1),
      row('os', 'iOS', 1),
    ]);
    expect(await berlin('statistics/os/version')).toEqual([
      { os: 'Mac', os_version: '10.15', visitors: 3, relative_visitors: 0.6 },
      { os: 'Linux', os_version: '', visitors: 1, relative_visitors: 0.2 },
      { os: 'iOS', os_version: '17.5', visitors: 1, relative_visitors: 0.2 },
    ]);
  });

  it('lists screen classes', async () => {
    // HD: B (1440), E (1280) · Full HD: A (1920) · WQHD: D (2560) · XS: C (390)
    expect(await berlin('statistics/screen')).toEqual([
      row('screen_class', 'HD', 2),
      row('screen_class', 'Full HD', 1),
      row('screen_class', 'WQHD', 1),
      row('screen_class', 'XS', 1),
    ]);
  });

  it('counts unique visitors per platform', async () => {
    // desktop: A, B, D, E · mobile: C · unknown: none
    expect(await berlin('statistics/platform')).toEqual({
      platform_desktop: 4,
      platform_mobile: 1,
      platform_unknown: 0,
      relative_platform_desktop: 0.8,
      relative_platform_mobile: 0.2,
      relative_platform_unknown: 0,
    });
    // Viewers of `/`: A, C, E → desktop 2, mobile 1.
    expect(await berlin('statistics/platform', { path: '/' })).toMatchObject({
      platform_desktop: 2,
      platform_mobile: 1,
      platform_unknown: 0,
      relative_platform_desktop: 2 / 3,
      relative_platform_mobile: 1 / 3,
    });
    // Senders of the `Video` event: C only.
    expect(await berlin('statistics/platform', { event: 'Video' })).toMatchObject({
      platform_desktop: 0,
      platform_mobile: 1,
      relative_platform_mobile: 1,
    });
    // C's reload counts once: a visitor, not a page view.
    expect(await berlin('statistics/platform', { platform: 'mobile' })).toMatchObject({
      platform_desktop: 0,
      platform_mobile: 1,
    });
  });
});

describe('referrers', () => {
  const direct = {
    referrer: '',
    referrer_name: '',
    referrer_icon: '',
    visitors: 2,
    sessions: 2,
    relative_visitors: 0.4,
    bounces: 2,
    bounce_rate: 1,
  };
  const google = {
    referrer: 'https://www.google.com',
    referrer_name: 'Google',
    referrer_icon: '',
    visitors: 1,
    sessions: 1,
    relative_visitors: 0.2,
    bounces: 0,
    bounce_rate: 0,
  };
  const hackerNews = {
    referrer: 'https://news.ycombinator.com',
    referrer_name: 'Hacker News',
    referrer_icon: '',
    visitors: 1,
    sessions: 1,
    relative_visitors: 0.2,
    bounces: 0,
    bounce_rate: 0,
  };
  const newsletter = {
    referrer: '',
    referrer_name: 'newsletter',
    referrer_icon: '',
    visitors: 1,
    sessions: 1,
    relative_visitors: 0.2,
    bounces: 1,
    bounce_rate: 1,
  };

  it('groups by referrer name with sessions and bounces; direct traffic is ""', async () => {
    // "": C, E (both bounced) · Google: A · Hacker News: D · newsletter: B (bounced).
    expect(await berlin('statistics/referrer')).toEqual([direct, google, hackerNews, newsletter]);
  });

  it('selects direct traffic with referrer_name=null and named referrers by name', async () => {
    expect(await berlin('statistics/referrer', { referrer_name: 'null' })).toEqual([direct]);
    expect(await berlin('statistics/referrer', { referrer_name: '!null' })).toEqual([
      google,
      hackerNews,
      newsletter,
    ]);
    expect(await berlin('statistics/referrer', { referrer: 'https://www.google.com' })).toEqual([
      google,
    ]);
  });

  it('searches the name and the full referrer', async () => {
    expect(await berlin('statistics/referrer', { search: 'GOOG' })).toEqual([google]);
    expect(await berlin('statistics/referrer', { search: 'ycombinator' })).toEqual([hackerNews]);
  });

  it('counts sessions and bounces of the matching page views with a path filter', async () => {
    // Viewers of `/pricing`: A (Google, not bounced), D (Hacker News, not bounced).
    expect(await berlin('statistics/referrer', { path: '/pricing' })).toEqual([google, hackerNews]);
    // Viewers of `/`: A (Google), C and E (direct, bounced).
    expect(await berlin('statistics/referrer', { path: '/' })).toEqual([direct, google]);
  });

  it('sorts by bounce rate', async () => {
    // bounce_rate desc: "" 1, newsletter 1 (ties: visitors desc → "" first), then Google and
    // Hacker News 0 by name.
    expect(await berlin('statistics/referrer', { sort: 'bounce_rate', direction: 'desc' })).toEqual(
      [direct, newsletter, google, hackerNews],
    );
  });

  it('sorts by the full referrer shown for a name', async () => {
    // referrer asc: "" (direct 2, newsletter 1: ties by visitors desc), then
    // https://news.ycombinator.com < https://www.google.com.
    expect(await berlin('statistics/referrer', { sort: 'referrer', direction: 'asc' })).toEqual([
      direct,
      newsletter,
      hackerNews,
      google,
    ]);
  });
});

describe('referrer groups', () => {
  const nextDay = { id: '', from: '2026-11-11', to: '2026-11-11' };
  it('shows the most frequent full referrer of a name, and each one when filtered', async () => {
    // Google: W1, W2 (google.de) and W3 (google.com) → 3 visitors, shown with the most frequent
    // URL, google.de (not the byte-smallest, google.com).
    const all = await world.get('statistics/referrer', { ...nextDay, id: tagged.id });
    expect(all.body).toEqual([
      {
        referrer: 'https://www.google.de',
        referrer_name: 'Google',
        referrer_icon: '',
        visitors: 3,
        sessions: 3,
        relative_visitors: 1,
        bounces: 3,
        bounce_rate: 1,
      },
    ]);
    const byUrl = await world.get('statistics/referrer', {
      ...nextDay,
      id: tagged.id,
      referrer_name: 'Google',
    });
    expect(byUrl.body).toMatchObject([
      { referrer: 'https://www.google.de', visitors: 2, relative_visitors: 2 / 3 },
      { referrer: 'https://www.google.com', visitors: 1, relative_visitors: 1 / 3 },
    ]);
  });
});

describe('UTM', () => {
  it('lists UTM values without the empty value', async () => {
    // Only B carries UTM parameters: source newsletter, campaign nov.
    expect(await berlin('statistics/utm/source')).toEqual([row('utm_source', 'newsletter', 1)]);
    expect(await berlin('statistics/utm/campaign')).toEqual([row('utm_campaign', 'nov', 1)]);
    for (const name of ['medium', 'content', 'term']) {
      expect(await berlin(`statistics/utm/${name}`)).toEqual([]);
    }
  });
});

describe('filters', () => {
  it('applies attribute filters', async () => {
    // Germans: A (Firefox), E (Chrome); relative to all 5 visitors of the period.
    expect(await berlin('statistics/browser', { country: 'de' })).toEqual([
      row('browser', 'Chrome', 1),
      row('browser', 'Firefox', 1),
    ]);
    // Not Chrome: A (de), C (fr).
    expect(await berlin('statistics/language', { browser: '!Chrome' })).toEqual([
      row('language', 'de', 1),
      row('language', 'fr', 1),
    ]);
    // Repeated values are OR-ed: us or au → B, D, both en.
    expect(await berlin('statistics/language', { country: ['us', 'au'] })).toEqual([
      row('language', 'en', 2),
    ]);
  });

  it('counts the visitors of matching page views with a path or pattern filter', async () => {
    // `/pricing`: A (Firefox), D (Chrome).
    expect(await berlin('statistics/browser', { path: '/pricing' })).toEqual([
      row('browser', 'Chrome', 1),
      row('browser', 'Firefox', 1),
    ]);
    // `/blog/…`: B and D, both en. (A leading `^` would be read as the "does not contain"
    // prefix of B.3, so the expression starts with `/`.)
    expect(await berlin('statistics/language', { pattern: '/blog/[a-z]+$' })).toEqual([
      row('language', 'en', 2),
    ]);
  });

  it('counts the senders of matching events with an event filter', async () => {
    // Signup: A (de, Linux), D (en, Mac).
    expect(await berlin('statistics/language', { event: 'Signup' })).toEqual([
      row('language', 'de', 1),
      row('language', 'en', 1),
    ]);
    expect(await berlin('statistics/os', { event: 'Signup', meta_plan: 'free' })).toEqual([
      row('os', 'Mac', 1),
    ]);
  });

  it('applies entry and exit path filters', async () => {
    // Sessions entering on `/pricing`: D (Chrome). Exiting on `/`: C, E (Safari, Chrome).
    expect(await berlin('statistics/browser', { entry_path: '/pricing' })).toEqual([
      row('browser', 'Chrome', 1),
    ]);
    expect(await berlin('statistics/browser', { exit_path: '/' })).toEqual([
      row('browser', 'Chrome', 1),
      row('browser', 'Safari', 1),
    ]);
  });

  it('sorts, limits and searches', async () => {
    expect(await berlin('statistics/language', { sort: 'visitors', direction: 'asc' })).toEqual([
      row('language', 'fr', 1),
      row('language', 'de', 2),
      row('language', 'en', 2),
    ]);
    expect(await berlin('statistics/language', { sort: 'language', direction: 'desc' })).toEqual([
      row('language', 'fr', 1),
      row('language', 'en', 2),
      row('language', 'de', 2),
    ]);
    expect(await berlin('statistics/browser', { limit: '1' })).toEqual([
      row('browser', 'Chrome', 3),
    ]);
    expect(await berlin('statistics/browser', { search: 'fox' })).toEqual([
      row('browser', 'Firefox', 1),
    ]);
    expect(await berlin('statistics/screen', { search: '!hd' })).toEqual([
      row('screen_class', 'XS', 1),
    ]);
    const bad = await world.get('statistics/language', {
      id: world.berlin.id,
      ...period,
      sort: 'views',
    });
    expect(bad.status).toBe(400);
  });
});

describe('periods and time zones', () => {
  it('counts a session on the local day it started', async () => {
    // 2026-11-10 in Berlin: A only (B started 23:30 UTC = 00:30 on the 11th in Berlin).
    expect(await berlin('statistics/language', { from: FROM, to: FROM })).toEqual([
      row('language', 'de', 1, 1),
    ]);
    // In UTC the same day has A and B.
    const utc = await world.get('statistics/language', { id: world.utc.id, from: FROM, to: FROM });
    expect(utc.body).toEqual([row('language', 'de', 1, 2), row('language', 'en', 1, 2)]);
    const utm = await world.get('statistics/utm/source', {
      id: world.utc.id,
      from: FROM,
      to: FROM,
    });
    expect(utm.body).toEqual([row('utm_source', 'newsletter', 1, 2)]);
    expect(await berlin('statistics/utm/source', { from: FROM, to: FROM })).toEqual([]);
  });

  it('answers [] (platform: zeros) for an empty period', async () => {
    const empty = { from: '2026-01-01', to: '2026-01-02' };
    for (const path of ['statistics/language', 'statistics/referrer', 'statistics/city']) {
      expect(await berlin(path, empty)).toEqual([]);
    }
    expect(await berlin('statistics/platform', empty)).toEqual({
      platform_desktop: 0,
      platform_mobile: 0,
      platform_unknown: 0,
      relative_platform_desktop: 0,
      relative_platform_mobile: 0,
      relative_platform_unknown: 0,
    });
  });
});

describe('keywords', () => {
  it('answers [] without a Google integration (decision 12)', async () => {
    expect(await berlin('statistics/keywords')).toEqual([]);
  });
});

describe('tags', () => {
  const day = { from: '2026-11-10', to: '2026-11-10' };
  const get = async (path: string, query: Record<string, string> = {}) => {
    const { status, body } = await world.get(path, { id: tagged.id, ...day, ...query });
    expect(status, JSON.stringify(body)).toBe(200);
    return body;
  };
  const details = (tag: string, query: Record<string, string> = {}) =>
    get('statistics/tag/details', { tag, ...query });

  it('lists tag keys with visitors and page views', async () => {
    // author: V1 (/a, /b), V2 (/a) → 2 visitors, 3 views · kind: V1 (/a) → 1 visitor, 1 view.
    // All visitors 3 (V3 has no tag), all page views 4.
    expect(await get('statistics/tags')).toEqual([
      {
        key: 'author',
        value: '',
        visitors: 2,
        views: 3,
        relative_visitors: 2 / 3,
        relative_views: 3 / 4,
      },
      {
        key: 'kind',
        value: '',
        visitors: 1,
        views: 1,
        relative_visitors: 1 / 3,
        relative_views: 1 / 4,
      },
    ]);
  });

  it('restricts tag keys with path, event and search', async () => {
    // `/b`: V1's view tagged author only.
    expect(await get('statistics/tags', { path: '/b' })).toMatchObject([
      { key: 'author', visitors: 1, views: 1 },
    ]);
    // Sessions with a `Click`: V2's, whose `/a` view is tagged author.
    expect(await get('statistics/tags', { event: 'Click' })).toMatchObject([
      { key: 'author', visitors: 1, views: 1 },
    ]);
    expect(await get('statistics/tags', { search: 'KI' })).toMatchObject([
      { key: 'kind', visitors: 1 },
    ]);
    expect(await get('statistics/tags', { from: '2026-01-01', to: '2026-01-01' })).toEqual([]);
  });

  it('breaks one key down by value', async () => {
    // author=John: V1 /a, V2 /a → 2 visitors, 2 views · author=Jane: V1 /b.
    expect(await details('author')).toEqual([
      {
        key: 'author',
        value: 'John',
        visitors: 2,
        views: 2,
        relative_visitors: 2 / 3,
        relative_views: 2 / 4,
      },
      {
        key: 'author',
        value: 'Jane',
        visitors: 1,
        views: 1,
        relative_visitors: 1 / 3,
        relative_views: 1 / 4,
      },
    ]);
    expect(await details('author', { sort: 'value', direction: 'asc' })).toMatchObject([
      { value: 'Jane' },
      { value: 'John' },
    ]);
    expect(await details('author', { search: 'ja' })).toMatchObject([{ value: 'Jane' }]);
    expect(await details('missing')).toEqual([]);
  });

  it('applies tag_<key> filters', async () => {
    // Page views tagged author=John: V1 /a (author, kind), V2 /a (author).
    expect(await get('statistics/tags', { tag_author: 'John' })).toMatchObject([
      { key: 'author', visitors: 2, views: 2 },
      { key: 'kind', visitors: 1, views: 1 },
    ]);
  });

  it('answers [] for tag details without a key', async () => {
    expect(await get('statistics/tag/details')).toEqual([]);
  });
});
