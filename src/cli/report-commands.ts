/**
 * `spoor report preview` and `spoor report send-due`. Both compute statistics, so they open the
 * event store as well as the metadata store: with the embedded engine, run them while no server
 * uses the same data directory (cron users run `send-due` instead of a long-running scheduler).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../config.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { isReportInterval, nextReportAt, type ReportInterval } from '../manage/report-schedule.ts';
import { silentLog, type MailLog } from '../mail/context.ts';
import { noMailMetrics } from '../mail/metrics.ts';
import { collectReportData } from '../mail/report-data.ts';
import { dueSlot } from '../mail/report-period.ts';
import { renderReport } from '../mail/report-render.ts';
import { MailScheduler } from '../mail/scheduler.ts';
import { createMailer } from '../mail/transport.ts';
import { unsubscribeUrl } from '../mail/unsubscribe.ts';
import { openStores, type Stores } from '../server/lifecycle.ts';
import type { CommandResult } from './main.ts';

async function withStores<T>(config: Config, fn: (stores: Stores) => Promise<T>): Promise<T> {
  const stores = await openStores(config);
  try {
    return await fn(stores);
  } finally {
    await stores.events.close();
    await stores.meta.close();
  }
}

/**
 * `spoor report preview --domain-id ID [--interval N] [--out FILE]`: the HTML of the domain's
 * next report (the earliest due one, or of `--interval`), written to a file.
 */
export function reportPreview(
  config: Config,
  flags: { domainId: string; interval?: string; out?: string },
): Promise<CommandResult> {
  let wanted: ReportInterval | undefined;
  if (flags.interval !== undefined) {
    const n = Number(flags.interval);
    if (!isReportInterval(n)) {
      throw new ValidationError({ interval: 'must be 1, 2 or 3 (weeks) or 4 (monthly)' });
    }
    wanted = n;
  }
  return withStores(config, async ({ meta, events }) => {
    const db = meta.db;
    const domain = await db
      .selectFrom('domain')
      .selectAll()
      .where('id', '=', flags.domainId)
      .executeTakeFirst();
    if (!domain) throw new NotFoundError('domain');
    let query = db
      .selectFrom('email_report')
      .selectAll()
      .where('domain_id', '=', domain.id)
      .orderBy('next_report')
      .orderBy('id');
    if (wanted !== undefined) query = query.where('interval', '=', wanted);
    const reports = await query.execute();
    const first = reports[0];
    const interval: ReportInterval =
      wanted ?? (first && isReportInterval(first.interval) ? first.interval : 1);
    const now = new Date();
    const slot = first
      ? first.next_report <= now.toISOString()
        ? dueSlot(first.next_report, interval, domain.timezone, now).slot
        : first.next_report
      : nextReportAt(interval, domain.timezone, now);
    const data = await collectReportData(
      { db, events },
      domain,
      interval,
      slot,
      config.baseUrl,
      now.getTime(),
    );
    // A placeholder token: a preview file must not carry anybody's working unsubscribe link.
    const mail = renderReport(data, {
      email: first?.email ?? 'recipient@example.com',
      unsubscribeUrl: unsubscribeUrl(config.baseUrl, 'preview'),
    });
    const file = path.resolve(flags.out ?? `spoor-report-${domain.id}.html`);
    writeFileSync(file, mail.html);
    const recipients = reports.filter((r) => r.interval === interval).map((r) => r.email);
    return {
      json: {
        file,
        subject: mail.subject,
        domain_id: domain.id,
        interval,
        send_at: slot,
        from: data.period.from,
        to: data.period.to,
        recipients,
      },
      text: `${mail.subject}\nwritten to ${file} (sent ${slot} to ${recipients.length} recipient(s))`,
    };
  });
}

/** Warnings and errors of a pass as lines on stderr. */
const stderrLog: MailLog = {
  ...silentLog,
  warn: (obj, msg) => process.stderr.write(`spoor: ${msg} ${JSON.stringify(obj)}\n`),
  error: (obj, msg) => process.stderr.write(`spoor: ${msg} ${JSON.stringify(obj)}\n`),
};

/**
 * `spoor report send-due`: one scheduling pass — due reports, then conversion goals. Exits 1
 * when a message could not be sent (it stays due for the next run).
 */
export async function reportSendDue(config: Config): Promise<CommandResult> {
  if (config.smtp === undefined) {
    throw new ConfigError('SPOOR_SMTP_HOST', 'an SMTP server is required to send e-mail');
  }
  const mailer = createMailer(config.smtp);
  try {
    return await withStores(config, async ({ meta, events }) => {
      const scheduler = new MailScheduler({
        baseUrl: config.baseUrl,
        db: meta.db,
        events,
        mailer,
        log: stderrLog,
        metrics: noMailMetrics,
      });
      const { reports, goals } = await scheduler.runOnce();
      const r = reports ?? { sent: 0, failed: 0, skipped: 0 };
      if (r.failed > 0 || goals.failed > 0) process.exitCode = 1;
      return {
        json: { reports: r, goals },
        text:
          `reports: ${r.sent} sent, ${r.failed} failed, ${r.skipped} skipped; ` +
          `goals: ${goals.notified} notified, ${goals.deleted} deleted, ${goals.failed} failed`,
      };
    });
  } finally {
    mailer?.close();
  }
}
