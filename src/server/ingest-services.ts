/**
 * Wiring of the ingestion machinery for one process: geo database, session cache, group-commit
 * writer, domain directory and the pipeline itself. The server closes it after the last request
 * (flushing pending rows).
 */
import type { Config } from '../config.ts';
import { GeoLookup } from '../ingest/geo.ts';
import { Ingestor } from '../ingest/pipeline.ts';
import { MemorySessionCache, preloadLiveSessions } from '../ingest/session-cache.ts';
import { GroupCommitWriter } from '../ingest/writer.ts';
import { DomainDirectory } from '../manage/domain-directory.ts';
import { ensureVisitorSecret } from '../manage/installation.ts';
import type { EventStore } from '../store/clickhouse/event-store.ts';
import type { MetaStore } from '../store/meta/db.ts';
import type { Metrics } from './metrics.ts';

export interface IngestServices {
  ingestor: Ingestor;
  directory: DomainDirectory;
  writer: GroupCommitWriter;
  cache: MemorySessionCache;
  /** Flush pending rows and stop. */
  close(): Promise<void>;
}

/** Build the ingestion services on open stores. */
export async function createIngestServices(
  config: Config,
  stores: { meta: MetaStore; events: EventStore },
  metrics: Metrics,
): Promise<IngestServices> {
  const geo = await GeoLookup.open({ cityDatabasePath: config.geoipCityPath });
  const cache = new MemorySessionCache(config.sessionCacheSize);
  // Sessions alive before a restart go into the cache at once (one query), rather than one
  // event-store look-up per new visitor for the next half hour.
  await preloadLiveSessions(stores.events, cache, Date.now());
  const writer = new GroupCommitWriter(stores.events, {
    flushIntervalMs: config.flushIntervalMs,
    maxRows: config.flushRows,
    onInsert: (table, rows) => {
      metrics.rowsWritten.inc({ table }, rows);
      metrics.batchSize.observe({ table }, rows);
    },
    // Cached states of the failed batch may never have been stored: forget them all, so the
    // next requests read the truth from the event store.
    onFailure: () => cache.clear(),
  });
  const directory = new DomainDirectory(stores.meta.db);
  const ingestor = new Ingestor(
    stores.events,
    cache,
    writer,
    geo,
    { visitorSecret: await ensureVisitorSecret(stores.meta.db), honourDnt: config.honourDnt },
    (reason) => metrics.dropped.inc({ reason }),
  );
  return {
    ingestor,
    directory,
    writer,
    cache,
    async close() {
      await writer.close();
      directory.close();
    },
  };
}
