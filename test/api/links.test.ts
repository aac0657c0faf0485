import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDomain } from '../helpers/accounts.ts';
import { createManagementWorld, type ManagementWorld } from './world.ts';

let m: ManagementWorld;
beforeAll(async () => {
  m = await createManagementWorld();
});
afterAll(() => m.close());

const LINK_FIELDS = [
  'code',
  'def_time',
  'description',
  'domain_id',
  'id',
  'mod_time',
  'valid_until',
];

/** GET /api/v1/domain with only an access code: the domain list of that link. */
const withCode = (code: string) =>
  m.world.app.inject({ method: 'GET', url: '/api/v1/domain', query: { access: code } });

describe('access links', () => {
  it('lists [] for a domain without links, by domain_id or id', async () => {
    const domain = await makeDomain(m.world.meta.db, m.owner);
    for (const key of ['domain_id', 'id']) {
      const res = await m.call('owner', 'GET', '/api/v1/domain/link', {
        query: { [key]: domain.id },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual([]);
    }
  });

  it('creates a link whose code opens the domain read-only, and lists it', async () => {
    const res = await m.call('admin', 'POST', '/api/v1/domain/link', {
      payload: { domain_id: m.domain.id, description: '  Client report  ' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const link = res.json();
    expect(Object.keys(link).sort()).toEqual(LINK_FIELDS);
    expect(link).toMatchObject({
      domain_id: m.domain.id,
      description: 'Client report',
      valid_until: null,
    });
    expect(link.code).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(link.def_time).toBe(link.mod_time);

    const opened = await withCode(link.code);
    expect(opened.statusCode).toBe(200);
    expect(opened.json().map((d: { id: string }) => d.id)).toEqual([m.domain.id]);
    // Read-only: the code is not accepted by management routes.
    const write = await m.world.app.inject({
      method: 'POST',
      url: '/api/v1/domain/public',
      query: { access: link.code },
      payload: { domain_id: m.domain.id },
    });
    expect(write.statusCode).toBe(401);

    const list = await m.call('viewer', 'GET', '/api/v1/domain/link', {
      query: { domain_id: m.domain.id },
    });
    expect(list.json()).toContainEqual(link);
  });

  it('creates a link without a description', async () => {
    const res = await m.call('owner', 'POST', '/api/v1/domain/link', {
      payload: { domain_id: m.domain.id },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().description).toBe('');
  });

  it('updates the description and expiry, keeps the code, and honours valid_until', async () => {
    const created = (
      await m.call('owner', 'POST', '/api/v1/domain/link', {
        payload: {
          domain_id: m.domain.id,
          description: 'old',
          valid_until: '2999-01-01T00:00:00Z',
        },
      })
    ).json();
    expect(created.valid_until).toBe('2999-01-01T00:00:00.000Z');
    expect((await withCode(created.code)).statusCode).toBe(200);

    const expired = await m.call('owner', 'PUT', '/api/v1/domain/link', {
      payload: { id: created.id, description: 'new', valid_until: '2001-02-03T04:05:06+02:00' },
    });
    expect(expired.statusCode, expired.body).toBe(200);
    expect(expired.json()).toMatchObject({
      id: created.id,
      code: created.code,
      description: 'new',
      valid_until: '2001-02-03T02:05:06.000Z',
      def_time: created.def_time,
    });
    expect(expired.json().mod_time >= created.mod_time).toBe(true);
    expect((await withCode(created.code)).statusCode).toBe(401);

    const renewed = await m.call('owner', 'PUT', '/api/v1/domain/link', {
      payload: { id: created.id, valid_until: null },
    });
    expect(renewed.json()).toMatchObject({ description: 'new', valid_until: null });
    expect((await withCode(created.code)).statusCode).toBe(200);
  });

  it('validates descriptions, expiries and ids before changing anything', async () => {
    const bad = await m.call('owner', 'POST', '/api/v1/domain/link', {
      payload: { domain_id: m.domain.id, description: 'x'.repeat(256), valid_until: 'tomorrow' },
    });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().validation).sort()).toEqual(['description', 'valid_until']);
    const missing = await m.call('owner', 'POST', '/api/v1/domain/link', { payload: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().validation).toHaveProperty('domain_id');
    const noList = await m.call('owner', 'GET', '/api/v1/domain/link');
    expect(noList.statusCode).toBe(400);
    expect(noList.json().validation).toHaveProperty('domain_id');
    const noId = await m.call('owner', 'PUT', '/api/v1/domain/link', {
      payload: { description: 'x' },
    });
    expect(noId.statusCode).toBe(400);
    expect(noId.json().validation).toHaveProperty('id');
    const link = (
      await m.call('owner', 'POST', '/api/v1/domain/link', { payload: { domain_id: m.domain.id } })
    ).json();
    const badUpdate = await m.call('owner', 'PUT', '/api/v1/domain/link', {
      payload: { id: link.id, description: 'changed', valid_until: '2024-13-01T00:00:00Z' },
    });
    expect(badUpdate.statusCode).toBe(400);
    const list = await m.call('owner', 'GET', '/api/v1/domain/link', {
      query: { domain_id: m.domain.id },
    });
    expect(list.json().find((l: { id: string }) => l.id === link.id).description).toBe('');
  });

  it('answers 404 for unknown links and 403 for links of another domain', async () => {
    expect(
      (await m.call('owner', 'PUT', '/api/v1/domain/link', { payload: { id: 'NoSuchLnk1' } }))
        .statusCode,
    ).toBe(404);
    expect(
      (await m.call('owner', 'DELETE', '/api/v1/domain/link', { query: { id: 'NoSuchLnk1' } }))
        .statusCode,
    ).toBe(404);
    const foreign = (
      await m.call('otherDomainClient', 'POST', '/api/v1/domain/link', {
        payload: { domain_id: m.otherDomain.id },
      })
    ).json();
    for (const res of [
      await m.call('owner', 'PUT', '/api/v1/domain/link', { payload: { id: foreign.id } }),
      await m.call('owner', 'DELETE', '/api/v1/domain/link', { query: { id: foreign.id } }),
      await m.call('owner', 'GET', '/api/v1/domain/link', {
        query: { domain_id: m.otherDomain.id },
      }),
    ]) {
      expect(res.statusCode).toBe(403);
    }
  });

  it('deletes a link with an empty 200; its code stops working at once', async () => {
    const link = (
      await m.call('owner', 'POST', '/api/v1/domain/link', { payload: { domain_id: m.domain.id } })
    ).json();
    expect((await withCode(link.code)).statusCode).toBe(200);
    const res = await m.call('domainClient', 'DELETE', '/api/v1/domain/link', {
      query: { id: link.id },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect((await withCode(link.code)).statusCode).toBe(401);
    const missing = await m.call('owner', 'DELETE', '/api/v1/domain/link');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().validation).toHaveProperty('id');
  });
});
