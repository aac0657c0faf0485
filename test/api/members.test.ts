import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteMembers, type InvitationMail } from '../../src/manage/invitations.ts';
import { createUser } from '../../src/manage/users.ts';
import type { Domain, User } from '../../src/store/meta/schema.ts';
import { addMember, makeDomain, makeOauthClient, makeUser, tokenFor } from '../helpers/accounts.ts';
import { createManagementWorld, type ManagementWorld } from './world.ts';

let m: ManagementWorld;
beforeAll(async () => {
  m = await createManagementWorld();
});
afterAll(() => m.close());

const db = () => m.world.meta.db;
const DAY = 24 * 60 * 60 * 1000;

/** A user with a user client token, to act as an invitee. */
async function person(email?: string): Promise<{
  user: User;
  call: (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: object,
  ) => Promise<LightMyRequestResponse>;
}> {
  const user = email
    ? await createUser(db(), { email, password: 'correct horse battery' })
    : await makeUser(db(), 'invitee');
  const token = await tokenFor(m.world.app, await makeOauthClient(db(), user, null));
  return {
    user,
    call: (method, url, payload) =>
      m.world.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload ? { payload } : {}),
      }),
  };
}

const invite = (domain: Domain, emails: string[], who: 'owner' | 'admin' = 'owner') =>
  m.call(who, 'POST', '/api/v1/member', { payload: { id: domain.id, emails } });
const members = async (domain: Domain) =>
  (await m.call('owner', 'GET', '/api/v1/member', { query: { id: domain.id } })).json() as {
    id: string;
    role: string;
    user_id: string;
  }[];
const tokenOf = (acceptLink: string) => acceptLink.split('/invitation/')[1]!;

describe('GET /api/v1/member', () => {
  it('lists the owner first with role owner, then the members, with public user data', async () => {
    const res = await m.call('viewer', 'GET', '/api/v1/member', { query: { id: m.domain.id } });
    expect(res.statusCode).toBe(200);
    const list = res.json();
    expect(list.map((e: { user_id: string; role: string }) => [e.user_id, e.role])).toEqual([
      [m.owner.id, 'owner'],
      [m.admin.id, 'admin'],
      [m.viewer.id, 'viewer'],
    ]);
    for (const entry of list) {
      expect(Object.keys(entry).sort()).toEqual([
        'def_time',
        'domain_id',
        'id',
        'mod_time',
        'role',
        'user',
        'user_id',
      ]);
      expect(Object.keys(entry.user).sort()).toEqual(['email', 'full_name', 'id', 'picture']);
      expect(entry.domain_id).toBe(m.domain.id);
    }
    expect(list[0]).toMatchObject({
      id: m.domain.id,
      user: { id: m.owner.id, email: m.owner.email, full_name: '', picture: '' },
    });
    const alias = await m.call('owner', 'GET', '/api/v1/member', {
      query: { domain_id: m.domain.id },
    });
    expect(alias.json()).toEqual(list);
  });

  it('lists only the owner for a domain without members, and needs an id', async () => {
    const domain = await makeDomain(db(), m.owner);
    expect((await members(domain)).map((e) => e.role)).toEqual(['owner']);
    const missing = await m.call('owner', 'GET', '/api/v1/member');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().validation).toHaveProperty('id');
  });
});

describe('invitations', () => {
  it('invites addresses: pending invitations with accept links, valid 14 days', async () => {
    const domain = await makeDomain(db(), m.owner);
    const before = Date.now();
    const res = await invite(domain, [
      'New.Person@Example.com',
      'second@example.com',
      'new.person@example.com',
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const created = res.json();
    expect(created.map((c: { email: string }) => c.email)).toEqual([
      'new.person@example.com',
      'second@example.com',
    ]);
    for (const invitation of created) {
      expect(Object.keys(invitation).sort()).toEqual(['accept_link', 'email', 'expires_at', 'id']);
      expect(invitation.accept_link).toMatch(
        new RegExp(`^${m.world.config.baseUrl}/invitation/[A-Za-z0-9]{43}$`),
      );
      const expires = Date.parse(invitation.expires_at);
      expect(expires).toBeGreaterThanOrEqual(before + 14 * DAY);
      expect(expires).toBeLessThanOrEqual(Date.now() + 14 * DAY);
    }
    // Nobody became a member, nobody got an account.
    expect((await members(domain)).length).toBe(1);
    const stored = await db()
      .selectFrom('invitation')
      .selectAll()
      .where('domain_id', '=', domain.id)
      .execute();
    expect(stored).toHaveLength(2);
    expect(stored.map((s) => s.token_hash)).not.toContain(tokenOf(created[0].accept_link));
    expect(
      await db()
        .selectFrom('user')
        .select('id')
        .where('email', '=', 'second@example.com')
        .execute(),
    ).toEqual([]);
  });

  it('skips the owner and current members silently', async () => {
    const res = await invite(m.domain, [m.owner.email, m.admin.email, m.viewer.email]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([]);
  });

  it.each([[[]], [['not-an-address']], [['ok@example.com', 'bad@']]])(
    'refuses %j with 400 validation.emails and invites nobody',
    async (emails) => {
      const domain = await makeDomain(db(), m.owner);
      const res = await invite(domain, emails);
      expect(res.statusCode).toBe(400);
      expect(res.json().validation).toHaveProperty('emails');
      expect(
        await db()
          .selectFrom('invitation')
          .select('id')
          .where('domain_id', '=', domain.id)
          .execute(),
      ).toEqual([]);
    },
  );

  it('invite → list → accept by the link token makes the invitee a viewer', async () => {
    const invitee = await person();
    const domain = await makeDomain(db(), m.owner);
    const [created] = (await invite(domain, [invitee.user.email])).json();

    const pending = await m.call('owner', 'GET', '/api/v1/invitation', {
      query: { domain_id: domain.id },
    });
    expect(pending.statusCode).toBe(200);
    const [listed] = pending.json();
    expect(Object.keys(listed).sort()).toEqual(
      [
        'def_time',
        'domain',
        'domain_id',
        'email',
        'expires_at',
        'id',
        'mod_time',
        'organization',
        'organization_id',
      ].sort(),
    );
    expect(listed).toMatchObject({
      id: created.id,
      domain_id: domain.id,
      email: invitee.user.email,
      expires_at: created.expires_at,
      organization_id: null,
      organization: null,
      domain: { id: domain.id, hostname: domain.hostname, user_role: 'Owner' },
    });

    const own = await invitee.call('GET', '/api/v1/invitation');
    expect(own.statusCode).toBe(200);
    expect(own.json()).toEqual([{ ...listed, domain: { ...listed.domain, user_role: '' } }]);

    const accepted = await invitee.call('POST', '/api/v1/invitation', {
      token: tokenOf(created.accept_link),
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.body).toBe('');
    const after = await members(domain);
    expect(after.map((e) => [e.user_id, e.role])).toEqual([
      [m.owner.id, 'owner'],
      [invitee.user.id, 'viewer'],
    ]);
    expect((await invitee.call('GET', '/api/v1/invitation')).json()).toEqual([]);
    const domains = (await invitee.call('GET', '/api/v1/domain')).json();
    expect(domains.map((d: { id: string; user_role: string }) => [d.id, d.user_role])).toEqual([
      [domain.id, 'Viewer'],
    ]);
    // Used up: the link does not work twice.
    const again = await invitee.call('POST', '/api/v1/invitation', {
      token: tokenOf(created.accept_link),
    });
    expect(again.statusCode).toBe(404);
  });

  it('accepts by invitation id (B.8), also for an address that signed up after the invitation', async () => {
    const domain = await makeDomain(db(), m.owner);
    const [created] = (await invite(domain, ['late.signup@example.com'])).json();
    const invitee = await person('late.signup@example.com');
    const res = await invitee.call('POST', '/api/v1/invitation', { id: created.id });
    expect(res.statusCode, res.body).toBe(200);
    expect((await members(domain)).map((e) => e.user_id)).toContain(invitee.user.id);
  });

  it('refuses other accounts (403), unknown or expired invitations (404) and empty bodies (400)', async () => {
    const invitee = await person();
    const intruder = await person();
    const domain = await makeDomain(db(), m.owner);
    const [created] = (await invite(domain, [invitee.user.email])).json();
    const token = tokenOf(created.accept_link);
    expect((await intruder.call('POST', '/api/v1/invitation', { token })).statusCode).toBe(403);
    expect((await intruder.call('POST', '/api/v1/invitation', { id: created.id })).statusCode).toBe(
      403,
    );
    expect(
      (await invitee.call('POST', '/api/v1/invitation', { token: 'x'.repeat(43) })).statusCode,
    ).toBe(404);
    const empty = await invitee.call('POST', '/api/v1/invitation', {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().validation).toHaveProperty('id');

    await db()
      .updateTable('invitation')
      .set({ expires_at: '2000-01-01T00:00:00.000Z' })
      .where('id', '=', created.id)
      .execute();
    expect((await invitee.call('POST', '/api/v1/invitation', { token })).statusCode).toBe(404);
    expect((await invitee.call('GET', '/api/v1/invitation')).json()).toEqual([]);
    const pending = await m.call('owner', 'GET', '/api/v1/invitation', {
      query: { domain_id: domain.id },
    });
    expect(pending.json()).toEqual([]);
    expect((await members(domain)).length).toBe(1);
  });

  it('re-inviting replaces the pending invitation: the old link stops working', async () => {
    const invitee = await person();
    const domain = await makeDomain(db(), m.owner);
    const [first] = (await invite(domain, [invitee.user.email])).json();
    const [second] = (await invite(domain, [invitee.user.email], 'owner')).json();
    expect(second.id).not.toBe(first.id);
    expect(
      (await invitee.call('POST', '/api/v1/invitation', { token: tokenOf(first.accept_link) }))
        .statusCode,
    ).toBe(404);
    expect(
      (await invitee.call('POST', '/api/v1/invitation', { token: tokenOf(second.accept_link) }))
        .statusCode,
    ).toBe(200);
  });

  it('the invitee declines, an admin revokes: the invitation is gone', async () => {
    const invitee = await person();
    const [declined] = (await invite(m.domain, [invitee.user.email], 'admin')).json();
    const decline = await invitee.call('DELETE', '/api/v1/invitation', { id: declined.id });
    expect(decline.statusCode, decline.body).toBe(200);
    expect(decline.body).toBe('');
    expect((await invitee.call('POST', '/api/v1/invitation', { id: declined.id })).statusCode).toBe(
      404,
    );

    const [revoked] = (await invite(m.domain, [invitee.user.email])).json();
    const wrongDomain = await m.call('admin', 'DELETE', '/api/v1/invitation', {
      payload: { id: revoked.id, domain_id: m.otherDomain.id },
    });
    expect(wrongDomain.statusCode).toBe(404);
    const revoke = await m.call('admin', 'DELETE', '/api/v1/invitation', {
      payload: { id: revoked.id, domain_id: m.domain.id },
    });
    expect(revoke.statusCode).toBe(200);
    expect(
      (await invitee.call('POST', '/api/v1/invitation', { token: tokenOf(revoked.accept_link) }))
        .statusCode,
    ).toBe(404);
    const missing = await m.call('admin', 'DELETE', '/api/v1/invitation', {
      payload: { id: revoked.id },
    });
    expect(missing.statusCode).toBe(404);
    expect((await members(m.domain)).map((e) => e.user_id)).not.toContain(invitee.user.id);
  });

  it('hands the accept link to a mail sender instead of the response when one is plugged in', async () => {
    const domain = await makeDomain(db(), m.owner);
    const sent: InvitationMail[] = [];
    const created = await inviteMembers(db(), {
      domain,
      invitedBy: m.owner.id,
      emails: ['mailed@example.com'],
      baseUrl: 'https://analytics.example.com',
      sendInvitation: async (mail) => {
        sent.push(mail);
      },
    });
    expect(created).toEqual([
      { id: expect.any(String), email: 'mailed@example.com', expires_at: expect.any(String) },
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      email: 'mailed@example.com',
      expiresAt: created[0]!.expires_at,
      invitedBy: m.owner.id,
    });
    expect(sent[0]!.acceptLink).toMatch(
      /^https:\/\/analytics\.example\.com\/invitation\/[A-Za-z0-9]{43}$/,
    );
    const invitee = await person('mailed@example.com');
    expect(
      (await invitee.call('POST', '/api/v1/invitation', { token: tokenOf(sent[0]!.acceptLink) }))
        .statusCode,
    ).toBe(200);
  });
});

describe('PUT and DELETE /api/v1/member', () => {
  async function memberOf(
    domain: Domain,
    role: 'admin' | 'viewer',
  ): Promise<{ user: User; id: string }> {
    const user = await makeUser(db(), role);
    await addMember(db(), domain, user, role);
    const row = await db()
      .selectFrom('member')
      .select('id')
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    return { user, id: row.id };
  }

  it('changes a role (any letter case) and answers the member object', async () => {
    const target = await memberOf(m.domain, 'viewer');
    const res = await m.call('admin', 'PUT', '/api/v1/member', {
      payload: { id: target.id, role: 'ADMIN' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: target.id,
      user_id: target.user.id,
      domain_id: m.domain.id,
      role: 'admin',
      user: { id: target.user.id, email: target.user.email, full_name: '', picture: '' },
    });
    expect((await members(m.domain)).find((e) => e.id === target.id)?.role).toBe('admin');
    const back = await m.call('owner', 'PUT', '/api/v1/member', {
      payload: { id: target.id, role: 'viewer' },
    });
    expect(back.json().role).toBe('viewer');
  });

  it.each(['owner', 'Owner', 'superuser', ''])(
    'refuses role %j with 400 validation.role',
    async (role) => {
      const target = await memberOf(m.domain, 'viewer');
      const res = await m.call('owner', 'PUT', '/api/v1/member', {
        payload: { id: target.id, role },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().validation).toHaveProperty('role');
      expect((await members(m.domain)).find((e) => e.id === target.id)?.role).toBe('viewer');
    },
  );

  it('never demotes or removes the owner', async () => {
    const [ownerEntry] = await members(m.domain);
    for (const who of ['owner', 'admin', 'domainClient'] as const) {
      const demote = await m.call(who, 'PUT', '/api/v1/member', {
        payload: { id: ownerEntry!.id, role: 'viewer' },
      });
      expect(demote.statusCode, who).toBe(403);
      const remove = await m.call(who, 'DELETE', '/api/v1/member', {
        query: { id: ownerEntry!.id },
      });
      expect(remove.statusCode, who).toBe(403);
    }
    expect((await members(m.domain))[0]).toMatchObject({ user_id: m.owner.id, role: 'owner' });
  });

  it('does not let an admin change or remove their own membership, but another admin can', async () => {
    const adminEntry = (await members(m.domain)).find((e) => e.user_id === m.admin.id)!;
    expect(
      (
        await m.call('admin', 'PUT', '/api/v1/member', {
          payload: { id: adminEntry.id, role: 'viewer' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await m.call('admin', 'DELETE', '/api/v1/member', { query: { id: adminEntry.id } }))
        .statusCode,
    ).toBe(403);
    const peer = await memberOf(m.domain, 'admin');
    const res = await m.call('admin', 'PUT', '/api/v1/member', {
      payload: { id: peer.id, role: 'viewer' },
    });
    expect(res.statusCode).toBe(200);
    expect((await members(m.domain)).find((e) => e.user_id === m.admin.id)?.role).toBe('admin');
  });

  it('removes a member with an empty 200; they lose access to the domain', async () => {
    const target = await memberOf(m.domain, 'viewer');
    const token = await tokenFor(m.world.app, await makeOauthClient(db(), target.user, null));
    const list = () =>
      m.world.app.inject({ url: '/api/v1/domain', headers: { authorization: `Bearer ${token}` } });
    expect((await list()).json()).toHaveLength(1);
    const res = await m.call('admin', 'DELETE', '/api/v1/member', { query: { id: target.id } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect((await list()).json()).toEqual([]);
    expect(
      (await m.call('owner', 'DELETE', '/api/v1/member', { query: { id: target.id } })).statusCode,
    ).toBe(404);
  });

  it('answers 400 without ids, 404 for unknown ones, 403 for members of other domains', async () => {
    expect(
      (
        await m.call('owner', 'PUT', '/api/v1/member', { payload: { id: '', role: 'admin' } })
      ).json().validation,
    ).toHaveProperty('id');
    expect((await m.call('owner', 'DELETE', '/api/v1/member')).json().validation).toHaveProperty(
      'id',
    );
    expect(
      (
        await m.call('owner', 'PUT', '/api/v1/member', {
          payload: { id: 'NoSuchMbr1', role: 'admin' },
        })
      ).statusCode,
    ).toBe(404);
    const foreign = await memberOf(m.otherDomain, 'viewer');
    expect(
      (
        await m.call('owner', 'PUT', '/api/v1/member', {
          payload: { id: foreign.id, role: 'admin' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await m.call('domainClient', 'DELETE', '/api/v1/member', { query: { id: foreign.id } }))
        .statusCode,
    ).toBe(403);
  });
});
