import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ipv4Ranges } from '../../src/ingest/ipv4-ranges.ts';

const NETWORKS = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['172.16.0.0', 12],
  ['192.0.2.0', 24],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['203.0.113.7', 32],
] as const;

const ranges = new Ipv4Ranges(NETWORKS);
const blockList = new BlockList();
for (const [network, prefix] of NETWORKS) blockList.addSubnet(network, prefix, 'ipv4');

describe('Ipv4Ranges', () => {
  it('answers like net.BlockList for any address', () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        expect(ranges.includes(address)).toBe(blockList.check(address, 'ipv4'));
      }),
      { numRuns: 20_000 },
    );
  });

  it('gets the edges of each network right', () => {
    const cases: [string, boolean][] = [
      ['0.0.0.0', true],
      ['0.255.255.255', true],
      ['1.0.0.0', false],
      ['100.63.255.255', false],
      ['100.64.0.0', true],
      ['100.127.255.255', true],
      ['100.128.0.0', false],
      ['172.31.255.255', true],
      ['172.32.0.0', false],
      ['198.19.255.255', true],
      ['198.20.0.0', false],
      ['239.255.255.255', true],
      ['240.0.0.0', false],
      ['255.255.255.255', false],
      ['203.0.113.7', true],
      ['203.0.113.8', false],
    ];
    for (const [address, inside] of cases) {
      expect(ranges.includes(address), address).toBe(inside);
      expect(blockList.check(address, 'ipv4'), address).toBe(inside);
    }
  });

  it('covers everything with a /0 network', () => {
    const all = new Ipv4Ranges([['0.0.0.0', 0]]);
    expect(all.includes('255.255.255.255')).toBe(true);
    expect(all.includes('8.8.8.8')).toBe(true);
  });
});
