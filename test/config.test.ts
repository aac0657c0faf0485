import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('has defaults that serve on :8080 with embedded stores under ./data', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.baseUrl).toBe('http://localhost:8080');
    expect(config.tokenTtlSeconds).toBe(3600);
    expect(config.clickhouseUrl).toBeUndefined();
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.smtp).toBeUndefined();
    expect(config.trustedProxies).toEqual([]);
  });

  it('reads every variable and lets serve flags win', () => {
    const config = loadConfig(
      {
        SPOOR_PORT: '9000',
        SPOOR_HOST: '127.0.0.1',
        SPOOR_DATA_DIR: '/tmp/x',
        SPOOR_BASE_URL: 'https://stats.example.com/',
        SPOOR_TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16,::1',
        SPOOR_DATABASE_URL: 'postgres://u@h/db',
        SPOOR_REDIS_URL: 'redis://127.0.0.1:6379',
        SPOOR_CLICKHOUSE_URL: 'http://ch:8123',
        SPOOR_TOKEN_TTL: '30m',
        SPOOR_SMTP_HOST: 'mail.example.com',
        SPOOR_SMTP_FROM: 'Spoor <spoor@example.com>',
        SPOOR_SMTP_SECURE: 'true',
      },
      { port: '9100' },
    );
    expect(config.port).toBe(9100);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir).toBe('/tmp/x');
    expect(config.baseUrl).toBe('https://stats.example.com');
    expect(config.trustedProxies).toEqual(['10.0.0.1', '192.168.0.0/16', '::1']);
    expect(config.tokenTtlSeconds).toBe(1800);
    expect(config.smtp).toEqual({
      host: 'mail.example.com',
      port: 465,
      secure: true,
      user: undefined,
      password: undefined,
      from: 'Spoor <spoor@example.com>',
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ SPOOR_PORT: '', SPOOR_DATABASE_URL: ' ' }).port).toBe(8080);
  });

  const invalid: [string, Record<string, string>][] = [
    ['SPOOR_PORT', { SPOOR_PORT: 'http' }],
    ['SPOOR_PORT', { SPOOR_PORT: '70000' }],
    ['SPOOR_HOST', { SPOOR_HOST: 'not a host' }],
    ['SPOOR_BASE_URL', { SPOOR_BASE_URL: 'stats.example.com' }],
    ['SPOOR_BASE_URL', { SPOOR_BASE_URL: 'ftp://stats.example.com' }],
    ['SPOOR_TRUSTED_PROXIES', { SPOOR_TRUSTED_PROXIES: '10.0.0.1,proxy.local' }],
    ['SPOOR_TRUSTED_PROXIES', { SPOOR_TRUSTED_PROXIES: '10.0.0.0/33' }],
    ['SPOOR_DATABASE_URL', { SPOOR_DATABASE_URL: 'mysql://x' }],
    ['SPOOR_REDIS_URL', { SPOOR_REDIS_URL: 'http://x' }],
    ['SPOOR_CLICKHOUSE_URL', { SPOOR_CLICKHOUSE_URL: 'tcp://x' }],
    ['SPOOR_TOKEN_TTL', { SPOOR_TOKEN_TTL: '1 hour' }],
    ['SPOOR_TOKEN_TTL', { SPOOR_TOKEN_TTL: '5' }],
    ['SPOOR_LOG_LEVEL', { SPOOR_LOG_LEVEL: 'loud' }],
    ['SPOOR_SMTP_FROM', { SPOOR_SMTP_HOST: 'mail.example.com' }],
    [
      'SPOOR_SMTP_SECURE',
      { SPOOR_SMTP_HOST: 'm', SPOOR_SMTP_FROM: 'a@b.c', SPOOR_SMTP_SECURE: 'maybe' },
    ],
  ];
  it.each(invalid)('rejects a bad %s with a message naming it', (variable, env) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message.startsWith(`${variable}: `)).toBe(true);
    expect((error as ConfigError).message).not.toContain('\n');
  });
});
