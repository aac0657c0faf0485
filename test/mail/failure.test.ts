/**
 * A mail server that refuses or is down: the report stays due and is sent by a later pass, and
 * nothing throws — neither a pass nor the running scheduler (croner) of a server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailContext, MailLog } from '../../src/mail/context.ts';
import { noMailMetrics } from '../../src/mail/metrics.ts';
import { MailScheduler } from '../../src/mail/scheduler.ts';
import { createMailer } from '../../src/mail/transport.ts';
import { createReports } from '../../src/manage/reports.ts';
import type { Domain } from '../../src/store/meta/schema.ts';
import { makeDomain, makeUser } from '../helpers/accounts.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';
import { startSmtp, type TestSmtp } from './smtp.ts';

let smtp: TestSmtp;
let world: TestWorld;
let domain: Domain;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  smtp = await startSmtp();
  world = await createTestWorld(smtp.env);
  domain = await makeDomain(world.meta.db, await makeUser(world.meta.db));
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await world.close();
  await smtp.stop();
});

const db = () => world.meta.db;
const DUE = '2026-11-16T07:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(DUE) + 30_000 + minutes * 60_000);

/** A log that keeps the warnings and errors. */
function recordingLog(): MailLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: () => {},
    warn: (_obj, msg) => lines.push(msg),
    error: (_obj, msg) => lines.push(msg),
  };
}

function context(log: MailLog = recordingLog()): MailContext {
  return {
    baseUrl: world.config.baseUrl,
    db: db(),
    events: world.events,
    mailer: createMailer(world.config.smtp),
    log,
    metrics: noMailMetrics,
  };
}

async function dueReport(email: string): Promise<string> {
  const [report] = await createReports(db(), {
    domainId: domain.id,
    timezone: null,
    emails: [email],
    interval: 1,
  });
  await db()
    .updateTable('email_report')
    .set({ next_report: DUE })
    .where('id', '=', report!.id)
    .execute();
  return report!.id;
}

const stateOf = (id: string) =>
  db()
    .selectFrom('email_report')
    .select(['next_report', 'last_period'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const to = (email: string) => smtp.received.filter((m) => m.rcptTo.includes(email));

describe('a refusing SMTP server', () => {
  it('leaves the report due, backs off, and sends it once the server accepts again', async () => {
    const id = await dueReport('refused@example.com');
    const log = recordingLog();
    const scheduler = new MailScheduler(context(log));

    smtp.reject = true;
    try {
      const first = await scheduler.runOnce(at(0));
      expect(first.reports).toEqual({ sent: 0, failed: 1, skipped: 0 });
      expect(await stateOf(id)).toEqual({ next_report: DUE, last_period: null });
      expect(log.lines).toContain('e-mail report not sent; it will be retried');

      // Within the first minute of back-off this process does not try again.
      const soon = await scheduler.runOnce(at(0.5));
      expect(soon.reports).toEqual({ sent: 0, failed: 0, skipped: 1 });
      // After it, it does (and fails again: back-off doubles to two minutes).
      expect((await scheduler.runOnce(at(1.1))).reports).toMatchObject({ failed: 1 });
      expect((await scheduler.runOnce(at(2.5))).reports).toMatchObject({ skipped: 1 });
    } finally {
      smtp.reject = false;
    }
    const later = await scheduler.runOnce(at(3.2));
    expect(later.reports).toEqual({ sent: 1, failed: 0, skipped: 0 });
    expect(to('refused@example.com')).toHaveLength(1);
    expect(await stateOf(id)).toEqual({
      next_report: '2026-11-23T07:00:00.000Z',
      last_period: '2026-11-09/2026-11-15',
    });
  });

  it('does not hold back a different process, which has no back-off of its own', async () => {
    const id = await dueReport('other-node@example.com');
    smtp.reject = true;
    try {
      expect((await new MailScheduler(context()).runOnce(at(0))).reports).toMatchObject({
        failed: 1,
      });
    } finally {
      smtp.reject = false;
    }
    expect((await new MailScheduler(context()).runOnce(at(0.2))).reports).toMatchObject({
      sent: 1,
    });
    expect(await stateOf(id)).toMatchObject({ next_report: '2026-11-23T07:00:00.000Z' });
  });
});

describe('an SMTP server that is down', () => {
  it('fails the pass softly and sends once the server is back', async () => {
    const id = await dueReport('down@example.com');
    const scheduler = new MailScheduler(context());
    await smtp.stop();
    try {
      const result = await scheduler.runOnce(at(0));
      expect(result.reports).toEqual({ sent: 0, failed: 1, skipped: 0 });
      expect(await stateOf(id)).toEqual({ next_report: DUE, last_period: null });
    } finally {
      await smtp.restart();
    }
    expect((await scheduler.runOnce(at(1.5))).reports).toEqual({ sent: 1, failed: 0, skipped: 0 });
    expect(to('down@example.com')).toHaveLength(1);
  });

  it('keeps the running scheduler alive and retries on its own', async () => {
    const id = await dueReport('timer@example.com');
    const log = recordingLog();
    const scheduler = new MailScheduler(context(log), { retryAfterMs: 300 });
    await smtp.stop();
    // Every second (croner's seconds field), and the goal pass too.
    scheduler.start({ reports: '* * * * * *', goals: '* * * * * *' });
    try {
      const deadline = Date.now() + 10_000;
      while (log.lines.filter((l) => l.startsWith('e-mail report not sent')).length < 2) {
        if (Date.now() > deadline) throw new Error(`no retries: ${log.lines.join('; ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await stateOf(id)).last_period).toBeNull();
      await smtp.restart();
      const deadline2 = Date.now() + 10_000;
      while (to('timer@example.com').length === 0) {
        if (Date.now() > deadline2) throw new Error('the report was not sent after the restart');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await scheduler.stop();
    }
    expect(to('timer@example.com')).toHaveLength(1);
    expect((await stateOf(id)).last_period).not.toBeNull();
    expect(log.lines.filter((l) => l.includes('pass failed'))).toEqual([]);
    expect(unhandled).toEqual([]);
  });
});
