import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GeoLookup } from '../../src/ingest/geo.ts';
import type { GeoInfo } from '../../src/ingest/types.ts';
import { buildMmdb, type MmdbNetwork } from './mmdb-writer.ts';

const unknown: GeoInfo = { countryCode: '', region: '', city: '' };
const country = (code: string): GeoInfo => ({ countryCode: code, region: '', city: '' });

describe('GeoLookup with the bundled country database', () => {
  let geo: GeoLookup;
  beforeAll(async () => {
    geo = await GeoLookup.open();
  });

  it.each<[string, GeoInfo]>([
    ['8.8.8.8', country('us')],
    ['1.1.1.1', country('au')],
    ['193.99.144.80', country('de')], // heise.de
    ['80.67.169.12', country('fr')], // FDN resolver
    ['2001:4860:4860::8888', country('us')],
    ['2a02:2e0:3fe:1001::1', country('de')],
    ['2001:67c:2e8:22::c100:68b', country('nl')], // RIPE NCC
    ['::ffff:8.8.8.8', country('us')], // IPv4-mapped: looked up as IPv4
    ['::ffff:0808:0808', country('us')],
    [' 8.8.8.8 ', country('us')],
    // Not on the public Internet: unknown, even where the bundled data claims a country.
    ['127.0.0.1', unknown],
    ['10.1.2.3', unknown],
    ['172.16.5.4', unknown],
    ['192.168.1.1', unknown],
    ['100.64.0.1', unknown],
    ['169.254.1.1', unknown],
    ['203.0.113.7', unknown],
    ['::1', unknown],
    ['::', unknown],
    ['fe80::1%eth0', unknown],
    ['fd00::1', unknown],
    ['2001:db8::1', unknown],
    ['::ffff:192.168.0.1', unknown],
    // Not an address.
    ['', unknown],
    ['not-an-ip', unknown],
    ['999.1.1.1', unknown],
    ['8.8.8.8:53', unknown],
  ])('%s → %j', (ip, expected) => {
    expect(geo.lookup(ip)).toEqual(expected);
  });
});

// Records copied from MaxMind's GeoIP2-City-Test source data (MaxMind-DB repository,
// Apache-2.0/MIT), reduced to the fields Spoor reads.
const names = (en: string) => ({ en });
const CITY_NETWORKS: MmdbNetwork[] = [
  {
    cidr: '81.2.69.142/31',
    data: {
      city: { geoname_id: 2643743, names: names('London') },
      country: { geoname_id: 2635167, iso_code: 'GB', names: names('United Kingdom') },
      subdivisions: [{ geoname_id: 6269131, iso_code: 'ENG', names: names('England') }],
    },
  },
  {
    cidr: '89.160.20.112/28',
    data: {
      city: { geoname_id: 2694762, names: names('Linköping') },
      country: { geoname_id: 2661886, iso_code: 'SE', names: names('Sweden') },
      subdivisions: [{ geoname_id: 2685867, iso_code: 'E', names: names('Östergötland County') }],
    },
  },
  {
    cidr: '2001:480::/32',
    data: {
      city: { geoname_id: 5391811, names: names('San Diego') },
      country: { geoname_id: 6252001, iso_code: 'US', names: names('United States') },
      subdivisions: [{ geoname_id: 5332921, iso_code: 'CA', names: names('California') }],
    },
  },
  {
    // Country only; the bundled database says US for this range, the city database wins.
    cidr: '67.43.156.0/24',
    data: { country: { geoname_id: 1252634, iso_code: 'BT', names: names('Bhutan') } },
  },
  {
    // No location at all: the country comes from the bundled database.
    cidr: '214.1.1.0/24',
    data: { traits: { is_anycast: true } },
  },
];

describe('GeoLookup with a city database', () => {
  let dir: string;
  let cityPath: string;
  let geo: GeoLookup;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spoor-geo-'));
    cityPath = join(dir, 'City-Test.mmdb');
    writeFileSync(cityPath, buildMmdb('GeoIP2-City', CITY_NETWORKS));
    geo = await GeoLookup.open({ cityDatabasePath: cityPath });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each<[string, GeoInfo]>([
    ['81.2.69.142', { countryCode: 'gb', region: 'England', city: 'London' }],
    ['81.2.69.143', { countryCode: 'gb', region: 'England', city: 'London' }],
    ['89.160.20.120', { countryCode: 'se', region: 'Östergötland County', city: 'Linköping' }],
    ['2001:480::1', { countryCode: 'us', region: 'California', city: 'San Diego' }],
    ['67.43.156.1', country('bt')],
    ['214.1.1.1', country('us')],
    ['8.8.8.8', country('us')], // not in the city database: bundled country only
    ['127.0.0.1', unknown],
    ['nonsense', unknown],
  ])('%s → %j', (ip, expected) => {
    expect(geo.lookup(ip)).toEqual(expected);
  });

  it.each<[string, (dir: string) => string]>([
    ['a missing file', (d) => join(d, 'missing.mmdb')],
    [
      'a file that is no MaxMind database',
      (d) => {
        const path = join(d, 'garbage.mmdb');
        writeFileSync(path, 'definitely not a database');
        return path;
      },
    ],
    [
      'a country database',
      (d) => {
        const path = join(d, 'Country.mmdb');
        writeFileSync(path, buildMmdb('GeoLite2-Country', CITY_NETWORKS.slice(3)));
        return path;
      },
    ],
  ])('rejects %s with an error naming SPOOR_GEOIP_CITY', async (_, makePath) => {
    await expect(GeoLookup.open({ cityDatabasePath: makePath(dir) })).rejects.toThrow(
      /^SPOOR_GEOIP_CITY: /,
    );
  });

  it('treats an empty path as "no city database"', async () => {
    const countryOnly = await GeoLookup.open({ cityDatabasePath: '' });
    expect(countryOnly.lookup('81.2.69.142')).toEqual(country('gb'));
  });
});
