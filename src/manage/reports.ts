/**
 * E-mail reports (API.md A.8, decision 11): one row per recipient and interval, with the time
 * the next report is due (`report-schedule.ts`) and a one-click unsubscribe token. Sending is
 * the mail room's job; it finds due rows by `next_report`.
 */
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { EmailReport, MetaDatabase } from '../store/meta/schema.ts';
import { nowIso } from '../store/meta/time.ts';
import { ensureReportSecret } from './installation.ts';
import {
  REPORT_INTERVALS,
  isReportInterval,
  nextReportAt,
  type ReportInterval,
} from './report-schedule.ts';
import { newEntityId, sha256Hex } from './secrets.ts';
import { checkEmails } from './validate.ts';

/** The report object (A.8). */
export interface ReportJson {
  id: string;
  def_time: string;
  mod_time: string;
  domain_id: string;
  email: string;
  interval: number;
  next_report: string;
}

export function toReportJson(report: EmailReport): ReportJson {
  return {
    id: report.id,
    def_time: report.def_time,
    mod_time: report.mod_time,
    domain_id: report.domain_id,
    email: report.email,
    interval: report.interval,
    next_report: report.next_report,
  };
}

const INTERVAL_MESSAGE =
  'must be 1, 2 or 3 (weeks, sent on Monday) or 4 (monthly, sent on the 1st)';

/** 1–4 (decision 11); anything else → 400 `validation.interval`. */
export function checkInterval(raw: number): ReportInterval {
  if (isReportInterval(raw)) return raw;
  throw new ValidationError({ interval: INTERVAL_MESSAGE });
}

const hmacToken = (secret: string, reportId: string) =>
  createHmac('sha256', secret).update(`unsubscribe:${reportId}`).digest('base64url');

/**
 * The unsubscribe token of a report: an HMAC of its id under an installation secret, so the
 * sender can put it into every e-mail while the store keeps only its SHA-256
 * (`unsubscribe_hash`), which the unsubscribe link is looked up by.
 */
export async function unsubscribeToken(
  db: Kysely<MetaDatabase>,
  reportId: string,
): Promise<string> {
  return hmacToken(await ensureReportSecret(db), reportId);
}

/** The domain's reports, ordered by address, then interval. */
export async function listReports(
  db: Kysely<MetaDatabase>,
  domainId: string,
): Promise<ReportJson[]> {
  const rows = await db
    .selectFrom('email_report')
    .selectAll()
    .where('domain_id', '=', domainId)
    .orderBy('email')
    .orderBy('interval')
    .orderBy('id')
    .execute();
  return rows.map(toReportJson);
}

export function findReport(db: Kysely<MetaDatabase>, id: string): Promise<EmailReport | undefined> {
  return db.selectFrom('email_report').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface NewReportsInput {
  domainId: string;
  /** The domain's time zone (null = UTC): reports go out at 07:00 there. */
  timezone: string | null;
  emails: readonly string[];
  interval: number;
}

/**
 * Create one report per address (A.8.2), answered in the order given. An address that already
 * has a report with this interval is not duplicated: its existing report is returned instead.
 */
export async function createReports(
  db: Kysely<MetaDatabase>,
  input: NewReportsInput,
): Promise<ReportJson[]> {
  const emails = checkEmails(input.emails);
  const { interval } = input;
  const validation: Record<string, string> = {};
  if (!emails.ok) validation.emails = emails.message;
  if (!isReportInterval(interval)) validation.interval = INTERVAL_MESSAGE;
  if (!emails.ok || !isReportInterval(interval)) throw new ValidationError(validation);

  const secret = await ensureReportSecret(db);
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('email_report')
      .selectAll()
      .where('domain_id', '=', input.domainId)
      .where('interval', '=', interval)
      .where('email', 'in', emails.value)
      .execute();
    const byEmail = new Map(existing.map((r) => [r.email, r]));
    const now = nowIso();
    const next = nextReportAt(interval, input.timezone);
    const created: EmailReport[] = [];
    const reports = emails.value.map((email) => {
      const found = byEmail.get(email);
      if (found) return found;
      const id = newEntityId();
      const report: EmailReport = {
        id,
        domain_id: input.domainId,
        email,
        interval,
        next_report: next,
        unsubscribe_hash: sha256Hex(hmacToken(secret, id)),
        last_period: null,
        def_time: now,
        mod_time: now,
      };
      created.push(report);
      return report;
    });
    if (created.length > 0) await trx.insertInto('email_report').values(created).execute();
    return reports.map(toReportJson);
  });
}

/** Change a report's interval; its next report is scheduled afresh from now. */
export async function updateReportInterval(
  db: Kysely<MetaDatabase>,
  report: EmailReport,
  timezone: string | null,
  rawInterval: number,
): Promise<ReportJson> {
  const interval = checkInterval(rawInterval);
  const updated: EmailReport = {
    ...report,
    interval,
    next_report: nextReportAt(interval, timezone),
    mod_time: nowIso(),
  };
  await db
    .updateTable('email_report')
    .set({ interval, next_report: updated.next_report, mod_time: updated.mod_time })
    .where('id', '=', report.id)
    .execute();
  return toReportJson(updated);
}

export async function deleteReport(db: Kysely<MetaDatabase>, id: string): Promise<void> {
  const result = await db.deleteFrom('email_report').where('id', '=', id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new NotFoundError('report');
}

/** After a time-zone change: every report of the domain is due at 07:00 in the new zone. */
export async function rescheduleReports(
  db: Kysely<MetaDatabase>,
  domainId: string,
  timezone: string | null,
): Promise<void> {
  const now = new Date();
  for (const interval of REPORT_INTERVALS) {
    await db
      .updateTable('email_report')
      .set({ next_report: nextReportAt(interval, timezone, now) })
      .where('domain_id', '=', domainId)
      .where('interval', '=', interval)
      .execute();
  }
}
