/**
 * The mail room from the outside: `spoor report preview`, `spoor report send-due` and the
 * scheduler of `spoor serve`, each a real child process on one data directory, delivering to a
 * real SMTP server in this process.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReports } from '../../src/manage/reports.ts';
import { openMetaStore, type MetaStore } from '../../src/store/meta/db.ts';
import { spoor, startServe } from '../helpers/process.ts';
import { tempDataDir } from '../helpers/stores.ts';
import { startSmtp, type TestSmtp } from './smtp.ts';

const dataDir = tempDataDir();
const env = { SPOOR_DATA_DIR: dataDir, SPOOR_LOG_LEVEL: 'warn' };
let smtp: TestSmtp;
let meta: MetaStore;
let domainId: string;

beforeAll(async () => {
  smtp = await startSmtp();
  const user = await spoor(
    ['user', 'create', '--email', 'cli@example.com', '--password', 'secret-password'],
    env,
  );
  expect(user.code, user.stderr).toBe(0);
  const domain = await spoor(
    [
      'domain',
      'create',
      '--email',
      'cli@example.com',
      '--hostname',
      'cli.example.com',
      '--timezone',
      'Europe/Berlin',
      '--json',
    ],
    env,
  );
  expect(domain.code, domain.stderr).toBe(0);
  domainId = (JSON.parse(domain.stdout) as { id: string }).id;
  meta = await openMetaStore({ dataDir });
}, 120_000);
afterAll(async () => {
  await meta?.close();
  await smtp.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function report(email: string, nextReport: string): Promise<string> {
  const [created] = await createReports(meta.db, {
    domainId,
    timezone: 'Europe/Berlin',
    emails: [email],
    interval: 1,
  });
  await meta.db
    .updateTable('email_report')
    .set({ next_report: nextReport })
    .where('id', '=', created!.id)
    .execute();
  return created!.id;
}

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

describe('spoor report', () => {
  it('preview writes the HTML of the next report to a file', async () => {
    // Monday 5 Jan 2099, 07:00 in Berlin: far ahead, so the period does not depend on today.
    await report('preview@example.com', '2099-01-05T06:00:00.000Z');
    const out = path.join(dataDir, 'preview.html');
    const res = await spoor(
      ['report', 'preview', '--domain-id', domainId, '--out', out, '--json'],
      env,
    );
    expect(res.code, res.stderr).toBe(0);
    expect(json(res.stdout)).toEqual({
      file: out,
      subject: 'Weekly report for cli.example.com: 29 Dec 2098 – 4 Jan 2099',
      domain_id: domainId,
      interval: 1,
      send_at: '2099-01-05T06:00:00.000Z',
      from: '2098-12-29',
      to: '2099-01-04',
      recipients: ['preview@example.com'],
    });
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<title>Weekly report for cli.example.com');
    expect(html).toContain('unsubscribe?token=preview');
    expect(html.match(/class="chart-row"/g)).toHaveLength(7);

    const missing = await spoor(['report', 'preview', '--domain-id', 'nope', '--json'], env);
    expect(missing.code).toBe(1);
    expect(json(missing.stdout)).toMatchObject({ error: 'the domain was not found' });
  });

  it('send-due refuses to run without an SMTP server', async () => {
    const res = await spoor(['report', 'send-due'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('SPOOR_SMTP_HOST');
  });

  it('send-due sends what is due once, and nothing on the next run', async () => {
    await report('due@example.com', '2026-11-16T06:00:00.000Z');
    const first = await spoor(['report', 'send-due', '--json'], { ...env, ...smtp.env });
    expect(first.code, first.stderr).toBe(0);
    expect(json(first.stdout)).toEqual({
      reports: { sent: 1, failed: 0, skipped: 0 },
      goals: { notified: 0, deleted: 0, failed: 0 },
    });
    const mails = smtp.received.filter((m) => m.rcptTo.includes('due@example.com'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.subject).toMatch(/^Weekly report for cli\.example\.com: /);

    const second = await spoor(['report', 'send-due'], { ...env, ...smtp.env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('reports: 0 sent, 0 failed, 0 skipped');
  });

  it('send-due exits 1 when the SMTP server refuses, and the report stays due', async () => {
    const id = await report('refused@example.com', '2026-11-16T06:00:00.000Z');
    smtp.reject = true;
    try {
      const res = await spoor(['report', 'send-due', '--json'], { ...env, ...smtp.env });
      expect(res.code).toBe(1);
      expect(json(res.stdout)).toMatchObject({ reports: { sent: 0, failed: 1 } });
      expect(res.stderr).toContain('e-mail report not sent');
    } finally {
      smtp.reject = false;
    }
    const row = await meta.db
      .selectFrom('email_report')
      .select(['next_report', 'last_period'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ next_report: '2026-11-16T06:00:00.000Z', last_period: null });
    // Cleared for the next test, which must not see it due.
    await meta.db.deleteFrom('email_report').where('id', '=', id).execute();
  });
});

describe('spoor serve', () => {
  it('runs the scheduler: a due report goes out right after start', async () => {
    await report('served@example.com', '2026-11-16T06:00:00.000Z');
    const server = await startServe({ ...env, ...smtp.env });
    try {
      const deadline = Date.now() + 20_000;
      while (!smtp.received.some((m) => m.rcptTo.includes('served@example.com'))) {
        if (Date.now() > deadline) throw new Error(`not sent: ${server.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/^spoor_mail_transport_configured 1$/m);
      expect(metrics).toMatch(/^spoor_mail_messages_total\{kind="report",result="sent"\} 1$/m);
      expect(metrics).toMatch(/^spoor_mail_reports_due 0$/m);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);

  it('without an SMTP server, says so and shows the due reports in /metrics', async () => {
    await report('unsent@example.com', '2026-11-16T06:00:00.000Z');
    const server = await startServe(env);
    try {
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/^spoor_mail_transport_configured 0$/m);
      expect(metrics).toMatch(/^spoor_mail_reports_due 1$/m);
      expect(server.output()).toContain('no mail transport');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);
});
