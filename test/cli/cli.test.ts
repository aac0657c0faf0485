import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/stores.ts';
import { spoor, startServe, type ServerProcess } from '../helpers/process.ts';

const dataDir = tempDataDir();
const env = { SPOOR_DATA_DIR: dataDir, SPOOR_LOG_LEVEL: 'warn' };
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

describe('spoor CLI', () => {
  it('migrates a fresh data directory, and a second run is a no-op', async () => {
    const first = await spoor(['migrate', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const applied = json(first.stdout) as { metadata: string[]; events: number[] };
    expect(applied.metadata.length).toBeGreaterThan(0);
    expect(applied.events.length).toBeGreaterThan(0);
    const second = await spoor(['migrate', '--json'], env);
    expect(json(second.stdout)).toEqual({ metadata: [], events: [] });
  });

  it('creates users, domains and clients with --json, also while the server runs', async () => {
    server = await startServe(env);
    const user = await spoor(
      ['user', 'create', '--email', 'Owner@Example.com', '--password', 'secret-password', '--json'],
      env,
    );
    expect(user.code, user.stderr).toBe(0);
    expect(json(user.stdout)).toMatchObject({
      id: expect.stringMatching(/^[A-Za-z0-9]{10}$/),
      email: 'owner@example.com',
    });

    const domain = await spoor(
      [
        'domain',
        'create',
        '--email',
        'owner@example.com',
        '--hostname',
        'Example.com',
        '--timezone',
        'Europe/Berlin',
        '--json',
      ],
      env,
    );
    expect(domain.code, domain.stderr).toBe(0);
    const d = json(domain.stdout);
    expect(d).toMatchObject({
      hostname: 'example.com',
      subdomain: 'example-com',
      timezone: 'Europe/Berlin',
      public: false,
      group_by_title: false,
      user_role: 'Owner',
      identification_code: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
    });

    const userClient = await spoor(
      ['client', 'create', '--email', 'owner@example.com', '--json'],
      env,
    );
    expect(userClient.code, userClient.stderr).toBe(0);
    const c = json(userClient.stdout);
    expect(Object.keys(c).sort()).toEqual(['client_id', 'client_secret', 'id']);
    expect(c.client_id).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(c.client_secret).toMatch(/^[A-Za-z0-9]{64}$/);

    const key = await spoor(
      [
        'client',
        'create',
        '--email',
        'owner@example.com',
        '--domain-id',
        String(d.id),
        '--access-key',
        '--json',
      ],
      env,
    );
    expect(key.code, key.stderr).toBe(0);
    expect(json(key.stdout)).toEqual({
      id: expect.any(String),
      access_key: expect.stringMatching(/^pa_[A-Za-z0-9]{45}$/),
    });

    // The running server sees what the CLI wrote, at once.
    const tokenRes = await fetch(`${server.url}/api/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: c.client_id, client_secret: c.client_secret }),
    });
    expect(tokenRes.status).toBe(200);
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const list = await fetch(`${server.url}/api/v1/domain`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(((await list.json()) as { id: string }[]).map((x) => x.id)).toEqual([d.id]);

    const limited = await spoor(
      [
        'client',
        'create',
        '--email',
        'owner@example.com',
        '--domain-id',
        String(d.id),
        '--scopes',
        'statistics,domains:r',
        '--json',
      ],
      env,
    );
    expect(limited.code, limited.stderr).toBe(0);
  });

  it('reports errors clearly, as JSON with --json', async () => {
    const dup = await spoor(
      ['domain', 'create', '--email', 'owner@example.com', '--hostname', 'example.com', '--json'],
      env,
    );
    expect(dup.code).toBe(1);
    expect(json(dup.stdout)).toMatchObject({
      error: expect.any(String),
      validation: { hostname: expect.any(String) },
    });

    const badHost = await spoor(
      ['domain', 'create', '--email', 'owner@example.com', '--hostname', 'https://x.com/path'],
      env,
    );
    expect(badHost.code).toBe(1);
    expect(badHost.stderr).toMatch(/^spoor: .*hostname: /);

    const noUser = await spoor(
      ['client', 'create', '--email', 'nobody@example.com', '--json'],
      env,
    );
    expect(noUser.code).toBe(1);
    expect(String(json(noUser.stdout).error)).toContain('nobody@example.com');

    const badScope = await spoor(
      ['client', 'create', '--email', 'owner@example.com', '--scopes', 'admin', '--json'],
      env,
    );
    expect(json(badScope.stdout)).toMatchObject({
      validation: { scopes: expect.stringContaining('admin') },
    });

    const badPassword = await spoor(
      ['user', 'create', '--email', 'x@example.com', '--password', 'short', '--json'],
      env,
    );
    expect(json(badPassword.stdout)).toMatchObject({
      validation: { password: expect.any(String) },
    });

    const missing = await spoor(['user', 'create', '--email', 'x@example.com'], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('--password');
  });

  it('stops start-up with one line naming an invalid variable', async () => {
    const res = await spoor(['serve'], { ...env, SPOOR_TOKEN_TTL: 'forever' });
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^spoor: SPOOR_TOKEN_TTL: /),
    ]);
  });

  it('shuts down gracefully on SIGTERM', async () => {
    expect(await server!.stop()).toBe(0);
    server = undefined;
  });
});
