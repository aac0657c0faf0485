/**
 * Exactly once across processes: two schedulers, each on its own metadata connection to the same
 * store (one SQLite file; one PostgreSQL database), run their passes at the same time over the
 * same due reports. Every report must reach its recipient exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/mail/context.ts';
import { noMailMetrics } from '../../src/mail/metrics.ts';
import { MailScheduler } from '../../src/mail/scheduler.ts';
import { createMailer } from '../../src/mail/transport.ts';
import { createReports } from '../../src/manage/reports.ts';
import { openMetaStore, type MetaStore } from '../../src/store/meta/db.ts';
import { createTestPgDatabase, type TestPgDatabase } from '../store/meta/pg-fixture.ts';
import { createStatsWorld, type StatsWorld } from '../stats/world.ts';
import { startSmtp, type TestSmtp } from './smtp.ts';

let smtp: TestSmtp;
let pg: TestPgDatabase;
const worlds: Record<string, StatsWorld> = {};
const seconds: MetaStore[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  pg = await createTestPgDatabase();
  worlds.sqlite = await createStatsWorld(smtp.env);
  worlds.postgres = await createStatsWorld({ ...smtp.env, SPOOR_DATABASE_URL: pg.url });
});
afterAll(async () => {
  for (const store of seconds) await store.close();
  for (const world of Object.values(worlds)) await world.close();
  await pg.drop();
  await smtp.stop();
});

const DUE = '2026-11-16T06:00:00.000Z';
const NOW = new Date('2026-11-16T06:00:30Z');

describe.each(['sqlite', 'postgres'])('two schedulers on %s', (kind) => {
  it('send each due report exactly once', async () => {
    const world = worlds[kind]!;
    const second = await openMetaStore({
      databaseUrl: world.config.databaseUrl,
      dataDir: world.config.dataDir,
    });
    seconds.push(second);
    expect(second.dialect).toBe(kind);

    const emails = Array.from({ length: 8 }, (_, i) => `${kind}-${i}@example.com`);
    const reports = await createReports(world.meta.db, {
      domainId: world.berlin.id,
      timezone: world.berlin.timezone,
      emails,
      interval: 1,
    });
    await world.meta.db
      .updateTable('email_report')
      .set({ next_report: DUE })
      .where(
        'id',
        'in',
        reports.map((r) => r.id),
      )
      .execute();

    const schedulerOn = (db: MetaStore['db']) =>
      new MailScheduler({
        baseUrl: world.config.baseUrl,
        db,
        events: world.events,
        mailer: createMailer(world.config.smtp),
        log: silentLog,
        metrics: noMailMetrics,
      });
    const before = smtp.received.length;
    const [a, b] = await Promise.all([
      schedulerOn(world.meta.db).runOnce(NOW),
      schedulerOn(second.db).runOnce(NOW),
    ]);
    expect(a.reports!.sent + b.reports!.sent).toBe(8);
    // They really competed: each lost claims to the other.
    expect(a.reports!.skipped).toBeGreaterThan(0);
    expect(b.reports!.skipped).toBeGreaterThan(0);
    expect(a.reports!.failed + b.reports!.failed).toBe(0);

    const received = smtp.received.slice(before).flatMap((m) => m.rcptTo);
    expect(received.sort()).toEqual([...emails].sort());

    // Every row moved on to the next Monday, recording the period it sent.
    const rows = await second.db
      .selectFrom('email_report')
      .select(['next_report', 'last_period'])
      .where(
        'id',
        'in',
        reports.map((r) => r.id),
      )
      .execute();
    expect(new Set(rows.map((r) => `${r.next_report} ${r.last_period}`))).toEqual(
      new Set(['2026-11-23T06:00:00.000Z 2026-11-09/2026-11-15']),
    );

    // And a third pass, from either process, finds nothing left to send.
    const again = await schedulerOn(second.db).runOnce(NOW);
    expect(again.reports).toEqual({ sent: 0, failed: 0, skipped: 0 });
  });
});
