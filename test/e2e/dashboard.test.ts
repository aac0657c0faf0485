import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../../src/api/web-app.ts';
import { post } from '../helpers/ingest.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';
import { eventBodies, FROM, hits, TO } from '../stats/world.ts';

// The dashboard in a real headless Chromium (the Debian package) against a real Spoor server:
// first run, sign-in, adding a site, the numbers of the statistics fixture world on screen
// (checked against the statistics API), filters, settings, public pages and access links, dark
// mode and a phone-sized screen. Screenshots of every main screen go to
// test-results/screenshots/ for a look by eye.

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const SHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');
const EMAIL = 'owner@example.com';
const PASSWORD = 'a long enough passphrase';
const HOST = 'shop.example.com';
const PERIOD = `from=${FROM}&to=${TO}`;

let world: TestWorld;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let domainId = '';
let subdomain = '';
const problems: string[] = [];

/** Wait for a value (the default second is short for a dozen requests on a busy machine). */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000 });

/** Collect console errors and uncaught exceptions of a page. */
function watch(p: Page): Page {
  p.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${p.url()}: ${message.text()}`);
  });
  p.on('pageerror', (error) => problems.push(`${p.url()}: ${error.message}`));
  return p;
}

async function newContext(options: Parameters<Browser['newContext']>[0] = {}) {
  return browser.newContext({
    viewport: { width: 1280, height: 1000 },
    locale: 'en-US',
    timezoneId: 'Europe/Berlin',
    ...options,
  });
}

async function shot(p: Page, name: string) {
  // Scroll through the page so lazy panels load, then shoot from the top.
  await p.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 600) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 30));
    }
  });
  await p.waitForLoadState('networkidle');
  await p.evaluate(() => window.scrollTo(0, 0));
  await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Visible controls without an accessible name (label, text, aria-label or title). */
async function unnamedControls(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const bad: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>(
      'button, a[href], input:not([type=hidden]), select, textarea, [role=tab], [role=switch]',
    );
    for (const el of Array.from(controls)) {
      if (el.getClientRects().length === 0) continue;
      const input = el as HTMLInputElement;
      const named =
        el.getAttribute('aria-label') ||
        el.getAttribute('aria-labelledby') ||
        (input.labels && input.labels.length > 0) ||
        el.textContent?.trim() ||
        el.getAttribute('title');
      if (!named) bad.push(el.outerHTML.slice(0, 160));
    }
    return bad;
  });
}

/** GET a statistics (or other) API path in the page, with its session cookie or access code. */
async function api<T>(p: Page, pathAndQuery: string): Promise<T> {
  return p.evaluate(async (url) => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return (await res.json()) as T;
  }, `/api/v1/${pathAndQuery}`);
}

/** The value a summary tile shows (its exact number). */
async function tile(p: Page, metric: string): Promise<number> {
  const value = p.locator(`.tile[data-metric="${metric}"] .tile-value[data-value]`);
  await value.waitFor();
  return Number(await value.getAttribute('data-value'));
}

/** Label → value of the rows a panel tab shows. */
async function rows(p: Page, tab: string): Promise<Record<string, number>> {
  // Panels load once they scroll into view.
  await p
    .locator(`.panel:has([data-tab="${tab}"]), .panel[data-panel="${tab}"]`)
    .scrollIntoViewIfNeeded();
  const list = p.locator(`[data-testid="rows-${tab}"]`);
  await list.waitFor();
  const out: Record<string, number> = {};
  for (const li of await list.locator('li').all()) {
    const label = (await li.getAttribute('data-label')) ?? '';
    out[label] = Number(await li.locator('.row-value').getAttribute('data-value'));
  }
  return out;
}

async function openTab(p: Page, panel: string, tab: string) {
  await p.locator(`[data-panel="${panel}"] [data-tab="${tab}"]`).scrollIntoViewIfNeeded();
  await p.locator(`[data-panel="${panel}"] [data-tab="${tab}"]`).click();
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // Always test the current sources: build the app (about a second).
  // Vite respects NODE_ENV, which vitest sets to `test`: build what production ships.
  const { build } = await import('vite');
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.resolve(import.meta.dirname, '../../web/vite.config.ts'),
      logLevel: 'silent',
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  world = await createTestWorld({ SPOOR_FLUSH_INTERVAL_MS: '5' });
  await world.app.listen({ port: 0, host: '127.0.0.1' });
  const address = world.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  context = await newContext();
  page = watch(await context.newPage());
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

describe('dashboard', { timeout: 60_000 }, () => {
  it('serves the app with cache headers and keeps the initial JavaScript under 100 KB gzipped', async () => {
    const html = readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8');
    const initial = [
      ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
      ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
    ].map((m) => m[1]!);
    expect(initial.length).toBeGreaterThan(0);
    let gzipped = 0;
    for (const src of initial) gzipped += gzipSync(readFileSync(path.join(WEB_DIST, src))).length;
    expect(gzipped).toBeLessThanOrEqual(100 * 1024);

    const index = await fetch(`${base}/sites/abc`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-type')).toContain('text/html');
    const asset = await fetch(`${base}${initial[0]}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect((await fetch(`${base}/assets/..%2Fpackage.json`)).status).toBe(404);
    // The API is not shadowed by the app's fallback.
    const unknown = await fetch(`${base}/api/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string[] }).error).toBeDefined();
    // Sign-in pages may not be framed; dashboards may.
    expect((await fetch(`${base}/login`)).headers.get('content-security-policy')).toContain(
      "frame-ancestors 'none'",
    );
    expect((await fetch(`${base}/share/x`)).headers.get('content-security-policy')).not.toContain(
      'frame-ancestors',
    );
  });

  it('offers the admin account on first run, then the empty overview', async () => {
    await page.goto(`${base}/`);
    await page.waitForURL(/\/setup$/);
    await page.getByLabel('Your name').fill('Olivia Owner');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await shot(page, '01-setup');
    await page.getByRole('button', { name: 'Create the admin account' }).click();
    await page.getByRole('heading', { name: 'No sites yet' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await shot(page, '02-overview-empty');
  });

  it('adds a site, shows the snippet and sees the first page view arrive', async () => {
    await page.getByRole('link', { name: '+ Add site' }).click();
    await page.getByLabel('Hostname').fill(`https://${HOST}/`);
    await expect(page.getByLabel('Subdomain').inputValue()).resolves.toBe('shop-example-com');
    await page.getByLabel('Subdomain').fill('shop-demo');
    await page.getByLabel('Time zone').selectOption('Europe/Berlin');
    await page.getByRole('button', { name: 'Add site' }).click();
    const snippet = page.getByTestId('snippet');
    await snippet.waitFor();
    const domains = await api<{ id: string; identification_code: string; subdomain: string }[]>(
      page,
      'domain',
    );
    expect(domains).toHaveLength(1);
    domainId = domains[0]!.id;
    subdomain = domains[0]!.subdomain;
    expect(subdomain).toBe('shop-demo');
    expect(await snippet.textContent()).toBe(
      `<script defer src="${base}/pa.js" id="pianjs" data-code="${domains[0]!.identification_code}"></script>`,
    );
    await page.getByText('Waiting for the first page view…').waitFor();
    await shot(page, '03-add-site-waiting');

    // An access key made on the settings page (its secret is shown once) sends the data.
    const settings = watch(await context.newPage());
    await settings.goto(`${base}/sites/${domainId}/settings/integration`);
    await settings.getByLabel('Description').fill('fixture import');
    await settings.getByRole('button', { name: 'Create access key' }).click();
    const key = (await settings.getByTestId('client-secret').textContent()) ?? '';
    expect(key).toMatch(/^pa_/);
    await settings.getByTestId('client').filter({ hasText: 'fixture import' }).waitFor();
    await shot(settings, '04-settings-integration');
    expect(await unnamedControls(settings)).toEqual([]);
    await settings.close();

    const now = new Date().toISOString();
    const live = [{ ...hits(HOST)[0]!, url: `https://${HOST}/welcome`, time: now }];
    for (const [url, body] of [
      ['/api/v1/hit/batch', hits(HOST)],
      ['/api/v1/event/batch', eventBodies(HOST)],
      ['/api/v1/hit/batch', live],
    ] as const) {
      const res = await post(world.app, url, key, body);
      expect(res.statusCode, res.body).toBe(200);
    }
    await page.getByText('Receiving data: the first page view has arrived.').waitFor();
    await shot(page, '05-add-site-received');
  });

  it('shows tiles, chart and panels that match the statistics API', async () => {
    await page.goto(`${base}/sites/${domainId}?${PERIOD}`);
    const q = `id=${domainId}&${PERIOD}`;
    const total = await api<Record<string, number>>(page, `statistics/total?${q}`);
    expect(total.visitors).toBe(5);
    expect(await tile(page, 'visitors')).toBe(total.visitors);
    expect(await tile(page, 'views')).toBe(total.views);
    expect(await tile(page, 'sessions')).toBe(total.sessions);
    expect(await tile(page, 'bounce_rate')).toBeCloseTo(total.bounce_rate!, 10);
    const [duration] = await api<{ average_time_spent_seconds: number }[]>(
      page,
      `statistics/duration/session?${q}&scale=year`,
    );
    expect(await tile(page, 'session_duration')).toBe(duration!.average_time_spent_seconds);
    const growth = await api<Record<string, number>>(page, `statistics/growth?${q}`);
    const visitorsGrowth = page.locator('.tile[data-metric="visitors"] .growth');
    expect(await visitorsGrowth.getAttribute('aria-label')).toContain(
      `${(Math.abs(growth.visitors_growth!) * 100).toFixed(1)}%`,
    );

    // The chart's table equivalent: one row per day with the API's numbers.
    const series = await api<{ day: string; visitors: number }[]>(page, `statistics/visitor?${q}`);
    await page.getByText('Show as table').click();
    const cells = page.locator('[data-testid="chart-table"] tbody tr');
    await poll(() => cells.count()).toBe(series.length);
    for (const [i, bucket] of series.entries()) {
      expect(await cells.nth(i).getAttribute('data-key')).toBe(bucket.day.slice(0, 10));
      expect(Number(await cells.nth(i).locator('td').first().getAttribute('data-value'))).toBe(
        bucket.visitors,
      );
    }
    await page.getByText('Show as table').click();

    // Why did it change? Against the empty previous period, the biggest movers explain it.
    await page.getByRole('button', { name: 'Why did visitors change?' }).click();
    const summary = page.getByTestId('explain-summary');
    await poll(() => summary.textContent()).toContain('60.0% of the increase came from /');
    expect(await summary.textContent()).toMatch(/^\+5 visitors \(0 → 5/);
    await shot(page, '06a-explain');
    await page.keyboard.press('Escape');

    const expectRows = async (
      panel: string,
      tab: string | undefined,
      endpoint: string,
      label: (row: Record<string, unknown>) => string,
      value = 'visitors',
    ) => {
      if (tab) await openTab(page, panel, tab);
      const want = await api<Record<string, unknown>[]>(
        page,
        `statistics/${endpoint}?${q}&limit=10`,
      );
      expect(want.length).toBeGreaterThan(0);
      const shown = await rows(page, tab ?? panel);
      expect(shown).toEqual(Object.fromEntries(want.map((r) => [label(r), Number(r[value])])));
    };
    await expectRows('pages', undefined, 'page', (r) => String(r.path));
    await expectRows('pages', 'entry', 'page/entry', (r) => String(r.path), 'entries');
    await expectRows('pages', 'exit', 'page/exit', (r) => String(r.path), 'exits');
    await expectRows(
      'sources',
      'referrers',
      'referrer',
      (r) => String(r.referrer_name) || 'Direct / none',
    );
    await expectRows('location', 'countries', 'country', (r) =>
      new Intl.DisplayNames(['en-US'], { type: 'region' }).of(
        String(r.country_code).toUpperCase(),
      )!,
    );
    await expectRows('location', 'languages', 'language', (r) =>
      new Intl.DisplayNames(['en-US'], { type: 'language' }).of(String(r.language))!,
    );
    await expectRows('devices', 'browsers', 'browser', (r) => String(r.browser));
    await expectRows('devices', 'os', 'os', (r) => String(r.os));
    await expectRows('devices', 'screens', 'screen', (r) => String(r.screen_class) || 'Unknown');
    const platform = await api<Record<string, number>>(page, `statistics/platform?${q}`);
    await openTab(page, 'devices', 'platforms');
    expect(await rows(page, 'platforms')).toEqual({
      desktop: platform.platform_desktop,
      mobile: platform.platform_mobile,
    });
    await expectRows('events', undefined, 'events', (r) => String(r.name));
    await shot(page, '06-dashboard');
    expect(await unnamedControls(page)).toEqual([]);

    // Event metadata breakdown.
    await page.getByRole('button', { name: 'Metadata of Signup' }).click();
    const meta = page.getByTestId('meta-table');
    await meta.waitFor();
    expect(await meta.locator('tbody th').allTextContents()).toEqual(['free', 'pro']);
    await page.getByRole('button', { name: 'Close' }).click();

    // Drill-down: a click on a day's bar narrows the period to that day at hour scale.
    const chart = page.locator('.chart .u-over');
    const box = (await chart.boundingBox())!;
    await chart.click({ position: { x: box.width / 2, y: box.height - 5 } });
    await page.waitForURL((url) => url.searchParams.get('scale') === 'hour');
    const url = new URL(page.url());
    expect(url.searchParams.get('from')).toBe('2026-11-11');
    expect(url.searchParams.get('to')).toBe('2026-11-11');
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get('to') === TO && !u.searchParams.has('scale'));
  });

  it('picks periods by key, compares periods, lists active pages and opens detail tables', async () => {
    await page.goto(`${base}/sites/${domainId}?${PERIOD}`);
    await tile(page, 'visitors');
    await page.keyboard.press('y');
    await page.waitForURL((u) => u.searchParams.get('interval') === 'yesterday');
    expect(new URL(page.url()).searchParams.has('from')).toBe(false);
    await page.goBack();

    // One day compared with the day before (weekday matching off).
    await page.goto(`${base}/sites/${domainId}?from=2026-11-12&to=2026-11-12`);
    await page.getByLabel('Compare with').selectOption('previous');
    await page.getByLabel('Match day of week').uncheck();
    await page.waitForURL((u) => u.searchParams.get('compare_weekday') === 'false');
    const before = await api<Record<string, number>>(
      page,
      `statistics/total?id=${domainId}&from=2026-11-11&to=2026-11-11`,
    );
    const compared = page.locator('.tile[data-metric="visitors"] [data-compare]');
    await poll(() => compared.getAttribute('data-compare')).toBe(String(before.visitors));
    expect(await tile(page, 'visitors')).toBe(2);
    await page.getByText('Show as table').click();
    await page.locator('[data-testid="chart-table"] th', { hasText: 'Comparison' }).waitFor();
    await shot(page, '06b-dashboard-compare');

    // Active visitors: the page view sent a moment ago.
    const active = await api<{ visitors: number }>(page, `statistics/active?id=${domainId}`);
    const button = page.getByTestId('active-visitors');
    await poll(() => button.textContent()).toBe(`${active.visitors} active visitor`);
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Active visitors' });
    await dialog.getByText('Title /welcome').or(dialog.getByText('/welcome')).first().waitFor();
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toContain('active visitor');

    // The detail table: all rows, sortable, searchable.
    await page.goto(`${base}/sites/${domainId}?${PERIOD}`);
    await page.getByRole('button', { name: 'Show all Pages' }).click();
    const table = page.getByRole('dialog', { name: 'Pages' });
    await poll(() => table.locator('tbody tr').count()).toBe(4);
    await table.getByRole('button', { name: 'Views', exact: true }).click();
    await expect
      .poll(() => table.locator('th[aria-sort="ascending"]').textContent())
      .toContain('Views');
    await expect
      .poll(() => table.locator('tbody tr th').first().textContent())
      .toContain('/checkout/done');
    await table.getByLabel('Search Pages').fill('blog');
    await poll(() => table.locator('tbody tr').count()).toBe(1);
    await shot(page, '06c-detail-table');
    await page.keyboard.press('Escape');
  });

  it('stacks filters from rows and the builder, keeps them in the URL and removes them', async () => {
    await page.goto(`${base}/sites/${domainId}?${PERIOD}`);
    await openTab(page, 'devices', 'browsers');
    await page.getByRole('button', { name: /^Chrome: .*Filter by it/ }).click();
    await page.waitForURL((u) => u.searchParams.get('browser') === 'Chrome');
    const chips = page.getByTestId('filter-chip');
    await poll(() => chips.count()).toBe(1);
    expect(await chips.first().textContent()).toContain('Browser is Chrome');

    // A second filter through the builder.
    await page.getByRole('button', { name: 'Add a filter' }).click();
    await page.getByLabel('Field').selectOption('country');
    await page.getByLabel('Filter value', { exact: true }).fill('de');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.waitForURL((u) => u.searchParams.get('country') === 'de');
    await poll(() => chips.count()).toBe(2);
    const filtered = await api<Record<string, number>>(
      page,
      `statistics/total?id=${domainId}&${PERIOD}&browser=Chrome&country=de`,
    );
    await poll(() => tile(page, 'visitors')).toBe(filtered.visitors);
    expect(filtered.visitors).toBe(1);
    await shot(page, '07-dashboard-filtered');

    // The URL alone reproduces the view.
    const shared = watch(await context.newPage());
    await shared.goto(`${page.url()}&compare=previous`);
    await poll(() => tile(shared, 'visitors')).toBe(1);
    // Under a filter and a comparison, the conversion rate gets an honest verdict.
    expect(await shared.getByTestId('rate-verdict').textContent()).toContain(
      'too few visitors to judge yet',
    );
    await shared.close();

    // Invert one, then remove both.
    await chips.filter({ hasText: 'Germany' }).locator('.chip-label').click();
    await page.getByLabel('Operator').selectOption('is not');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((u) => u.searchParams.get('country') === '!de');
    await page.getByRole('button', { name: /^Remove filter Browser is Chrome/ }).click();
    await page.getByRole('button', { name: /^Remove filter Country is not Germany/ }).click();
    await poll(() => chips.count()).toBe(0);
    const url = new URL(page.url());
    expect(url.searchParams.has('browser') || url.searchParams.has('country')).toBe(false);
    await poll(() => tile(page, 'visitors')).toBe(5);
  });

  it('changes settings and keeps them', async () => {
    await page.goto(`${base}/sites/${domainId}/settings/general`);
    await page.getByText('Group pages by title').click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await page.reload();
    await poll(() => page.getByRole('switch').isChecked()).toBe(true);
    const [domain] = await api<{ group_by_title: boolean }[]>(page, 'domain');
    expect(domain!.group_by_title).toBe(true);
    await shot(page, '08-settings-general');

    await page.getByRole('link', { name: 'Goals' }).click();
    await page.getByLabel('Name').fill('Checkout');
    await page.getByLabel('Path pattern').fill('/checkout/**');
    await page.getByLabel('Visitor target').fill('4');
    await page.getByRole('button', { name: 'Add goal' }).click();
    await page.getByTestId('goal').filter({ hasText: 'Checkout' }).waitFor();
    await page.getByText('Regular expression tester (RE2)').click();
    await page.getByLabel('Expression').fill('(?i)^/blog/[^/]*$');
    await page.getByLabel('Sample path').fill('/blog/a');
    await poll(() => page.getByTestId('regex-result').textContent()).toBe('Matches');
    await shot(page, '09-settings-goals');
    expect(await unnamedControls(page)).toEqual([]);

    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByLabel('Recipients').fill('boss@example.com');
    await page.getByRole('button', { name: 'Add report' }).click();
    await page.getByTestId('report').filter({ hasText: 'boss@example.com' }).waitFor();

    // The goal with its target shows on the dashboard.
    await page.goto(`${base}/sites/${domainId}?${PERIOD}`);
    expect(await rows(page, 'goals')).toEqual({ Checkout: 1 });
    await page.getByText('1 / 4 visitors').waitFor();
  });

  it('opens a public dashboard and an access link signed out, read-only', async () => {
    await page.goto(`${base}/sites/${domainId}/settings/access`);
    await page.getByText('Make the dashboard public').click();
    await page.getByRole('link', { name: `${base}/share/${subdomain}` }).waitFor();
    await page.getByLabel('Description').fill('for the agency');
    await page.getByRole('button', { name: 'Create link' }).click();
    const link = page.getByTestId('access-link').filter({ hasText: 'for the agency' });
    const accessUrl = (await link.locator('code').textContent()) ?? '';
    expect(accessUrl).toMatch(new RegExp(`^${base}/\\?access=`));
    await page.getByLabel('Invite by email').fill('colleague@example.com');
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByText('Hand over these links:').waitFor();
    await shot(page, '10-settings-access');
    expect(await unnamedControls(page)).toEqual([]);

    const anonymous = await newContext();
    const visitor = watch(await anonymous.newPage());
    await visitor.goto(`${base}/share/${subdomain}?${PERIOD}`);
    expect(await tile(visitor, 'visitors')).toBe(5);
    await visitor.getByText('Public dashboard').waitFor();
    expect(await visitor.getByRole('link', { name: /Settings/ }).count()).toBe(0);
    await shot(visitor, '11-public-dashboard');

    // Access link: works after the dashboard is private again.
    await page.getByText('Make the dashboard public').click();
    await poll(() => page.getByRole('switch').first().isChecked()).toBe(false);
    await visitor.goto(`${accessUrl}&${PERIOD}`);
    expect(await tile(visitor, 'visitors')).toBe(5);
    await visitor.getByText('Shared link · read-only').waitFor();
    expect(await rows(visitor, 'pages')).toHaveProperty('/');
    await shot(visitor, '12-access-link');
    // A made-up code gets a clear page, not a sign-in form.
    visitor.removeAllListeners('console');
    await visitor.goto(`${base}/?access=not-a-real-code`);
    await visitor.getByRole('heading', { name: 'This link is no longer valid' }).waitFor();
    await anonymous.close();
  });

  it('switches to dark mode and fits a 360 px wide screen', async () => {
    await page.goto(`${base}/sites/${domainId}?${PERIOD}`);
    await tile(page, 'visitors');
    await page.getByRole('button', { name: /^Colour mode: system/ }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(11, 15, 20)');
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await tile(page, 'visitors');
    await rows(page, 'events');
    await shot(page, '13-dashboard-dark');

    const phone = watch(await context.newPage());
    await phone.setViewportSize({ width: 360, height: 780 });
    await phone.goto(`${base}/sites/${domainId}?${PERIOD}&mode=light`);
    expect(await tile(phone, 'visitors')).toBe(5);
    await rows(phone, 'pages');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    await shot(phone, '14-dashboard-360px');
    await phone.goto(`${base}/`);
    await phone.getByTestId('card-visitors').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    await shot(phone, '15-overview-360px');
    for (const tab of ['access', 'integration', 'goals']) {
      await phone.goto(`${base}/sites/${domainId}/settings/${tab}`);
      await phone.locator('.settings-body .card').first().waitFor();
      await phone.waitForLoadState('networkidle');
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        360,
      );
    }
    await shot(phone, '15b-settings-360px');
    await phone.close();
  });

  it('changes the password, signs out and signs in again', async () => {
    await page.goto(`${base}/account`);
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill('an even longer passphrase');
    await page.getByLabel('Repeat the new password').fill('an even longer passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('an even longer passphrase');
    await shot(page, '16-login');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('card-visitors').waitFor();
    // Pinning is remembered in this browser.
    await page.getByRole('button', { name: `Pin ${HOST}` }).click();
    await page.reload();
    await poll(() =>
      page.getByRole('button', { name: `Pin ${HOST}` }).getAttribute('aria-pressed'),
    ).toBe('true');
    await page.getByTestId('card-visitors').waitFor();
    await shot(page, '17-overview');
    expect(await unnamedControls(page)).toEqual([]);
  });

  it('logged no console errors', () => {
    expect(problems).toEqual([]);
  });
});
