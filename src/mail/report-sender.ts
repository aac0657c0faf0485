/**
 * Sending due e-mail reports (decision 11), safely with any number of server processes.
 *
 * A report is due when `next_report <= now`. It is *claimed* before anything is sent, by one
 * conditional UPDATE that moves `next_report` to the following moment and records the period in
 * `last_period`, but only while `next_report` still holds the value this pass read:
 *
 *     UPDATE email_report SET next_report = <following>, last_period = <period>
 *      WHERE id = ? AND next_report = <read value>
 *
 * Exactly one process sees one affected row; every other one sees none and moves on. That is
 * portable (SQLite serialises writers; PostgreSQL re-checks the WHERE clause after waiting for
 * the winner's row lock) and needs no lock table. Only then is the message built and sent. When
 * sending fails the claim is undone by the inverse conditional UPDATE, so the report is due again
 * and a later pass retries it; nothing is thrown to the caller.
 *
 * `last_period` also stops a period from going out twice when a report is re-scheduled into a
 * moment whose period was already sent (a time-zone change on a Monday morning).
 */
import { isReportInterval, type ReportInterval } from '../manage/report-schedule.ts';
import { unsubscribeToken } from '../manage/reports.ts';
import type { Domain, EmailReport } from '../store/meta/schema.ts';
import { errorInfo, type MailContext } from './context.ts';
import { collectReportData, type ReportData } from './report-data.ts';
import { dueSlot, periodKey, reportPeriod } from './report-period.ts';
import { renderReport, type RenderedMail } from './report-render.ts';
import { unsubscribeUrl } from './unsubscribe.ts';
import type { Mailer, OutgoingMail } from './transport.ts';

/** Most reports one pass handles; the rest wait for the next pass (a minute later). */
const PASS_LIMIT = 200;

/** Which reports to hold back after a failure (see `RetryBook` in `scheduler.ts`). */
export interface RetryPolicy {
  /** True while the report should not be tried again. */
  waiting(reportId: string, now: Date): boolean;
  failed(reportId: string, now: Date): void;
  succeeded(reportId: string): void;
}

/** Retry whenever asked (a one-off pass from the CLI). */
export const retryAlways: RetryPolicy = {
  waiting: () => false,
  failed: () => {},
  succeeded: () => {},
};

export interface ReportPassResult {
  /** Reports e-mailed. */
  sent: number;
  /** Claimed but not sent (SMTP or statistics failure); due again. */
  failed: number;
  /** Due but not sent by this pass: claimed by another process, period sent already, backing off. */
  skipped: number;
}

/** The headers that make a report a one-click-unsubscribable, automatic message. */
export function reportHeaders(unsubscribe: string): Record<string, string> {
  const headers: Record<string, string> = {
    'List-Unsubscribe': `<${unsubscribe}>`,
    // RFC 3834: no out-of-office replies to a report.
    'Auto-Submitted': 'auto-generated',
  };
  // RFC 8058 one-click requires an https URI; over plain http the link still works by hand.
  if (unsubscribe.startsWith('https://')) {
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return headers;
}

/** The complete message of one report for its recipient. */
export async function reportMessage(
  ctx: Pick<MailContext, 'baseUrl' | 'db'>,
  report: Pick<EmailReport, 'id' | 'email'>,
  data: ReportData,
): Promise<RenderedMail & { mail: OutgoingMail }> {
  const url = unsubscribeUrl(ctx.baseUrl, await unsubscribeToken(ctx.db, report.id));
  const rendered = renderReport(data, { email: report.email, unsubscribeUrl: url });
  return {
    ...rendered,
    mail: { to: report.email, ...rendered, headers: reportHeaders(url) },
  };
}

/**
 * One pass: send every due report (up to `PASS_LIMIT`), each at most once per period across all
 * processes. Never throws for a single report's failure.
 */
export async function sendDueReports(
  ctx: MailContext & { mailer: Mailer },
  now: Date = new Date(),
  retry: RetryPolicy = retryAlways,
): Promise<ReportPassResult> {
  const result: ReportPassResult = { sent: 0, failed: 0, skipped: 0 };
  const due = await ctx.db
    .selectFrom('email_report')
    .selectAll()
    .where('next_report', '<=', now.toISOString())
    .orderBy('next_report')
    .orderBy('id')
    .limit(PASS_LIMIT)
    .execute();
  if (due.length === 0) return result;
  const domainIds = [...new Set(due.map((r) => r.domain_id))];
  const domains = new Map(
    (await ctx.db.selectFrom('domain').selectAll().where('id', 'in', domainIds).execute()).map(
      (d) => [d.id, d],
    ),
  );
  // Recipients of one domain, interval and moment get the same numbers: computed once.
  const contents = new Map<string, Promise<ReportData>>();

  for (const report of due) {
    const domain = domains.get(report.domain_id);
    if (!domain || !isReportInterval(report.interval) || retry.waiting(report.id, now)) {
      result.skipped += 1;
      continue;
    }
    const outcome = await sendOne(ctx, report, report.interval, domain, now, contents);
    result[outcome] += 1;
    if (outcome === 'sent') retry.succeeded(report.id);
    if (outcome === 'failed') retry.failed(report.id, now);
  }
  return result;
}

async function sendOne(
  ctx: MailContext & { mailer: Mailer },
  report: EmailReport,
  interval: ReportInterval,
  domain: Domain,
  now: Date,
  contents: Map<string, Promise<ReportData>>,
): Promise<keyof ReportPassResult> {
  const { slot, following } = dueSlot(report.next_report, interval, domain.timezone, now);
  const key = periodKey(reportPeriod(slot, interval, domain.timezone));
  const claim = ctx.db
    .updateTable('email_report')
    .where('id', '=', report.id)
    .where('next_report', '=', report.next_report);

  if (report.last_period === key) {
    // This period went out already: only move on to the next moment.
    await claim.set({ next_report: following }).execute();
    return 'skipped';
  }
  const claimed = await claim.set({ next_report: following, last_period: key }).executeTakeFirst();
  if (claimed.numUpdatedRows !== 1n) return 'skipped';

  try {
    const cacheKey = `${domain.id}|${interval}|${slot}`;
    let content = contents.get(cacheKey);
    if (!content) {
      content = collectReportData(ctx, domain, interval, slot, ctx.baseUrl, now.getTime());
      contents.set(cacheKey, content);
    }
    const { mail } = await reportMessage(ctx, report, await content);
    await ctx.mailer.send(mail);
    ctx.metrics.count('report', 'sent');
    ctx.log.info({ report_id: report.id, domain_id: domain.id, period: key }, 'e-mail report sent');
    return 'sent';
  } catch (err) {
    ctx.metrics.count('report', 'failed');
    await ctx.db
      .updateTable('email_report')
      .set({ next_report: report.next_report, last_period: report.last_period })
      .where('id', '=', report.id)
      .where('next_report', '=', following)
      .where('last_period', '=', key)
      .execute()
      .catch((rollbackErr: unknown) =>
        ctx.log.error(
          { report_id: report.id, err: errorInfo(rollbackErr) },
          'could not release the claim of an unsent e-mail report; this period is skipped',
        ),
      );
    ctx.log.warn(
      { report_id: report.id, domain_id: domain.id, period: key, err: errorInfo(err) },
      'e-mail report not sent; it will be retried',
    );
    return 'failed';
  }
}
