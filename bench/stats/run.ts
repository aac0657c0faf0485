/**
 * Statistics benchmark (DESIGN.md §5: at 10 million page views, each statistics endpoint ≤ 1.5 ×
 * the time of the equivalent hand-written SQL run directly on the engine, the dashboard's full set
 * of requests < 1 s, ≤ 25 bytes on disk per page view).
 *
 * 1. A month of traffic for one domain is generated inside the engine (bench/lib/world-sql.ts;
 *    `--page-views`, default 10 M, ≈ 3 M sessions, ≈ 1 M events) — or reused from `--keep DIR`.
 * 2. The Spoor app listens on 127.0.0.1 on that data directory. For every statistic the API
 *    serves (src/stats/index.ts) and the typical filters of bench/stats/cases.ts (none, a path, a
 *    country, an event, scale week), each run times one real HTTP request and the hand-written
 *    SQL of the same figure through `events.query`, alternately, in the same process; reported
 *    are the median and p90 of `--runs` runs after one warm-up, the ratio of the medians, and the
 *    time the request spent in the engine (the builder's queries). The first answer is compared
 *    with the hand-written query's rows. Statistics without a case are timed through HTTP only.
 * 3. Dashboard view: the requests of one dashboard view fired concurrently, wall time.
 * 4. Bytes on disk per page view (system.parts) of page_view, session and event.
 *
 * Run: npm run bench:stats [-- --page-views 1000000 --keep /tmp/spoor-stats-1m --runs 7
 *        --only page,referrer --dump-sql /tmp/stats-sql]
 * Results: a table on stdout and bench/results/stats.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { statistics } from '../../src/stats/index.ts';
import type { QueryParams } from '../../src/store/clickhouse/event-store.ts';
import {
  CASES,
  DASHBOARD,
  compareResults,
  dashboardWith,
  MONTH,
  queryOf,
  rowsOf,
  type Case,
  type Ref,
  type Variant,
} from './cases.ts';
import { openBenchWorld, type BenchWorld } from './world.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS_FILE = path.join(HERE, '..', 'results', 'stats.json');
const TARGET_RATIO = 1.5;
const TARGET_DASHBOARD_MS = 1000;
const TARGET_BYTES = 25;

interface Args {
  pageViews: number;
  keep: string | undefined;
  runs: number;
  only: string[] | undefined;
  dumpSql: string | undefined;
  output: string;
}

function parseCli(): Args {
  const { values } = parseArgs({
    options: {
      'page-views': { type: 'string', default: '10000000' },
      keep: { type: 'string' },
      runs: { type: 'string', default: '7' },
      only: { type: 'string' },
      'dump-sql': { type: 'string' },
      output: { type: 'string', default: RESULTS_FILE },
    },
  });
  const pageViews = Number(values['page-views']);
  const runs = Number(values.runs);
  if (!Number.isInteger(pageViews) || pageViews < 1000) throw new Error('--page-views ≥ 1000');
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs ≥ 1');
  return {
    pageViews,
    keep: values.keep,
    runs,
    only: values.only?.split(',').map((s) => s.trim()),
    dumpSql: values['dump-sql'],
    output: values.output,
  };
}

// ---------------------------------------------------------------------------------------------
// Measuring

const median = (xs: number[]): number => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Engine calls the app made, attributed to the request being measured. */
interface EngineLog {
  ms: number;
  queries: number;
  last: { sql: string; params: QueryParams | undefined }[];
}

/** Wrap the app's event store so each request's engine time (and SQL) can be read. */
function instrument(world: BenchWorld): { take(): EngineLog } {
  const events = world.stores.events;
  const inner = events.query.bind(events);
  let log: EngineLog = { ms: 0, queries: 0, last: [] };
  events.query = async <T>(sql: string, params?: QueryParams): Promise<T[]> => {
    const started = performance.now();
    try {
      return await inner<T>(sql, params);
    } finally {
      log.ms += performance.now() - started;
      log.queries += 1;
      log.last.push({ sql, params });
    }
  };
  return {
    take() {
      const out = log;
      log = { ms: 0, queries: 0, last: [] };
      return out;
    },
  };
}

interface CaseResult {
  path: string;
  variant: string;
  query: Record<string, string>;
  status: number;
  error?: string;
  httpMs: { median: number; p90: number; runs: number[] };
  /** Time the request spent in the engine (the builder's queries), median. */
  engineMs: number;
  engineQueries: number;
  sqlMs: { median: number; p90: number; runs: number[] } | null;
  ratio: number | null;
  /** Differences between the endpoint's answer and the hand-written query's ([] = same). */
  differences: string[] | null;
  responseBytes: number;
}

class Http {
  private token = '';
  constructor(private readonly world: BenchWorld) {}

  async get(
    statistic: string,
    query: Record<string, string>,
  ): Promise<{ status: number; text: string }> {
    if (this.token === '') this.token = await this.world.token();
    const url = `${this.world.baseUrl}/api/v1/${statistic}?${new URLSearchParams(query)}`;
    let res = await fetch(url, { headers: { authorization: `Bearer ${this.token}` } });
    if (res.status === 401) {
      await res.text();
      this.token = await this.world.token();
      res = await fetch(url, { headers: { authorization: `Bearer ${this.token}` } });
    }
    return { status: res.status, text: await res.text() };
  }
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await f();
  return [value, performance.now() - started];
}

async function measureCase(
  world: BenchWorld,
  http: Http,
  engine: { take(): EngineLog },
  ref: Ref,
  c: Case,
  runs: number,
  dumpSql: string | undefined,
): Promise<CaseResult> {
  const query = queryOf(world.domain.id, c.variant);
  const sql = c.sql?.(ref, c.variant);
  const result: CaseResult = {
    path: c.path,
    variant: c.variant.name,
    query,
    status: 0,
    httpMs: { median: NaN, p90: NaN, runs: [] },
    engineMs: NaN,
    engineQueries: 0,
    sqlMs: null,
    ratio: null,
    differences: null,
    responseBytes: 0,
  };
  // Warm-up (and the answers to compare).
  engine.take();
  const first = await http.get(c.path, query);
  const firstLog = engine.take();
  result.status = first.status;
  result.responseBytes = Buffer.byteLength(first.text);
  if (first.status !== 200) {
    result.error = first.text.slice(0, 300);
    return result;
  }
  if (dumpSql) {
    const name = `${c.path.replaceAll('/', '_')}__${c.variant.name.replace(/[^a-z0-9]+/gi, '_')}`;
    writeFileSync(
      path.join(dumpSql, `${name}.builder.sql`),
      firstLog.last.map((q) => `${q.sql};\n-- params: ${JSON.stringify(q.params)}\n`).join('\n'),
    );
    if (sql) writeFileSync(path.join(dumpSql, `${name}.hand.sql`), `${sql};\n`);
  }
  let sqlRows: Record<string, unknown>[] | undefined;
  if (sql) {
    try {
      sqlRows = await world.stores.events.query<Record<string, unknown>>(sql);
    } catch (err) {
      result.error = `hand-written SQL failed: ${(err as Error).message.slice(0, 300)}`;
    }
    engine.take();
    if (sqlRows && !c.noCompare) {
      result.differences = compareResults(c, rowsOf(c, JSON.parse(first.text)), sqlRows);
    }
  }
  const engineRuns: number[] = [];
  const sqlRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [, ms] = await timed(() => http.get(c.path, query));
    const log = engine.take();
    result.httpMs.runs.push(round1(ms));
    engineRuns.push(log.ms);
    result.engineQueries = log.queries;
    if (sql && sqlRows) {
      const [, sqlMs] = await timed(() => world.stores.events.query(sql));
      engine.take();
      sqlRuns.push(round1(sqlMs));
    }
  }
  result.httpMs.median = round1(median(result.httpMs.runs));
  result.httpMs.p90 = round1(quantile(result.httpMs.runs, 0.9));
  result.engineMs = round1(median(engineRuns));
  if (sqlRuns.length > 0) {
    result.sqlMs = {
      median: round1(median(sqlRuns)),
      p90: round1(quantile(sqlRuns, 0.9)),
      runs: sqlRuns,
    };
    result.ratio = Math.round((result.httpMs.median / result.sqlMs.median) * 100) / 100;
  }
  return result;
}

interface DashboardResult {
  name: string;
  requests: number;
  wallMs: { median: number; p90: number; runs: number[] };
  failed: string[];
}

async function measureDashboard(
  http: Http,
  domainId: string,
  name: string,
  requests: { path: string; variant: Variant }[],
  runs: number,
  sequential = false,
): Promise<DashboardResult> {
  const one = (r: { path: string; variant: Variant }) =>
    http.get(r.path, queryOf(domainId, r.variant));
  const fire = async () => {
    if (!sequential) return Promise.all(requests.map(one));
    const out = [];
    for (const r of requests) out.push(await one(r));
    return out;
  };
  const warm = await fire();
  const failed = requests
    .map((r, i) => ({ path: r.path, status: warm[i]!.status }))
    .filter((r) => r.status !== 200)
    .map((r) => `${r.path} ${r.status}`);
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [, ms] = await timed(fire);
    wall.push(round1(ms));
  }
  return {
    name,
    requests: requests.length,
    wallMs: { median: round1(median(wall)), p90: round1(quantile(wall, 0.9)), runs: wall },
    failed,
  };
}

interface TableStorage {
  table: string;
  rows: number;
  bytesOnDisk: number;
  parts: number;
  bytesPerPageView: number;
  bytesPerRow: number;
}

async function storage(world: BenchWorld): Promise<TableStorage[]> {
  const rows = await world.stores.events.query<{
    table: string;
    rows: string;
    bytes: string;
    parts: string;
  }>(
    `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes, count() AS parts
     FROM system.parts WHERE database = '${world.stores.events.database}' AND active
       AND table IN ('page_view', 'session', 'event')
     GROUP BY table ORDER BY table DESC`,
  );
  // Per stored page view (the month and the live hours added for active visitors).
  const pageViews = Number(rows.find((r) => r.table === 'page_view')?.rows ?? 0);
  return rows.map((r) => ({
    table: r.table,
    rows: Number(r.rows),
    bytesOnDisk: Number(r.bytes),
    parts: Number(r.parts),
    bytesPerPageView: Math.round((Number(r.bytes) / pageViews) * 100) / 100,
    bytesPerRow: Math.round((Number(r.bytes) / Number(r.rows)) * 100) / 100,
  }));
}

// ---------------------------------------------------------------------------------------------
// Report

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const fmt = (x: number | null | undefined) =>
  x === null || x === undefined || Number.isNaN(x) ? '–' : x.toFixed(1);

function printCases(results: CaseResult[]): void {
  const header = [
    pad('endpoint', 30),
    pad('filter', 26),
    lpad('http p50', 9),
    lpad('p90', 7),
    lpad('engine', 7),
    lpad('q', 2),
    lpad('sql p50', 8),
    lpad('p90', 7),
    lpad('ratio', 6),
    '  check',
  ].join(' ');
  console.log(`\n${header}\n${'-'.repeat(header.length + 10)}`);
  for (const r of results) {
    const check =
      r.status !== 200
        ? `HTTP ${r.status}`
        : r.error
          ? 'SQL error'
          : r.differences === null
            ? ''
            : r.differences.length === 0
              ? 'same'
              : `DIFF: ${r.differences[0]}`;
    const ratio =
      r.ratio === null ? '–' : `${r.ratio.toFixed(2)}${r.ratio > TARGET_RATIO ? '!' : ''}`;
    console.log(
      [
        pad(r.path.replace('statistics/', ''), 30),
        pad(r.variant, 26),
        lpad(fmt(r.httpMs.median), 9),
        lpad(fmt(r.httpMs.p90), 7),
        lpad(fmt(r.engineMs), 7),
        lpad(String(r.engineQueries || ''), 2),
        lpad(fmt(r.sqlMs?.median), 8),
        lpad(fmt(r.sqlMs?.p90), 7),
        lpad(ratio, 6),
        ` ${check}`,
      ].join(' '),
    );
  }
}

async function machine(world: BenchWorld) {
  const [engine] = await world.stores.events.query<{ v: string }>('SELECT version() AS v');
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    clickhouse: engine?.v ?? 'unknown',
    // Other work on the machine skews the numbers: the 1-minute load average at the end.
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

async function main(): Promise<void> {
  const args = parseCli();
  const world = await openBenchWorld({ pageViews: args.pageViews, keepDir: args.keep });
  try {
    const ref: Ref = {
      db: world.stores.events.database,
      domainId: world.domain.id,
      tz: world.domain.timezone ?? 'UTC',
    };
    const http = new Http(world);
    const engine = instrument(world);
    if (args.dumpSql) mkdirSync(args.dumpSql, { recursive: true });

    // Every statistic the API serves now; those without a hand-written case are timed alone.
    const served = statistics.map((s) => s.path);
    const cases: Case[] = [
      ...CASES.filter((c) => served.includes(c.path)),
      ...served
        .filter((p) => !CASES.some((c) => c.path === p))
        .map((p) => ({ path: p, variant: { name: 'none', ...MONTH } })),
    ].filter((c) => !args.only || args.only.some((o) => c.path.includes(o)));
    const missing = [...new Set(CASES.map((c) => c.path))].filter((p) => !served.includes(p));
    console.log(
      `[bench] ${served.length} statistics served; ${cases.length} cases, ${args.runs} runs each` +
        (missing.length > 0 ? `; not served yet: ${missing.join(', ')}` : ''),
    );

    const results: CaseResult[] = [];
    for (const c of cases) {
      const r = await measureCase(world, http, engine, ref, c, args.runs, args.dumpSql);
      results.push(r);
      console.log(
        `[case] ${c.path} (${c.variant.name}): http ${fmt(r.httpMs.median)} ms, ` +
          `sql ${fmt(r.sqlMs?.median)} ms, ratio ${r.ratio ?? '–'}` +
          (r.status !== 200 ? `, HTTP ${r.status}` : '') +
          (r.differences?.length ? `, differs: ${r.differences.join('; ')}` : ''),
      );
    }
    engine.take();

    const dashboards: DashboardResult[] = [];
    const view = DASHBOARD.filter((d) => served.includes(d.path));
    if (!args.only && view.length > 0) {
      dashboards.push(
        await measureDashboard(http, world.domain.id, 'month, no filter', view, args.runs),
      );
      // The same requests one after the other: what concurrency gains (or costs).
      dashboards.push(
        await measureDashboard(
          http,
          world.domain.id,
          'month, no filter, one request at a time',
          view,
          Math.min(3, args.runs),
          true,
        ),
      );
      dashboards.push(
        await measureDashboard(
          http,
          world.domain.id,
          'month, country=de',
          dashboardWith({ country: 'de' }).filter((d) => served.includes(d.path)),
          Math.min(3, args.runs),
        ),
      );
      dashboards.push(
        await measureDashboard(
          http,
          world.domain.id,
          'month, path=/',
          dashboardWith({ path: '/' }).filter((d) => served.includes(d.path)),
          Math.min(3, args.runs),
        ),
      );
    }
    const missingFromDashboard = DASHBOARD.filter((d) => !served.includes(d.path)).map(
      (d) => d.path,
    );
    // The dashboard view's requests one after the other (sum of the single medians), and the
    // same for their hand-written queries: what the engine needs at least for one view.
    const viewResults = view.map((d) =>
      results.find((x) => x.path === d.path && x.variant === d.variant.name),
    );
    const sequentialMs = round1(viewResults.reduce((sum, r) => sum + (r?.httpMs.median ?? 0), 0));
    const handWrittenMs = round1(viewResults.reduce((sum, r) => sum + (r?.sqlMs?.median ?? 0), 0));

    const tables = await storage(world);
    printCases(results);
    const measured = results.filter((r) => r.ratio !== null);
    const over = measured.filter((r) => r.ratio! > TARGET_RATIO);
    console.log(
      `\n${measured.length} endpoint/filter pairs with a hand-written query; ` +
        `${over.length} above the ${TARGET_RATIO} ratio target.`,
    );
    for (const d of dashboards) {
      console.log(
        `dashboard view (${d.name}, ${d.requests} requests): wall ${d.wallMs.median} ms ` +
          `median, ${d.wallMs.p90} ms p90 (target < ${TARGET_DASHBOARD_MS} ms)` +
          (d.failed.length > 0 ? `; failed: ${d.failed.join(', ')}` : ''),
      );
    }
    if (view.length > 0 && !args.only)
      console.log(
        `dashboard view requests one after the other: ${sequentialMs} ms (sum of medians); ` +
          `their hand-written queries: ${handWrittenMs} ms`,
      );
    if (missingFromDashboard.length > 0)
      console.log(`dashboard requests not served yet: ${missingFromDashboard.join(', ')}`);
    for (const t of tables) {
      console.log(
        `${pad(t.table, 10)} ${lpad(String(t.rows), 10)} rows ${lpad(String(t.bytesOnDisk), 11)} bytes ` +
          `${t.parts} parts → ${t.bytesPerPageView.toFixed(2)} bytes per page view ` +
          `(${t.bytesPerRow.toFixed(2)} per row)`,
      );
    }
    const pv = tables.find((t) => t.table === 'page_view');
    if (pv)
      console.log(
        `bytes on disk per page view (page_view): ${pv.bytesPerPageView} (target ≤ ${TARGET_BYTES})`,
      );

    const output = {
      date: new Date().toISOString(),
      machine: await machine(world),
      world: { ...world.info, livePageViews: world.livePageViews, timezone: ref.tz },
      runs: args.runs,
      targets: {
        ratio: TARGET_RATIO,
        dashboardMs: TARGET_DASHBOARD_MS,
        bytesPerPageView: TARGET_BYTES,
      },
      notServedYet: missing,
      cases: results,
      dashboard: { views: dashboards, sequentialMs, handWrittenMs, missing: missingFromDashboard },
      storage: tables,
    };
    if (!args.only) {
      mkdirSync(path.dirname(args.output), { recursive: true });
      writeFileSync(args.output, `${JSON.stringify(output, null, 2)}\n`);
      console.log(`results written to ${path.relative(process.cwd(), args.output)}`);
    }
  } finally {
    await world.close();
  }
}

await main();
