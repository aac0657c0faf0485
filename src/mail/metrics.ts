/**
 * What the mail room tells `/metrics`: messages sent and failed by kind, whether a transport is
 * configured, and how many e-mail reports are due but not sent — which is how an operator sees
 * reports that are "not sent: no mail transport" (or stuck behind a failing SMTP server).
 */
import type { Kysely } from 'kysely';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { MetaDatabase } from '../store/meta/schema.ts';

export type MailKind = 'report' | 'goal' | 'invitation';

export interface MailMetrics {
  /** Count one message by kind and outcome. */
  count(kind: MailKind, result: 'sent' | 'failed'): void;
}

/** A MailMetrics that counts nothing (CLI passes, tests without a registry). */
export const noMailMetrics: MailMetrics = { count: () => {} };

/** Register the mail metrics on `registry`. */
export function createMailMetrics(
  registry: Registry,
  db: Kysely<MetaDatabase>,
  transportConfigured: boolean,
): MailMetrics {
  const messages = new Counter({
    name: 'spoor_mail_messages_total',
    help: 'E-mails handed to the SMTP server (sent) or refused/unreachable (failed), by kind',
    labelNames: ['kind', 'result'],
    registers: [registry],
  });
  const configured = new Gauge({
    name: 'spoor_mail_transport_configured',
    help: '1 when an SMTP server is configured (SPOOR_SMTP_HOST), else 0: no e-mail is sent',
    registers: [registry],
  });
  configured.set(transportConfigured ? 1 : 0);
  new Gauge({
    name: 'spoor_mail_reports_due',
    help: 'E-mail reports whose time has come but that are not sent yet (no mail transport, or SMTP failing)',
    registers: [registry],
    async collect() {
      const row = await db
        .selectFrom('email_report')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('next_report', '<=', new Date().toISOString())
        .executeTakeFirst()
        .catch(() => undefined);
      this.set(Number(row?.n ?? 0));
    },
  });
  return { count: (kind, result) => messages.inc({ kind, result }) };
}
