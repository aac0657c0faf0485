/**
 * The embedded event store: the ClickHouse engine running in-process through chDB, data under
 * `<dataDir>/clickhouse`.
 */

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Session, drainPending } from 'chdb';
import { EventStoreError } from './event-store.ts';
import type { EventStore, InsertRow, QueryParams } from './event-store.ts';
import { assertIdentifier, toDateTime64 } from './sql.ts';

export { EventStoreError } from './event-store.ts';

export interface ChdbEventStoreOptions {
  /** Spoor's data directory; the engine keeps its files in `<dataDir>/clickhouse`. */
  dataDir: string;
  /** ClickHouse database for Spoor's tables, created if missing. Default `spoor`. */
  database?: string;
}

// Engine-wide settings. They are connect-time arguments because the Session is shared by every
// store on the directory, so there is no per-store place to SET them.
const ENGINE_ARGS = [
  // JSON cannot carry integers above 2^53 as numbers; ids are UInt64.
  '--output_format_json_quote_64bit_integers=1',
  // Functions without an explicit zone (now(), toDate(x)) must not depend on the host's TZ.
  '--session_timezone=UTC',
];

// Strict per-INSERT settings: a misspelt column must fail loudly instead of being dropped (chDB
// defaults to skipping unknown fields), and DateTime64 text is accepted in any common form.
const INSERT_SETTINGS = {
  input_format_skip_unknown_fields: 0,
  date_time_input_format: 'best_effort',
} as const;

interface Engine {
  session: Session;
  refs: number;
}

// chDB binds one data directory per process; stores on the same directory share one Session.
const engines = new Map<string, Engine>();

function acquireEngine(dir: string): Session {
  const existing = engines.get(dir);
  if (existing) {
    existing.refs += 1;
    return existing.session;
  }
  mkdirSync(dir, { recursive: true });
  let session: Session;
  try {
    session = new Session(dir, { connectionArgs: ENGINE_ARGS });
  } catch (e) {
    throw toEventStoreError(e);
  }
  engines.set(dir, { session, refs: 1 });
  return session;
}

async function releaseEngine(dir: string): Promise<void> {
  const engine = engines.get(dir);
  if (!engine) return;
  engine.refs -= 1;
  if (engine.refs > 0) return;
  engines.delete(dir);
  engine.session.close();
  // close() defers the native teardown behind running operations; wait so that the caller may
  // open another data directory as soon as this resolves.
  await drainPending();
}

/** The ClickHouse error code of an engine error: the typed field, else the message's prefix. */
function clickhouseCodeOf(e: unknown, message: string): number | undefined {
  if (typeof e === 'object' && e !== null && 'clickhouseCode' in e) {
    const code = (e as { clickhouseCode?: unknown }).clickhouseCode;
    if (typeof code === 'number') return code;
  }
  const match = /^Code: (\d+)\./.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** Wrap anything thrown by chDB in an EventStoreError carrying the ClickHouse code. */
export function toEventStoreError(e: unknown): EventStoreError {
  if (e instanceof EventStoreError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new EventStoreError(message, clickhouseCodeOf(e, message), { cause: e });
}

type BoundValue = string | number | bigint | boolean | readonly (string | number | bigint)[];

/** chDB formats a Date without milliseconds; bind our own text so DateTime64 keeps them. */
function bindValue(value: QueryParams[string]): BoundValue {
  if (!(value instanceof Date)) return value;
  const text = toDateTime64(value);
  // Whole seconds drop the fraction so the same Date also binds to a plain DateTime placeholder.
  return text.endsWith('.000') ? text.slice(0, -4) : text;
}

function bindParams(params: QueryParams): Record<string, BoundValue> {
  const bound: Record<string, BoundValue> = {};
  for (const [name, value] of Object.entries(params)) bound[name] = bindValue(value);
  return bound;
}

/** JSON for one JSONEachRow line: bigint as a decimal string, Date as DateTime64 text. */
function rowReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // `value` is already Date.toJSON()'s ISO string; the holder still has the Date itself.
  const original = this[key];
  if (original instanceof Date) return toDateTime64(original);
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Whether a value holds a Date or a bigint anywhere, which only the replacer serialises right. */
function needsReplacer(value: unknown): boolean {
  if (typeof value === 'bigint' || value instanceof Date) return true;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(needsReplacer);
  for (const key in value) {
    if (needsReplacer((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/**
 * The rows as JSONEachRow input: one JSON array of objects, which the format also reads and
 * which one JSON.stringify call writes faster than a line per row.
 */
function jsonEachRowPayload(rows: readonly InsertRow[]): Buffer {
  // A replacer takes JSON.stringify off V8's fast path (twice the time per row); rows of plain
  // strings, numbers, arrays and objects, as the writer's are, do not need it.
  const text = rows.some(needsReplacer) ? JSON.stringify(rows, rowReplacer) : JSON.stringify(rows);
  return Buffer.from(text);
}

/** Parse JSONEachRow output without one JSON.parse per line. */
function parseJsonEachRow<T>(text: string): T[] {
  const body = text.trimEnd();
  if (body === '') return [];
  // Rows are separated by '\n' and JSON strings escape newlines, so this is an exact split.
  return JSON.parse(`[${body.replaceAll('\n', ',')}]`) as T[];
}

/** An EventStore on the in-process chDB engine. Create it with `openChdbEventStore`. */
export class ChdbEventStore implements EventStore {
  readonly database: string;
  /** The engine's data directory, `<dataDir>/clickhouse`, absolute. */
  readonly engineDir: string;
  private readonly session: Session;
  private readonly pending = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;

  private constructor(session: Session, engineDir: string, database: string) {
    this.session = session;
    this.engineDir = engineDir;
    this.database = database;
  }

  /** Open (or join) the engine on `dataDir` and make sure the database exists. */
  static async open(options: ChdbEventStoreOptions): Promise<ChdbEventStore> {
    const database = assertIdentifier(options.database ?? 'spoor');
    const engineDir = path.resolve(options.dataDir, 'clickhouse');
    const store = new ChdbEventStore(acquireEngine(engineDir), engineDir, database);
    try {
      await store.command(`CREATE DATABASE IF NOT EXISTS ${database}`);
    } catch (e) {
      await store.close();
      throw e;
    }
    return store;
  }

  async insert(table: string, rows: readonly InsertRow[]): Promise<void> {
    if (rows.length === 0) return;
    const target = table.includes('.')
      ? table.split('.').map(assertIdentifier).join('.')
      : `${this.database}.${assertIdentifier(table)}`;
    const payload = jsonEachRowPayload(rows);
    await this.track(() =>
      this.session.insert({
        table: target,
        values: payload,
        format: 'JSONEachRow',
        settings: INSERT_SETTINGS,
      }),
    );
  }

  async query<T>(sql: string, params?: QueryParams): Promise<T[]> {
    const result = await this.run(sql, params, 'JSONEachRow');
    return parseJsonEachRow<T>(result.text());
  }

  async command(sql: string, params?: QueryParams): Promise<void> {
    await this.run(sql, params, 'TabSeparated');
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.pending]);
      await releaseEngine(this.engineDir);
    })();
    return this.closing;
  }

  private run(sql: string, params: QueryParams | undefined, format: string) {
    return this.track(() =>
      // Unbound statements skip chDB's process-wide queue for parameterised queries.
      params && Object.keys(params).length > 0
        ? this.session.queryBindAsync(sql, bindParams(params), { format })
        : this.session.queryAsync(sql, { format }),
    );
  }

  /** Run one engine call, wrapping its errors and letting close() wait for it. */
  private async track<R>(start: () => Promise<R>): Promise<R> {
    if (this.closing) throw new EventStoreError('event store is closed');
    let call: Promise<R>;
    try {
      call = start();
    } catch (e) {
      throw toEventStoreError(e);
    }
    this.pending.add(call);
    try {
      return await call;
    } catch (e) {
      throw toEventStoreError(e);
    } finally {
      this.pending.delete(call);
    }
  }
}

/** Open an event store on the embedded engine (shared with other stores on the same directory). */
export function openChdbEventStore(options: ChdbEventStoreOptions): Promise<ChdbEventStore> {
  return ChdbEventStore.open(options);
}
