/** Helpers for the parts of ClickHouse SQL that cannot be bound as parameters. */

import { EventStoreError } from './event-store.ts';

// Database and table names are spliced into SQL text, so only plain identifiers are accepted.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Return `name` if it is a plain ClickHouse identifier, else throw an EventStoreError. */
export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new EventStoreError(`invalid ClickHouse identifier ${JSON.stringify(name)}`);
  }
  return name;
}

/** `db.table` with both parts checked, for SQL text that must name a table. */
export function qualify(db: string, table: string): string {
  return `${assertIdentifier(db)}.${assertIdentifier(table)}`;
}

/**
 * UTC wall time as `'YYYY-MM-DD HH:MM:SS.mmm'`: the text form a `DateTime64(3, 'UTC')` column or
 * parameter parses under every `date_time_input_format`.
 */
export function toDateTime64(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new EventStoreError('invalid Date');
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ, always UTC
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}
