import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from '../../src/store/meta/schema.ts';
import { makeDomain, makeUser } from '../helpers/accounts.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';
import { recorded, waitFor, type Recorded } from './recorded.ts';
import { serveSite, type Page, type Site } from './site.ts';

// The tracking script in a real headless Chromium (the Debian package; never a downloaded
// browser) against a real Spoor server, on a multi-page site and a single-page app.
//
// Host names: Chromium resolves every `*.test` name to 127.0.0.1 (--host-resolver-rules), so
// the multi-page site runs on a real-looking host (`www.shop.test`, dashboard `shop.test`) and
// the script's production path (no dev mode) is what is tested. The single-page app runs on
// 127.0.0.1 itself, a local page, with `data-dev="app.test"`: dev mode plus its host rewrite,
// so the stored host name is the dashboard's (`app.test`).

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP *.test 127.0.0.1',
];
// Headless Chromium says "HeadlessChrome", which the bot filter (rightly) drops.
const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

let world: TestWorld;
let spoor: string;
let site: Site;
let browser: Browser;
let shop: Domain;
let app: Domain;

const html = (title: string, head: string, body = '') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>${body}</body></html>`;

/** The pages of both sites, by path. */
function pages(path: string): Page | undefined {
  const port = site.port;
  const paJs = (code: string, extra = '') =>
    `<script defer src="${spoor}/pa.js" id="pianjs" data-code="${code}"${extra}></script>`;
  switch (path) {
    case '/':
      return {
        html: html(
          'Home',
          // A queueing stub and an early call, made before the script has loaded (§3.7).
          `<script>window.pirsch=window.pirsch||function(){(pirsch.q=pirsch.q||[]).push(arguments)};pirsch('Early Call',{meta:{n:'1'}})</script>` +
            paJs(shop.identification_code, ' data-tag-author="Jane"'),
          `<a id="pricing" href="/pricing">Pricing</a>
           <a id="outbound" href="http://elsewhere.test:${port}/landing?x=1#top">Elsewhere</a>
           <a id="ignored" href="http://elsewhere.test:${port}/ignored" data-pirsch-ignore>Ignored</a>
           <a id="mail" href="mailto:someone@example.com">Mail</a>
           <a id="download" href="/files/report.pdf">Report</a>
           <button id="signup" data-pirsch-event="Signup Click" data-pirsch-meta-plan="pro" data-pirsch-duration="3">Sign up</button>
           <span id="newsletter" class="cta pirsch-event=Newsletter+Open pirsch-meta-source=footer+link">Newsletter</span>
           <span id="aux" pirsch-event="Aux Click">Middle-click me</span>
           <button id="purchase" onclick="pirsch('Purchase',{duration:42,meta:{plan:'pro',seats:3,annual:true}})">Buy</button>
           <script>
             for (const id of ['ignored', 'mail'])
               document.getElementById(id).addEventListener('click', (e) => e.preventDefault());
           </script>`,
        ),
      };
    case '/pricing':
      return { html: html('Pricing', paJs(shop.identification_code, ' data-tag-author="Jane"')) };
    case '/legacy':
      // The 2022 two-tag setup with only `src` and the endpoints pointed at Spoor; the event
      // endpoint is the prefixed one, to see that the second tag's role and endpoint count.
      return {
        html: html(
          'Legacy',
          `<script defer type="text/javascript" src="${spoor}/pirsch.js" id="pirschjs" data-code="${shop.identification_code}"></script>
           <script defer type="text/javascript" src="${spoor}/pirsch-events.js" id="pirscheventsjs" data-code="${shop.identification_code}" data-endpoint="${spoor}/t7/event"></script>`,
          `<button id="legacy" onclick="pirsch('Legacy Event',{meta:{era:'2022'}})">Go</button>`,
        ),
      };
    case '/files/report.pdf':
      return { download: '%PDF-1.4 not really' };
    case '/landing':
      return { html: html('Elsewhere', '') };
    case '/app':
    case '/app/one':
    case '/app/two':
    case '/app/old':
    case '/app/new':
      return {
        html: html(
          'App',
          `<script defer src="${spoor}/t7/pa.js" id="pianjs" data-code="${app.identification_code}" data-dev="app.test" data-enable-sessions data-interval-ms="200"></script>
           <script>
             // A router: push, then set the title a moment later, as routers do.
             function go(path, title) {
               history.pushState({}, '', path);
               setTimeout(() => { document.title = title; }, 10);
             }
           </script>`,
        ),
      };
    case '/local':
      // A local page without data-dev: only the stub (TRACKER.md §1.3).
      return { html: html('Local', paJs(app.identification_code)) };
    default:
      if (path.startsWith('/missing'))
        return {
          status: 404,
          html: html(
            'Not found',
            paJs(shop.identification_code, ' data-tag-author="Jane"') +
              `<script>addEventListener('DOMContentLoaded', () => pirschNotFound())</script>`,
          ),
        };
      return undefined;
  }
}

/** A browser context that counts Spoor's requests in flight and records where they went. */
async function newContext(): Promise<{
  context: BrowserContext;
  idle: () => boolean;
  sent: { url: string; status: number }[];
}> {
  const context = await browser.newContext({ userAgent: USER_AGENT, locale: 'en-GB' });
  let inFlight = 0;
  const sent: { url: string; status: number }[] = [];
  const ours = (url: string) => url.startsWith(spoor) && !url.endsWith('.js');
  context.on('request', (request) => {
    if (ours(request.url())) inFlight += 1;
  });
  context.on('requestfailed', (request) => {
    if (ours(request.url())) inFlight -= 1;
  });
  context.on('requestfinished', (request) => {
    if (!ours(request.url())) return;
    inFlight -= 1;
    void request.response().then((response) => {
      sent.push({ url: request.url(), status: response?.status() ?? 0 });
    });
  });
  return { context, idle: () => inFlight === 0, sent };
}

beforeAll(async () => {
  world = await createTestWorld({ SPOOR_TRACKER_PREFIX: '/t7' });
  await world.app.listen({ port: 0, host: '127.0.0.1' });
  const address = world.app.server.address();
  spoor = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const owner = await makeUser(world.meta.db);
  shop = await makeDomain(world.meta.db, owner, 'shop.test');
  app = await makeDomain(world.meta.db, owner, 'app.test');
  site = await serveSite(pages);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await world?.close();
});

const read = (domain: Domain) => () => recorded(world.events, domain.id);
const counts =
  (pageViews: number, events: number) =>
  (value: Recorded): boolean =>
    value.pageViews.length >= pageViews && value.events.length >= events;

describe('the tracking script in Chromium', () => {
  it('tracks a multi-page site: views, events, links, downloads, 404 and a two-tag setup', async () => {
    const { context, idle, sent } = await newContext();
    const page = await context.newPage();
    const siteUrl = `http://www.shop.test:${site.port}`;
    const shopData = read(shop);

    await page.goto(`${siteUrl}/`);
    // The first page view, then the queued early call (held until the page view was stored).
    await waitFor(shopData, counts(1, 1));

    await page.click('#purchase');
    await page.click('#signup');
    await page.click('#newsletter');
    await page.click('#aux', { button: 'middle' });
    // Added after load: the delegated listener covers it without pirschInit().
    await page.evaluate(() => {
      const late = document.createElement('button');
      late.id = 'late';
      late.textContent = 'Late';
      late.setAttribute('data-pirsch-event', 'Late Button');
      document.body.append(late);
    });
    await page.click('#late');
    // Neither reported: an ignored outbound link and a mailto: link.
    await page.click('#ignored');
    await page.click('#mail');
    const download = page.waitForEvent('download');
    await page.click('#download');
    await download;
    await waitFor(shopData, counts(1, 7));

    await Promise.all([page.waitForURL(/elsewhere\.test/), page.click('#outbound')]);
    await waitFor(shopData, counts(1, 8));

    await page.goto(`${siteUrl}/pricing`);
    await waitFor(shopData, counts(2, 8));
    const missing = await page.goto(`${siteUrl}/missing`);
    expect(missing?.status()).toBe(404);
    await waitFor(shopData, counts(3, 9));

    await page.goto(`${siteUrl}/legacy`);
    await waitFor(shopData, counts(4, 9));
    await page.click('#legacy');
    await waitFor(shopData, counts(4, 10));

    await waitFor(async () => idle(), Boolean);
    const data = await shopData();
    expect(data.pageViews).toEqual([
      { path: '/', title: 'Home', hostname: 'www.shop.test', tags: { author: 'Jane' } },
      { path: '/pricing', title: 'Pricing', hostname: 'www.shop.test', tags: { author: 'Jane' } },
      { path: '/missing', title: 'Not found', hostname: 'www.shop.test', tags: { author: 'Jane' } },
      // The core build (pirsch.js) sends no tags; one page view for two tags.
      { path: '/legacy', title: 'Legacy', hostname: 'www.shop.test', tags: {} },
    ]);
    const byName = Object.fromEntries(data.events.map((event) => [event.name, event]));
    expect(data.events.map((event) => event.name).sort()).toEqual(
      [
        '404 Page Not Found',
        'Aux Click',
        'Early Call',
        'File Download',
        'Late Button',
        'Legacy Event',
        'Newsletter Open',
        'Outbound Link Click',
        'Purchase',
        'Signup Click',
      ].sort(),
    );
    // Tags ride along with events as metadata (TRACKER.md §1.9).
    const author = { author: 'Jane' };
    expect(byName['Early Call']).toMatchObject({ path: '/', meta: { n: '1', ...author } });
    expect(byName['Purchase']).toEqual({
      name: 'Purchase',
      path: '/',
      meta: { plan: 'pro', seats: '3', annual: 'true', ...author },
      durationSeconds: 42,
      nonInteractive: false,
    });
    expect(byName['Signup Click']).toMatchObject({
      meta: { plan: 'pro', ...author },
      durationSeconds: 3,
      nonInteractive: false,
    });
    expect(byName['Newsletter Open']).toMatchObject({ meta: { source: 'footer link', ...author } });
    expect(byName['Aux Click']).toMatchObject({ meta: author });
    expect(byName['Late Button']).toMatchObject({ meta: author });
    expect(byName['File Download']).toMatchObject({
      meta: { file: '/files/report.pdf', ...author },
      nonInteractive: true,
    });
    expect(byName['Outbound Link Click']).toMatchObject({
      meta: { url: `http://elsewhere.test:${site.port}/landing?x=1`, ...author },
      nonInteractive: true,
    });
    expect(byName['404 Page Not Found']).toMatchObject({
      path: '/missing',
      meta: { path: '/missing', ...author },
      nonInteractive: true,
    });
    expect(byName['Legacy Event']).toMatchObject({ path: '/legacy', meta: { era: '2022' } });
    // One visitor, one visit.
    expect(data.sessions).toEqual([{ pageViews: 4, bounced: false, entryPath: '/' }]);

    // Everything was accepted, and the second legacy tag's endpoint was used for its events.
    expect(sent.filter((request) => request.status !== 200)).toEqual([]);
    expect(sent.filter((request) => request.url.startsWith(`${spoor}/t7/event`))).toHaveLength(1);
    await context.close();
  });

  it('tracks a single-page app: pushState, redirects, back, hash changes, keep-alive', async () => {
    const { context, idle, sent } = await newContext();
    const page = await context.newPage();
    const appData = read(app);
    const views = (n: number) => (value: Recorded) => value.pageViews.length >= n;

    const keptAlive = page.waitForResponse((response) => response.url().includes('/t7/session'));
    await page.goto(`http://127.0.0.1:${site.port}/app`);
    await waitFor(appData, views(1));
    // Routers set the title after pushing: the page view carries the new one.
    await page.evaluate(() =>
      (window as unknown as { go: (p: string, t: string) => void }).go('/app/one', 'One'),
    );
    await waitFor(appData, views(2));
    await page.evaluate(() =>
      (window as unknown as { go: (p: string, t: string) => void }).go('/app/two', 'Two'),
    );
    await waitFor(appData, views(3));
    // Neither a push of the current URL nor replaceState is a page view. An event sends a
    // navigation still being coalesced at once, so it shows here without waiting for the timer.
    type Track = { pirsch: (n: string, o?: object) => Promise<unknown> };
    await page.evaluate(() => {
      history.pushState({}, '', location.href);
      return (window as unknown as Track).pirsch('Same Push');
    });
    await page.evaluate(() => {
      history.replaceState({}, '', '/app/two?tab=details');
      return (window as unknown as Track).pirsch('After Replace');
    });
    await waitFor(appData, (value) => value.events.length >= 2);
    // A redirect within 100 ms: one page view, for the final URL and title.
    await page.evaluate(() => {
      history.pushState({}, '', '/app/old');
      setTimeout(() => {
        history.pushState({}, '', '/app/new');
        document.title = 'New';
      }, 30);
    });
    await waitFor(appData, views(4));
    await page.goBack();
    await waitFor(appData, views(5));
    // Hash navigation fires popstate and hashchange: one page view.
    await page.evaluate(() => {
      location.hash = 'section';
    });
    await waitFor(appData, views(6));
    await page.evaluate(() =>
      (window as unknown as Track).pirsch('SPA Event', {
        non_interactive: true,
        meta: { step: 'last' },
      }),
    );
    await waitFor(appData, (value) => value.events.length >= 3);
    expect((await keptAlive).status()).toBe(200);
    await page.evaluate(() =>
      (window as unknown as { pirschClearSession: () => void }).pirschClearSession(),
    );

    await waitFor(async () => idle(), Boolean);
    const data = await appData();
    expect(data.pageViews.map(({ path, title }) => [path, title])).toEqual([
      ['/app', 'App'],
      ['/app/one', 'One'],
      ['/app/two', 'Two'],
      ['/app/new', 'New'],
      ['/app/old', 'New'],
      ['/app/old', 'New'],
    ]);
    // data-dev="app.test": the local page counts as the real site.
    expect(new Set(data.pageViews.map((view) => view.hostname))).toEqual(new Set(['app.test']));
    const plain = { meta: {}, durationSeconds: 0, nonInteractive: false };
    expect(data.events).toEqual([
      { name: 'Same Push', path: '/app/two', ...plain },
      { name: 'After Replace', path: '/app/two', ...plain },
      {
        name: 'SPA Event',
        path: '/app/old',
        meta: { step: 'last' },
        durationSeconds: 0,
        nonInteractive: true,
      },
    ]);
    expect(data.sessions).toEqual([{ pageViews: 6, bounced: false, entryPath: '/app' }]);
    expect(sent.filter((request) => request.status !== 200)).toEqual([]);
    // Endpoints next to the script: it was loaded from /t7/pa.js.
    expect(sent.every((request) => request.url.startsWith(`${spoor}/t7/`))).toBe(true);
    await context.close();
  });
});
