import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedHostnames, isHostnameAllowed } from '../../src/manage/alternative-domains.ts';
import type { Domain } from '../../src/store/meta/schema.ts';
import { makeDomain } from '../helpers/accounts.ts';
import { createManagementWorld, type ManagementWorld } from './world.ts';

let m: ManagementWorld;
let domain: Domain;
beforeAll(async () => {
  m = await createManagementWorld();
  domain = await makeDomain(m.world.meta.db, m.owner, 'main.example.com');
});
afterAll(() => m.close());

const add = (hostname: string, domainId = domain.id) =>
  m.call('owner', 'POST', '/api/v1/domain/alternative', {
    payload: { domain_id: domainId, hostname },
  });
const list = async (domainId = domain.id) =>
  (
    await m.call('owner', 'GET', '/api/v1/domain/alternative', { query: { domain_id: domainId } })
  ).json() as { id: string; hostname: string }[];

describe('alternative domains', () => {
  it('lists [] at first and creates the exact object', async () => {
    expect(await list()).toEqual([]);
    const res = await add('Blog.Example.COM');
    expect(res.statusCode, res.body).toBe(200);
    const alt = res.json();
    expect(Object.keys(alt).sort()).toEqual([
      'def_time',
      'domain_id',
      'hostname',
      'id',
      'mod_time',
    ]);
    expect(alt).toMatchObject({ domain_id: domain.id, hostname: 'blog.example.com' });
    expect(await list()).toEqual([alt]);
  });

  it('accepts a *. wildcard and lists by host name', async () => {
    expect((await add('*.shop.example.com')).statusCode).toBe(200);
    expect((await add('another.example.org')).statusCode).toBe(200);
    const byId = await m.call('owner', 'GET', '/api/v1/domain/alternative', {
      query: { id: domain.id },
    });
    expect(byId.json().map((a: { hostname: string }) => a.hostname)).toEqual([
      '*.shop.example.com',
      'another.example.org',
      'blog.example.com',
    ]);
  });

  it.each([
    'https://x.example.com',
    'x.example.com/path',
    'a b.com',
    '**.example.com',
    'shop.*.com',
    '',
    'x:80',
  ])('refuses %j with 400 validation.hostname', async (hostname) => {
    const before = await list();
    const res = await add(hostname);
    expect(res.statusCode).toBe(400);
    expect(res.json().validation).toHaveProperty('hostname');
    expect(await list()).toEqual(before);
  });

  it("answers 409 for a duplicate and for the domain's own host name", async () => {
    for (const hostname of ['blog.example.com', 'BLOG.example.com.', 'main.example.com']) {
      const res = await add(hostname);
      expect(res.statusCode, hostname).toBe(409);
      expect(res.json().validation).toHaveProperty('hostname');
    }
    // The same host may feed several dashboards (roll-ups).
    const other = await makeDomain(m.world.meta.db, m.owner);
    expect((await add('blog.example.com', other.id)).statusCode).toBe(200);
  });

  it('renames with the same rules and deletes', async () => {
    const alt = (await add('old.example.net')).json();
    const renamed = await m.call('owner', 'PUT', '/api/v1/domain/alternative', {
      payload: { id: alt.id, hostname: 'new.example.net' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({
      id: alt.id,
      hostname: 'new.example.net',
      def_time: alt.def_time,
    });
    // Renaming to its own current name is no conflict; to a sibling's name is.
    expect(
      (
        await m.call('owner', 'PUT', '/api/v1/domain/alternative', {
          payload: { id: alt.id, hostname: 'new.example.net' },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await m.call('owner', 'PUT', '/api/v1/domain/alternative', {
          payload: { id: alt.id, hostname: 'blog.example.com' },
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await m.call('owner', 'PUT', '/api/v1/domain/alternative', {
          payload: { id: alt.id, hostname: 'bad host' },
        })
      ).statusCode,
    ).toBe(400);
    const del = await m.call('owner', 'DELETE', '/api/v1/domain/alternative', {
      query: { id: alt.id },
    });
    expect(del.statusCode).toBe(200);
    expect(del.body).toBe('');
    expect((await list()).map((a) => a.id)).not.toContain(alt.id);
    const again = await m.call('owner', 'DELETE', '/api/v1/domain/alternative', {
      query: { id: alt.id },
    });
    expect(again.statusCode).toBe(404);
  });

  it('answers 400 without ids, 404 for unknown ones and 403 across domains', async () => {
    expect(
      (await m.call('owner', 'GET', '/api/v1/domain/alternative')).json().validation,
    ).toHaveProperty('domain_id');
    expect(
      (
        await m.call('owner', 'PUT', '/api/v1/domain/alternative', {
          payload: { id: '', hostname: 'a.com' },
        })
      ).json().validation,
    ).toHaveProperty('id');
    expect(
      (
        await m.call('owner', 'PUT', '/api/v1/domain/alternative', {
          payload: { id: 'NoSuchAlt1', hostname: 'a.com' },
        })
      ).statusCode,
    ).toBe(404);
    const foreign = (
      await m.call('otherDomainClient', 'POST', '/api/v1/domain/alternative', {
        payload: { domain_id: m.otherDomain.id, hostname: 'foreign.example.com' },
      })
    ).json();
    const res = await m.call('domainClient', 'PUT', '/api/v1/domain/alternative', {
      payload: { id: foreign.id, hostname: 'stolen.example.com' },
    });
    expect(res.statusCode).toBe(403);
  });

  it("gives ingestion the domain's allowed host names", async () => {
    const hosts = await allowedHostnames(m.world.meta.db, domain.id);
    expect(hosts[0]).toBe('main.example.com');
    expect(hosts).toContain('*.shop.example.com');
    expect(await allowedHostnames(m.world.meta.db, 'NoSuchDom1')).toEqual([]);
  });
});

describe('isHostnameAllowed (TRACKER.md 2.3)', () => {
  const allowed = ['example.com', '*.shop.example.org', 'www.blog.example.net'];
  it.each([
    ['example.com', true],
    ['www.example.com', true],
    ['EXAMPLE.com.', true],
    ['sub.example.com', false],
    ['a.shop.example.org', true],
    ['a.b.shop.example.org', true],
    ['www.shop.example.org', true],
    ['shop.example.org', false],
    ['blog.example.net', true],
    ['www.blog.example.net', true],
    ['evil-example.com', false],
    ['example.com.evil.org', false],
  ])('%s → %s', (host, expected) => {
    expect(isHostnameAllowed(allowed, host)).toBe(expected);
  });
});
