/**
 * Every metadata migration, in order. A static record rather than a directory scan, so the same
 * list works under tsx, vitest and a bundled build. Kysely runs them in the order of the keys'
 * string sort: always append with the next zero-padded number.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.ts';
import * as m0002 from './0002_dashboard_sessions.ts';

/** The ordered migrations of the metadata store, by name. */
export const metaMigrations: Readonly<Record<string, Migration>> = {
  '0001_initial': m0001,
  '0002_dashboard_sessions': m0002,
};
