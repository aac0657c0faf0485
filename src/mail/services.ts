/**
 * The mail room as the server wires it: the transport (or none), the invitation sender for the
 * member routes, and the scheduler, which only `startServer` starts (apps built for tests and
 * CLI commands do not send on their own).
 */
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { Config } from '../config.ts';
import type { SendInvitation } from '../manage/invitations.ts';
import type { EventStore } from '../store/clickhouse/event-store.ts';
import type { MetaDatabase } from '../store/meta/schema.ts';
import { silentLog, type MailContext, type MailLog } from './context.ts';
import { invitationSender } from './invitation-mail.ts';
import { createMailMetrics, noMailMetrics } from './metrics.ts';
import { MailScheduler, type SchedulerOptions } from './scheduler.ts';
import { createMailer, type Mailer } from './transport.ts';

export interface MailServices {
  /** Undefined without `SPOOR_SMTP_HOST`. */
  readonly mailer: Mailer | undefined;
  /** For `inviteMembers`; undefined without a transport (the API then returns accept links). */
  readonly sendInvitation: SendInvitation | undefined;
  /** Start the scheduler, logging to `log`. */
  start(log: MailLog, options?: SchedulerOptions): void;
  /** Stop the scheduler (waiting for a pass in flight) and close the transport. Idempotent. */
  close(): Promise<void>;
}

export interface MailServicesInput {
  config: Pick<Config, 'baseUrl' | 'smtp'>;
  db: Kysely<MetaDatabase>;
  events: EventStore;
  /** Where the mail metrics are registered (the app's `/metrics`). */
  registry?: Registry;
  log?: MailLog;
}

/** Build the mail services of one process. */
export function createMailServices(input: MailServicesInput): MailServices {
  const mailer = createMailer(input.config.smtp);
  // The log is swapped for the server's when the scheduler starts.
  const log: { current: MailLog } = { current: input.log ?? silentLog };
  const ctx: MailContext = {
    baseUrl: input.config.baseUrl,
    db: input.db,
    events: input.events,
    mailer,
    log: {
      info: (obj, msg) => log.current.info(obj, msg),
      warn: (obj, msg) => log.current.warn(obj, msg),
      error: (obj, msg) => log.current.error(obj, msg),
    },
    metrics: input.registry
      ? createMailMetrics(input.registry, input.db, mailer !== undefined)
      : noMailMetrics,
  };
  const scheduler = new MailScheduler(ctx);
  let closing: Promise<void> | undefined;
  return {
    mailer,
    sendInvitation: mailer ? invitationSender(ctx, mailer) : undefined,
    start(serverLog, options) {
      log.current = serverLog;
      if (!mailer) {
        serverLog.warn(
          {},
          'no mail transport (SPOOR_SMTP_HOST unset): e-mail reports and goal notifications are not sent, invitations answer with their accept links',
        );
      }
      scheduler.start(options);
    },
    close: () =>
      (closing ??= (async () => {
        await scheduler.stop();
        mailer?.close();
      })()),
  };
}
