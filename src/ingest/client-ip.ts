/**
 * The visitor's IP address (decision 3, API.md I.3). It is used in memory only — for the visitor
 * id and the geo lookup — and never stored.
 */
import { BlockList, isIP } from 'node:net';
import { Ipv4Ranges } from './ipv4-ranges.ts';

// Ranges that are never a visitor's public address: unspecified, private, carrier-grade NAT,
// loopback, link-local and IPv6 unique-local.
const NON_PUBLIC_V4 = new Ipv4Ranges([
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
]);
const NON_PUBLIC_V6 = new BlockList();
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  NON_PUBLIC_V6.addSubnet(network, prefix, 'ipv6');
}

/**
 * One address from a header or field value: strips ports (`1.2.3.4:80`, `[::1]:443`), brackets,
 * quotes and zone ids, and turns IPv4-mapped IPv6 into IPv4. Null if it is not an address.
 */
export function parseAddress(raw: string): string | null {
  let value = raw.trim().replace(/^"|"$/g, '');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  value = value.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  if (mapped) value = mapped[1]!;
  if (isIP(value) === 0) return null;
  return value.toLowerCase();
}

/** True for an address that can be a visitor's public address. */
export function isPublicAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 6) return !NON_PUBLIC_V6.check(address, 'ipv6');
  // BlockList answers false for a string that is no IPv4 address; keep that answer.
  return version !== 4 || !NON_PUBLIC_V4.includes(address);
}

/** The right-most public address of a comma-separated list that `skip` does not exclude. */
function rightmostPublic(
  list: string,
  skip: (address: string) => boolean = () => false,
): string | null {
  const parts = list.split(',');
  for (let i = parts.length - 1; i >= 0; i--) {
    const address = parseAddress(parts[i]!);
    if (address !== null && isPublicAddress(address) && !skip(address)) return address;
  }
  return null;
}

/** The `for=` addresses of an RFC 7239 `Forwarded` value, as a comma-separated list. */
function forwardedFor(value: string): string {
  return value
    .split(',')
    .map((element) => {
      for (const pair of element.split(';')) {
        const [key, ...rest] = pair.split('=');
        if (key?.trim().toLowerCase() === 'for') return rest.join('=');
      }
      return '';
    })
    .join(',');
}

/** The address-bearing fields of an authenticated ingestion request. */
export interface ApiAddressFields {
  ip: string;
  cf_connecting_ip?: string | undefined;
  x_forwarded_for?: string | undefined;
  forwarded?: string | undefined;
  x_real_ip?: string | undefined;
}

/**
 * The visitor address of an authenticated request: the first proxy field that yields a public
 * address (in decision 3's order), else `ip` (its right-most public entry if it is a list, else
 * the address as sent — private addresses from server-to-server tests included). Null if none.
 */
export function apiClientIp(fields: ApiAddressFields): string | null {
  const candidates = [
    fields.cf_connecting_ip ?? '',
    fields.x_forwarded_for ?? '',
    fields.forwarded ? forwardedFor(fields.forwarded) : '',
    fields.x_real_ip ?? '',
  ];
  for (const candidate of candidates) {
    const address = candidate === '' ? null : rightmostPublic(candidate);
    if (address !== null) return address;
  }
  if (fields.ip.includes(',')) {
    return rightmostPublic(fields.ip) ?? parseAddress(fields.ip.split(',').at(-1) ?? '');
  }
  return parseAddress(fields.ip);
}

/** Decides whether a peer is a trusted proxy (`SPOOR_TRUSTED_PROXIES`). */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(entries: readonly string[]) {
    this.empty = entries.length === 0;
    for (const entry of entries) {
      const [address, prefix] = entry.split('/') as [string, string | undefined];
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.list.addAddress(address, family);
      else this.list.addSubnet(address, Number(prefix), family);
    }
  }

  /** True if `address` is one of the configured proxies. */
  includes(address: string): boolean {
    if (this.empty) return false;
    const parsed = parseAddress(address);
    return parsed !== null && this.list.check(parsed, isIP(parsed) === 6 ? 'ipv6' : 'ipv4');
  }
}

/** Forwarding headers of a snippet request (lower-case names, as Node gives them). */
export type ForwardingHeaders = Record<string, string | string[] | undefined>;

/**
 * The visitor address of a snippet request: the socket peer, or — only when the peer is a
 * trusted proxy — the right-most public address of the forwarding headers that is not itself a
 * trusted proxy.
 */
export function snippetClientIp(
  peer: string,
  headers: ForwardingHeaders,
  proxies: TrustedProxies,
): string | null {
  const socket = parseAddress(peer);
  if (socket === null || !proxies.includes(socket)) return socket;
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(',') : (value ?? '');
  };
  const skip = (address: string) => proxies.includes(address);
  for (const list of [
    header('cf-connecting-ip'),
    header('x-forwarded-for'),
    forwardedFor(header('forwarded')),
    header('x-real-ip'),
  ]) {
    const address = list === '' ? null : rightmostPublic(list, skip);
    if (address !== null) return address;
  }
  return socket;
}
