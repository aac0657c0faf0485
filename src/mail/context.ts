/** What every sender of the mail room works with. */
import type { Kysely } from 'kysely';
import type { EventStore } from '../store/clickhouse/event-store.ts';
import type { MetaDatabase } from '../store/meta/schema.ts';
import type { MailMetrics } from './metrics.ts';
import type { Mailer } from './transport.ts';

/** The logging calls the mail room makes (pino's, so the server's logger fits). */
export interface MailLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A log that drops everything. */
export const silentLog: MailLog = { info: () => {}, warn: () => {}, error: () => {} };

export interface MailContext {
  /** Public origin for links (`config.baseUrl`). */
  baseUrl: string;
  db: Kysely<MetaDatabase>;
  events: EventStore;
  /** Undefined when no SMTP server is configured. */
  mailer: Mailer | undefined;
  log: MailLog;
  metrics: MailMetrics;
}

/** An error as a short loggable object (no stack traces of SMTP replies in every line). */
export function errorInfo(err: unknown): { message: string; code?: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? { message: err.message, code } : { message: err.message };
  }
  return { message: String(err) };
}
