/**
 * Statistics for e-mails, computed by the very statistics the API serves (`stats/index.ts`) with
 * a filter parsed by the API's own parser, so a number in an e-mail is the number the dashboard
 * shows for the same days. No SQL of its own.
 */
import type { Kysely } from 'kysely';
import { parseFilter, type RawQuery } from '../stats/filter.ts';
import { statistics } from '../stats/index.ts';
import type { EventStore } from '../store/clickhouse/event-store.ts';
import type { Domain, MetaDatabase } from '../store/meta/schema.ts';

/** The stores a statistic reads. */
export interface StatisticStores {
  db: Kysely<MetaDatabase>;
  events: EventStore;
}

/**
 * The answer of the statistic at `path` (e.g. `statistics/page`) for `domain` and the query
 * parameters of an API request (`from`, `to`, `limit`, filters). Undefined when no statistic
 * has that path.
 */
export async function computeStatistic<T>(
  stores: StatisticStores,
  domain: Domain,
  path: string,
  query: RawQuery,
  nowMs: number = Date.now(),
): Promise<T | undefined> {
  const statistic = statistics.find((s) => s.path === path);
  if (!statistic) return undefined;
  const filter = parseFilter(
    { ...query, id: domain.id },
    {
      timezone: domain.timezone,
      nowMs,
      requirePeriod: statistic.requirePeriod ?? true,
      sortFields: statistic.sortFields ?? [],
    },
  );
  return (await statistic.compute({
    filter,
    domain,
    events: stores.events,
    meta: stores.db,
    nowMs,
  })) as T;
}
