import { describe, expect, it } from 'vitest';
import {
  chooseReferrer,
  classifyReferrer,
  isSpamHost,
  referrerCategory,
  referrerGroup,
  referrerHostOf,
} from '../../src/ingest/referrer.ts';
import type { ReferrerInfo } from '../../src/ingest/types.ts';

const OWN = ['example.com', 'shop.example.net', '*.example.org'];
const none: ReferrerInfo = { referrer: '', name: '', icon: '' };
const url = (referrer: string, name: string): ReferrerInfo => ({ referrer, name, icon: '' });
const named = (name: string): ReferrerInfo => ({ referrer: '', name, icon: '' });

describe('classifyReferrer', () => {
  it.each<[string, ReferrerInfo | 'spam']>([
    // Empty and whitespace.
    ['', none],
    ['   ', none],
    // Search engines, including Google's country domains.
    ['https://www.google.com/', url('https://www.google.com', 'Google')],
    ['https://google.com', url('https://google.com', 'Google')],
    ['https://www.google.de/', url('https://www.google.de', 'Google')],
    ['https://www.google.co.uk/search?q=spoor', url('https://www.google.co.uk/search', 'Google')],
    ['https://www.google.com.au/', url('https://www.google.com.au', 'Google')],
    ['https://www.google.co.jp/url?sa=t', url('https://www.google.co.jp/url', 'Google')],
    ['https://images.google.fr/', url('https://images.google.fr', 'Google')],
    ['https://www.bing.com/search?q=x', url('https://www.bing.com/search', 'Bing')],
    ['https://duckduckgo.com/', url('https://duckduckgo.com', 'DuckDuckGo')],
    ['https://search.yahoo.com/search', url('https://search.yahoo.com/search', 'Yahoo')],
    ['https://de.search.yahoo.com/', url('https://de.search.yahoo.com', 'Yahoo')],
    ['https://yandex.ru/search/', url('https://yandex.ru/search/', 'Yandex')],
    ['https://www.ecosia.org/', url('https://www.ecosia.org', 'Ecosia')],
    // Specific subdomains beat their parent's group.
    ['https://mail.google.com/mail/u/0/', url('https://mail.google.com/mail/u/0/', 'Gmail')],
    ['https://gemini.google.com/', url('https://gemini.google.com', 'Gemini')],
    ['https://news.google.com/', url('https://news.google.com', 'Google News')],
    // Social, with the grouped redirect hosts.
    ['https://l.facebook.com/l.php?u=x', url('https://l.facebook.com/l.php', 'Facebook')],
    ['https://lm.facebook.com/', url('https://lm.facebook.com', 'Facebook')],
    ['https://m.facebook.com/', url('https://m.facebook.com', 'Facebook')],
    ['https://t.co/AbC123', url('https://t.co/AbC123', 'Twitter')],
    ['https://x.com/', url('https://x.com', 'Twitter')],
    ['https://x.com/i/grok?conversation=1', url('https://x.com/i/grok', 'Grok')], // host + path key
    ['https://old.reddit.com/r/node/', url('https://old.reddit.com/r/node/', 'Reddit')],
    [
      'https://news.ycombinator.com/item?id=1',
      url('https://news.ycombinator.com/item', 'Hacker News'),
    ],
    ['https://www.linkedin.com/feed/', url('https://www.linkedin.com/feed/', 'LinkedIn')],
    ['https://www.youtube.com/watch?v=x', url('https://www.youtube.com/watch', 'YouTube')],
    ['https://chatgpt.com/', url('https://chatgpt.com', 'ChatGPT')],
    // Unknown hosts: the lower-case host is the name; path, trailing slash and port kept.
    ['https://blog.other.com/post/1/', url('https://blog.other.com/post/1/', 'blog.other.com')],
    ['https://Blog.Other.COM/Path?q=1#top', url('https://blog.other.com/Path', 'blog.other.com')],
    ['http://other.com:8080/a', url('http://other.com:8080/a', 'other.com')],
    ['https://other.com:443/', url('https://other.com', 'other.com')],
    ['https://user:secret@other.com/a', url('https://other.com/a', 'other.com')],
    ['https://www.other.com/', url('https://www.other.com', 'www.other.com')],
    ['https://other.com/caf%C3%A9', url('https://other.com/café', 'other.com')],
    ['https://other.com/100%', url('https://other.com/100%', 'other.com')],
    ['https://bücher.de/', url('https://xn--bcher-kva.de', 'xn--bcher-kva.de')],
    ['//other.com/a', url('https://other.com/a', 'other.com')],
    // Percent-encoded referrers (one snippet version encodes them, I.8).
    ['https%3A%2F%2Fwww.google.com%2F', url('https://www.google.com', 'Google')],
    ['http%3A%2F%2Fother.com%2Fa%3Fb%3D1', url('http://other.com/a', 'other.com')],
    ['HTTPS%3A%2F%2Fother.com%2F%E0%A4%A', url('https://other.com/%E0%A4%A', 'other.com')],
    // Header values with line breaks: only the first line counts.
    ['https://other.com/a\r\nX-Injected: 1', url('https://other.com/a', 'other.com')],
    // Host names without a scheme are URLs (v7).
    ['news.ycombinator.com', url('https://news.ycombinator.com', 'Hacker News')],
    ['other.com/some/page', url('https://other.com/some/page', 'other.com')],
    ['sub.other.co.uk:8443', url('https://sub.other.co.uk:8443', 'sub.other.co.uk')],
    // Other values are names.
    ['Newsletter', named('Newsletter')],
    ['  producthunt  ', named('producthunt')],
    ['Spring Campaign 2024', named('Spring Campaign 2024')],
    ['newsletter.2024', named('newsletter.2024')],
    ['localhost', named('localhost')],
    // IP addresses are discarded, with or without port and path.
    ['http://192.168.0.1/', none],
    ['https://203.0.113.7:8443/admin', none],
    ['http://[2001:db8::1]:8080/', none],
    ['203.0.113.7', none],
    ['203.0.113.7:8080/x', none],
    ['[2001:db8::1]:443', none],
    ['2001:db8::1', none],
    // Self-referrals: the domain, its www variant, alternative domains, wildcards.
    ['https://example.com/', none],
    ['https://www.example.com/pricing', none],
    ['https://WWW.EXAMPLE.COM/', none],
    ['example.com', none],
    ['www.example.com/a', none],
    ['https://shop.example.net/cart', none],
    ['https://www.shop.example.net/', none],
    ['https://a.example.org/', none],
    ['https://www.a.b.example.org/', none],
    ['/internal/path', none],
    ['https://blog.example.com/', url('https://blog.example.com', 'blog.example.com')], // a subdomain is another site
    ['https://example.org/', url('https://example.org', 'example.org')], // the wildcard's apex is not covered
    // Referrer spam: a listed host, a subdomain of one, and the same without scheme.
    ['https://semalt.com/', 'spam'],
    ['http://www.semalt.com/crawler', 'spam'],
    ['https://a.b.semalt.com/x', 'spam'],
    ['semalt.com', 'spam'],
    ['https://blog.xsk.in/', 'spam'], // a three-label entry of the list
    ['https://QIWI.xyz/', 'spam'], // upper-case entry of the list
    ['https://notsemalt.com/', url('https://notsemalt.com', 'notsemalt.com')],
    // Android app referrers keep the raw value and get the app's name where known.
    ['android-app://com.google.android.gm/', url('android-app://com.google.android.gm/', 'Gmail')],
    [
      'android-app://com.google.android.googlequicksearchbox/https/www.google.com',
      url('android-app://com.google.android.googlequicksearchbox/https/www.google.com', 'Google'),
    ],
    ['Android-App://com.Slack', url('Android-App://com.Slack', 'Slack')],
    [
      'android-app://org.example.reader/',
      url('android-app://org.example.reader/', 'org.example.reader'),
    ],
    ['android-app://', none],
    // Schemes that are no traffic source.
    ['about:blank', none],
    ['chrome-extension://abcdef/page.html', none],
    ['ftp://files.other.com/', none],
    ['javascript:void(0)', none],
  ])('%j → %j', (raw, expected) => {
    expect(classifyReferrer(raw, OWN)).toEqual(expected);
  });

  it('keeps own hosts first, so a site whose own name is on the spam list still counts', () => {
    expect(classifyReferrer('https://semalt.com/a', ['semalt.com'])).toEqual(none);
  });

  it('cuts referrer and name to 200 bytes on a character boundary', () => {
    const longPath = `https://other.com/${'é'.repeat(200)}`;
    const result = classifyReferrer(longPath, OWN);
    expect(result).not.toBe('spam');
    if (result === 'spam') return;
    expect(Buffer.byteLength(result.referrer)).toBeLessThanOrEqual(200);
    expect(result.referrer.startsWith('https://other.com/éé')).toBe(true);
    expect(result.referrer.endsWith('\uFFFD')).toBe(false);
    const longName = classifyReferrer('ü'.repeat(150), OWN);
    expect(longName).toEqual(named('ü'.repeat(100)));
  });
});

describe('chooseReferrer', () => {
  const q = (query: string) => new URLSearchParams(query);
  it.each<[string, Parameters<typeof chooseReferrer>[0], string]>([
    ['nothing', {}, ''],
    ['the explicit value', { explicit: 'https://a.com/' }, 'https://a.com/'],
    [
      'explicit before everything',
      { explicit: 'https://a.com/', header: 'https://h.com/', pageQuery: q('ref=r') },
      'https://a.com/',
    ],
    ['explicit is trimmed', { explicit: '  https://a.com/  ' }, 'https://a.com/'],
    ['a blank explicit value is absent', { explicit: '   ', pageQuery: q('ref=r') }, 'r'],
    ['?ref=', { pageQuery: q('ref=producthunt') }, 'producthunt'],
    ['?referer=', { pageQuery: q('referer=a') }, 'a'],
    ['?referrer=', { pageQuery: q('referrer=a') }, 'a'],
    ['ref before referer', { pageQuery: q('referer=b&ref=a') }, 'a'],
    ['an empty ref is skipped', { pageQuery: q('ref=&referrer=c') }, 'c'],
    ['ref before the header', { header: 'https://h.com/', pageQuery: q('ref=a') }, 'a'],
    [
      'the header before source',
      { header: 'https://h.com/', pageQuery: q('source=s') },
      'https://h.com/',
    ],
    ['?source=', { pageQuery: q('source=newsletter') }, 'newsletter'],
    ['?utm_source=', { pageQuery: q('utm_source=chatgpt.com') }, 'chatgpt.com'],
    ['source before utm_source', { pageQuery: q('utm_source=u&source=s') }, 's'],
    ['values are URL-decoded', { pageQuery: q('ref=Spring+Sale%21') }, 'Spring Sale!'],
    ['the first occurrence wins', { pageQuery: q('ref=a&ref=b') }, 'a'],
    [
      'percent-encoded URLs are decoded',
      { explicit: 'https%3A%2F%2Fwww.google.com%2F' },
      'https://www.google.com/',
    ],
    ['… case-insensitively', { explicit: 'HTTP%3a%2F%2Fa.com' }, 'HTTP://a.com'],
    ['other encoded values stay', { explicit: 'a%20b' }, 'a%20b'],
    ['only the first line', { header: 'https://h.com/\nEvil: 1' }, 'https://h.com/'],
  ])('%s', (_, sources, expected) => {
    expect(chooseReferrer(sources)).toBe(expected);
  });
});

describe('lists', () => {
  it.each<[string, boolean]>([
    ['semalt.com', true],
    ['SEMALT.COM', true],
    ['x.y.semalt.com', true],
    ['prizesk.com', true], // listed upstream with a trailing space
    ['xn--80aeb6argv.xn--p1ai', true],
    ['semalt.com.example.org', false],
    ['com', false],
    ['google.com', false],
  ])('isSpamHost(%j) → %s', (host, expected) => {
    expect(isSpamHost(host)).toBe(expected);
  });

  it.each<[string, string, string | undefined]>([
    ['www.google.de', '', 'Google'],
    ['google.com.br', '', 'Google'],
    ['google.evil.com', '', undefined],
    ['google.com.evil', '', undefined],
    ['googleX.com', '', undefined],
    ['www.amazon.co.uk', '/dp/123', 'Amazon'],
    ['x.com', '/i/grok/123', 'Grok'],
    ['x.com', '/i/GROK', 'Grok'],
    ['x.com', '/home', 'Twitter'],
    ['de.wikipedia.org', '', 'Wikipedia'],
    ['unknown.example', '', undefined],
  ])('referrerGroup(%j, %j) → %j', (host, path, name) => {
    expect(referrerGroup(host, path)?.name).toBe(name);
  });

  it.each<[string, string, string]>([
    ['www.google.com', 'Google', 'search'],
    ['', 'google', 'search'],
    ['', 'Gmail', 'email'], // an Android app's name
    ['', 'fb', 'social'],
    ['', 'chatgpt.com', 'ai'],
    ['x.com', 'Grok', 'ai'], // the name (host + path) is more specific than the host
    ['t.co', 't.co', 'social'],
    ['blog.other.com', 'blog.other.com', ''],
    ['', 'Newsletter', ''],
    ['', '', ''],
  ])('referrerCategory(%j, %j) → %j', (host, name, category) => {
    expect(referrerCategory(host, name)).toBe(category);
  });

  it.each<[string, string]>([
    ['https://www.google.com/search', 'www.google.com'],
    ['http://other.com:8080/a', 'other.com'],
    ['android-app://com.google.android.gm/', ''],
    ['', ''],
  ])('referrerHostOf(%j) → %j', (referrer, host) => {
    expect(referrerHostOf(referrer)).toBe(host);
  });
});
