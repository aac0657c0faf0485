/**
 * What a statistic is: a path under `/api/v1/`, how its filter is parsed, and a function that
 * turns the filter into a response. Each family module exports a list of these; the API
 * registers them all the same way.
 */
import type { Kysely } from 'kysely';
import type { TSchema } from 'typebox';
import { ValidationError } from '../errors.ts';
import type { EventStore, QueryParams } from '../store/clickhouse/event-store.ts';
import { EventStoreError } from '../store/clickhouse/event-store.ts';
import type { Domain, MetaDatabase } from '../store/meta/schema.ts';
import type { Filter } from './filter.ts';
import {
  requestWindow,
  sqlContext,
  totalVisitorsSql,
  type SqlContext,
  type Window,
} from './sql.ts';

/** What a statistic gets to compute its answer. */
export interface StatisticInput {
  filter: Filter;
  domain: Domain;
  events: EventStore;
  meta: Kysely<MetaDatabase>;
  nowMs: number;
}

export interface Statistic {
  /** Path below `/api/v1/`, e.g. `statistics/total`. */
  path: string;
  summary: string;
  /** `from`/`to` required (default true). */
  requirePeriod?: boolean;
  /** Response fields `sort` may name (empty: no sorting). */
  sortFields?: readonly string[];
  /** Response schema for the OpenAPI document (optional). */
  response?: TSchema;
  compute(input: StatisticInput): Promise<unknown>;
}

/** A fresh SQL context for one query of a statistic. */
export const contextFor = (input: StatisticInput): SqlContext =>
  sqlContext(input.events.database, input.filter);

// Identical queries in flight at the same time share one run. The engine runs one query at a
// time, so a duplicate would only queue behind the first to repeat its work; the requests of a
// dashboard view all need the period's total visitors, and `total` and `growth` ask for the
// same period figures.
const inFlight = new WeakMap<EventStore, Map<string, Promise<unknown[]>>>();

function sharedRun(events: EventStore, sql: string, params: QueryParams): Promise<unknown[]> {
  let running = inFlight.get(events);
  if (!running) inFlight.set(events, (running = new Map()));
  const key = `${sql}\n${JSON.stringify(params)}`;
  const existing = running.get(key);
  // A copy per caller, so that no caller can reorder another's rows.
  if (existing) return existing.then((rows) => [...rows]);
  const run = events.query<unknown>(sql, params).finally(() => running.delete(key));
  running.set(key, run);
  return run;
}

/**
 * Run a statistics query. An invalid regular expression in `pattern` (ClickHouse can only tell
 * when it compiles it) is the client's error: 400, not 500.
 */
export async function runQuery<T>(
  events: EventStore,
  sql: string,
  params: QueryParams,
): Promise<T[]> {
  try {
    return (await sharedRun(events, sql, params)) as T[];
  } catch (err) {
    if (err instanceof EventStoreError && err.code === 427) {
      throw new ValidationError({ pattern: 'not a valid RE2 regular expression' });
    }
    throw err;
  }
}

/**
 * All visitors of the period with no filter but the time (`totalVisitorsSql`): of the request's
 * window, or of the one `windowOf` builds (e.g. growth's previous period).
 */
export async function totalVisitorsOf(
  input: StatisticInput,
  windowOf: (ctx: SqlContext) => Window = requestWindow,
): Promise<number> {
  // A fresh context numbers the parameters alike in every request, so identical totals share a run.
  const ctx = contextFor(input);
  const [row] = await runQuery<{ n: string }>(
    input.events,
    totalVisitorsSql(ctx, windowOf(ctx)),
    ctx.params.values,
  );
  return num(row?.n);
}

/** A count or sum from the engine (64-bit values arrive as text) as a JS number. */
export const num = (value: unknown): number =>
  value === null || value === undefined ? 0 : Number(value);

/** A ratio with a zero denominator counted as 1 (SEMANTICS §6.5). */
export const ratio = (part: number, whole: number): number => part / (whole === 0 ? 1 : whole);

/** Half away from zero to whole seconds (decision 17). */
export const roundSeconds = (value: number): number =>
  Math.sign(value) * Math.round(Math.abs(value));
