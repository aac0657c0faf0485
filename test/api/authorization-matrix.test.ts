import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createAlternativeDomain } from '../../src/manage/alternative-domains.ts';
import { createClient } from '../../src/manage/clients.ts';
import { createGoal } from '../../src/manage/goals.ts';
import { inviteMembers } from '../../src/manage/invitations.ts';
import { createLink } from '../../src/manage/links.ts';
import { createReports } from '../../src/manage/reports.ts';
import type { Domain, User } from '../../src/store/meta/schema.ts';
import { addMember, makeDomain, makeUser } from '../helpers/accounts.ts';
import { CALLERS, createManagementWorld, type Caller, type ManagementWorld } from './world.ts';

// Every management endpoint × every kind of caller, with the status API.md §2.4/§2.5, A.3–A.10
// and decision 5 prescribe. Columns, in order:
//   owner (user client of the domain's owner), admin / viewer (user clients of members),
//   domainClient (domain client of the domain), otherDomainClient (domain client of another
//   domain), accessKey (pa_ key of the domain), none (no Authorization), expired (expired token).
// Rules used to fill the table (written from the spec, not from the code):
// - reads of /domain/link, /member, /domain/alternative, /report, /goal: scope_domains ≥ r and
//   access to the domain (any role; a domain client sees its own domain);
// - writes there and on /domain/*: scope_domains = w and role Owner or Admin; a domain client
//   acts as admin on its own domain;
// - POST /domain: any user client with scope_domains = w (the caller becomes the owner);
//   DELETE /domain: user client, owner only;
// - /client: user clients only, role Owner or Admin;
// - POST /goal/regex: any oauth token with scope_domains ≥ r (no domain involved);
// - access keys only send data → 403; no or expired credential → 401;
// - invitations (B.8): a domain's pending ones are managed like members (Owner/Admin/domain
//   client), a user's own ones need a user client of that user.
type Row = [name: string, statuses: number[], request: (who: Caller) => Promise<InjectOptions>];

// The whole matrix runs on both metadata stores: every endpoint's success path doubles as a
// portability check of its SQL.
describe.each(['sqlite', 'postgres'] as const)('%s metadata store', (metadata) => {
  let m: ManagementWorld;
  let host: User;
  let n = 0;
  const unique = (prefix: string) => `${prefix}${++n}x${Date.now() % 100000}`;

  beforeAll(async () => {
    m = await createManagementWorld(metadata);
    host = await makeUser(m.world.meta.db, 'host');
  });
  afterAll(() => m.close());

  const db = () => m.world.meta.db;
  const req = (method: InjectOptions['method'], url: string, payload?: object): InjectOptions => ({
    method,
    url,
    ...(payload ? { payload } : {}),
  });

  /** A fresh domain of the owner with the admin and viewer as members (for deletion). */
  async function freshDomain(): Promise<Domain> {
    const domain = await makeDomain(db(), m.owner);
    await addMember(db(), domain, m.admin, 'admin');
    await addMember(db(), domain, m.viewer, 'viewer');
    return domain;
  }

  async function freshMemberId(): Promise<string> {
    const user = await makeUser(db(), 'member');
    await addMember(db(), m.domain, user, 'viewer');
    const row = await db()
      .selectFrom('member')
      .select('id')
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function freshClientId(): Promise<string> {
    const { client } = await createClient(db(), {
      userId: m.owner.id,
      domainId: m.domain.id,
      type: 'oauth',
      scopes: { statistics: 'r' },
    });
    return client.id;
  }

  async function invitationOn(domain: Domain, email: string): Promise<string> {
    const [created] = await inviteMembers(db(), {
      domain,
      invitedBy: domain.user_id,
      emails: [email],
      baseUrl: 'http://spoor.test',
    });
    return created!.id;
  }

  /** An invitation addressed to the caller's own user, on a domain none of the callers can see. */
  async function ownInvitation(who: Caller): Promise<string> {
    const email = m.userOf[who]?.email ?? `${unique('nobody')}@example.com`;
    return invitationOn(await makeDomain(db(), host), email);
  }

  const D = () => m.domain.id;

  const ROWS: Row[] = [
    // A.3 domains
    [
      'POST /domain',
      [200, 200, 200, 403, 403, 403, 401, 401],
      async () =>
        req('POST', '/api/v1/domain', {
          hostname: `${unique('new')}.example.com`,
          subdomain: unique('sub'),
        }),
    ],
    [
      'DELETE /domain',
      [200, 403, 403, 403, 403, 403, 401, 401],
      async () => req('DELETE', `/api/v1/domain?id=${(await freshDomain()).id}`),
    ],
    [
      'PUT /domain',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () => req('PUT', '/api/v1/domain', { id: D() }),
    ],
    [
      'POST /domain/subdomain',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () =>
        req('POST', '/api/v1/domain/subdomain', { domain_id: D(), subdomain: unique('sub') }),
    ],
    [
      'POST /domain/public',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () => req('POST', '/api/v1/domain/public', { domain_id: D() }),
    ],
    [
      'POST /domain/title',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () => req('POST', '/api/v1/domain/title', { domain_id: D() }),
    ],
    [
      'POST /domain/timezone',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () =>
        req('POST', '/api/v1/domain/timezone', { domain_id: D(), timezone: 'Europe/Berlin' }),
    ],
    // A.4 access links
    [
      'GET /domain/link',
      [200, 200, 200, 200, 403, 403, 401, 401],
      async () => req('GET', `/api/v1/domain/link?domain_id=${D()}`),
    ],
    [
      'POST /domain/link',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () => req('POST', '/api/v1/domain/link', { domain_id: D(), description: 'x' }),
    ],
    [
      'PUT /domain/link',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () =>
        req('PUT', '/api/v1/domain/link', {
          id: (await createLink(db(), D(), {})).id,
          description: 'y',
        }),
    ],
    [
      'DELETE /domain/link',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () => req('DELETE', `/api/v1/domain/link?id=${(await createLink(db(), D(), {})).id}`),
    ],
    // A.5 members
    [
      'GET /member',
      [200, 200, 200, 200, 403, 403, 401, 401],
      async () => req('GET', `/api/v1/member?id=${D()}`),
    ],
    [
      'POST /member',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () =>
        req('POST', '/api/v1/member', { id: D(), emails: [`${unique('invitee')}@example.com`] }),
    ],
    [
      'PUT /member',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () => req('PUT', '/api/v1/member', { id: await freshMemberId(), role: 'admin' }),
    ],
    [
      'DELETE /member',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () => req('DELETE', `/api/v1/member?id=${await freshMemberId()}`),
    ],
    // B.8 invitations
    [
      'GET /invitation?domain_id',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () => req('GET', `/api/v1/invitation?domain_id=${D()}`),
    ],
    [
      'GET /invitation (own)',
      [200, 200, 200, 403, 403, 403, 401, 401],
      async () => req('GET', '/api/v1/invitation'),
    ],
    [
      'POST /invitation (accept own)',
      [200, 200, 200, 403, 403, 403, 401, 401],
      async (who) => req('POST', '/api/v1/invitation', { id: await ownInvitation(who) }),
    ],
    [
      'DELETE /invitation (decline own)',
      [200, 200, 200, 403, 403, 403, 401, 401],
      async (who) => req('DELETE', '/api/v1/invitation', { id: await ownInvitation(who) }),
    ],
    [
      'DELETE /invitation (revoke)',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () =>
        req('DELETE', '/api/v1/invitation', {
          id: await invitationOn(m.domain, `${unique('revoked')}@example.com`),
          domain_id: D(),
        }),
    ],
    // A.6 alternative domains
    [
      'GET /domain/alternative',
      [200, 200, 200, 200, 403, 403, 401, 401],
      async () => req('GET', `/api/v1/domain/alternative?domain_id=${D()}`),
    ],
    [
      'POST /domain/alternative',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () =>
        req('POST', '/api/v1/domain/alternative', {
          domain_id: D(),
          hostname: `${unique('alt')}.example.org`,
        }),
    ],
    [
      'PUT /domain/alternative',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () => {
        const alt = await createAlternativeDomain(db(), m.domain, `${unique('alt')}.example.org`);
        return req('PUT', '/api/v1/domain/alternative', {
          id: alt.id,
          hostname: `${unique('alt')}.example.net`,
        });
      },
    ],
    [
      'DELETE /domain/alternative',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () => {
        const alt = await createAlternativeDomain(db(), m.domain, `${unique('alt')}.example.org`);
        return req('DELETE', `/api/v1/domain/alternative?id=${alt.id}`);
      },
    ],
    // A.7 clients (user clients only)
    [
      'GET /client',
      [200, 200, 403, 403, 403, 403, 401, 401],
      async () => req('GET', `/api/v1/client?id=${D()}`),
    ],
    [
      'POST /client (create)',
      [200, 200, 403, 403, 403, 403, 401, 401],
      async () =>
        req('POST', '/api/v1/client', { domain_id: D(), description: 'new', scope_hit: 'w' }),
    ],
    [
      'POST /client (update)',
      [200, 200, 403, 403, 403, 403, 401, 401],
      async () =>
        req('POST', '/api/v1/client', { id: await freshClientId(), description: 'renamed' }),
    ],
    [
      'PUT /client',
      [200, 200, 403, 403, 403, 403, 401, 401],
      async () =>
        req('PUT', '/api/v1/client', { id: await freshClientId(), description: 'renamed' }),
    ],
    [
      'DELETE /client',
      [200, 200, 403, 403, 403, 403, 401, 401],
      async () => req('DELETE', `/api/v1/client?id=${await freshClientId()}`),
    ],
    // A.8 email reports
    [
      'GET /report',
      [200, 200, 200, 200, 403, 403, 401, 401],
      async () => req('GET', `/api/v1/report?id=${D()}`),
    ],
    [
      'POST /report',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () =>
        req('POST', '/api/v1/report', {
          domain_id: D(),
          emails: [`${unique('r')}@example.com`],
          interval: 1,
        }),
    ],
    [
      'PUT /report',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () => {
        const [report] = await createReports(db(), {
          domainId: D(),
          timezone: null,
          emails: [`${unique('r')}@example.com`],
          interval: 1,
        });
        return req('PUT', '/api/v1/report', { id: report!.id, interval: 4 });
      },
    ],
    [
      'DELETE /report',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () => {
        const [report] = await createReports(db(), {
          domainId: D(),
          timezone: null,
          emails: [`${unique('r')}@example.com`],
          interval: 2,
        });
        return req('DELETE', `/api/v1/report?id=${report!.id}`);
      },
    ],
    // A.9 goals
    [
      'GET /goal',
      [200, 200, 200, 200, 403, 403, 401, 401],
      async () => req('GET', `/api/v1/goal?id=${D()}`),
    ],
    [
      'POST /goal',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () =>
        req('POST', '/api/v1/goal', {
          domain_id: D(),
          name: 'Checkout',
          path_pattern: '/checkout/**',
        }),
    ],
    [
      'PUT /goal',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () => {
        const goal = await createGoal(db(), D(), { name: 'g', path_pattern: '/g' });
        return req('PUT', '/api/v1/goal', { id: goal.id, name: 'h', path_pattern: '/h/*' });
      },
    ],
    [
      'DELETE /goal',
      [200, 200, 403, 200, 403, 403, 401, 401],
      async () => {
        const goal = await createGoal(db(), D(), { name: 'g', path_pattern: '/g' });
        return req('DELETE', `/api/v1/goal?id=${goal.id}`);
      },
    ],
    [
      'POST /goal/regex',
      [200, 200, 200, 200, 200, 403, 401, 401],
      async () => req('POST', '/api/v1/goal/regex', { regex: '^/a', sample: '/a' }),
    ],
  ];

  describe('management authorization matrix', () => {
    const cells = ROWS.flatMap(([name, statuses, request]) =>
      CALLERS.map((who, i) => ({ name, who, expected: statuses[i]!, request })),
    );

    it('has a status for every caller in every row', () => {
      for (const [name, statuses] of ROWS) expect(statuses, name).toHaveLength(CALLERS.length);
    });

    it.each(cells)('$name as $who answers $expected', async ({ who, expected, request }) => {
      const options = await request(who);
      const res = await m.call(who, options.method, options.url as string, {
        payload: options.payload,
      });
      expect(res.statusCode, res.body).toBe(expected);
      if (expected !== 200) {
        expect(res.json()).toEqual({ validation: expect.any(Object), error: [expect.any(String)] });
      }
    });
  });
});
