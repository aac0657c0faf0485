/** `spoor serve` and `spoor migrate`: the commands that open the event store. */
import type { Config } from '../config.ts';
import { migrateEventStore } from '../store/clickhouse/migrations.ts';
import { openChdbEventStore } from '../store/clickhouse/chdb-store.ts';
import { openMetaStore } from '../store/meta/db.ts';
import { migrateMetaStore } from '../store/meta/migrate.ts';
import { closeOnSignals, startServer } from '../server/lifecycle.ts';
import type { CommandResult } from './main.ts';

/** Run the server until SIGTERM/SIGINT. */
export async function serve(config: Config): Promise<void> {
  const server = await startServer(config);
  closeOnSignals(server);
}

/** Apply pending migrations of both stores and report what was applied. */
export async function migrate(config: Config): Promise<CommandResult> {
  const meta = await openMetaStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const metadata = await migrateMetaStore(meta);
    const events = await openChdbEventStore({ dataDir: config.dataDir });
    try {
      const applied = await migrateEventStore(events);
      return {
        json: { metadata: metadata.applied, events: applied.applied },
        text:
          `metadata: ${metadata.applied.length} migration(s) applied; ` +
          `events: ${applied.applied.length} migration(s) applied`,
      };
    } finally {
      await events.close();
    }
  } finally {
    await meta.close();
  }
}
