import { describe, expect, it } from 'vitest';
import {
  cutUtf8,
  decodePercent,
  hostAllowed,
  hostMatches,
  normalizeTitle,
  parsePageUrl,
} from '../../src/ingest/page-url.ts';

describe('parsePageUrl', () => {
  it.each<[string, string, string]>([
    // [url, hostname, path]
    ['https://example.com/pricing', 'example.com', '/pricing'],
    ['https://example.com', 'example.com', '/'],
    ['https://example.com/', 'example.com', '/'],
    ['https://example.com?x=1', 'example.com', '/'],
    ['https://example.com/a/b/', 'example.com', '/a/b/'], // trailing slash kept
    ['https://example.com/About/Team', 'example.com', '/About/Team'], // case kept
    ['https://Example.COM/a', 'example.com', '/a'],
    ['https://example.com./a', 'example.com', '/a'], // trailing dot of the host
    ['http://example.com:8080/a', 'example.com', '/a'], // port never part of the host
    ['https://user:secret@example.com/a', 'example.com', '/a'],
    ['https://x.org/a?b=1#c', 'x.org', '/a'], // query removed
    ['https://x.org/a#c', 'x.org', '/a'], // fragment removed (decision 1)
    ['https://x.org/#/route/inside', 'x.org', '/'],
    ['https://x.org/a#c?d=1', 'x.org', '/a'],
    ['https://x.org/caf%C3%A9', 'x.org', '/café'],
    ['https://x.org/café', 'x.org', '/café'], // the parser encodes, we decode again
    ['https://x.org/a%20b', 'x.org', '/a b'],
    ['https://x.org/a b', 'x.org', '/a b'],
    ['https://x.org/a%2Fb', 'x.org', '/a/b'],
    ['https://x.org/100%', 'x.org', '/100%'], // invalid escapes kept as written
    ['https://x.org/%zz/x', 'x.org', '/%zz/x'],
    ['https://x.org/a%E2%82', 'x.org', '/a%E2%82'], // incomplete UTF-8 sequence
    ['https://x.org/%C0%AF', 'x.org', '/%C0%AF'], // overlong encoding of "/"
    ['https://x.org/%FF%41', 'x.org', '/%FFA'],
    ['https://x.org/%E2%82%AC%E2', 'x.org', '/€%E2'],
    ['https://x.org/%F0%9F%98%80', 'x.org', '/😀'],
    ['https://x.org/a/../b', 'x.org', '/b'], // what the browser's location.href already says
    ['https://bücher.example/a', 'xn--bcher-kva.example', '/a'], // IDN → punycode
    ['https://XN--BCHER-KVA.example/', 'xn--bcher-kva.example', '/'],
    ['  https://example.com/a  ', 'example.com', '/a'],
    ['http://[2001:db8::1]:8080/a', '[2001:db8::1]', '/a'],
    ['https://203.0.113.9/a', '203.0.113.9', '/a'],
  ])('%s → host %s, path %s', (url, hostname, path) => {
    const page = parsePageUrl(url);
    expect(page).not.toBeNull();
    expect(page?.hostname).toBe(hostname);
    expect(page?.path).toBe(path);
  });

  it.each([
    '',
    '/relative/path',
    'example.com/path',
    '//example.com/path',
    'ftp://example.com/a',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'android-app://com.example/',
    'https://',
    'https://exa mple.com/',
    'not a url',
  ])('rejects %j', (url) => {
    expect(parsePageUrl(url)).toBeNull();
  });

  it('keeps the query for UTM parameters and referrer fall-backs', () => {
    const page = parsePageUrl('https://x.org/p?utm_source=a%20b&utm_source=second&ref=c+d#frag');
    expect(page?.query.get('utm_source')).toBe('a b');
    expect(page?.query.get('ref')).toBe('c d');
    expect(page?.query.has('frag')).toBe(false);
  });

  it('cuts long paths to 2,000 bytes on a character boundary', () => {
    const ascii = parsePageUrl(`https://x.org/${'a'.repeat(3000)}`);
    expect(ascii?.path).toBe(`/${'a'.repeat(1999)}`);
    // "é" is two bytes: 1 + 2 × 999 = 1,999 bytes fit, the next one would end at 2,001.
    const accented = parsePageUrl(`https://x.org/${'é'.repeat(1500)}`);
    expect(accented?.path).toBe(`/${'é'.repeat(999)}`);
    expect(Buffer.byteLength(accented?.path ?? '')).toBe(1999);
    const emoji = parsePageUrl(`https://x.org/${'😀'.repeat(600)}`);
    expect(emoji?.path).toBe(`/${'😀'.repeat(499)}`);
    expect(Buffer.byteLength(emoji?.path ?? '')).toBe(1997);
  });
});

describe('normalizeTitle', () => {
  it.each<[string, string]>([
    ['  Pricing – Example  ', 'Pricing – Example'],
    ['\n\tTitle\n', 'Title'],
    ['', ''],
    ['   ', ''],
    ['x'.repeat(600), 'x'.repeat(512)],
    ['ü'.repeat(300), 'ü'.repeat(256)], // exactly 512 bytes
    [`a${'ü'.repeat(300)}`, `a${'ü'.repeat(255)}`], // 511 bytes: the next ü would split
    ['漢'.repeat(200), '漢'.repeat(170)], // 3-byte characters: 510 bytes
    [`  ${'x'.repeat(512)}  `, 'x'.repeat(512)], // trimmed before the cut
  ])('%j → %j', (raw, expected) => {
    expect(normalizeTitle(raw)).toBe(expected);
    expect(Buffer.byteLength(normalizeTitle(raw))).toBeLessThanOrEqual(512);
  });
});

describe('cutUtf8 and decodePercent', () => {
  it.each<[string, number, string]>([
    ['abc', 2, 'ab'],
    ['abc', 3, 'abc'],
    ['aé', 2, 'a'],
    ['aé', 3, 'aé'],
    ['😀', 3, ''],
    ['', 0, ''],
  ])('cutUtf8(%j, %d) → %j', (value, max, expected) => {
    expect(cutUtf8(value, max)).toBe(expected);
  });

  it.each<[string, string]>([
    ['plain', 'plain'],
    ['%41%42', 'AB'],
    ['%e2%82%ac', '€'],
    ['%', '%'],
    ['%4', '%4'],
    ['%%41', '%A'],
    ['%80abc', '%80abc'],
    ['%ED%A0%80', '%ED%A0%80'], // a UTF-16 surrogate is no UTF-8 character
  ])('decodePercent(%j) → %j', (value, expected) => {
    expect(decodePercent(value)).toBe(expected);
  });
});

describe('hostAllowed (API.md I.2)', () => {
  it.each<[string, string, string[], boolean]>([
    // [url host, domain hostname, alternative hosts, allowed]
    ['example.com', 'example.com', [], true],
    ['EXAMPLE.com', 'example.com', [], true],
    ['example.com.', 'example.com', [], true],
    ['www.example.com', 'example.com', [], true],
    ['example.com', 'www.example.com', [], true],
    ['www.example.co.uk', 'example.co.uk', [], true],
    ['example.com.au', 'www.example.com.au', [], true],
    ['www.blog.example.com', 'blog.example.com', [], true],
    ['blog.example.com', 'www.blog.example.com', [], true],
    ['www.www.example.com', 'example.com', [], false],
    ['blog.example.com', 'example.com', [], false],
    ['example.com', 'blog.example.com', [], false],
    ['wwwexample.com', 'example.com', [], false],
    ['example.org', 'example.com', [], false],
    ['notexample.com', 'example.com', [], false],
    ['example.com.evil.net', 'example.com', [], false],
    ['', 'example.com', [], false],
    ['shop.example.net', 'example.com', ['shop.example.net'], true],
    ['www.shop.net', 'example.com', ['shop.net'], true],
    ['shop.net', 'example.com', ['www.shop.net'], true],
    ['other.example.net', 'example.com', ['shop.example.net'], false],
    ['a.example.org', 'example.com', ['*.example.org'], true],
    ['a.b.example.org', 'example.com', ['*.example.org'], true], // any depth
    ['example.org', 'example.com', ['*.example.org'], false], // the apex is not a subdomain
    ['evilexample.org', 'example.com', ['*.example.org'], false],
    ['example.org.evil.com', 'example.com', ['*.example.org'], false],
    ['shop-eu.example.net', 'example.com', ['shop-*.example.net'], true],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example', [], true],
    ['anything.example', 'example.com', ['', '  '], false],
  ])('%j for %j (alternatives %j) → %s', (host, hostname, alternatives, expected) => {
    expect(hostAllowed(host, hostname, alternatives)).toBe(expected);
  });

  it.each<[string, string, string[], boolean]>([
    ['www.example.com', 'example.com', [], true],
    ['example.com', 'www.example.com', [], true],
    ['www.example.co.uk', 'example.co.uk', [], true],
    ['example.com.au', 'www.example.com.au', [], true],
    ['www.blog.example.com', 'blog.example.com', [], false], // not below the registrable domain
    ['blog.example.com', 'www.blog.example.com', [], false],
    ['www.shop.net', 'example.com', ['shop.net'], true],
    ['www.shop.example.net', 'example.com', ['shop.example.net'], false],
    ['a.b.example.org', 'example.com', ['*.example.org'], true],
    ['blog.example.com', 'blog.example.com', [], true],
  ])(
    'Pirsch 2022 snippet rule: %j for %j (alternatives %j) → %s',
    (host, hostname, alternatives, expected) => {
      const options = { wwwOnlyBelowRegistrableDomain: true };
      expect(hostAllowed(host, hostname, alternatives, options)).toBe(expected);
    },
  );

  it.each<[string, string, boolean]>([
    ['a.example.org', '*.EXAMPLE.org', true],
    ['A.Example.Org', '*.example.org', true],
    ['example.org', 'example.org', true],
    ['a.example.org', 'example.org', false],
    ['a+b.example.org', '*.example.org', false], // regex characters in hosts stay literal
    ['aexample.org', '*.example.org', false],
  ])('hostMatches(%j, %j) → %s', (host, pattern, expected) => {
    expect(hostMatches(host, pattern)).toBe(expected);
  });
});
