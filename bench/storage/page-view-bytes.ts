/**
 * Bytes on disk per stored page view (quality bar: ≤ 25 at 10 million rows).
 *
 * Generates realistic page views inside the engine (INSERT … SELECT from numbers(), so no row
 * passes through JS): three domains of very different size, 30 days, sessions of 1–40 page views
 * (39 % bounces, mean ≈ 2.5), Zipf-distributed paths, referrers, languages, countries and cities,
 * a realistic OS/browser/screen mix, 8 % UTM-tagged sessions. Then OPTIMIZE … FINAL and
 * sum(bytes_on_disk) / rows from system.parts. It also derives the collapsed session rows from the
 * page views and reports their cost per page view.
 *
 * Run: npx tsx bench/storage/page-view-bytes.ts [page views, default 3000000] [--keep]
 */

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openChdbEventStore } from '../../src/store/clickhouse/chdb-store.ts';
import type { ChdbEventStore } from '../../src/store/clickhouse/chdb-store.ts';
import { migrateEventStore } from '../../src/store/clickhouse/migrations.ts';

const MEAN_VIEWS_PER_SESSION = 2.54; // of the k distribution below: 1 + floor(Exp(mean 2))
const DAYS = 30;

// A uniform [0, 1) from a hash of the session number and a salt (deterministic runs).
const u = (salt: string): string => `(cityHash64(n, ${salt}) / 18446744073709551616.0)`;
// Zipf-like index in [0, size): log-uniform, so rank r has weight ≈ 1 / (r + 1).
const zipf = (salt: string, size: number): string =>
  `toUInt32(floor(pow(${size + 1}, ${u(salt)}) - 1))`;
const pick = (values: readonly string[], index: string): string =>
  `arrayElement([${values.map((v) => `'${v}'`).join(', ')}], ${index} % ${values.length} + 1)`;

const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'ja', 'zh', 'ru', 'sv', 'da'];
const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'IN', 'CA', 'NL', 'ES', 'IT', 'BR', 'PL', 'AU', 'JP'];
const SECTIONS = ['/blog/', '/docs/', '/guides/', '/products/', '/help/', '/changelog/'];
const SOCIAL = [
  'https://t.co/',
  'https://www.facebook.com/',
  'https://www.reddit.com/r/webdev/',
  'https://news.ycombinator.com/',
  'https://www.linkedin.com/',
];
const SCREENS = [
  [1920, 1080],
  [1366, 768],
  [1536, 864],
  [1440, 900],
  [2560, 1440],
  [390, 844],
  [414, 896],
  [393, 873],
  [360, 800],
  [412, 915],
  [820, 1180],
  [1280, 720],
];

/** Per-session attributes (one row per session number n). */
function sessionsSql(sessions: number): string {
  const screen = zipf('40', SCREENS.length);
  return `
SELECT
  number AS n,
  multiIf(${u('1')} < 0.70, 'dom0000001', ${u('1')} < 0.95, 'dom0000002', 'dom0000003') AS domain_id,
  -- every 12th session is the same visitor's second visit that day
  cityHash64(domain_id, if(n % 12 = 1, n - 1, n)) AS visitor_id,
  toUInt32(cityHash64(n, 3) % 4294967296) AS session_id,
  toDateTime64('2024-05-01 00:00:00', 3, 'UTC')
    + toIntervalMillisecond(toUInt64(${u('4')} * ${DAYS * 86_400_000})) AS start,
  1 + least(39, toUInt32(floor(-log(1 - ${u('5')}) * 2))) AS k,
  ${u('6')} AS r,
  multiIf(r < 0.45, '',
          r < 0.70, 'https://www.google.com/',
          r < 0.74, 'https://www.bing.com/',
          r < 0.84, ${pick(SOCIAL, zipf('7', SOCIAL.length))},
          concat('https://site', toString(${zipf('8', 5000)}), '.example.org/post-',
                 toString(${zipf('9', 50)}))) AS referrer,
  multiIf(referrer = '', '', r < 0.70, 'Google', r < 0.74, 'Bing',
          domain(referrer)) AS referrer_name,
  if(referrer = '', '', domain(referrer)) AS referrer_icon,
  ${u('10')} < 0.08 AS tagged,
  if(tagged, ${pick(['newsletter', 'twitter', 'google', 'facebook'], zipf('11', 4))}, '') AS utm_source,
  if(tagged, ${pick(['email', 'social', 'cpc'], zipf('12', 3))}, '') AS utm_medium,
  if(tagged, concat('campaign-', toString(${zipf('13', 30)})), '') AS utm_campaign,
  if(tagged AND ${u('14')} < 0.3, concat('variant-', toString(${zipf('15', 4)})), '') AS utm_content,
  if(tagged AND ${u('16')} < 0.1, concat('term ', toString(${zipf('17', 20)})), '') AS utm_term,
  multiIf(utm_medium = 'cpc', 'Paid Search', utm_medium = 'email', 'Email',
          referrer = '', 'Direct', r < 0.74, 'Organic Search', r < 0.84, 'Organic Social',
          'Referral') AS channel,
  ${pick(LANGUAGES, zipf('18', LANGUAGES.length))} AS language,
  ${pick(COUNTRIES, zipf('19', COUNTRIES.length))} AS country_code,
  if(${u('20')} < 0.4, '', concat('Region ', toString(${zipf('21', 300)}))) AS region,
  if(${u('22')} < 0.4, '', concat('City ', toString(${zipf('23', 3000)}))) AS city,
  ${u('24')} AS o,
  multiIf(o < 0.35, 'Windows', o < 0.65, 'Android', o < 0.80, 'iOS', o < 0.92, 'Mac',
          o < 0.97, 'Linux', o < 0.98, 'Chrome OS', '') AS os,
  multiIf(os = 'Windows', ${pick(['10', '11'], zipf('25', 2))},
          os = 'Android', ${pick(['14', '13', '12', '11', '10'], zipf('25', 5))},
          os = 'iOS', ${pick(['17.4', '17.3', '16.6', '17.2', '15.8'], zipf('25', 5))},
          os = 'Mac', '10.15', '') AS os_version,
  ${u('26')} AS b,
  multiIf(b < 0.62, 'Chrome', b < 0.80, 'Safari', b < 0.87, 'Edge', b < 0.93, 'Firefox',
          b < 0.96, 'Samsung Browser', b < 0.98, 'Opera', '') AS browser,
  if(browser = '', '', concat(toString(124 - ${zipf('27', 8)}), '.0')) AS browser_version,
  multiIf(os IN ('Android', 'iOS'), 'mobile', os = '', 'unknown', 'desktop') AS platform,
  [${SCREENS.map(([w]) => w).join(', ')}][${screen} + 1] AS screen_width,
  [${SCREENS.map(([, h]) => h).join(', ')}][${screen} + 1] AS screen_height,
  multiIf(screen_width = 0, '', screen_width < 415, 'XS', screen_width < 768, 'S',
          screen_width < 1024, 'M', screen_width < 1440, 'L', screen_width < 1920, 'XL',
          'XXL') AS screen_class,
  concat(if(${u('28')} < 0.05, 'www.', ''), domain_id, '.example.com') AS hostname
FROM numbers(${sessions})`;
}

/** One page-view row per element of the session's page sequence. */
function pageViewsSql(db: string, sessions: number): string {
  const viewHash = (salt: number) => `(cityHash64(n, ${salt}, j) / 18446744073709551616.0)`;
  return `
INSERT INTO ${db}.page_view
SELECT
  domain_id, visitor_id, session_id,
  start + toIntervalMillisecond(offset) AS time,
  start,
  intDiv(gap, 1000) AS duration_seconds,
  if(page = 0, '/', concat(${pick(SECTIONS, 'page')}, 'some-article-slug-', toString(page),
     if(page % 3 = 0, '/', ''))) AS path,
  concat(${pick(['How to', 'Guide:', 'Product', 'Help:', 'Release'], 'page')}, ' item ',
         toString(page), ' | Example') AS title,
  hostname,
  if(cityHash64(n, 30, offset) % 100 < 3, map('author', concat('author', toString(page % 7))), map()) AS tags,
  language, country_code, region, city, referrer, referrer_name, referrer_icon,
  os, os_version, browser, browser_version, platform, screen_width, screen_height, screen_class,
  utm_source, utm_medium, utm_campaign, utm_content, utm_term, channel
FROM (
  SELECT *,
    arrayMap(j -> if(j = 1, 0, toUInt64(-log(1 - ${viewHash(31)}) * 50000)), range(1, k + 1)) AS gaps,
    arrayMap(j -> toUInt32(floor(pow(2001, ${viewHash(32)}) - 1)), range(1, k + 1)) AS pages
  FROM (${sessionsSql(sessions)})
)
ARRAY JOIN gaps AS gap, arrayCumSum(gaps) AS offset, pages AS page`;
}

/** Collapsed session rows (the state after all cancel/new pairs merged away). */
function sessionRowsSql(db: string): string {
  return `
INSERT INTO ${db}.session
SELECT
  1 AS sign, toUInt32(count()) AS version,
  domain_id, visitor_id, session_id,
  max(time) AS last_time, min(start) AS first_start,
  toUInt32(dateDiff('second', first_start, last_time)) AS duration,
  argMin(path, time), argMax(path, time), argMin(title, time), argMax(title, time),
  toUInt16(count()), toUInt8(uniqExact(path) = 1),
  0 AS extended, 0 AS is_bot, any(hostname),
  any(language), any(country_code), any(region), any(city), any(referrer), any(referrer_name),
  any(referrer_icon), any(os), any(os_version), any(browser), any(browser_version),
  any(platform), any(screen_width), any(screen_height), any(screen_class), any(utm_source),
  any(utm_medium), any(utm_campaign), any(utm_content), any(utm_term), any(channel)
FROM ${db}.page_view
GROUP BY domain_id, visitor_id, session_id`;
}

interface TableSize {
  rows: string;
  bytes: string;
  parts: string;
}

async function tableSize(store: ChdbEventStore, table: string): Promise<TableSize> {
  const [size] = await store.query<TableSize>(
    `SELECT sum(rows) AS rows, sum(bytes_on_disk) AS bytes, count() AS parts
     FROM system.parts WHERE database = {db:String} AND table = {table:String} AND active`,
    { db: store.database, table },
  );
  if (!size) throw new Error(`no parts for ${table}`);
  return size;
}

async function columnBytes(store: ChdbEventStore, table: string, rows: number) {
  const columns = await store.query<{ name: string; bytes: string }>(
    `SELECT name, data_compressed_bytes AS bytes FROM system.columns
     WHERE database = {db:String} AND table = {table:String} ORDER BY data_compressed_bytes DESC`,
    { db: store.database, table },
  );
  return columns.map((c) => `${c.name} ${(Number(c.bytes) / rows).toFixed(2)}`).join(', ');
}

async function main(): Promise<void> {
  const pageViews = Number(process.argv[2] ?? 3_000_000);
  const keep = process.argv.includes('--keep');
  const sessions = Math.round(pageViews / MEAN_VIEWS_PER_SESSION);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'spoor-storage-'));
  const store = await openChdbEventStore({ dataDir, database: 'bench' });
  try {
    await migrateEventStore(store);
    let t = performance.now();
    await store.command(pageViewsSql(store.database, sessions));
    await store.command(`OPTIMIZE TABLE ${store.database}.page_view FINAL`);
    const generated = ((performance.now() - t) / 1000).toFixed(1);
    t = performance.now();
    await store.command(sessionRowsSql(store.database));
    await store.command(`OPTIMIZE TABLE ${store.database}.session FINAL`);
    const derived = ((performance.now() - t) / 1000).toFixed(1);

    const pv = await tableSize(store, 'page_view');
    const se = await tableSize(store, 'session');
    const rows = Number(pv.rows);
    const perView = Number(pv.bytes) / rows;
    console.log(
      `page_view: ${rows} rows, ${pv.bytes} bytes on disk in ${pv.parts} parts ` +
        `→ ${perView.toFixed(2)} bytes per page view (generated + optimized in ${generated} s)`,
    );
    console.log(
      `session:   ${se.rows} rows (collapsed), ${se.bytes} bytes → ` +
        `${(Number(se.bytes) / rows).toFixed(2)} bytes per page view, ` +
        `${(Number(se.bytes) / Number(se.rows)).toFixed(2)} per session (${derived} s)`,
    );
    console.log(
      `page_view bytes per row by column: ${await columnBytes(store, 'page_view', rows)}`,
    );
    console.log(JSON.stringify({ page_views: rows, bytes_per_page_view: +perView.toFixed(2) }));
  } finally {
    await store.close();
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
    else console.log(`data kept in ${dataDir}`);
  }
}

await main();
