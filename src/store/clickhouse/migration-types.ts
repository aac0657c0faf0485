/** Shapes shared by the event store's schema migrations. */

/** What a migration's SQL depends on. */
export interface MigrationContext {
  /** The database to qualify every table with (already validated as an identifier). */
  db: string;
}

/**
 * One schema version. ClickHouse DDL is not transactional, so every statement must be safe to run
 * again (`IF NOT EXISTS`, `ADD COLUMN IF NOT EXISTS`, …): a migration that failed halfway is simply
 * re-run from its first statement.
 */
export interface Migration {
  /** Positive, strictly increasing along the list; never renumbered once released. */
  version: number;
  name: string;
  statements(context: MigrationContext): string[];
}
