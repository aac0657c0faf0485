import { Pirsch } from 'pirsch-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGoal } from '../../src/manage/goals.ts';
import { createLink } from '../../src/manage/links.ts';
import { createReports } from '../../src/manage/reports.ts';
import { newSessionRow } from '../../src/store/clickhouse/rows.ts';
import { onMetaChange } from '../../src/store/meta/changes.ts';
import type { Domain } from '../../src/store/meta/schema.ts';
import {
  makeAccessKey,
  makeDomain,
  makeOauthClient,
  makeUser,
  tokenFor,
} from '../helpers/accounts.ts';
import { eventRow, firstState, pageView } from '../store/clickhouse/helpers.ts';
import { createManagementWorld, type ManagementWorld } from './world.ts';

let m: ManagementWorld;
beforeAll(async () => {
  m = await createManagementWorld();
});
afterAll(() => m.close());

const db = () => m.world.meta.db;
const DOMAIN_FIELDS = [
  'id',
  'def_time',
  'mod_time',
  'user_id',
  'hostname',
  'subdomain',
  'identification_code',
  'public',
  'google_user_id',
  'google_user_email',
  'gsc_domain',
  'new_owner',
  'timezone',
  'group_by_title',
  'user_role',
].sort();

async function stored(id: string): Promise<Domain | undefined> {
  return db().selectFrom('domain').selectAll().where('id', '=', id).executeTakeFirst();
}

async function domainCount(): Promise<number> {
  return (await db().selectFrom('domain').select('id').execute()).length;
}

describe('POST /api/v1/domain', () => {
  it('creates a domain owned by the caller and answers the full domain object', async () => {
    const res = await m.call('owner', 'POST', '/api/v1/domain', {
      payload: {
        hostname: 'Shop.Example.COM',
        subdomain: 'shop-example',
        timezone: 'Europe/Berlin',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(DOMAIN_FIELDS);
    expect(body).toMatchObject({
      user_id: m.owner.id,
      hostname: 'shop.example.com',
      subdomain: 'shop-example',
      timezone: 'Europe/Berlin',
      public: false,
      group_by_title: false,
      google_user_id: null,
      google_user_email: null,
      gsc_domain: null,
      new_owner: null,
      user_role: 'Owner',
    });
    expect(body.id).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(body.identification_code).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(body.def_time).toBe(body.mod_time);
    expect(await stored(body.id)).toMatchObject({ user_id: m.owner.id });
  });

  it('stores no time zone as null (UTC) and Unicode host names as punycode', async () => {
    const res = await m.call('owner', 'POST', '/api/v1/domain', {
      payload: { hostname: 'bücher.example', subdomain: 'buecher', timezone: '' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ hostname: 'xn--bcher-kva.example', timezone: null });
  });

  it.each([
    ['https://example.com', 'hostname'],
    ['example.com/path', 'hostname'],
    ['example.com:8080', 'hostname'],
    ['exa mple.com', 'hostname'],
    ['-bad.example.com', 'hostname'],
    ['', 'hostname'],
    ['*.example.com', 'hostname'],
  ])('refuses the host name %j with 400 validation.%s', async (hostname, field) => {
    const before = await domainCount();
    const res = await m.call('owner', 'POST', '/api/v1/domain', {
      payload: { hostname, subdomain: 'valid-sub' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().validation).toHaveProperty(field);
    expect(await domainCount()).toBe(before);
  });

  it.each(['ab', 'has_underscore', '-leading', 'trailing-', 'a'.repeat(64), 'dot.ted', ''])(
    'refuses the subdomain %j with 400 validation.subdomain',
    async (subdomain) => {
      const res = await m.call('owner', 'POST', '/api/v1/domain', {
        payload: { hostname: 'fine.example.com', subdomain },
      });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json().validation)).toEqual(['subdomain']);
    },
  );

  it('requires hostname and subdomain', async () => {
    const res = await m.call('owner', 'POST', '/api/v1/domain', { payload: {} });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().validation).sort()).toEqual(['hostname', 'subdomain']);
  });

  it('refuses an unknown time zone with 400 validation.timezone and creates nothing', async () => {
    const before = await domainCount();
    for (const timezone of ['Mars/Olympus', 'CEST', 'europe/berlin']) {
      const res = await m.call('owner', 'POST', '/api/v1/domain', {
        payload: { hostname: 'tz.example.com', subdomain: 'tz-example', timezone },
      });
      expect(res.statusCode, timezone).toBe(400);
      expect(res.json().validation).toHaveProperty('timezone');
    }
    expect(await domainCount()).toBe(before);
  });

  it('answers 409 for a taken subdomain (installation-wide) and a host name the owner has', async () => {
    const taken = await m.call('admin', 'POST', '/api/v1/domain', {
      payload: { hostname: 'other.example.com', subdomain: m.domain.subdomain },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().validation).toHaveProperty('subdomain');
    const again = await m.call('owner', 'POST', '/api/v1/domain', {
      payload: { hostname: m.domain.hostname, subdomain: 'another-sub' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().validation).toHaveProperty('hostname');
  });

  it('lets another user add a host name someone else already tracks (unique per owner)', async () => {
    const res = await m.call('admin', 'POST', '/api/v1/domain', {
      payload: { hostname: m.domain.hostname, subdomain: 'admins-copy' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ user_id: m.admin.id, user_role: 'Owner' });
  });
});

describe('PUT /api/v1/domain (reset the identification code)', () => {
  it('answers the new code, stores it and drops the old one', async () => {
    const domain = await makeDomain(db(), m.owner);
    const res = await m.call('owner', 'PUT', '/api/v1/domain', { payload: { id: domain.id } });
    expect(res.statusCode, res.body).toBe(200);
    const { identification_code } = res.json();
    expect(Object.keys(res.json())).toEqual(['identification_code']);
    expect(identification_code).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(identification_code).not.toBe(domain.identification_code);
    expect((await stored(domain.id))?.identification_code).toBe(identification_code);
    const old = await db()
      .selectFrom('domain')
      .select('id')
      .where('identification_code', '=', domain.identification_code)
      .execute();
    expect(old).toEqual([]);
  });

  it('answers 400 validation.id without an id and 404 for an unknown one', async () => {
    const missing = await m.call('owner', 'PUT', '/api/v1/domain', { payload: { id: '' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().validation).toHaveProperty('id');
    const unknown = await m.call('owner', 'PUT', '/api/v1/domain', {
      payload: { id: 'NoSuchDom1' },
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('cache invalidation for ingestion', () => {
  it('announces every change of what ingestion caches (code, zone, host names, deletion)', async () => {
    const domain = await makeDomain(db(), m.owner);
    const seen: (string | undefined)[] = [];
    const stop = onMetaChange((id) => seen.push(id));
    try {
      await m.call('owner', 'PUT', '/api/v1/domain', { payload: { id: domain.id } });
      await m.call('owner', 'POST', '/api/v1/domain/timezone', {
        payload: { domain_id: domain.id, timezone: 'Europe/Paris' },
      });
      const alt = await m.call('owner', 'POST', '/api/v1/domain/alternative', {
        payload: { domain_id: domain.id, hostname: 'alias.example.com' },
      });
      await m.call('owner', 'PUT', '/api/v1/domain/alternative', {
        payload: { id: alt.json().id, hostname: 'alias2.example.com' },
      });
      await m.call('owner', 'DELETE', '/api/v1/domain/alternative', {
        query: { id: alt.json().id },
      });
      await m.call('owner', 'DELETE', '/api/v1/domain', { query: { id: domain.id } });
    } finally {
      stop();
    }
    expect(seen).toEqual(Array(6).fill(domain.id));
  });
});

describe('domain settings', () => {
  it('changes the subdomain; 409 when taken, 400 when invalid or missing', async () => {
    const domain = await makeDomain(db(), m.owner);
    const set = (subdomain?: string) =>
      m.call('owner', 'POST', '/api/v1/domain/subdomain', {
        payload:
          subdomain === undefined ? { domain_id: domain.id } : { domain_id: domain.id, subdomain },
      });
    const ok = await set('Fresh-Name');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.body).toBe('');
    expect((await stored(domain.id))?.subdomain).toBe('fresh-name');
    expect((await set('fresh-name')).statusCode).toBe(200);
    const taken = await set(m.domain.subdomain);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().validation).toHaveProperty('subdomain');
    for (const bad of ['x', 'no spaces', 'ünï']) {
      const res = await set(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().validation).toHaveProperty('subdomain');
    }
    // A.3.5 [fix]: a toggle body sent to /subdomain is a 400, never a toggle.
    const toggle = await set();
    expect(toggle.statusCode).toBe(400);
    expect(toggle.json().validation).toHaveProperty('subdomain');
    expect((await stored(domain.id))?.subdomain).toBe('fresh-name');
  });

  it.each([
    ['/api/v1/domain/public', 'public'],
    ['/api/v1/domain/title', 'group_by_title'],
  ] as const)('%s flips %s back and forth with an empty 200', async (path, field) => {
    const domain = await makeDomain(db(), m.owner);
    const read = async () => {
      const list = await m.call('owner', 'GET', '/api/v1/domain');
      return (list.json() as Record<string, unknown>[]).find((d) => d.id === domain.id)?.[field];
    };
    expect(await read()).toBe(false);
    const first = await m.call('owner', 'POST', path, { payload: { domain_id: domain.id } });
    expect(first.statusCode).toBe(200);
    expect(first.body).toBe('');
    expect(await read()).toBe(true);
    await m.call('owner', 'POST', path, { payload: { domain_id: domain.id } });
    expect(await read()).toBe(false);
  });

  it('changes the time zone (empty = UTC) and refuses unknown zones', async () => {
    const domain = await makeDomain(db(), m.owner);
    const set = (timezone: unknown) =>
      m.call('owner', 'POST', '/api/v1/domain/timezone', {
        payload: { domain_id: domain.id, timezone },
      });
    expect((await set('America/New_York')).statusCode).toBe(200);
    expect((await stored(domain.id))?.timezone).toBe('America/New_York');
    for (const bad of ['Nowhere/City', 'GMT+25']) {
      const res = await set(bad);
      expect(res.statusCode).toBe(400);
      expect(res.json().validation).toHaveProperty('timezone');
    }
    expect((await stored(domain.id))?.timezone).toBe('America/New_York');
    expect((await set('')).statusCode).toBe(200);
    expect((await stored(domain.id))?.timezone).toBeNull();
    expect((await set(null)).statusCode).toBe(200);
    const missing = await m.call('owner', 'POST', '/api/v1/domain/timezone', {
      payload: { domain_id: domain.id },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().validation).toHaveProperty('timezone');
  });

  it('moves the reports to 07:00 in the new time zone', async () => {
    const domain = await makeDomain(db(), m.owner);
    const [report] = await createReports(db(), {
      domainId: domain.id,
      timezone: null,
      emails: ['tz@example.com'],
      interval: 1,
    });
    expect(report!.next_report).toMatch(/T07:00:00\.000Z$/);
    await m.call('owner', 'POST', '/api/v1/domain/timezone', {
      payload: { domain_id: domain.id, timezone: 'Asia/Tokyo' },
    });
    const list = await m.call('owner', 'GET', '/api/v1/report', { query: { id: domain.id } });
    // 07:00 in Tokyo (UTC+9, no DST) is 22:00 UTC the day before.
    expect(list.json()[0].next_report).toMatch(/T22:00:00\.000Z$/);
  });

  it.each([
    ['/api/v1/domain/public', {}],
    ['/api/v1/domain/title', { domain_id: '' }],
    ['/api/v1/domain/timezone', { timezone: 'UTC' }],
    ['/api/v1/domain/subdomain', { subdomain: 'abc-def' }],
  ])('%s without a domain id answers 400 validation.domain_id', async (path, payload) => {
    const res = await m.call('owner', 'POST', path, { payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().validation).toHaveProperty('domain_id');
  });

  it('answers 404 for an unknown domain and 403 for a domain of someone else', async () => {
    const unknown = await m.call('owner', 'POST', '/api/v1/domain/public', {
      payload: { domain_id: 'NoSuchDom1' },
    });
    expect(unknown.statusCode).toBe(404);
    const foreign = await m.call('owner', 'POST', '/api/v1/domain/public', {
      payload: { domain_id: m.otherDomain.id },
    });
    expect(foreign.statusCode).toBe(403);
  });
});

describe('DELETE /api/v1/domain', () => {
  it('answers 400 validation.id without an id and 404 for an unknown domain', async () => {
    const missing = await m.call('owner', 'DELETE', '/api/v1/domain');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().validation).toHaveProperty('id');
    const empty = await m.call('owner', 'DELETE', '/api/v1/domain', { query: { id: '' } });
    expect(empty.statusCode).toBe(400);
    const unknown = await m.call('owner', 'DELETE', '/api/v1/domain', {
      query: { id: 'NoSuchDom1' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it("deletes the domain's statistics, settings and credentials, and nothing of other domains", async () => {
    const events = m.world.events;
    const user = await makeUser(db(), 'leaver');
    const doomed = await makeDomain(db(), user, 'doomed.example.com');
    const kept = await makeDomain(db(), user, 'kept.example.com');
    for (const [i, domain] of [doomed, kept].entries()) {
      const start = '2024-05-01 12:00:00.000';
      const state = firstState(domain.id, String(5000 + i), i + 1, start);
      await events.insert('session', [newSessionRow(state)]);
      await events.insert('page_view', [pageView(state, start, '/'), pageView(state, start, '/a')]);
      await events.insert('event', [eventRow(state, start, 'signup')]);
    }
    await createLink(db(), doomed.id, { description: 'share' });
    await createGoal(db(), doomed.id, { name: 'g', path_pattern: '/a' });
    const userToken = await tokenFor(m.world.app, await makeOauthClient(db(), user, null));
    const domainToken = await tokenFor(m.world.app, await makeOauthClient(db(), user, doomed));
    const accessKey = await makeAccessKey(db(), user, doomed);
    const keptToken = await tokenFor(m.world.app, await makeOauthClient(db(), user, kept));
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    expect(
      (await m.world.app.inject({ url: '/api/v1/domain', headers: as(domainToken) })).statusCode,
    ).toBe(200);

    const res = await m.world.app.inject({
      method: 'DELETE',
      url: '/api/v1/domain',
      query: { id: doomed.id },
      headers: as(userToken),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toBe('');

    const counts = await events.query<{ t: string; domain_id: string; c: string }>(
      `SELECT 'session' AS t, domain_id, toString(sum(sign)) AS c FROM ${events.database}.session GROUP BY domain_id
       UNION ALL SELECT 'page_view', domain_id, toString(count()) FROM ${events.database}.page_view GROUP BY domain_id
       UNION ALL SELECT 'event', domain_id, toString(count()) FROM ${events.database}.event GROUP BY domain_id`,
    );
    expect(counts.filter((r) => r.domain_id === doomed.id)).toEqual([]);
    expect(
      Object.fromEntries(counts.filter((r) => r.domain_id === kept.id).map((r) => [r.t, r.c])),
    ).toEqual({ session: '1', page_view: '2', event: '1' });

    expect(await stored(doomed.id)).toBeUndefined();
    expect(await stored(kept.id)).toBeDefined();
    for (const table of ['access_link', 'goal', 'client'] as const) {
      const rows = await db()
        .selectFrom(table)
        .select('id')
        .where('domain_id', '=', doomed.id)
        .execute();
      expect(rows, table).toEqual([]);
    }
    // Its domain client's token and its access key are unknown now: 401, not 403.
    for (const token of [domainToken, accessKey]) {
      const after = await m.world.app.inject({ url: '/api/v1/domain', headers: as(token) });
      expect(after.statusCode).toBe(401);
    }
    const other = await m.world.app.inject({ url: '/api/v1/domain', headers: as(keptToken) });
    expect(other.statusCode).toBe(200);
    expect(other.json()[0].id).toBe(kept.id);
  });
});

describe('pirsch-sdk 2.9.1 after a time-zone change', () => {
  it('reads the domain with its new time zone', async () => {
    const baseUrl = await m.world.app.listen({ port: 0, host: '127.0.0.1' });
    const user = await makeUser(db(), 'sdk');
    const domain = await makeDomain(db(), user, 'sdk-tz.example.com');
    const userClient = await makeOauthClient(db(), user, null);
    const res = await m.world.app.inject({
      method: 'POST',
      url: '/api/v1/domain/timezone',
      payload: { domain_id: domain.id, timezone: 'Pacific/Auckland' },
      headers: { authorization: `Bearer ${await tokenFor(m.world.app, userClient)}` },
    });
    expect(res.statusCode).toBe(200);
    const sdk = new Pirsch({
      baseUrl,
      clientId: userClient.clientId,
      clientSecret: userClient.secret,
      hostname: 'sdk-tz.example.com',
    });
    expect(await sdk.domain()).toMatchObject({
      id: domain.id,
      timezone: 'Pacific/Auckland',
      user_role: 'Owner',
    });
  });
});
