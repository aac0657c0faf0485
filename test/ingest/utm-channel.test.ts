import { describe, expect, it } from 'vitest';
import { channel } from '../../src/ingest/channel.ts';
import { readUtm } from '../../src/ingest/utm.ts';
import type { Utm } from '../../src/ingest/types.ts';

const noUtm: Utm = { source: '', medium: '', campaign: '', content: '', term: '' };

describe('readUtm', () => {
  it.each<[string, string, Utm]>([
    ['', '', noUtm],
    [
      'utm_source=newsletter&utm_medium=email&utm_campaign=spring&utm_content=top&utm_term=shoes',
      '',
      { source: 'newsletter', medium: 'email', campaign: 'spring', content: 'top', term: 'shoes' },
    ],
    ['utm_source=%20Spaced%20&utm_medium=+cpc+', '', { ...noUtm, source: 'Spaced', medium: 'cpc' }],
    ['utm_campaign=Summer+Sale%202024', '', { ...noUtm, campaign: 'Summer Sale 2024' }],
    ['utm_source=first&utm_source=second', '', { ...noUtm, source: 'first' }],
    ['utm_source=MixedCase', '', { ...noUtm, source: 'MixedCase' }], // no case folding
    ['UTM_SOURCE=upper', '', noUtm], // parameter names are case-sensitive
    ['utm_term=caf%C3%A9', '', { ...noUtm, term: 'café' }],
    // Click ids become an anonymous medium (v6.19) — only for the matching engine.
    ['gclid=abc123', 'Google', { ...noUtm, medium: '(gclid)' }],
    ['gclid=abc123', 'google', { ...noUtm, medium: '(gclid)' }],
    ['msclkid=abc123', 'Bing', { ...noUtm, medium: '(msclkid)' }],
    ['gclid=abc123', 'Bing', noUtm],
    ['msclkid=abc123', 'Google', noUtm],
    ['gclid=abc123', '', noUtm],
    ['gclid=', 'Google', noUtm],
    ['gclid=abc&utm_medium=cpc', 'Google', { ...noUtm, medium: 'cpc' }], // a medium wins
  ])('%j (referrer %j)', (query, name, expected) => {
    expect(readUtm(new URLSearchParams(query), name)).toEqual(expected);
  });

  it('handles a long value without cutting it (no limit, SEMANTICS.md §3.2)', () => {
    const long = 'x'.repeat(5000);
    expect(readUtm(new URLSearchParams({ utm_campaign: long }), '').campaign).toBe(long);
  });
});

describe('channel', () => {
  type Row = [string, string, Partial<Utm>, string];
  it.each<Row>([
    // [referrer host, referrer name, utm, channel]
    ['', '', {}, 'Direct'],
    ['', '', { medium: 'foo ppc' }, 'Direct'], // "ppc" must be the whole medium
    ['', '', { campaign: 'EU Cross-Network Q3' }, 'Cross-network'],
    ['www.amazon.de', 'Amazon', { medium: 'cpc' }, 'Paid Shopping'],
    ['', '', { medium: 'paid', campaign: 'Shop Summer' }, 'Paid Shopping'],
    ['', '', { medium: 'ppc', campaign: 'shopping-campaign' }, 'Paid Shopping'],
    ['www.google.com', 'Google', { medium: 'cpc' }, 'Paid Search'],
    ['www.bing.com', 'Bing', { medium: 'ppc' }, 'Paid Search'],
    ['', 'google', { source: 'google', medium: 'cpc' }, 'Paid Search'],
    ['www.google.com', 'Google', { medium: '(gclid)' }, 'Paid Search'],
    ['www.bing.com', 'Bing', { medium: '(msclkid)' }, 'Paid Search'],
    ['l.facebook.com', 'Facebook', { medium: 'paid_social' }, 'Paid Social'],
    ['', 'fb', { source: 'fb', medium: 'cpc' }, 'Paid Social'],
    ['www.youtube.com', 'YouTube', { medium: 'cpv' }, 'Paid Video'],
    ['', '', { medium: 'display' }, 'Display'],
    ['', '', { medium: 'Banner' }, 'Display'],
    ['', '', { medium: 'cpm' }, 'Display'],
    ['www.google.com', 'Google', { medium: 'cpm' }, 'Paid Search'], // search + paid comes first
    ['', '', { medium: 'retargeting' }, 'Paid Other'],
    ['', '', { medium: 'paid-newsletter' }, 'Paid Other'],
    ['www.ebay.com', 'eBay', {}, 'Organic Shopping'],
    ['', '', { campaign: 'shop' }, 'Organic Shopping'],
    ['', '', { campaign: 'workshop' }, 'Direct'], // "shop" inside a word does not count
    ['t.co', 'Twitter', {}, 'Organic Social'],
    ['www.reddit.com', 'Reddit', {}, 'Organic Social'],
    ['news.ycombinator.com', 'Hacker News', {}, 'Organic Social'],
    ['', 'Newsletter', { medium: 'social media' }, 'Organic Social'],
    ['', 'com.instagram.android', {}, 'Referral'], // an unknown package id is no category
    ['', 'Instagram', {}, 'Organic Social'], // the Android app's name
    ['vimeo.com', 'Vimeo', {}, 'Organic Video'],
    ['', '', { medium: 'video-ad-free' }, 'Organic Video'],
    ['www.google.de', 'Google', {}, 'Organic Search'],
    ['https://www.google.com/search', 'Google', {}, 'Organic Search'], // a full URL works too
    ['duckduckgo.com', 'DuckDuckGo', {}, 'Organic Search'],
    ['', 'google', { source: 'google' }, 'Organic Search'],
    ['', '', { medium: 'organic' }, 'Organic Search'],
    ['', '', { medium: 'referral' }, 'Referral'],
    ['', '', { medium: 'app' }, 'Referral'],
    ['mail.google.com', 'Gmail', {}, 'Email'],
    ['', 'Newsletter', { source: 'newsletter', medium: 'email' }, 'Email'],
    ['', 'e-mail', {}, 'Email'],
    ['', '', { medium: 'E_Mail' }, 'Email'],
    ['', '', { medium: 'affiliate' }, 'Affiliates'],
    ['', '', { medium: 'audio' }, 'Audio'],
    ['', 'sms', { source: 'sms' }, 'SMS'],
    ['', '', { medium: 'sms' }, 'SMS'],
    ['', '', { medium: 'web-push' }, 'Mobile Push Notifications'],
    ['', '', { medium: 'app notification' }, 'Mobile Push Notifications'],
    ['', 'firebase', { source: 'firebase' }, 'Mobile Push Notifications'],
    ['chatgpt.com', 'ChatGPT', { source: 'chatgpt.com' }, 'AI'],
    ['', 'chatgpt.com', { source: 'chatgpt.com' }, 'AI'],
    ['www.perplexity.ai', 'Perplexity', {}, 'AI'],
    ['claude.ai', 'Claude', {}, 'AI'],
    ['gemini.google.com', 'Gemini', {}, 'AI'], // listed itself, not Google search
    ['x.com', 'Grok', {}, 'AI'],
    ['', '', { source: 'perplexity.ai', medium: 'referral' }, 'Referral'], // the medium rule comes first
    ['blog.other.com', 'blog.other.com', {}, 'Referral'],
    ['github.com', 'GitHub', {}, 'Referral'], // named, no channel of its own
    ['', 'producthunt', {}, 'Referral'],
  ])('%j / %j / %j → %s', (referrerHost, referrerName, utm, expected) => {
    expect(channel({ referrerHost, referrerName, utm: { ...noUtm, ...utm } })).toBe(expected);
  });
});
