import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextReportAt } from '../../src/manage/report-schedule.ts';
import { unsubscribeToken } from '../../src/manage/reports.ts';
import { sha256Hex } from '../../src/manage/secrets.ts';
import type { Domain } from '../../src/store/meta/schema.ts';
import { createManagementWorld, type ManagementWorld } from './world.ts';

let m: ManagementWorld;
let domain: Domain;
beforeAll(async () => {
  m = await createManagementWorld();
  const res = await m.call('owner', 'POST', '/api/v1/domain', {
    payload: {
      hostname: 'reports.example.com',
      subdomain: 'reports-example',
      timezone: 'Europe/Berlin',
    },
  });
  domain = res.json();
});
afterAll(() => m.close());

const REPORT_FIELDS = [
  'def_time',
  'domain_id',
  'email',
  'id',
  'interval',
  'mod_time',
  'next_report',
];
const create = (payload: object) => m.call('owner', 'POST', '/api/v1/report', { payload });
const list = async () =>
  (await m.call('owner', 'GET', '/api/v1/report', { query: { id: domain.id } })).json() as {
    id: string;
    email: string;
    interval: number;
    next_report: string;
  }[];

/** Local weekday, day of month and time of an instant in Berlin. */
function berlin(iso: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      weekday: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return { weekday: parts.weekday, day: Number(parts.day), time: `${parts.hour}:${parts.minute}` };
}

describe('e-mail reports', () => {
  it('lists [] at first', async () => {
    expect(await list()).toEqual([]);
  });

  it('creates one report per address, due next Monday 07:00 in the domain time zone', async () => {
    const before = new Date();
    const res = await create({
      domain_id: domain.id,
      emails: ['Boss@Example.com', 'team@example.com'],
      interval: 2,
    });
    expect(res.statusCode, res.body).toBe(200);
    const reports = res.json();
    expect(reports).toHaveLength(2);
    for (const report of reports) {
      expect(Object.keys(report).sort()).toEqual(REPORT_FIELDS);
      expect(report).toMatchObject({ domain_id: domain.id, interval: 2 });
      expect([
        nextReportAt(2, 'Europe/Berlin', before),
        nextReportAt(2, 'Europe/Berlin'),
      ]).toContain(report.next_report);
      expect(berlin(report.next_report)).toMatchObject({ weekday: 'Monday', time: '07:00' });
      expect(Date.parse(report.next_report)).toBeGreaterThan(before.getTime());
      expect(Date.parse(report.next_report) - before.getTime()).toBeLessThanOrEqual(7 * 86400_000);
    }
    expect(reports.map((r: { email: string }) => r.email)).toEqual([
      'boss@example.com',
      'team@example.com',
    ]);
    expect((await list()).map((r) => r.email)).toEqual(['boss@example.com', 'team@example.com']);
  });

  it('monthly reports are due on the next 1st at 07:00 local', async () => {
    const [report] = (
      await create({ domain_id: domain.id, emails: ['monthly@example.com'], interval: 4 })
    ).json();
    expect(berlin(report.next_report)).toMatchObject({ day: 1, time: '07:00' });
    expect(Date.parse(report.next_report)).toBeGreaterThan(Date.now());
  });

  it('does not duplicate an address with the same interval; another interval is a new report', async () => {
    const [first] = (
      await create({ domain_id: domain.id, emails: ['dup@example.com'], interval: 1 })
    ).json();
    const again = await create({
      domain_id: domain.id,
      emails: ['dup@example.com', 'DUP@example.com'],
      interval: 1,
    });
    expect(again.json()).toEqual([first]);
    const weekly3 = (
      await create({ domain_id: domain.id, emails: ['dup@example.com'], interval: 3 })
    ).json();
    expect(weekly3[0].id).not.toBe(first.id);
    expect(
      (await list()).filter((r) => r.email === 'dup@example.com').map((r) => r.interval),
    ).toEqual([1, 3]);
  });

  it('stores only the hash of the one-click unsubscribe token', async () => {
    const [report] = (
      await create({ domain_id: domain.id, emails: ['unsub@example.com'], interval: 1 })
    ).json();
    const row = await m.world.meta.db
      .selectFrom('email_report')
      .select('unsubscribe_hash')
      .where('id', '=', report.id)
      .executeTakeFirstOrThrow();
    const token = await unsubscribeToken(m.world.meta.db, report.id);
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(row.unsubscribe_hash).toBe(sha256Hex(token));
    expect(row.unsubscribe_hash).not.toContain(token);
  });

  it.each([0, 5, -1, 1.5])('refuses interval %j with 400 validation.interval', async (interval) => {
    const res = await create({ domain_id: domain.id, emails: ['x@example.com'], interval });
    expect(res.statusCode).toBe(400);
    expect(res.json().validation).toHaveProperty('interval');
  });

  it('validates addresses, interval and domain together and creates nothing on a 400', async () => {
    const before = await list();
    const both = await create({
      domain_id: domain.id,
      emails: ['good@example.com', 'nope'],
      interval: 9,
    });
    expect(both.statusCode).toBe(400);
    expect(Object.keys(both.json().validation).sort()).toEqual(['emails', 'interval']);
    expect(
      (await create({ domain_id: domain.id, emails: [], interval: 1 })).json().validation,
    ).toHaveProperty('emails');
    expect(
      (await create({ domain_id: domain.id, emails: ['a@example.com'], interval: '1' })).statusCode,
    ).toBe(400);
    expect(
      (await create({ emails: ['a@example.com'], interval: 1 })).json().validation,
    ).toHaveProperty('domain_id');
    expect(await list()).toEqual(before);
  });

  it('changes the interval and reschedules; answers the report object', async () => {
    const [report] = (
      await create({ domain_id: domain.id, emails: ['change@example.com'], interval: 1 })
    ).json();
    const res = await m.call('owner', 'PUT', '/api/v1/report', {
      payload: { id: report.id, interval: 4 },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(Object.keys(res.json()).sort()).toEqual(REPORT_FIELDS);
    expect(res.json()).toMatchObject({ id: report.id, email: 'change@example.com', interval: 4 });
    expect(berlin(res.json().next_report)).toMatchObject({ day: 1, time: '07:00' });
    const bad = await m.call('owner', 'PUT', '/api/v1/report', {
      payload: { id: report.id, interval: 0 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().validation).toHaveProperty('interval');
    expect((await list()).find((r) => r.id === report.id)?.interval).toBe(4);
  });

  it('deletes; answers 400/404/403 for missing, unknown and foreign ids', async () => {
    const [report] = (
      await create({ domain_id: domain.id, emails: ['gone@example.com'], interval: 1 })
    ).json();
    const res = await m.call('owner', 'DELETE', '/api/v1/report', { query: { id: report.id } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect((await list()).map((r) => r.id)).not.toContain(report.id);
    expect(
      (await m.call('owner', 'DELETE', '/api/v1/report', { query: { id: report.id } })).statusCode,
    ).toBe(404);
    expect((await m.call('owner', 'DELETE', '/api/v1/report')).json().validation).toHaveProperty(
      'id',
    );
    expect((await m.call('owner', 'GET', '/api/v1/report')).json().validation).toHaveProperty('id');
    const foreign = (
      await m.call('otherDomainClient', 'POST', '/api/v1/report', {
        payload: { domain_id: m.otherDomain.id, emails: ['f@example.com'], interval: 1 },
      })
    ).json();
    expect(
      (
        await m.call('owner', 'PUT', '/api/v1/report', {
          payload: { id: foreign[0].id, interval: 2 },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await m.call('owner', 'GET', '/api/v1/report', { query: { domain_id: m.otherDomain.id } }))
        .statusCode,
    ).toBe(403);
  });
});
