/**
 * Ingestion benchmark (DESIGN.md §5: requests/s of `POST /api/v1/hit` through the whole pipeline
 * ≥ 0.5 × a no-op Fastify route measured in the same run, with p99 latency reported).
 *
 * One process holds a Spoor app on a fresh temporary data directory (embedded chDB + SQLite) and
 * a bare Fastify app whose `POST /noop` parses the same JSON bodies and answers 200. Both listen
 * on 127.0.0.1 and share the machine's conditions. autocannon fires from a worker thread of the
 * same process (so the load generator does not run on the server's event loop), sending varied,
 * realistic hit bodies (bench/lib/traffic.ts) in rotation. After each run the benchmark waits
 * for in-flight rows and background merges to settle, then counts what landed in `page_view`.
 *
 * Runs (100 connections unless noted; pN = pipelining N): b0) /hit p1 on a just-started app ·
 * a) no-op p1 · b) /hit p1 · c) /hit p10 · d) no-op p10 · e) /hit/batch with 100 hits, 10
 * connections · f) /hit p1 with SPOOR_FLUSH_INTERVAL_MS=20 (latency vs group-commit interval).
 * b–f run on apps built as if up for 2 hours (bench/lib/uptime.ts); b0 shows the start-up regime.
 *
 * Run: npm run bench:ingest [-- --duration 10 --warmup 3 --only a,b]
 * Profile: node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/ingest/run.ts --only b
 * Results: stdout table and bench/results/ingest.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import { createClient } from '../../src/manage/clients.ts';
import { createDomain } from '../../src/manage/domains.ts';
import { createUser } from '../../src/manage/users.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { openStores, type Stores } from '../../src/server/lifecycle.ts';
import { createMetrics, type Metrics } from '../../src/server/metrics.ts';
import type { EventStore } from '../../src/store/clickhouse/event-store.ts';
import {
  CountingEventStore,
  counterDelta,
  type StoreCounters,
} from '../lib/counting-event-store.ts';
import { Traffic, USER_AGENT_COUNT } from '../lib/traffic.ts';
import { buildAsIfUpFor } from '../lib/uptime.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROTATE_BODIES = path.join(HERE, 'rotate-bodies.cjs');
const RESULTS_FILE = path.join(HERE, '..', 'results', 'ingest.json');

const SITE = 'www.acme-analytics.example';
const VISITORS = 5000;
const BATCH_SIZE = 100;
/** Batches in the warm-up and measured pools; a run that sends more wraps around in time. */
const BATCH_WARMUP_POOL = 200;
const BATCH_RUN_POOL = 1000;
/**
 * Emulated uptime of the warm apps: beyond the session timeout (30 min) for live hits, and beyond
 * it plus the batch window (1 h) so batch times in the past hour need no store look-up either.
 */
const WARM_UPTIME_MS = 2 * 3_600_000;
/** The design's floor: /hit requests/s over no-op requests/s. */
const TARGET_RATIO = 0.5;

interface Args {
  duration: number;
  warmup: number;
  only: Set<string> | undefined;
}

function parseCli(): Args {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      only: { type: 'string' },
    },
  });
  const duration = Number(values.duration);
  const warmup = Number(values.warmup);
  if (!(duration > 0) || !(warmup >= 0)) throw new Error('--duration and --warmup are seconds');
  return {
    duration,
    warmup,
    only: values.only === undefined ? undefined : new Set(values.only.split(',')),
  };
}

// ---------------------------------------------------------------------------------------------
// Servers

interface SpoorInstance {
  app: App;
  uptimeMs: number;
  url: string;
  metrics: Metrics;
  config: Config;
}

/** Spoor's configuration for the benchmark; only the group-commit knobs come from outside. */
function benchConfig(dataDir: string, overrides: Record<string, string> = {}): Config {
  const passThrough = ['SPOOR_FLUSH_INTERVAL_MS', 'SPOOR_FLUSH_ROWS', 'SPOOR_SESSION_CACHE_SIZE'];
  const env: Record<string, string> = {};
  for (const name of passThrough) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return loadConfig({
    ...env,
    ...overrides,
    SPOOR_DATA_DIR: dataDir,
    SPOOR_LOG_LEVEL: 'silent',
    SPOOR_HOST: '127.0.0.1',
  });
}

/**
 * A Spoor app on the shared stores. `uptimeMs` > 0 builds it as if the process had been running
 * that long (see bench/lib/uptime.ts): its session cache then vouches for misses at once.
 */
async function startSpoor(
  config: Config,
  stores: Stores,
  events: EventStore,
  uptimeMs: number,
): Promise<SpoorInstance> {
  const metrics = createMetrics();
  const app = await buildAsIfUpFor(uptimeMs, () =>
    buildApp({ config, meta: stores.meta, events, metrics }),
  );
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, uptimeMs, url, metrics, config };
}

/** The baseline: Fastify with default JSON parsing, same body limit, nothing else. */
async function startNoop(bodyLimit: number): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false, bodyLimit });
  app.post('/noop', async (_request, reply) => reply.code(200).send());
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

/** A user, their domain and a `pa_` access key that may send hits, made through the services. */
async function createAccessKey(stores: Stores): Promise<string> {
  const db = stores.meta.db;
  const user = await createUser(db, {
    email: 'bench@example.com',
    password: 'correct horse battery',
  });
  const domain = await createDomain(db, { userId: user.id, hostname: SITE });
  const { secret } = await createClient(db, {
    userId: user.id,
    domainId: domain.id,
    type: 'token',
    scopes: { hit: 'w', event: 'w', session: 'w' },
  });
  return secret;
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** Which server a run targets: the baseline, or Spoor just started / as if up for hours. */
type Target = 'noop' | 'spoor-cold' | 'spoor-warm' | 'spoor-warm-flush20';

interface RunSpec {
  id: string;
  label: string;
  target: Target;
  path: string;
  connections: number;
  pipelining: number;
  hitsPerRequest: number;
  /** Body pool files (JSON arrays of body strings) for the warm-up and the measured run. */
  pools: { warmup: string; run: string };
}

interface RunResult {
  id: string;
  label: string;
  path: string;
  connections: number;
  pipelining: number;
  flushIntervalMs: number | null;
  /** Emulated uptime of the Spoor app (0: just started; see bench/lib/uptime.ts). */
  appUptimeEmulatedMs: number | null;
  durationS: number;
  requestsPerSec: number;
  requestsTotal: number;
  hitsPerSec: number;
  latencyMs: { mean: number; p50: number; p90: number; p97_5: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** page_view rows that landed between before and after the run (Spoor runs). */
  rowsLanded: number | null;
  rowsPerSec: number | null;
  /** Requests accepted but not recorded, by reason (Spoor runs). */
  dropped: Record<string, number> | null;
  store: (StoreCounters & { rowsPerInsert: number; meanInsertMs: number }) | null;
  /** Share of time the server's (main) event loop was busy: ≈ 1 means the server is the limit. */
  serverEventLoopUtilization: number;
  /**
   * CPU time of the main thread (both servers' event loop; not autocannon's worker, not chDB's
   * threads) per request, in µs. Unlike the utilisation it does not grow when other processes
   * take the CPU, so it compares runs on a busy machine. Null where /proc is missing.
   */
  serverCpuUsPerRequest: number | null;
  /** A reading of what held the run back (see `limitOf`). */
  limitedBy: string;
  /** CPU of the whole process (server, chDB threads and the load-generator thread), in cores. */
  processCpuCores: number;
  loadAverage1mBefore: number;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on every Linux architecture). */
const USER_HZ = 100;

/** CPU time (user + system) of this process's main thread so far, in ms; null without /proc. */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may hold spaces): utime is the 14th
    // field of the line, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Wait until rows of requests still in flight when autocannon stopped have landed and the
 * engine's background merges are done, so one run's leftovers do not load the next run.
 */
async function settle(store: EventStore, maxMs = 20_000): Promise<number> {
  const deadline = Date.now() + maxMs;
  let previous = -1;
  for (;;) {
    await sleep(300);
    const [row] = await store.query<{ rows: string; merges: string }>(
      `SELECT (SELECT count() FROM ${store.database}.page_view) AS rows,
              (SELECT count() FROM system.merges) AS merges`,
    );
    const rows = Number(row?.rows ?? 0);
    if ((rows === previous && Number(row?.merges ?? 0) === 0) || Date.now() > deadline) return rows;
    previous = rows;
  }
}

async function droppedCounts(metrics: Metrics): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { labels, value } of (await metrics.dropped.get()).values) {
    out[String(labels.reason)] = value;
  }
  return out;
}

function fire(
  url: string,
  spec: RunSpec,
  headers: Record<string, string>,
  pool: string,
  duration: number,
) {
  // Read by rotate-bodies.cjs in the worker, which gets a copy of the environment at start.
  process.env.SPOOR_BENCH_POOL = pool;
  return autocannon({
    url: url + spec.path,
    connections: spec.connections,
    pipelining: spec.pipelining,
    duration,
    workers: 1,
    timeout: 30,
    requests: [{ method: 'POST', headers, setupRequest: ROTATE_BODIES }],
  });
}

async function measure(
  spec: RunSpec,
  url: string,
  headers: Record<string, string>,
  args: Args,
  store: EventStore,
  spoor: SpoorInstance | undefined,
  counting: CountingEventStore,
): Promise<RunResult> {
  process.stdout.write(`  ${spec.id}) ${spec.label} … `);
  if (args.warmup > 0) await fire(url, spec, headers, spec.pools.warmup, args.warmup);
  const rowsBefore = await settle(store);
  const droppedBefore = spoor ? await droppedCounts(spoor.metrics) : {};
  const countersBefore = counting.snapshot();
  const loadBefore = os.loadavg()[0] ?? 0;
  const eluBefore: EventLoopUtilization = performance.eventLoopUtilization();
  const cpuBefore = process.cpuUsage();
  const mainCpuBefore = mainThreadCpuMs();
  const wallBefore = performance.now();

  const result = await fire(url, spec, headers, spec.pools.run, args.duration);

  const wallMs = performance.now() - wallBefore;
  const cpu = process.cpuUsage(cpuBefore);
  const mainCpuAfter = mainThreadCpuMs();
  const elu = performance.eventLoopUtilization(eluBefore);
  const counters = counterDelta(countersBefore, counting.snapshot());
  const rowsAfter = await settle(store);
  const droppedAfter = spoor ? await droppedCounts(spoor.metrics) : {};

  const dropped: Record<string, number> = {};
  for (const [reason, n] of Object.entries(droppedAfter)) {
    const delta = n - (droppedBefore[reason] ?? 0);
    if (delta > 0) dropped[reason] = delta;
  }
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count;
  const rowsLanded = spoor ? rowsAfter - rowsBefore : null;
  const out: RunResult = {
    id: spec.id,
    label: spec.label,
    path: spec.path,
    connections: spec.connections,
    pipelining: spec.pipelining,
    flushIntervalMs: spoor ? spoor.config.flushIntervalMs : null,
    appUptimeEmulatedMs: spoor ? spoor.uptimeMs : null,
    durationS: result.duration,
    requestsPerSec: result.requests.average,
    requestsTotal: result.requests.total,
    hitsPerSec: result.requests.average * spec.hitsPerRequest,
    latencyMs: {
      mean: result.latency.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    rowsLanded,
    rowsPerSec: rowsLanded === null ? null : rowsLanded / result.duration,
    dropped: spoor ? dropped : null,
    store: spoor
      ? {
          ...counters,
          rowsPerInsert: counters.inserts > 0 ? counters.insertedRows / counters.inserts : 0,
          meanInsertMs: counters.inserts > 0 ? counters.insertMs / counters.inserts : 0,
        }
      : null,
    serverEventLoopUtilization: elu.utilization,
    serverCpuUsPerRequest:
      mainCpuBefore === null || mainCpuAfter === null || result.requests.total === 0
        ? null
        : ((mainCpuAfter - mainCpuBefore) * 1000) / result.requests.total,
    limitedBy: limitOf(
      elu.utilization,
      spoor !== undefined,
      counters.queries,
      result.requests.total,
    ),
    processCpuCores: (cpu.user + cpu.system) / 1000 / wallMs,
    loadAverage1mBefore: loadBefore,
  };
  process.stdout.write(
    `${Math.round(out.requestsPerSec)} req/s, p99 ${out.latencyMs.p99} ms` +
      (out.non2xx > 0 ? `, ${out.non2xx} non-2xx ${JSON.stringify(statusCodes)}` : '') +
      '\n',
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reporting

/**
 * What held a run back, read from the server's event-loop utilisation: a busy loop means the
 * server's CPU; an idle one under a closed-loop load means requests were waiting — for event-store
 * look-ups when the app made many, else for the group-commit flush (or, for the no-op, the load
 * generator or a busy machine).
 */
function limitOf(elu: number, spoor: boolean, storeQueries: number, requests: number): string {
  if (elu >= 0.8) return 'server CPU';
  if (!spoor) return 'load generator/machine';
  return storeQueries > requests * 0.1 ? 'store look-ups' : 'flush latency';
}

function fmt(n: number | null, digits = 0): string {
  if (n === null || !Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function table(runs: RunResult[]): string {
  const header = [
    'run',
    'conn×pipe',
    'flush ms',
    'req/s',
    'hits/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'rows/s landed',
    'server ELU',
    'server CPU µs/req',
    'CPU cores',
    'limited by',
    'store look-ups',
    'rows/INSERT',
  ];
  const rows = runs.map((r) => [
    `${r.id}) ${r.label}`,
    `${r.connections}×${r.pipelining}`,
    r.flushIntervalMs === null ? '–' : String(r.flushIntervalMs),
    fmt(r.requestsPerSec),
    fmt(r.hitsPerSec),
    fmt(r.latencyMs.p50),
    fmt(r.latencyMs.p99),
    fmt(r.non2xx + r.errors + r.timeouts),
    fmt(r.rowsPerSec),
    fmt(r.serverEventLoopUtilization, 2),
    fmt(r.serverCpuUsPerRequest),
    fmt(r.processCpuCores, 2),
    r.limitedBy,
    r.store ? fmt(r.store.queries) : '–',
    r.store ? fmt(r.store.rowsPerInsert) : '–',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

interface Ratio {
  name: string;
  hit: string;
  noop: string;
  ratio: number;
  target: number;
  pass: boolean;
}

function ratio(runs: RunResult[], hitId: string, noopId: string, name: string): Ratio | undefined {
  const hit = runs.find((r) => r.id === hitId);
  const noop = runs.find((r) => r.id === noopId);
  if (!hit || !noop || noop.requestsPerSec === 0) return undefined;
  const value = hit.requestsPerSec / noop.requestsPerSec;
  return {
    name,
    hit: hitId,
    noop: noopId,
    ratio: value,
    target: TARGET_RATIO,
    pass: value >= TARGET_RATIO,
  };
}

function machine() {
  const cpus = os.cpus();
  const autocannonPackage = JSON.parse(
    readFileSync(path.join(HERE, '..', '..', 'node_modules', 'autocannon', 'package.json'), 'utf8'),
  ) as { version: string };
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    autocannon: autocannonPackage.version,
    loadAverage1mAtStart: os.loadavg()[0] ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = parseCli();
  const wanted = (id: string) => args.only === undefined || args.only.has(id);
  const startedAt = new Date();
  const host = machine();
  const work = mkdtempSync(path.join(os.tmpdir(), 'spoor-bench-ingest-'));
  // Also on a failure before the stores are open.
  process.once('exit', () => rmSync(work, { recursive: true, force: true }));
  const dataDir = path.join(work, 'data');
  const config = benchConfig(dataDir);

  console.log(
    `Spoor ingestion benchmark — ${host.cpus} × ${host.cpuModel}, Node ${host.node}, ` +
      `load ${host.loadAverage1mAtStart.toFixed(2)}`,
  );
  console.log(
    'Spoor app, no-op baseline app and the autocannon worker thread run in this one process;',
  );
  console.log(`each run: ${args.warmup} s warm-up, then ${args.duration} s measured.\n`);

  // Bodies: single hits from one pool of visitors, batches from another, so batch times (in the
  // past hour) never interleave with live sessions of the /hit runs.
  const traffic = new Traffic({ hostname: SITE, visitors: VISITORS, seed: 1 });
  const writePool = (name: string, bodies: unknown[]) => {
    const file = path.join(work, `${name}.json`);
    writeFileSync(file, JSON.stringify(bodies.map((b) => JSON.stringify(b))));
    return file;
  };
  const hitPools = {
    warmup: writePool('hits-warmup', traffic.hitsInRounds(VISITORS * 2)),
    run: writePool('hits-run', traffic.hitsInRounds(VISITORS * 6)),
  };
  const batchTraffic = new Traffic({ hostname: SITE, visitors: VISITORS, seed: 2 });
  // Enough batches that the measured run does not wrap around (which would go back in time).
  // 55 minutes back, so the oldest hit is still within the hour when run e starts.
  const batches = batchTraffic.batches(BATCH_WARMUP_POOL + BATCH_RUN_POOL, BATCH_SIZE, 55 * 60_000);
  const batchPools = {
    warmup: writePool('batches-warmup', batches.slice(0, BATCH_WARMUP_POOL)),
    run: writePool('batches-run', batches.slice(BATCH_WARMUP_POOL)),
  };
  const sampleBytes = Buffer.byteLength(JSON.stringify(traffic.hit(traffic.visitors[0]!)));

  const stores = await openStores(config);
  const counting = new CountingEventStore(stores.events);
  let noop: { app: FastifyInstance; url: string } | undefined;
  const json = { 'Content-Type': 'application/json' };
  const auth = { ...json, Authorization: '' };
  const noopRun = (id: string, pipelining: number): RunSpec => ({
    id,
    label: `no-op POST /noop`,
    target: 'noop',
    path: '/noop',
    connections: 100,
    pipelining,
    hitsPerRequest: 1,
    pools: hitPools,
  });
  const hitRun = (id: string, target: Target, pipelining: number, label: string): RunSpec => ({
    id,
    label,
    target,
    path: '/api/v1/hit',
    connections: 100,
    pipelining,
    hitsPerRequest: 1,
    pools: hitPools,
  });
  const specs: RunSpec[] = [
    // First, while the process is fresh; a then runs right before b, its comparison.
    hitRun('b0', 'spoor-cold', 1, 'POST /api/v1/hit, cold (just started)'),
    noopRun('a', 1),
    hitRun('b', 'spoor-warm', 1, 'POST /api/v1/hit'),
    hitRun('c', 'spoor-warm', 10, 'POST /api/v1/hit'),
    noopRun('d', 10),
    {
      id: 'e',
      label: `POST /api/v1/hit/batch (${BATCH_SIZE} hits)`,
      target: 'spoor-warm',
      path: '/api/v1/hit/batch',
      connections: 10,
      pipelining: 1,
      hitsPerRequest: BATCH_SIZE,
      pools: batchPools,
    },
    hitRun('f', 'spoor-warm-flush20', 1, 'POST /api/v1/hit, flush 20 ms'),
  ];

  // One Spoor app at a time on the shared stores (the engine is a process singleton; writer and
  // session cache belong to the app), replaced when a run needs another kind.
  let spoor: { target: Target; instance: SpoorInstance } | undefined;
  const spoorFor = async (target: Exclude<Target, 'noop'>): Promise<SpoorInstance> => {
    if (spoor?.target === target) return spoor.instance;
    await spoor?.instance.app.close();
    spoor = undefined;
    const appConfig =
      target === 'spoor-warm-flush20'
        ? benchConfig(dataDir, { SPOOR_FLUSH_INTERVAL_MS: '20' })
        : config;
    const uptimeMs = target === 'spoor-cold' ? 0 : WARM_UPTIME_MS;
    const instance = await startSpoor(appConfig, stores, counting, uptimeMs);
    spoor = { target, instance };
    return instance;
  };

  const runs: RunResult[] = [];
  try {
    const key = await createAccessKey(stores);
    auth.Authorization = `Bearer ${key}`;
    noop = await startNoop(config.bodyLimitBytes);
    for (const spec of specs.filter((s) => wanted(s.id))) {
      if (spec.target === 'noop') {
        runs.push(await measure(spec, noop.url, json, args, stores.events, undefined, counting));
      } else {
        const instance = await spoorFor(spec.target);
        runs.push(await measure(spec, instance.url, auth, args, stores.events, instance, counting));
      }
    }
  } finally {
    await spoor?.instance.app.close();
    await noop?.app.close();
    await stores.events.close();
    await stores.meta.close();
    rmSync(work, { recursive: true, force: true });
  }

  const ratios = [
    ratio(runs, 'b', 'a', '/hit ÷ no-op, pipelining 1 (b/a)'),
    ratio(runs, 'b0', 'a', '/hit just after start ÷ no-op, pipelining 1 (b0/a)'),
    ratio(runs, 'c', 'd', '/hit ÷ no-op, pipelining 10 (c/d)'),
  ].filter((r): r is Ratio => r !== undefined);

  console.log('\n' + table(runs) + '\n');
  for (const r of ratios) {
    console.log(
      `${r.name}: ${r.ratio.toFixed(2)} (target ≥ ${r.target}) ${r.pass ? 'PASS' : 'FAIL'}`,
    );
  }
  const busy = runs.filter((r) => r.loadAverage1mBefore > host.cpus);
  if (busy.length > 0) {
    console.log(
      `Busy machine: 1-min load above ${host.cpus} before run(s) ` +
        `${busy.map((r) => `${r.id} (${r.loadAverage1mBefore.toFixed(1)})`).join(', ')}; ` +
        'other processes took CPU, so absolute numbers are low and ratios noisy.',
    );
  }
  for (const r of runs) {
    if (r.dropped && Object.keys(r.dropped).length > 0) {
      console.log(`${r.id}) dropped by the pipeline: ${JSON.stringify(r.dropped)}`);
    }
  }
  console.log(
    '\nGroup commit answers a request only after the flush holding its rows is stored, so at ' +
      'low load latency ≥ the flush interval (run f shows the trade-off).\n' +
      'b0 runs on an app that has just started: for 30 minutes its session cache cannot vouch ' +
      'for a miss, so the first hit of every visitor looks the session up in the event store. ' +
      'The other Spoor runs use apps built as if up for 2 h (bench/lib/uptime.ts).\n' +
      '"server ELU" is the busy share of the server event loop (≈ 1: the server is the limit); ' +
      '"CPU cores" counts the whole process, load generator and chDB threads included; ' +
      '"server CPU µs/req" is the main thread\'s CPU time per request (robust to a busy machine).',
  );

  const report = {
    benchmark: 'ingest',
    date: startedAt.toISOString(),
    machine: host,
    setup: {
      sameProcess:
        'Spoor app, no-op Fastify baseline and autocannon (1 worker thread) share one process',
      durationS: args.duration,
      warmupS: args.warmup,
      visitors: VISITORS,
      userAgents: USER_AGENT_COUNT,
      hitBodyBytesSample: sampleBytes,
      batchSize: BATCH_SIZE,
      bodyPools: {
        hits: { warmup: VISITORS * 2, run: VISITORS * 6 },
        batches: { warmup: BATCH_WARMUP_POOL, run: BATCH_RUN_POOL },
      },
      flushIntervalMs: config.flushIntervalMs,
      flushRows: config.flushRows,
      loadAverage1mAtEnd: os.loadavg()[0] ?? 0,
      // Whole process: chDB engine, both apps, the load generator and its body pools.
      maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    runs,
    ratios,
  };
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, JSON.stringify(report, null, 2) + '\n');
  const batchRun = runs.find((r) => r.id === 'e');
  if (batchRun && batchRun.requestsTotal > BATCH_RUN_POOL) {
    console.log(`e) sent more than the ${BATCH_RUN_POOL} prepared batches: times wrapped around`);
  }
  console.log(`\nWrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

// No process.exit on success: the process must end by itself once apps and stores are closed,
// which is part of what this run checks.
main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
