/** Real stores in a fresh temporary data directory, for tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { openStores, type Stores } from '../../src/server/lifecycle.ts';

// chDB allows one engine directory per process: every world of a test file shares it and gets a
// database of its own.
let engineDir: string | undefined;
let worlds = 0;

/** A new, empty data directory under the system temp dir. */
export function tempDataDir(prefix = 'spoor-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export interface TestWorld extends Stores {
  config: Config;
  app: App;
  /** Close the app and stores and delete the data directory. */
  close(): Promise<void>;
}

/** Migrated stores and an app built on them (not listening; use `app.inject`). */
export async function createTestWorld(
  env: Record<string, string> = {},
  beforeReady?: (app: App, stores: Stores) => void | Promise<void>,
): Promise<TestWorld> {
  const dataDir = tempDataDir();
  const config = loadConfig({
    SPOOR_LOG_LEVEL: 'silent',
    SPOOR_TOKEN_RATE_LIMIT: '10000',
    ...env,
    SPOOR_DATA_DIR: dataDir,
  });
  if (engineDir === undefined) {
    const dir = (engineDir = tempDataDir('spoor-engine-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  worlds += 1;
  const stores = await openStores(config, { dataDir: engineDir, database: `spoor_w${worlds}` });
  const app = await buildApp({ config, ...stores });
  await beforeReady?.(app, stores);
  await app.ready();
  return {
    config,
    app,
    ...stores,
    async close() {
      await app.close();
      await stores.events.command(`DROP DATABASE IF EXISTS ${stores.events.database}`);
      await stores.events.close();
      await stores.meta.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
