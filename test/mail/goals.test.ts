/**
 * Conversion-goal notifications over the fixture world (test/stats/world.ts): goals are measured
 * from their creation day until today with the goals statistic, the owner and admins get one
 * e-mail when a target is reached, and `email_reached` / `delete_reached` are honoured once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog, type MailContext } from '../../src/mail/context.ts';
import { goalWindow } from '../../src/mail/goal-notifier.ts';
import { noMailMetrics } from '../../src/mail/metrics.ts';
import { MailScheduler } from '../../src/mail/scheduler.ts';
import { createMailer } from '../../src/mail/transport.ts';
import { createGoal, type GoalInput } from '../../src/manage/goals.ts';
import { openMetaStore, type MetaStore } from '../../src/store/meta/db.ts';
import type { Kysely } from 'kysely';
import type { MetaDatabase, User } from '../../src/store/meta/schema.ts';
import { addMember, makeUser } from '../helpers/accounts.ts';
import { createStatsWorld, type StatsWorld } from '../stats/world.ts';
import { headerText, startSmtp, type TestSmtp } from './smtp.ts';

let smtp: TestSmtp;
let world: StatsWorld;
let second: MetaStore;
let owner: string;
let admin: User;

beforeAll(async () => {
  smtp = await startSmtp();
  world = await createStatsWorld(smtp.env);
  second = await openMetaStore({ dataDir: world.config.dataDir });
  owner = (
    await db()
      .selectFrom('user')
      .select('email')
      .where('id', '=', world.berlin.user_id)
      .executeTakeFirstOrThrow()
  ).email;
  admin = await makeUser(db(), 'admin');
  await addMember(db(), world.berlin, admin, 'admin');
  await addMember(db(), world.berlin, await makeUser(db(), 'viewer'), 'viewer');
});
afterAll(async () => {
  await second.close();
  await world.close();
  await smtp.stop();
});

const db = () => world.meta.db;
// Created on 1 Nov: measured over 1 Nov – today, which holds all of the world's traffic.
const CREATED = '2026-11-01T00:00:00.000Z';

async function goal(input: Partial<GoalInput> & { path_pattern: string }): Promise<string> {
  const created = await createGoal(db(), world.berlin.id, { name: input.path_pattern, ...input });
  await db().updateTable('goal').set({ def_time: CREATED }).where('id', '=', created.id).execute();
  return created.id;
}

const goalRow = (id: string) =>
  db().selectFrom('goal').selectAll().where('id', '=', id).executeTakeFirst();

function scheduler(on: Kysely<MetaDatabase> = db()): MailScheduler {
  const ctx: MailContext = {
    baseUrl: world.config.baseUrl,
    db: on,
    events: world.events,
    mailer: createMailer(world.config.smtp),
    log: silentLog,
    metrics: noMailMetrics,
  };
  return new MailScheduler(ctx);
}

const about = (name: string) => smtp.received.filter((m) => m.parsed.subject?.endsWith(name));

describe('goal notifications', () => {
  it('are measured with the goals statistic from the creation day until today', async () => {
    const id = await goal({ name: 'Window', path_pattern: '/pricing' });
    const window = goalWindow((await goalRow(id))!, world.berlin, new Date());
    expect(window.from).toBe('2026-11-01');
    const res = await world.get('statistics/goals', { id: world.berlin.id, ...window });
    const stats = (res.body as { page_goal: { id: string }; stats: { visitors: number } }[]).find(
      (g) => g.page_goal.id === id,
    );
    // A and D viewed /pricing (test/stats/world.ts).
    expect(stats?.stats.visitors).toBe(2);
  });

  it('e-mail the owner and the admins once when the visitor target is reached', async () => {
    const reached = await goal({
      name: 'Pricing seen',
      path_pattern: '/pricing',
      visitors: 2,
      email_reached: true,
    });
    const notYet = await goal({
      name: 'Blog readers',
      path_pattern: '/blog/**',
      visitors: 3,
      email_reached: true,
    });
    const result = await scheduler().notifyReachedGoals();
    expect(result).toMatchObject({ notified: 1, failed: 0 });

    const [mail, ...more] = about('Pricing seen');
    expect(more).toEqual([]);
    expect(mail!.rcptTo.sort()).toEqual([owner, admin.email].sort());
    expect(mail!.parsed.subject).toBe('Goal reached on stats.example.com: Pricing seen');
    expect(mail!.parsed.text).toContain('2 visitors (target 2)');
    expect(mail!.parsed.text).toContain('since 1 Nov 2026');
    expect(mail!.parsed.text).toContain(
      `/sites/${world.berlin.id}?from=2026-11-01&to=${new Date().toISOString().slice(0, 10)}`,
    );
    expect(headerText(mail!.parsed, 'Auto-Submitted')).toBe('auto-generated');

    expect((await goalRow(reached))?.email_reached).toBe(0);
    expect((await goalRow(notYet))?.email_reached).toBe(1);
    expect(about('Blog readers')).toEqual([]);

    const again = await scheduler().notifyReachedGoals();
    expect(again.notified).toBe(0);
    expect(about('Pricing seen')).toHaveLength(1);
  });

  it('compare the conversion rate in percent and delete a reached goal when asked', async () => {
    // 3 of 5 visitors viewed `/`: 60 %.
    const reached = await goal({
      name: 'Home CR',
      path_pattern: '/',
      cr: 60,
      email_reached: true,
      delete_reached: true,
    });
    const below = await goal({
      name: 'Home CR high',
      path_pattern: '/',
      cr: 61,
      email_reached: true,
    });
    const silent = await goal({
      name: 'Checkout',
      path_pattern: '/checkout/**',
      visitors: 1,
      delete_reached: true,
    });

    const result = await scheduler().notifyReachedGoals();
    expect(result).toMatchObject({ notified: 1, deleted: 2, failed: 0 });
    expect(about('Home CR')).toHaveLength(1);
    expect(about('Home CR')[0]!.parsed.text).toContain('conversion rate 60.0 % (target 60.0 %)');
    expect(about('Home CR')[0]!.parsed.text).toContain('it has been deleted');
    expect(await goalRow(reached)).toBeUndefined();
    expect(await goalRow(silent)).toBeUndefined();
    expect(about('Checkout')).toEqual([]);
    expect((await goalRow(below))?.email_reached).toBe(1);
  });

  it('are sent once when two processes check at the same time', async () => {
    await goal({ name: 'Raced', path_pattern: '/blog/a', visitors: 1, email_reached: true });
    const [a, b] = await Promise.all([
      scheduler(db()).notifyReachedGoals(),
      scheduler(second.db).notifyReachedGoals(),
    ]);
    expect(a.notified + b.notified).toBe(1);
    expect(about('Raced')).toHaveLength(1);
  });

  it('are retried when the SMTP server refuses, without deleting the goal', async () => {
    const id = await goal({
      name: 'Refused',
      path_pattern: '/checkout/done',
      visitors: 1,
      email_reached: true,
      delete_reached: true,
    });
    smtp.reject = true;
    try {
      const failed = await scheduler().notifyReachedGoals();
      expect(failed).toMatchObject({ notified: 0, failed: 1, deleted: 0 });
      expect((await goalRow(id))?.email_reached).toBe(1);
    } finally {
      smtp.reject = false;
    }
    const retried = await scheduler().notifyReachedGoals();
    expect(retried).toMatchObject({ notified: 1, deleted: 1 });
    expect(about('Refused')).toHaveLength(1);
    expect(await goalRow(id)).toBeUndefined();
  });
});
