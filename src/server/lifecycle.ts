/**
 * Running the server: open and migrate the stores, listen, and shut down gracefully (stop
 * accepting, let in-flight requests finish, flush, close the stores).
 */
import type { Config } from '../config.ts';
import { ConfigError } from '../config.ts';
import { ensureVisitorSecret } from '../manage/installation.ts';
import { openChdbEventStore } from '../store/clickhouse/chdb-store.ts';
import type { EventStore } from '../store/clickhouse/event-store.ts';
import { migrateEventStore } from '../store/clickhouse/migrations.ts';
import { openMetaStore, type MetaStore } from '../store/meta/db.ts';
import { migrateMetaStore } from '../store/meta/migrate.ts';
import { createMailServices } from '../mail/services.ts';
import { buildApp, type App } from './app.ts';
import { createMetrics } from './metrics.ts';

export interface Stores {
  meta: MetaStore;
  events: EventStore;
}

/** Where the event store lives when not under the configured data directory (tests share one engine). */
export interface EventStoreLocation {
  dataDir: string;
  database: string;
}

/** Open both stores for this configuration and bring their schemas up to date. */
export async function openStores(config: Config, eventsAt?: EventStoreLocation): Promise<Stores> {
  if (config.clickhouseUrl !== undefined) {
    throw new ConfigError(
      'SPOOR_CLICKHOUSE_URL',
      'the ClickHouse server driver is not in this version yet; unset it to use the embedded engine',
    );
  }
  if (config.redisUrl !== undefined) {
    throw new ConfigError(
      'SPOOR_REDIS_URL',
      'the Redis session cache is not in this version yet; unset it to use the in-process cache',
    );
  }
  const meta = await openMetaStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateMetaStore(meta);
    await ensureVisitorSecret(meta.db);
    const events = await openChdbEventStore(eventsAt ?? { dataDir: config.dataDir });
    await migrateEventStore(events);
    return { meta, events };
  } catch (err) {
    await meta.close();
    throw err;
  }
}

export interface RunningServer {
  app: App;
  /** The address actually bound (useful with port 0). */
  url: string;
  /** Stop accepting, finish in-flight requests, close the stores. Idempotent. */
  close(): Promise<void>;
}

/** Open the stores, build the app and listen on the configured host and port. */
export async function startServer(config: Config): Promise<RunningServer> {
  const stores = await openStores(config);
  const metrics = createMetrics();
  const mail = createMailServices({
    config,
    db: stores.meta.db,
    events: stores.events,
    registry: metrics.registry,
  });
  const app = await buildApp({ config, ...stores, metrics, mail });
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await stores.events.close();
      await stores.meta.close();
    })());
  try {
    const url = await app.listen({ port: config.port, host: config.host });
    // E-mail reports and goal notifications; `app.close()` stops it before the stores close.
    mail.start(app.log);
    return { app, url, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Close the server on SIGTERM/SIGINT; a second signal exits at once. */
export function closeOnSignals(server: RunningServer): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
