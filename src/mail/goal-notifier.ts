/**
 * Conversion-goal notifications. A goal with a target (`visitor_goal` visitors, or `cr_goal`
 * percent conversion rate) is *reached* when either target is met, measured from the day the
 * goal was created until today, in the domain's time zone (whole days; the dashboard shows
 * progress the same way, DASHBOARD.md §13.4). Numbers come from `statistics/goals`.
 *
 * Once reached, a goal with `email_reached` e-mails its domain's owner and admins one message,
 * then `email_reached` is cleared; a goal with `delete_reached` is deleted. The notification is
 * claimed like a report (`UPDATE goal SET email_reached = 0 WHERE id = ? AND email_reached = 1`,
 * one affected row wins), so several processes never send it twice; a failed send sets the flag
 * again, and the goal is only deleted after its message went out.
 *
 * Without a mail transport, goals that ask for an e-mail are left alone (the e-mail goes out
 * once a transport is configured); goals that only ask to be deleted are still deleted.
 */
import type { Kysely } from 'kysely';
import { localDate } from '../stats/filter.ts';
import type { Domain, Goal, MetaDatabase } from '../store/meta/schema.ts';
import { errorInfo, type MailContext } from './context.ts';
import {
  COLOR_MUTED,
  button,
  escapeHtml,
  formatDay,
  formatInteger,
  formatPercent,
  heading,
  layout,
  paragraph,
  section,
} from './html.ts';
import { dashboardUrl } from './links.ts';
import type { RenderedMail } from './report-render.ts';
import { computeStatistic, type StatisticStores } from './statistics.ts';

export interface GoalProgress {
  /** Unique visitors who viewed a page matching the goal, from its creation day until today. */
  visitors: number;
  /** Conversion rate, 0–1. */
  cr: number;
  from: string;
  to: string;
}

export interface GoalPassResult {
  /** Goals whose notification was e-mailed. */
  notified: number;
  /** Goals deleted because they were reached (`delete_reached`). */
  deleted: number;
  /** Reached goals whose e-mail could not be sent; tried again by a later pass. */
  failed: number;
}

/** The part of a `statistics/goals` element read here. */
export interface GoalStatsRow {
  page_goal: { id: string };
  stats: { visitors: number; cr: number };
}

/** The first and last day a goal is measured over: its creation day (local) until today. */
export function goalWindow(goal: Pick<Goal, 'def_time'>, domain: Domain, now: Date) {
  const zone = domain.timezone ?? 'UTC';
  const to = localDate(now.getTime(), zone);
  const created = localDate(Date.parse(goal.def_time), zone);
  return { from: created <= to ? created : to, to };
}

/** `statistics/goals` answers, by domain and days: goals created the same day share one query. */
export type GoalStatsCache = Map<string, Promise<GoalStatsRow[]>>;

/** Progress of `goal` through the statistics API (`statistics/goals`). */
export async function goalProgress(
  stores: StatisticStores,
  domain: Domain,
  goal: Goal,
  now: Date,
  cache: GoalStatsCache = new Map(),
): Promise<GoalProgress> {
  const window = goalWindow(goal, domain, now);
  const key = `${domain.id}|${window.from}|${window.to}`;
  let rows = cache.get(key);
  if (!rows) {
    rows = computeStatistic<GoalStatsRow[]>(
      stores,
      domain,
      'statistics/goals',
      { from: window.from, to: window.to },
      now.getTime(),
    ).then((r) => {
      if (r === undefined) throw new Error('the statistic statistics/goals is missing');
      return r;
    });
    cache.set(key, rows);
  }
  const row = (await rows).find((r) => r.page_goal.id === goal.id);
  return { visitors: row?.stats.visitors ?? 0, cr: row?.stats.cr ?? 0, ...window };
}

/** Whether a target of the goal is met. */
export function isReached(goal: Pick<Goal, 'visitor_goal' | 'cr_goal'>, p: GoalProgress): boolean {
  const visitors =
    goal.visitor_goal !== null && goal.visitor_goal > 0 && p.visitors >= goal.visitor_goal;
  // cr_goal is a percentage (decision 9); a tiny tolerance absorbs float noise (1/3 * 100).
  const cr = goal.cr_goal !== null && goal.cr_goal > 0 && p.cr * 100 + 1e-9 >= goal.cr_goal;
  return visitors || cr;
}

/** The owner's and the admins' addresses. */
export async function goalRecipients(db: Kysely<MetaDatabase>, domain: Domain): Promise<string[]> {
  const owner = await db
    .selectFrom('user')
    .select('email')
    .where('id', '=', domain.user_id)
    .executeTakeFirst();
  const admins = await db
    .selectFrom('member')
    .innerJoin('user', 'user.id', 'member.user_id')
    .select('user.email as email')
    .where('member.domain_id', '=', domain.id)
    .where('member.role', '=', 'admin')
    .orderBy('user.email')
    .execute();
  return [...new Set([...(owner ? [owner.email] : []), ...admins.map((a) => a.email)])];
}

/** The notification message. */
export function goalMessage(
  goal: Goal,
  domain: Domain,
  progress: GoalProgress,
  baseUrl: string,
): RenderedMail {
  const subject = `Goal reached on ${domain.hostname}: ${goal.name}`;
  const since = formatDay(progress.from, false, true);
  const facts: string[] = [];
  if (goal.visitor_goal !== null && goal.visitor_goal > 0) {
    facts.push(
      `${formatInteger(progress.visitors)} visitors (target ${formatInteger(goal.visitor_goal)})`,
    );
  }
  if (goal.cr_goal !== null && goal.cr_goal > 0) {
    facts.push(
      `conversion rate ${formatPercent(progress.cr)} (target ${formatPercent(goal.cr_goal / 100)})`,
    );
  }
  const dashboard = dashboardUrl(baseUrl, domain.id, {
    from: progress.from,
    to: progress.to,
    pattern: goal.pattern,
  });
  const deleted = goal.delete_reached === 1;
  const summary = `The conversion goal “${goal.name}” (${goal.path_pattern}) of ${domain.hostname} reached its target since ${since}: ${facts.join(', ')}.`;
  const after = deleted
    ? 'As set for this goal, it has been deleted now that it is reached.'
    : 'You will not get another e-mail for this goal unless you turn the notification on again.';
  const html = layout({
    title: subject,
    preheader: summary,
    body:
      section(
        heading(`Goal reached: ${goal.name}`) +
          paragraph(escapeHtml(summary)) +
          paragraph(escapeHtml(after), COLOR_MUTED),
        '24px 24px 8px 24px',
      ) + section(button(dashboard, 'Open the dashboard'), '8px 24px 24px 24px'),
  });
  const text = `${summary}\n\n${after}\n\nOpen the dashboard: ${dashboard}\n`;
  return { subject, html, text };
}

/** One pass over every goal with a target that asks for a notification or deletion. */
export async function notifyReachedGoals(
  ctx: MailContext,
  now: Date = new Date(),
): Promise<GoalPassResult> {
  const result: GoalPassResult = { notified: 0, deleted: 0, failed: 0 };
  const goals = await ctx.db
    .selectFrom('goal')
    .selectAll()
    .where((eb) => eb.or([eb('visitor_goal', '>', 0), eb('cr_goal', '>', 0)]))
    .where((eb) =>
      ctx.mailer
        ? eb.or([eb('email_reached', '=', 1), eb('delete_reached', '=', 1)])
        : eb.and([eb('email_reached', '=', 0), eb('delete_reached', '=', 1)]),
    )
    .orderBy('domain_id')
    .orderBy('id')
    .execute();
  if (goals.length === 0) return result;
  const domains = new Map(
    (
      await ctx.db
        .selectFrom('domain')
        .selectAll()
        .where('id', 'in', [...new Set(goals.map((g) => g.domain_id))])
        .execute()
    ).map((d) => [d.id, d]),
  );

  const cache: GoalStatsCache = new Map();
  for (const goal of goals) {
    const domain = domains.get(goal.domain_id);
    if (!domain) continue;
    try {
      const progress = await goalProgress(ctx, domain, goal, now, cache);
      if (!isReached(goal, progress)) continue;
      if (goal.email_reached === 1 && ctx.mailer) {
        const claimed = await ctx.db
          .updateTable('goal')
          .set({ email_reached: 0 })
          .where('id', '=', goal.id)
          .where('email_reached', '=', 1)
          .executeTakeFirst();
        // Another process notifies (and deletes) it.
        if (claimed.numUpdatedRows !== 1n) continue;
        try {
          const recipients = await goalRecipients(ctx.db, domain);
          const message = goalMessage(goal, domain, progress, ctx.baseUrl);
          await ctx.mailer.send({
            to: recipients,
            ...message,
            headers: { 'Auto-Submitted': 'auto-generated' },
          });
          ctx.metrics.count('goal', 'sent');
          result.notified += 1;
          ctx.log.info({ goal_id: goal.id, domain_id: domain.id }, 'goal notification sent');
        } catch (err) {
          ctx.metrics.count('goal', 'failed');
          result.failed += 1;
          await ctx.db
            .updateTable('goal')
            .set({ email_reached: 1 })
            .where('id', '=', goal.id)
            .execute();
          ctx.log.warn(
            { goal_id: goal.id, domain_id: domain.id, err: errorInfo(err) },
            'goal notification not sent; it will be retried',
          );
          continue;
        }
      }
      if (goal.delete_reached === 1) {
        const deleted = await ctx.db
          .deleteFrom('goal')
          .where('id', '=', goal.id)
          .executeTakeFirst();
        if (deleted.numDeletedRows > 0n) result.deleted += 1;
      }
    } catch (err) {
      ctx.log.error(
        { goal_id: goal.id, domain_id: goal.domain_id, err: errorInfo(err) },
        'could not evaluate a conversion goal',
      );
    }
  }
  return result;
}
