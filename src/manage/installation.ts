/** Installation-wide settings kept in the metadata store and shared by every node. */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { MetaDatabase } from '../store/meta/schema.ts';
import { setSettingIfAbsent } from '../store/meta/settings.ts';

/**
 * The secret keyed into every visitor id (decision 14). Generated once; when several nodes start
 * together the first insert wins and all of them read the same value.
 */
export function ensureVisitorSecret(db: Kysely<MetaDatabase>): Promise<string> {
  return setSettingIfAbsent(db, 'visitor_secret', randomBytes(32).toString('hex'));
}

/**
 * The secret the one-click unsubscribe tokens of e-mail reports are derived from (an HMAC of the
 * report id), generated on first use like the visitor secret.
 */
export function ensureReportSecret(db: Kysely<MetaDatabase>): Promise<string> {
  return setSettingIfAbsent(db, 'report_secret', randomBytes(32).toString('hex'));
}
