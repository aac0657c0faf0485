import { describe, expect, it } from 'vitest';
import {
  apiClientIp,
  isPublicAddress,
  parseAddress,
  snippetClientIp,
  TrustedProxies,
} from '../../src/ingest/client-ip.ts';

describe('parseAddress', () => {
  it.each([
    ['203.0.113.5', '203.0.113.5'],
    [' 203.0.113.5 ', '203.0.113.5'],
    ['203.0.113.5:4711', '203.0.113.5'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['[2001:DB8::1]', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['"198.51.100.7"', '198.51.100.7'],
    ['fe80::1%eth0', 'fe80::1'],
    ['unknown', null],
    ['', null],
    ['999.1.1.1', null],
    ['1.2.3', null],
    ['example.com', null],
    ['_hidden', null],
  ])('%j → %j', (raw, expected) => {
    expect(parseAddress(raw)).toBe(expected);
  });
});

describe('isPublicAddress', () => {
  it.each([
    ['8.8.8.8', true],
    ['2001:4860:4860::8888', true],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.32.0.1', true],
    ['192.168.1.1', false],
    ['127.0.0.1', false],
    ['0.0.0.0', false],
    ['169.254.1.1', false],
    ['100.64.0.1', false],
    ['::1', false],
    ['::', false],
    ['fd00::1', false],
    ['fe80::1', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('apiClientIp (decision 3)', () => {
  it.each([
    [{ ip: '198.51.100.23' }, '198.51.100.23'],
    [{ ip: '198.51.100.23:5678' }, '198.51.100.23'],
    [{ ip: '[2001:db8::1]:443' }, '2001:db8::1'],
    // A private address in `ip` is used as is (server-to-server tests).
    [{ ip: '10.0.0.1' }, '10.0.0.1'],
    // A raw X-Forwarded-For copied into `ip`: the right-most public entry.
    [{ ip: '203.0.113.9, 198.51.100.23, 10.0.0.1' }, '198.51.100.23'],
    [{ ip: '10.0.0.2, 10.0.0.1' }, '10.0.0.1'],
    // Proxy fields win in order, when they yield a public address.
    [
      { ip: '10.0.0.1', cf_connecting_ip: '203.0.113.1', x_forwarded_for: '203.0.113.2' },
      '203.0.113.1',
    ],
    [
      { ip: '10.0.0.1', cf_connecting_ip: '10.9.9.9', x_forwarded_for: '203.0.113.2' },
      '203.0.113.2',
    ],
    [{ ip: '10.0.0.1', x_forwarded_for: '203.0.113.7, 198.51.100.1, 192.168.0.1' }, '198.51.100.1'],
    [
      {
        ip: '10.0.0.1',
        forwarded: 'for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8:cafe::17]:4711"',
      },
      '2001:db8:cafe::17',
    ],
    [{ ip: '10.0.0.1', forwarded: 'for=unknown' }, '10.0.0.1'],
    [{ ip: '10.0.0.1', x_real_ip: '198.51.100.77' }, '198.51.100.77'],
    // A forged field that is no address is ignored.
    [{ ip: '198.51.100.23', x_forwarded_for: 'spoofed, junk' }, '198.51.100.23'],
    [{ ip: '' }, null],
    [{ ip: 'not-an-ip' }, null],
  ])('%j → %j', (fields, expected) => {
    expect(apiClientIp(fields)).toBe(expected);
  });
});

describe('snippetClientIp', () => {
  const proxies = new TrustedProxies(['10.0.0.0/8', '2001:db8:ffff::1']);
  const none = new TrustedProxies([]);
  const headers = { 'x-forwarded-for': '198.51.100.1, 203.0.113.50, 10.1.1.1' };

  it('uses the socket address when no proxy is trusted', () => {
    expect(snippetClientIp('203.0.113.9', headers, none)).toBe('203.0.113.9');
    expect(snippetClientIp('::ffff:203.0.113.9', headers, none)).toBe('203.0.113.9');
  });

  it('ignores forwarding headers from a peer that is not a trusted proxy', () => {
    expect(snippetClientIp('203.0.113.9', headers, proxies)).toBe('203.0.113.9');
  });

  it('takes the right-most address that is not a trusted proxy from a trusted peer', () => {
    expect(snippetClientIp('10.0.0.5', headers, proxies)).toBe('203.0.113.50');
    expect(snippetClientIp('2001:db8:ffff::1', { 'x-real-ip': '198.51.100.4' }, proxies)).toBe(
      '198.51.100.4',
    );
    expect(
      snippetClientIp('10.0.0.5', { 'cf-connecting-ip': '198.51.100.8', ...headers }, proxies),
    ).toBe('198.51.100.8');
  });

  it('falls back to the proxy address when its headers name nobody usable', () => {
    expect(snippetClientIp('10.0.0.5', { 'x-forwarded-for': 'garbage' }, proxies)).toBe('10.0.0.5');
    expect(snippetClientIp('10.0.0.5', {}, proxies)).toBe('10.0.0.5');
  });
});
