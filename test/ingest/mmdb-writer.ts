/**
 * A minimal MaxMind DB (format 2.0) writer for tests: an IPv6 tree with 24-bit records, maps,
 * arrays, UTF-8 strings and unsigned integers. It exists because no maintained writer package is
 * installed and MaxMind's binary test databases cannot be fetched here; the files it writes are
 * read by the real `maxmind` reader, so the code under test runs exactly as in production.
 */
import { isIP } from 'node:net';

export type MmdbValue =
  | string
  | number
  | boolean
  | Uint16
  | Uint64
  | readonly MmdbValue[]
  | { readonly [key: string]: MmdbValue };

/** Forces the 16-bit (metadata) integer type; plain numbers are written as uint32. */
export class Uint16 {
  constructor(readonly value: number) {}
}

/** Forces the 64-bit integer type (`build_epoch`). */
export class Uint64 {
  constructor(readonly value: number) {}
}

export interface MmdbNetwork {
  /** `81.2.69.142/31` or `2001:480::/32`. */
  cidr: string;
  data: { readonly [key: string]: MmdbValue };
}

const EMPTY = -1;
type Slot = number | { data: number }; // node index, EMPTY, or a data record

/** The bytes of a database of `databaseType` holding `networks` (which must not nest). */
export function buildMmdb(databaseType: string, networks: readonly MmdbNetwork[]): Buffer {
  const nodes: [Slot, Slot][] = [[EMPTY, EMPTY]];
  const records: Buffer[] = [];
  for (const [index, network] of networks.entries()) {
    records.push(encode(network.data));
    insert(nodes, network.cidr, index);
  }
  const offsets: number[] = [];
  let offset = 0;
  for (const record of records) {
    offsets.push(offset);
    offset += record.length;
  }
  const nodeCount = nodes.length;
  const value = (slot: Slot): number =>
    typeof slot === 'number'
      ? slot === EMPTY
        ? nodeCount
        : slot
      : nodeCount + 16 + (offsets[slot.data] as number);
  const tree = Buffer.alloc(nodeCount * 6);
  nodes.forEach(([left, right], i) => {
    tree.writeUIntBE(value(left), i * 6, 3);
    tree.writeUIntBE(value(right), i * 6 + 3, 3);
  });
  const metadata = encode({
    node_count: nodeCount,
    record_size: new Uint16(24),
    ip_version: new Uint16(6),
    database_type: databaseType,
    languages: ['en'],
    binary_format_major_version: new Uint16(2),
    binary_format_minor_version: new Uint16(0),
    build_epoch: new Uint64(1_700_000_000),
    description: { en: 'Spoor test database' },
  });
  const marker = Buffer.concat([Buffer.from([0xab, 0xcd, 0xef]), Buffer.from('MaxMind.com')]);
  return Buffer.concat([tree, Buffer.alloc(16), ...records, marker, metadata]);
}

function insert(nodes: [Slot, Slot][], cidr: string, dataIndex: number): void {
  const [address = '', length = ''] = cidr.split('/');
  const v4 = isIP(address) === 4;
  const bits = v4 ? [...new Array<number>(96).fill(0), ...ipv4Bits(address)] : ipv6Bits(address);
  const prefix = Number(length) + (v4 ? 96 : 0);
  let node = 0;
  for (let depth = 0; depth < prefix; depth++) {
    const bit = bits[depth] as 0 | 1;
    const current = nodes[node] as [Slot, Slot];
    if (depth === prefix - 1) {
      current[bit] = { data: dataIndex };
      return;
    }
    const next = current[bit];
    if (typeof next !== 'number') throw new Error(`${cidr} nests inside another network`);
    if (next === EMPTY) {
      nodes.push([EMPTY, EMPTY]);
      current[bit] = nodes.length - 1;
      node = nodes.length - 1;
    } else {
      node = next;
    }
  }
}

function ipv4Bits(address: string): number[] {
  return address.split('.').flatMap((octet) => byteBits(Number(octet)));
}

function ipv6Bits(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return all.flatMap((group) => {
    const n = parseInt(group, 16);
    return [...byteBits(n >> 8), ...byteBits(n & 255)];
  });
}

function byteBits(byte: number): number[] {
  return Array.from({ length: 8 }, (_, i) => (byte >> (7 - i)) & 1);
}

function encode(value: MmdbValue): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(2, bytes.length), bytes]);
  }
  if (typeof value === 'boolean') return control(14, value ? 1 : 0);
  if (typeof value === 'number') return integer(6, value);
  if (value instanceof Uint16) return integer(5, value.value);
  if (value instanceof Uint64) return integer(9, value.value);
  if (Array.isArray(value)) {
    const items = value as readonly MmdbValue[];
    return Buffer.concat([control(11, items.length), ...items.map(encode)]);
  }
  const entries = Object.entries(value as { readonly [key: string]: MmdbValue });
  return Buffer.concat([
    control(7, entries.length),
    ...entries.flatMap(([key, item]) => [encode(key), encode(item)]),
  ]);
}

function integer(type: number, n: number): Buffer {
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.concat([control(type, bytes.length), Buffer.from(bytes)]);
}

/** A control byte (plus extended type byte and size bytes) for `type` and payload `size`. */
function control(type: number, size: number): Buffer {
  const extended = type > 7;
  const head = (extended ? 0 : type) << 5;
  let sizeBits: number;
  let sizeBytes: number[] = [];
  if (size < 29) sizeBits = size;
  else if (size < 29 + 256) {
    sizeBits = 29;
    sizeBytes = [size - 29];
  } else if (size < 285 + 65536) {
    sizeBits = 30;
    sizeBytes = [(size - 285) >> 8, (size - 285) & 255];
  } else {
    sizeBits = 31;
    const rest = size - 65821;
    sizeBytes = [(rest >> 16) & 255, (rest >> 8) & 255, rest & 255];
  }
  return Buffer.from([head | sizeBits, ...(extended ? [type - 7] : []), ...sizeBytes]);
}
