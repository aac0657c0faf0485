/**
 * Country, region and city of an IP address (SEMANTICS.md §3.6). Country data comes from the
 * bundled ip-location-db `geo-whois-asn-country` database; region and city need a GeoLite2/GeoIP2
 * City `.mmdb` supplied by the operator (`SPOOR_GEOIP_CITY`). Lookups are synchronous and never
 * touch the network.
 */
import { createRequire } from 'node:module';
import { BlockList, isIP } from 'node:net';
import maxmind, { type CityResponse, type CountryResponse, type Reader } from 'maxmind';
import { Ipv4Ranges } from './ipv4-ranges.ts';
import type { GeoInfo } from './types.ts';

export interface GeoOptions {
  /** Path of a GeoLite2/GeoIP2 City database; absent or `""` = country only. */
  cityDatabasePath?: string;
}

const COUNTRY_DATABASE = '@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb';

// Addresses that are not on the public Internet. The bundled country data wrongly maps some of
// them (192.168.0.0/16 → AU, 2001:db8::/32 → JP), so they are answered before any lookup.
const NOT_PUBLIC_V4 = new Ipv4Ranges([
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
]);
const NOT_PUBLIC_V6 = new BlockList();
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC_V6.addSubnet(network, prefix, 'ipv6');
}

const UNKNOWN: GeoInfo = Object.freeze({ countryCode: '', region: '', city: '' });

/** Looks up IP addresses in the bundled country database and an optional city database. */
export class GeoLookup {
  private constructor(
    private readonly country: Reader<CountryResponse>,
    private readonly city: Reader<CityResponse> | null,
  ) {}

  /** Opens the databases; a city database that cannot be used is an error naming SPOOR_GEOIP_CITY. */
  static async open(options: GeoOptions = {}): Promise<GeoLookup> {
    const countryPath = createRequire(import.meta.url).resolve(COUNTRY_DATABASE);
    const country = await maxmind.open<CountryResponse>(countryPath);
    const cityPath = options.cityDatabasePath?.trim() ?? '';
    return new GeoLookup(country, cityPath === '' ? null : await openCity(cityPath));
  }

  /** Country (lower-case ISO 3166-1 alpha-2), region and city of an address; `""` when unknown. */
  lookup(ip: string): GeoInfo {
    const address = publicAddress(ip);
    if (address === null) return { ...UNKNOWN };
    const cityRecord = this.city === null ? null : safeGet(this.city, address);
    const countryCode =
      isoCode(cityRecord?.country?.iso_code) ||
      isoCode(countryCodeOf(safeGet(this.country, address)));
    return {
      countryCode,
      region: cityRecord?.subdivisions?.[0]?.names?.en ?? '',
      city: cityRecord?.city?.names?.en ?? '',
    };
  }
}

async function openCity(path: string): Promise<Reader<CityResponse>> {
  let reader: Reader<CityResponse>;
  try {
    reader = await maxmind.open<CityResponse>(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`SPOOR_GEOIP_CITY: cannot open the city database "${path}": ${reason}`);
  }
  // A Country or ASN database would open fine and silently yield no cities: refuse it up front.
  if (!/city/i.test(reader.metadata.databaseType)) {
    throw new Error(
      `SPOOR_GEOIP_CITY: "${path}" is a ${reader.metadata.databaseType} database, not a City database`,
    );
  }
  return reader;
}

function safeGet<T extends CountryResponse>(reader: Reader<T>, address: string): T | null {
  try {
    return reader.get(address);
  } catch {
    return null; // the reader throws on addresses it cannot parse; unknown is the right answer
  }
}

// The country database's records are `{ country_code: "US" }`, outside maxmind's typed schemas.
function countryCodeOf(record: unknown): string | undefined {
  if (typeof record !== 'object' || record === null || !('country_code' in record)) {
    return undefined;
  }
  const code = record.country_code;
  return typeof code === 'string' ? code : undefined;
}

function isoCode(code: string | undefined): string {
  if (code === undefined || !/^[A-Za-z]{2}$/.test(code)) return '';
  const lower = code.toLowerCase();
  return lower === 'zz' ? '' : lower; // ZZ = "unknown or unspecified country"
}

/** The address to look up (IPv4-mapped IPv6 as IPv4, zone removed), or null if not public. */
function publicAddress(ip: string): string | null {
  let address = ip.trim().replace(/%.*$/, '');
  if (isIP(address) === 6) {
    const mapped = /^(?:(?:0{1,4}:){5}|::(?:0{1,4}:)?)ffff:(.+)$/i.exec(address)?.[1];
    const v4 = mapped === undefined ? null : isIP(mapped) === 4 ? mapped : hexToIpv4(mapped);
    if (v4 !== null) address = v4;
  }
  const version = isIP(address);
  if (version === 0) return null;
  const notPublic =
    version === 4 ? NOT_PUBLIC_V4.includes(address) : NOT_PUBLIC_V6.check(address, 'ipv6');
  return notPublic ? null : address;
}

function hexToIpv4(value: string): string | null {
  const match = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(value);
  if (match === null) return null;
  const high = parseInt(match[1] as string, 16);
  const low = parseInt(match[2] as string, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}
