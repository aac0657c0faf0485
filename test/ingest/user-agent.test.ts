import { describe, expect, it } from 'vitest';
import type { ClientHints } from '../../src/ingest/types.ts';
import {
  clearUserAgentCache,
  cutBytes,
  isGreaseBrand,
  parseBrands,
  parseUserAgent,
  shortVersion,
  windowsVersionFromHint,
} from '../../src/ingest/user-agent.ts';
import { BROWSERS, WITH_HINTS, type UaRow } from './fixtures/user-agents.ts';

const NO_HINTS: ClientHints = {
  secChUa: '',
  secChUaMobile: '',
  secChUaPlatform: '',
  secChUaPlatformVersion: '',
  secChWidth: '',
  secChViewportWidth: '',
};

const hints = (partial: Partial<ClientHints> = {}): ClientHints => ({ ...NO_HINTS, ...partial });

/** Renders a parse the way the fixture rows are written. */
function render(userAgent: string, partial?: Partial<ClientHints>): [string, string, string] {
  const info = parseUserAgent(userAgent, hints(partial));
  return [`${info.browser}/${info.browserVersion}`, `${info.os}/${info.osVersion}`, info.platform];
}

const table = (rows: UaRow[]) =>
  rows.map(([ua, browser, os, platform, h]) => ({ ua, h, expected: [browser, os, platform] }));

describe('parseUserAgent: real browsers', () => {
  it('has a corpus of at least 200 user agents', () => {
    expect(BROWSERS.length + WITH_HINTS.length).toBeGreaterThanOrEqual(200);
  });

  it.each(table(BROWSERS))('$expected.0 $expected.1 $expected.2 ← $ua', ({ ua, h, expected }) => {
    expect(render(ua, h)).toEqual(expected);
  });
});

describe('parseUserAgent: client hints take precedence', () => {
  it.each(table(WITH_HINTS))('$expected.0 $expected.1 $expected.2 ← $ua', ({ ua, h, expected }) => {
    expect(render(ua, h)).toEqual(expected);
  });

  it('names the browser from the brand list when the user agent says nothing', () => {
    const info = parseUserAgent('', hints({ secChUa: '"Chromium";v="124", "Not-A.Brand";v="99"' }));
    expect([info.browser, info.browserVersion]).toEqual(['Chrome', '124']);
  });

  it('keeps an unknown brand only when the user agent names no browser', () => {
    const brand = hints({ secChUa: '"Not-A.Brand";v="99", "Whatever Browser";v="7"' });
    expect(parseUserAgent('', brand).browser).toBe('Whatever Browser');
    const chrome =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
    expect(parseUserAgent(chrome, brand).browser).toBe('Chrome');
  });

  it('detects Arc by its brand and by its product token (constructed inputs)', () => {
    const chrome =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
    const arcBrand = hints({ secChUa: '"Arc";v="124", "Chromium";v="124", "Not-A.Brand";v="99"' });
    expect(parseUserAgent(chrome, arcBrand).browser).toBe('Arc');
    expect(parseUserAgent(`${chrome} Arc/1.45.0`, NO_HINTS)).toMatchObject({
      browser: 'Arc',
      browserVersion: '1.45',
    });
  });

  it('ignores a platform it does not know and a version that is not a number', () => {
    const windows =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
    expect(parseUserAgent(windows, hints({ secChUaPlatform: '"Plan 9"' })).os).toBe('Windows');
    expect(
      parseUserAgent(
        windows,
        hints({ secChUaPlatform: '"Windows"', secChUaPlatformVersion: '"x"' }),
      ).osVersion,
    ).toBe('10');
  });
});

describe('parseUserAgent: edge cases', () => {
  it('answers empty values and an unknown platform for an empty user agent', () => {
    expect(parseUserAgent('', NO_HINTS)).toEqual({
      browser: '',
      browserVersion: '',
      os: '',
      osVersion: '',
      platform: 'unknown',
    });
  });

  it('trims surrounding quotes and spaces (§3.3)', () => {
    const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0';
    expect(parseUserAgent(` "${ua}" `, NO_HINTS)).toEqual(parseUserAgent(ua, NO_HINTS));
  });

  it('cuts every value to 20 bytes', () => {
    const info = parseUserAgent(
      '',
      hints({ secChUa: '"Ein sehr langer Browsername";v="1234567890.1234567890"' }),
    );
    expect(info.browser).toBe('Ein sehr langer Brow');
    expect(Buffer.byteLength(info.browser)).toBeLessThanOrEqual(20);
  });

  it('gives the same answer warm as cold, and a copy each time', () => {
    const ua =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1';
    clearUserAgentCache();
    const cold = parseUserAgent(ua, NO_HINTS);
    const warm = parseUserAgent(ua, NO_HINTS);
    expect(warm).toEqual(cold);
    warm.browser = 'changed';
    expect(parseUserAgent(ua, NO_HINTS).browser).toBe('Safari');
  });

  it('does not mix up the same user agent with and without hints in the cache', () => {
    const ua =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
    const win11 = hints({ secChUaPlatform: '"Windows"', secChUaPlatformVersion: '"15.0.0"' });
    expect(parseUserAgent(ua, NO_HINTS).osVersion).toBe('10');
    expect(parseUserAgent(ua, win11).osVersion).toBe('11');
    expect(parseUserAgent(ua, NO_HINTS).osVersion).toBe('10');
  });
});

describe('helpers', () => {
  it.each([
    ['124.0.6367.91', '124'],
    ['17.4.1', '17.4'],
    ['17.0', '17'],
    ['8.1.0', '8.1'],
    ['10.15.7', '10.15'],
    ['14541.0.0', '14541'],
    ['45.02.4.4920', '45.02'],
    ['10', '10'],
    ['10_15_6', '10.15'],
    ['One', ''],
    ['', ''],
  ])('shortVersion(%j) = %j', (input, expected) => {
    expect(shortVersion(input)).toBe(expected);
  });

  it.each([
    ['15.0.0', '11'],
    ['13.0.0', '11'],
    ['10.0.0', '10'],
    ['1.0.0', '10'],
    ['0.3.0', '8'],
    ['0.2.0', '8'],
    ['0.1.0', '7'],
    ['', ''],
  ])('windowsVersionFromHint(%j) = %j', (input, expected) => {
    expect(windowsVersionFromHint(input)).toBe(expected);
  });

  it.each([
    ['Chrome', 'Chrome'],
    ['ÄÖÜäöüßÄÖÜäöü', 'ÄÖÜäöüßÄÖÜ'],
    ['a'.repeat(25), 'a'.repeat(20)],
    ['日本語のブラウザの名前', '日本語のブラ'], // 3 bytes each: 6 fit,
  ])('cutBytes(%j) = %j', (input, expected) => {
    expect(cutBytes(input)).toBe(expected);
  });

  it('parses brand lists, GREASE brands with separators inside the quotes included', () => {
    expect(
      parseBrands('"Not)A;Brand";v="99", "Google Chrome";v="127", "Chromium";v="127"'),
    ).toEqual([
      { brand: 'Not)A;Brand', version: '99' },
      { brand: 'Google Chrome', version: '127' },
      { brand: 'Chromium', version: '127' },
    ]);
    expect(parseBrands('"Brave"')).toEqual([{ brand: 'Brave', version: '' }]);
    expect(parseBrands('')).toEqual([]);
  });

  it.each([
    'Not A(Brand',
    'Not/A)Brand',
    'Not_A Brand',
    '(Not(A:Brand',
    ' Not A;Brand',
    'Not?A_Brand',
  ])('%j is a GREASE brand', (brand) => {
    expect(isGreaseBrand(brand)).toBe(true);
  });

  it.each(['Google Chrome', 'Chromium', 'Microsoft Edge', 'Brave'])('%j is not GREASE', (brand) => {
    expect(isGreaseBrand(brand)).toBe(false);
  });
});
