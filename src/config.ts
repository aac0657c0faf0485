/**
 * One typed configuration object, read from environment variables (and `serve` flags).
 * Every invalid value stops start-up with one line that names the variable.
 */
import path from 'node:path';
import { isIP } from 'node:net';

export interface SmtpConfig {
  host: string;
  port: number;
  /** Implicit TLS (port 465 style); otherwise STARTTLS is used when offered. */
  secure: boolean;
  user: string | undefined;
  password: string | undefined;
  from: string;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Public origin of this installation, used in links (invitations, reports). */
  baseUrl: string;
  /** Addresses/CIDRs whose forwarding headers are believed for snippet traffic. */
  trustedProxies: string[];
  clickhouseUrl: string | undefined;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Lifetime of an access token from `POST /api/v1/token`, in seconds. */
  tokenTtlSeconds: number;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Requests per minute per client/IP on `POST /api/v1/token`. */
  tokenRateLimit: number;
  /** Most elements in one `/batch` request (more → 413). */
  batchLimit: number;
  /** Group commit: at most one flush per this many milliseconds (rows wait at most this long plus a running flush)… */
  flushIntervalMs: number;
  /** …unless this many rows are pending. */
  flushRows: number;
  /** Live sessions kept in memory before the least recently used is evicted. */
  sessionCacheSize: number;
  /** Drop requests with `DNT: 1` / `dnt: "1"` (decision 4). */
  honourDnt: boolean;
  /** Optional GeoLite2-City (or compatible) `.mmdb` for cities and regions. */
  geoipCityPath: string | undefined;
  /** Snippet requests per minute per visitor address and identification code. */
  snippetRateLimit: number;
  /** Extra path prefix the snippet routes are also served under (e.g. `/t7`), or ''. */
  trackerPrefix: string;
  smtp: SmtpConfig | undefined;
}

/** Raised for an invalid configuration value; `message` is the one line shown to the operator. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Flags of `spoor serve` that override their environment variables. */
export interface ConfigOverrides {
  port?: string;
  host?: string;
  dataDir?: string;
  baseUrl?: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Build the configuration from an environment (default `process.env`) and optional flags. */
export function loadConfig(env: Env = process.env, overrides: ConfigOverrides = {}): Config {
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === '' ? undefined : v;
  };
  const port = parseInteger('SPOOR_PORT', overrides.port ?? value('SPOOR_PORT'), 8080, 1, 65535);
  const host = overrides.host ?? value('SPOOR_HOST') ?? '0.0.0.0';
  if (isIP(host) === 0 && !/^[A-Za-z0-9.-]+$/.test(host)) {
    throw new ConfigError('SPOOR_HOST', `not an address or host name (got "${host}")`);
  }
  const dataDir = path.resolve(overrides.dataDir ?? value('SPOOR_DATA_DIR') ?? './data');
  const baseUrl = parseUrl(
    'SPOOR_BASE_URL',
    overrides.baseUrl ?? value('SPOOR_BASE_URL') ?? `http://localhost:${port}`,
    ['http:', 'https:'],
  ).replace(/\/+$/, '');
  const logLevel = value('SPOOR_LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('SPOOR_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    port,
    host,
    dataDir,
    baseUrl,
    trustedProxies: parseProxies(value('SPOOR_TRUSTED_PROXIES')),
    clickhouseUrl: optionalUrl('SPOOR_CLICKHOUSE_URL', value('SPOOR_CLICKHOUSE_URL'), [
      'http:',
      'https:',
    ]),
    databaseUrl: optionalUrl('SPOOR_DATABASE_URL', value('SPOOR_DATABASE_URL'), [
      'postgres:',
      'postgresql:',
    ]),
    redisUrl: optionalUrl('SPOOR_REDIS_URL', value('SPOOR_REDIS_URL'), ['redis:', 'rediss:']),
    tokenTtlSeconds: parseDuration('SPOOR_TOKEN_TTL', value('SPOOR_TOKEN_TTL'), 3600),
    bodyLimitBytes: parseInteger(
      'SPOOR_BODY_LIMIT',
      value('SPOOR_BODY_LIMIT'),
      1024 * 1024,
      1024,
      1024 * 1024 * 1024,
    ),
    logLevel: logLevel as Config['logLevel'],
    tokenRateLimit: parseInteger(
      'SPOOR_TOKEN_RATE_LIMIT',
      value('SPOOR_TOKEN_RATE_LIMIT'),
      10,
      1,
      1e6,
    ),
    batchLimit: parseInteger('SPOOR_BATCH_LIMIT', value('SPOOR_BATCH_LIMIT'), 1000, 1, 100_000),
    flushIntervalMs: parseInteger(
      'SPOOR_FLUSH_INTERVAL_MS',
      value('SPOOR_FLUSH_INTERVAL_MS'),
      50,
      1,
      10_000,
    ),
    flushRows: parseInteger('SPOOR_FLUSH_ROWS', value('SPOOR_FLUSH_ROWS'), 5000, 1, 1_000_000),
    sessionCacheSize: parseInteger(
      'SPOOR_SESSION_CACHE_SIZE',
      value('SPOOR_SESSION_CACHE_SIZE'),
      200_000,
      100,
      100_000_000,
    ),
    honourDnt: parseBoolean('SPOOR_HONOUR_DNT', value('SPOOR_HONOUR_DNT'), true),
    geoipCityPath: optionalPath(value('SPOOR_GEOIP_CITY')),
    snippetRateLimit: parseInteger(
      'SPOOR_SNIPPET_RATE_LIMIT',
      value('SPOOR_SNIPPET_RATE_LIMIT'),
      120,
      1,
      1_000_000,
    ),
    trackerPrefix: parsePrefix(value('SPOOR_TRACKER_PREFIX')),
    smtp: parseSmtp(value),
  };
}

function parseInteger(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds, or a number with a unit: `90`, `90s`, `30m`, `1h`, `7d`. */
function parseDuration(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const m = /^(\d+)([smhd]?)$/.exec(raw);
  const seconds = m ? Number(m[1]) * (DURATION_UNITS[m[2] || 's'] ?? 1) : NaN;
  if (!(seconds >= 60 && seconds <= 365 * 86400)) {
    throw new ConfigError(
      name,
      `must be a duration from 60s to 365d such as 3600, 30m, 1h (got "${raw}")`,
    );
  }
  return seconds;
}

function parseUrl(name: string, raw: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `not a valid URL (got "${raw}")`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => p + '//').join(' or ')}`);
  }
  return raw;
}

function optionalUrl(
  name: string,
  raw: string | undefined,
  protocols: string[],
): string | undefined {
  return raw === undefined ? undefined : parseUrl(name, raw, protocols);
}

function parsePrefix(raw: string | undefined): string {
  if (raw === undefined) return '';
  if (!/^(\/[A-Za-z0-9_-]+)+$/.test(raw) || raw === '/api') {
    throw new ConfigError('SPOOR_TRACKER_PREFIX', `must be a path like /t7 (got "${raw}")`);
  }
  return raw;
}

function optionalPath(raw: string | undefined): string | undefined {
  return raw === undefined ? undefined : path.resolve(raw);
}

function parseProxies(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address ?? '');
    const bits = prefix === undefined ? undefined : Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      (prefix !== undefined && (!/^\d+$/.test(prefix) || bits === undefined || bits > maxBits))
    ) {
      throw new ConfigError(
        'SPOOR_TRUSTED_PROXIES',
        `"${entry}" is not an IP address or CIDR range`,
      );
    }
  }
  return entries;
}

function parseSmtp(value: (name: string) => string | undefined): SmtpConfig | undefined {
  const host = value('SPOOR_SMTP_HOST');
  if (host === undefined) return undefined;
  const secure = parseBoolean('SPOOR_SMTP_SECURE', value('SPOOR_SMTP_SECURE'), false);
  const from = value('SPOOR_SMTP_FROM');
  if (from === undefined || !/^[^@\s]+@[^@\s]+$|<[^@\s]+@[^@\s]+>$/.test(from)) {
    throw new ConfigError(
      'SPOOR_SMTP_FROM',
      'an e-mail address is required when SPOOR_SMTP_HOST is set',
    );
  }
  return {
    host,
    port: parseInteger('SPOOR_SMTP_PORT', value('SPOOR_SMTP_PORT'), secure ? 465 : 587, 1, 65535),
    secure,
    user: value('SPOOR_SMTP_USER'),
    password: value('SPOOR_SMTP_PASSWORD'),
    from,
  };
}

function parseBoolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}
