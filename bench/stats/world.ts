/**
 * The statistics benchmark's world: a Spoor data directory whose event store holds a generated
 * month of traffic for one domain (bench/lib/world-sql.ts, inside the engine) and whose metadata
 * store holds the user, that domain (its id is the generated `domain_id`), conversion goals and a
 * user client. A directory given with `--keep` is reused: the generation is skipped when its marker
 * file says it already holds a world of the requested size.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { ALL_SCOPES, createClient } from '../../src/manage/clients.ts';
import { createDomain } from '../../src/manage/domains.ts';
import { createGoal, listGoals } from '../../src/manage/goals.ts';
import { createUser, findUserByEmail } from '../../src/manage/users.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { openStores, type Stores } from '../../src/server/lifecycle.ts';
import type { Domain } from '../../src/store/meta/schema.ts';
import {
  eventsInsertSql,
  meanViewsPerSession,
  pageViewsInsertSql,
  sessionsInsertSql,
  type WorldShape,
} from '../lib/world-sql.ts';

export const HOSTNAME = 'www.bench-stats.example';
export const TIMEZONE = 'Europe/Berlin';
/** The generated month, as local dates of the domain's zone. */
export const FIRST_DAY = '2024-05-01';
export const LAST_DAY = '2024-05-30';
export const DAYS = 30;
/** Local midnight of FIRST_DAY in Europe/Berlin (UTC+2 in May), in UTC. */
const FROM_UTC = '2024-04-30 22:00:00';
/** Session length: k = 1 + floor(Exp(2.8)), 3.33 page views per session on average. */
const LENGTH_MEAN = 2.8;
const EVENT_SHARE = 0.1;
/** Bump when the generator changes, so kept directories are regenerated. */
const GENERATOR_VERSION = 3;
const MARKER = 'bench-stats-world.json';

/** Conversion goals of the domain (path patterns, decision 9). */
export const GOALS = [
  { name: 'Blog', path_pattern: '/blog/**' },
  { name: 'Docs article', path_pattern: '/docs/*' },
  { name: 'Home', path_pattern: '/' },
];

export interface WorldInfo {
  generatorVersion: number;
  pageViews: number;
  sessions: number;
  events: number;
  sessionRows: number;
  domainId: string;
  generatedAt: string;
  generationSeconds: number;
  optimizeSeconds: number;
}

export interface BenchWorld {
  dataDir: string;
  stores: Stores;
  app: App;
  /** `http://127.0.0.1:port` */
  baseUrl: string;
  domain: Domain;
  info: WorldInfo;
  /** Page views inserted for the live hour of this run (active visitors), 0 if none were needed. */
  livePageViews: number;
  /** A fresh access token of a user client. */
  token(): Promise<string>;
  close(): Promise<void>;
}

function log(message: string): void {
  console.log(`[world] ${message}`);
}

async function count(stores: Stores, sql: string): Promise<number> {
  const [row] = await stores.events.query<{ c: string }>(sql);
  return Number(row?.c ?? 0);
}

/** Generate the month of traffic of `domainId` (empties the tables first). */
async function generate(stores: Stores, domainId: string, pageViews: number): Promise<WorldInfo> {
  const db = stores.events.database;
  for (const table of ['page_view', 'session', 'event']) {
    await stores.events.command(`TRUNCATE TABLE ${db}.${table}`);
  }
  const sessions = Math.round(pageViews / meanViewsPerSession(LENGTH_MEAN));
  const shape: WorldShape = {
    sessions,
    domainSql: `'${domainId}'`,
    hostnameSql: `'bench-stats.example'`,
    from: FROM_UTC,
    spanMs: DAYS * 86_400_000,
    lengthMean: LENGTH_MEAN,
    eventShare: EVENT_SHARE,
  };
  let t = performance.now();
  for (const [what, sql] of [
    ['page views', pageViewsInsertSql(db, shape)],
    ['events', eventsInsertSql(db, shape)],
    ['sessions', sessionsInsertSql(db, shape)],
  ] as const) {
    const started = performance.now();
    await stores.events.command(sql);
    log(`${what} generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const generationSeconds = (performance.now() - t) / 1000;
  const sessionRows = await count(stores, `SELECT count() AS c FROM ${db}.session`);
  t = performance.now();
  for (const table of ['page_view', 'event', 'session']) {
    await stores.events.command(`OPTIMIZE TABLE ${db}.${table} FINAL`);
  }
  const optimizeSeconds = (performance.now() - t) / 1000;
  log(`merged (OPTIMIZE FINAL) in ${optimizeSeconds.toFixed(1)} s`);
  return {
    generatorVersion: GENERATOR_VERSION,
    pageViews: await count(stores, `SELECT count() AS c FROM ${db}.page_view`),
    sessions,
    events: await count(stores, `SELECT count() AS c FROM ${db}.event`),
    sessionRows,
    domainId,
    generatedAt: new Date().toISOString(),
    generationSeconds,
    optimizeSeconds,
  };
}

/**
 * Live traffic for the active-visitors statistic: unless the last ten minutes already hold half
 * the month's rate of page views, add half an hour of sessions (at the month's rate) starting 40
 * to 10 minutes ago.
 */
async function addLiveTraffic(stores: Stores, domainId: string, info: WorldInfo): Promise<number> {
  const db = stores.events.database;
  const sessions = info.sessions;
  const recent = await count(
    stores,
    `SELECT count() AS c FROM ${db}.page_view WHERE domain_id = '${domainId}'
       AND time >= now64(3) - INTERVAL 10 MINUTE`,
  );
  if (recent >= info.pageViews / (DAYS * 24 * 6) / 2) return 0;
  const before = await count(stores, `SELECT count() AS c FROM ${db}.page_view`);
  const now = Date.now();
  const from = new Date(now - 40 * 60_000).toISOString().replace('T', ' ').replace('Z', '');
  const shape: WorldShape = {
    sessions: Math.max(1, Math.round(sessions / (DAYS * 24) / 2)),
    // Session numbers of live traffic never repeat those of the month or of another run.
    firstSession: 1_000_000_000 + Math.floor(now / 60_000) * 100_000,
    domainSql: `'${domainId}'`,
    hostnameSql: `'bench-stats.example'`,
    from,
    spanMs: 30 * 60_000,
    lengthMean: LENGTH_MEAN,
    eventShare: EVENT_SHARE,
  };
  await stores.events.command(pageViewsInsertSql(db, shape));
  await stores.events.command(eventsInsertSql(db, shape));
  await stores.events.command(sessionsInsertSql(db, shape));
  return (await count(stores, `SELECT count() AS c FROM ${db}.page_view`)) - before;
}

async function metadata(stores: Stores): Promise<Domain> {
  const db = stores.meta.db;
  const email = 'bench-stats@example.com';
  const user =
    (await findUserByEmail(db, email)) ??
    (await createUser(db, { email, password: 'correct horse battery' }));
  const domain =
    (await db
      .selectFrom('domain')
      .selectAll()
      .where('hostname', '=', HOSTNAME)
      .executeTakeFirst()) ??
    (await createDomain(db, { userId: user.id, hostname: HOSTNAME, timezone: TIMEZONE }));
  if (!/^[A-Za-z0-9]+$/.test(domain.id)) throw new Error(`unexpected domain id ${domain.id}`);
  if ((await listGoals(db, domain.id)).length === 0) {
    for (const goal of GOALS) await createGoal(db, domain.id, goal);
  }
  return domain;
}

/** Open (and if needed generate) the world and start the app on 127.0.0.1. */
export async function openBenchWorld(options: {
  pageViews: number;
  keepDir: string | undefined;
}): Promise<BenchWorld> {
  const dataDir = options.keepDir
    ? path.resolve(options.keepDir)
    : mkdtempSync(path.join(os.tmpdir(), 'spoor-bench-stats-'));
  const config = loadConfig({
    SPOOR_DATA_DIR: dataDir,
    SPOOR_LOG_LEVEL: 'silent',
    SPOOR_HOST: '127.0.0.1',
    SPOOR_TOKEN_RATE_LIMIT: '1000',
  });
  const stores = await openStores(config);
  const domain = await metadata(stores);
  const markerFile = path.join(dataDir, MARKER);
  let info: WorldInfo | undefined;
  if (existsSync(markerFile)) {
    const kept = JSON.parse(readFileSync(markerFile, 'utf8')) as WorldInfo;
    const wanted = Math.round(options.pageViews / meanViewsPerSession(LENGTH_MEAN));
    if (
      kept.generatorVersion === GENERATOR_VERSION &&
      kept.domainId === domain.id &&
      kept.sessions === wanted
    ) {
      info = kept;
      log(`reusing the world in ${dataDir} (${kept.pageViews} page views, ${kept.generatedAt})`);
    }
  }
  if (!info) {
    log(`generating ${options.pageViews} page views in ${dataDir}`);
    info = await generate(stores, domain.id, options.pageViews);
    writeFileSync(markerFile, `${JSON.stringify(info, null, 2)}\n`);
  }
  const livePageViews = await addLiveTraffic(stores, domain.id, info);
  if (livePageViews > 0) log(`added ${livePageViews} live page views (active visitors)`);

  const app = await buildApp({ config, ...stores });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const { client, secret } = await createClient(stores.meta.db, {
    userId: domain.user_id,
    domainId: null,
    type: 'oauth',
    description: 'statistics benchmark',
    scopes: ALL_SCOPES,
  });
  return {
    dataDir,
    stores,
    app,
    baseUrl,
    domain,
    info,
    livePageViews,
    async token() {
      const res = await fetch(`${baseUrl}/api/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: client.client_id, client_secret: secret }),
      });
      if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async close() {
      await app.close();
      await stores.events.close();
      await stores.meta.close();
      if (!options.keepDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
