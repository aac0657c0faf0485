/**
 * Invitation e-mails through the member route of an app with a mail transport: the invitee gets
 * the accept link by e-mail (the API no longer shows it), and the link works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/manage/users.ts';
import type { Domain, User } from '../../src/store/meta/schema.ts';
import { makeDomain, makeOauthClient, makeUser, tokenFor } from '../helpers/accounts.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';
import { startSmtp, type TestSmtp } from './smtp.ts';

let smtp: TestSmtp;
let world: TestWorld;
let plain: TestWorld;
let owner: User;
let domain: Domain;
let ownerToken: string;

beforeAll(async () => {
  smtp = await startSmtp();
  world = await createTestWorld({ ...smtp.env, SPOOR_BASE_URL: 'https://spoor.example.com' });
  plain = await createTestWorld();
  owner = await makeUser(world.meta.db, 'owner');
  await world.meta.db
    .updateTable('user')
    .set({ full_name: 'Olga Owner' })
    .where('id', '=', owner.id)
    .execute();
  domain = await makeDomain(world.meta.db, owner, 'invite.example.com');
  ownerToken = await tokenFor(world.app, await makeOauthClient(world.meta.db, owner, null));
});
afterAll(async () => {
  await world.close();
  await plain.close();
  await smtp.stop();
});

const call = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  world.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  });

describe('inviting with a mail transport', () => {
  it('e-mails the accept link instead of returning it, and the link works', async () => {
    const res = await call(ownerToken, 'POST', '/api/v1/member', {
      id: domain.id,
      emails: ['guest@example.com'],
    });
    expect(res.statusCode).toBe(200);
    const [created] = res.json() as Record<string, unknown>[];
    expect(Object.keys(created!).sort()).toEqual(['email', 'expires_at', 'id']);

    const mail = smtp.received.find((m) => m.rcptTo.includes('guest@example.com'))!;
    expect(mail.parsed.subject).toBe(
      'Olga Owner invited you to the statistics of invite.example.com',
    );
    const link = /Accept the invitation: (\S+)/.exec(mail.parsed.text!)?.[1];
    expect(link).toMatch(/^https:\/\/spoor\.example\.com\/invitation\/[A-Za-z0-9]{43}$/);
    expect(mail.parsed.html).toContain(`href="${link}"`);

    const guest = await createUser(world.meta.db, {
      email: 'guest@example.com',
      password: 'correct horse battery',
    });
    const guestToken = await tokenFor(world.app, await makeOauthClient(world.meta.db, guest, null));
    const token = link!.split('/invitation/')[1]!;
    const accepted = await call(guestToken, 'POST', '/api/v1/invitation', { token });
    expect(accepted.statusCode).toBe(200);

    const members = (
      await world.app.inject({
        method: 'GET',
        url: '/api/v1/member',
        query: { id: domain.id },
        headers: { authorization: `Bearer ${ownerToken}` },
      })
    ).json() as { user_id: string; role: string }[];
    expect(members).toContainEqual(expect.objectContaining({ user_id: guest.id, role: 'viewer' }));
  });

  it('answers 503 when the mail server refuses, and the invitation stays pending', async () => {
    smtp.reject = true;
    try {
      const res = await call(ownerToken, 'POST', '/api/v1/member', {
        id: domain.id,
        emails: ['later@example.com'],
      });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: [expect.stringContaining('could not be sent')] });
    } finally {
      smtp.reject = false;
    }
    const pending = (
      await world.app.inject({
        method: 'GET',
        url: '/api/v1/invitation',
        query: { id: domain.id },
        headers: { authorization: `Bearer ${ownerToken}` },
      })
    ).json() as { email: string }[];
    expect(pending.map((p) => p.email)).toContain('later@example.com');

    // Inviting again sends a fresh link.
    const retry = await call(ownerToken, 'POST', '/api/v1/member', {
      id: domain.id,
      emails: ['later@example.com'],
    });
    expect(retry.statusCode).toBe(200);
    expect(smtp.received.filter((m) => m.rcptTo.includes('later@example.com'))).toHaveLength(1);
  });
});

describe('inviting without a mail transport', () => {
  it('returns the accept link to hand over (decision 27)', async () => {
    const user = await makeUser(plain.meta.db, 'plain');
    const site = await makeDomain(plain.meta.db, user);
    const token = await tokenFor(plain.app, await makeOauthClient(plain.meta.db, user, null));
    const res = await plain.app.inject({
      method: 'POST',
      url: '/api/v1/member',
      headers: { authorization: `Bearer ${token}` },
      payload: { id: site.id, emails: ['someone@example.com'] },
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { accept_link?: string }[])[0]?.accept_link).toMatch(/\/invitation\//);
  });
});
