/**
 * The event store: where page views, sessions and events live. Implemented by the embedded chDB
 * engine now and by a ClickHouse server over HTTP later; both speak the same ClickHouse SQL.
 */

/**
 * Query parameters bound server-side: `{name:Type}` placeholders in the SQL text. Values never
 * enter the SQL text, so they cannot inject. How each JS type binds (verified with chDB 3.4):
 * - `string`: any type the engine can parse from text: `String`, `UInt64` (use this or
 *   `bigint` for ids > 2^53), `Date` (`'YYYY-MM-DD'`), `DateTime64(3, 'UTC')`
 *   (`'YYYY-MM-DD HH:MM:SS[.mmm]'`; no `T`/`Z`).
 * - `number`: integers must be safe (|n| < 2^53) or the bind fails; floats bind to `Float64`.
 * - `bigint`: exact, for `UInt64`/`Int64`.
 * - `boolean`: binds to `Bool` only (not to `UInt8`: pass 0/1 there).
 * - `Date`: bound as its UTC wall time, `'YYYY-MM-DD HH:MM:SS'` plus `.mmm` when it has
 *   milliseconds: declare `DateTime64(3, 'UTC')` (a `DateTime` placeholder refuses a value with
 *   milliseconds rather than truncating it). Always name the zone in the placeholder so the
 *   value never depends on the server's time zone. A `Date` cannot bind to a `Date` placeholder:
 *   pass `'YYYY-MM-DD'`.
 * - arrays: elements are bound as SQL literals, so strings bind to `Array(String)` but NOT to
 *   `Array(UInt64)`; use `bigint` elements for 64-bit arrays. An empty array binds to any
 *   `Array(T)`.
 */
export type QueryParams = Record<
  string,
  string | number | bigint | boolean | Date | readonly (string | number | bigint)[]
>;

/**
 * One row to insert; keys are column names, values JSON-serialisable. 64-bit integers as strings
 * or `bigint`; `DateTime64` as `'YYYY-MM-DD HH:MM:SS.mmm'` UTC strings (an ISO string or a `Date`
 * also works); omitted columns take their defaults; unknown columns are an error.
 */
export type InsertRow = Record<string, unknown>;

export interface EventStore {
  /**
   * The ClickHouse database holding Spoor's tables (tests isolate by database). SQL given to
   * `query`/`command` must qualify tables with it (`${store.database}.page_view`): several stores
   * share one engine, so there is no per-store default database.
   */
  readonly database: string;
  /**
   * Insert many rows into one table with a single INSERT (one part per call). An unqualified
   * `table` is resolved in `database`. All rows are stored or none are.
   */
  insert(table: string, rows: readonly InsertRow[]): Promise<void>;
  /** Run a SELECT with bound parameters and return its rows (64-bit integers as strings). */
  query<T>(sql: string, params?: QueryParams): Promise<T[]>;
  /** Run a statement that returns no rows (DDL, ALTER, DELETE). */
  command(sql: string, params?: QueryParams): Promise<void>;
  /** Release the engine or connection once in-flight calls settle. Idempotent. */
  close(): Promise<void>;
}

/** ClickHouse error codes callers map to HTTP answers or recover from. */
export const ClickHouseErrorCode = {
  SYNTAX_ERROR: 62,
  UNKNOWN_TABLE: 60,
  UNKNOWN_DATABASE: 81,
  CANNOT_PARSE_INPUT_ASSERTION_FAILED: 27,
  CANNOT_COMPILE_REGEXP: 427,
  BAD_QUERY_PARAMETER: 457,
  UNKNOWN_QUERY_PARAMETER: 456,
} as const;

/**
 * Any failure of an event store call. `code` is the ClickHouse error code when the engine or server
 * produced one (see `ClickHouseErrorCode`), undefined for client-side failures (closed store,
 * unbindable parameter, lost connection).
 */
export class EventStoreError extends Error {
  override readonly name = 'EventStoreError';
  readonly code: number | undefined;

  constructor(message: string, code?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
