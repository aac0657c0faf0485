/**
 * E-mail reports end to end: the fixture world of `test/stats/world.ts`, a real SMTP server, the
 * scheduler's pass, the received message parsed with mailparser, its numbers compared with the
 * statistics API, its unsubscribe link used over HTTP, and its HTML rendered in Chromium.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog, type MailContext } from '../../src/mail/context.ts';
import { noMailMetrics } from '../../src/mail/metrics.ts';
import { MailScheduler } from '../../src/mail/scheduler.ts';
import { createMailer } from '../../src/mail/transport.ts';
import { createReports } from '../../src/manage/reports.ts';
import { createStatsWorld, type StatsWorld } from '../stats/world.ts';
import { headerText, startSmtp, type ReceivedMail, type TestSmtp } from './smtp.ts';

let world: StatsWorld;
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startSmtp();
  world = await createStatsWorld({ ...smtp.env, SPOOR_BASE_URL: 'https://spoor.example.com' });
});
afterAll(async () => {
  await world.close();
  await smtp.stop();
});

const db = () => world.meta.db;

function scheduler(): MailScheduler {
  const ctx: MailContext = {
    baseUrl: world.config.baseUrl,
    db: db(),
    events: world.events,
    mailer: createMailer(world.config.smtp),
    log: silentLog,
    metrics: noMailMetrics,
  };
  return new MailScheduler(ctx);
}

/** A report of the Berlin domain, due at `nextReport`. */
async function makeReport(email: string, interval: number, nextReport: string): Promise<string> {
  const [report] = await createReports(db(), {
    domainId: world.berlin.id,
    timezone: world.berlin.timezone,
    emails: [email],
    interval,
  });
  await db()
    .updateTable('email_report')
    .set({ next_report: nextReport })
    .where('id', '=', report!.id)
    .execute();
  return report!.id;
}

const row = (id: string) =>
  db().selectFrom('email_report').selectAll().where('id', '=', id).executeTakeFirst();

/** Mails received since `before` (an index into `smtp.received`). */
const since = (before: number): ReceivedMail[] => smtp.received.slice(before);

// Monday 16 Nov 2026, 07:00 in Berlin (UTC+1): the weekly report of 9–15 Nov is due.
const WEEKLY_DUE = '2026-11-16T06:00:00.000Z';
const WEEK = { from: '2026-11-09', to: '2026-11-15' };

describe('a due weekly report', () => {
  let reportId: string;
  let mail: ReceivedMail;

  beforeAll(async () => {
    reportId = await makeReport('weekly@example.com', 1, WEEKLY_DUE);
    const before = smtp.received.length;
    const result = await scheduler().runOnce(new Date('2026-11-16T06:00:30Z'));
    expect(result.reports).toEqual({ sent: 1, failed: 0, skipped: 0 });
    [mail] = since(before) as [ReceivedMail];
  });

  it('is delivered to its recipient with the period in the subject', () => {
    expect(mail.rcptTo).toEqual(['weekly@example.com']);
    expect(mail.parsed.subject).toBe('Weekly report for stats.example.com: 9 Nov – 15 Nov 2026');
    expect(mail.parsed.from?.value).toEqual([{ name: 'Spoor', address: 'spoor@example.com' }]);
    expect(headerText(mail.parsed, 'Auto-Submitted')).toBe('auto-generated');
    expect(typeof mail.parsed.html).toBe('string');
    expect(mail.parsed.text).toContain('9 Nov – 15 Nov 2026, compared with 2 Nov – 8 Nov 2026');
  });

  it('carries the numbers of the statistics API for the same days', async () => {
    const total = await world.get('statistics/total', { id: world.berlin.id, ...WEEK });
    const t = total.body as { visitors: number; views: number; sessions: number };
    // The world's hand-computed totals (test/stats/world.ts), so the API is not just echoed.
    expect(t).toMatchObject({ visitors: 5, views: 9, sessions: 5, bounce_rate: 0.6 });
    const text = mail.parsed.text!;
    expect(text).toMatch(/^Visitors {6,}5 {3}new \(was 0\)$/m);
    expect(text).toMatch(/^Page views {6,}9 {3}new \(was 0\)$/m);
    expect(text).toMatch(/^Sessions {6,}5 {3}new \(was 0\)$/m);
    expect(text).toMatch(/^Bounce rate +60\.0 % {3}new \(was 0\.0 %\)$/m);
    const html = mail.parsed.html as string;
    expect(html).toMatch(/data-metric="visitors"[^>]*>5</);
    expect(html).toMatch(/data-metric="views"[^>]*>9</);
    expect(html).toMatch(/data-metric="bounce_rate"[^>]*>60\.0 %</);

    // Visitors per day in Berlin: A on the 10th, B (23:30 UTC) and C on the 11th, D and E on the 12th.
    const days = (await world.get('statistics/visitor', { id: world.berlin.id, ...WEEK })).body as {
      day: string;
      visitors: number;
    }[];
    expect(days.map((d) => d.visitors)).toEqual([0, 1, 2, 2, 0, 0, 0]);
    for (const d of days) {
      const label = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'UTC',
        weekday: 'short',
        day: 'numeric',
        month: 'short',
      }).format(new Date(d.day));
      expect(text).toMatch(new RegExp(`^${label} +#* +${d.visitors} \\(0\\)$`, 'm'));
    }
  });

  it('lists the top pages, referrers and events as the statistics API ranks them', async () => {
    const text = mail.parsed.text!;
    const lists = [
      { path: 'statistics/page', title: 'Top pages' },
      { path: 'statistics/referrer', title: 'Top referrers' },
      { path: 'statistics/events', title: 'Top events' },
    ];
    for (const { path: statistic, title } of lists) {
      const res = await world.get(statistic, { id: world.berlin.id, ...WEEK, limit: '10' });
      if (res.status === 404) {
        // That statistics family has not landed: the report leaves the section out.
        expect(text).not.toContain(title);
        continue;
      }
      expect(res.status).toBe(200);
      const rows = res.body as Record<string, unknown>[];
      expect(rows.length).toBeGreaterThan(0);
      const section = text.split(`\n${title}\n`)[1]!.split('\n\n')[0]!.split('\n');
      expect(section).toHaveLength(rows.length);
      rows.forEach((r, i) => {
        const label =
          statistic === 'statistics/page'
            ? r.path
            : statistic === 'statistics/events'
              ? r.name
              : r.referrer_name || r.referrer || 'Direct / none';
        expect(section[i]).toContain(`  ${String(label)}: ${String(r.visitors)} visitors`);
      });
    }
  });

  it('is sent once per period: a second pass sends nothing and the row moved on', async () => {
    const stored = await row(reportId);
    expect(stored).toMatchObject({
      next_report: '2026-11-23T06:00:00.000Z',
      last_period: '2026-11-09/2026-11-15',
    });
    const before = smtp.received.length;
    const again = await scheduler().runOnce(new Date('2026-11-16T06:05:00Z'));
    expect(again.reports).toEqual({ sent: 0, failed: 0, skipped: 0 });
    expect(since(before)).toHaveLength(0);
  });

  it('offers one-click unsubscribe (RFC 8058) and a visible link to the same URL', () => {
    const header = headerText(mail.parsed, 'List-Unsubscribe')!;
    expect(header).toMatch(
      /^<https:\/\/spoor\.example\.com\/api\/v1\/report\/unsubscribe\?token=[A-Za-z0-9_%-]+>$/,
    );
    expect(headerText(mail.parsed, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const url = header.slice(1, -1);
    expect(mail.parsed.html).toContain(`href="${url}"`);
    expect(mail.parsed.text).toContain(`Unsubscribe: ${url}`);
    expect(mail.parsed.html).toContain(
      `href="https://spoor.example.com/sites/${world.berlin.id}?from=2026-11-09&amp;to=2026-11-15"`,
    );
  });

  it('GET on the unsubscribe link only asks; POST (one-click) deletes the report', async () => {
    const url = new URL(headerText(mail.parsed, 'List-Unsubscribe')!.slice(1, -1));
    const target = url.pathname + url.search;

    const page = await world.app.inject({ method: 'GET', url: target });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('weekly@example.com');
    expect(page.body).toContain('<form method="post"');
    // Mail scanners fetch links: opening it twice changes nothing.
    await world.app.inject({ method: 'GET', url: target });
    expect(await row(reportId)).toBeDefined();

    const wrong = await world.app.inject({
      method: 'POST',
      url: `${url.pathname}?token=not-a-token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(wrong.statusCode).toBe(404);
    expect(await row(reportId)).toBeDefined();

    const done = await world.app.inject({
      method: 'POST',
      url: target,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You are unsubscribed');
    expect(await row(reportId)).toBeUndefined();

    const twice = await world.app.inject({ method: 'POST', url: target });
    expect(twice.statusCode).toBe(404);
    const gone = await world.app.inject({ method: 'GET', url: target });
    expect(gone.statusCode).toBe(404);
    const empty = await world.app.inject({ method: 'GET', url: url.pathname });
    expect(empty.statusCode).toBe(400);
  });

  it('accepts the one-click POST as multipart/form-data too', async () => {
    const id = await makeReport('multipart@example.com', 1, WEEKLY_DUE);
    const before = smtp.received.length;
    await scheduler().runOnce(new Date('2026-11-16T06:00:30Z'));
    const [m] = since(before).filter((r) => r.rcptTo.includes('multipart@example.com'));
    const url = new URL(headerText(m!.parsed, 'List-Unsubscribe')!.slice(1, -1));
    const boundary = 'spoorboundary';
    const res = await world.app.inject({
      method: 'POST',
      url: url.pathname + url.search,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    });
    expect(res.statusCode).toBe(200);
    expect(await row(id)).toBeUndefined();
  });
});

describe('reports after downtime and re-scheduling', () => {
  it('sends only the latest missed period, not a backlog', async () => {
    // Due since 16 Nov; the pass runs on 1 Dec: the 16, 23 and 30 Nov moments all passed.
    const id = await makeReport('late@example.com', 1, WEEKLY_DUE);
    const before = smtp.received.length;
    await scheduler().runOnce(new Date('2026-12-01T09:00:00Z'));
    const mails = since(before).filter((m) => m.rcptTo.includes('late@example.com'));
    expect(mails.map((m) => m.parsed.subject)).toEqual([
      'Weekly report for stats.example.com: 23 Nov – 29 Nov 2026',
    ]);
    expect(await row(id)).toMatchObject({
      next_report: '2026-12-07T06:00:00.000Z',
      last_period: '2026-11-23/2026-11-29',
    });
  });

  it('does not send a period twice when re-scheduled into it (last_period)', async () => {
    const id = await makeReport('resched@example.com', 1, WEEKLY_DUE);
    const run = () => scheduler().runOnce(new Date('2026-11-16T06:00:30Z'));
    await run();
    // As if the time zone changed right after sending: due again the same Monday.
    await db()
      .updateTable('email_report')
      .set({ next_report: '2026-11-16T06:00:10.000Z' })
      .where('id', '=', id)
      .execute();
    const before = smtp.received.length;
    const result = await run();
    expect(result.reports).toMatchObject({ sent: 0, failed: 0 });
    expect(since(before).filter((m) => m.rcptTo.includes('resched@example.com'))).toHaveLength(0);
    expect(await row(id)).toMatchObject({ next_report: '2026-11-23T06:00:00.000Z' });
  });
});

describe('a monthly report in a real browser', () => {
  let html: string;

  beforeAll(async () => {
    // 1 Dec 2026, 07:00 Berlin: the report of November.
    await makeReport('monthly@example.com', 4, '2026-12-01T06:00:00.000Z');
    const before = smtp.received.length;
    await scheduler().runOnce(new Date('2026-12-01T06:00:30Z'));
    const [m] = since(before).filter((r) => r.rcptTo.includes('monthly@example.com'));
    expect(m!.parsed.subject).toBe('Monthly report for stats.example.com: 1 Nov – 30 Nov 2026');
    html = m!.parsed.html as string;
  });

  it('has no scripts, external images or style sheets', () => {
    expect(html).not.toMatch(/<script|<img|<link|<style|javascript:/i);
  });

  it('renders within 600 px with the summary visible and bars as wide as the numbers', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 600, height: 800 } });
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
      });
      await page.setContent(html, { waitUntil: 'load' });
      const dir = path.resolve('test-results/screenshots');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: path.join(dir, 'report.png'), fullPage: true });
      expect(requests).toEqual([]);

      const layout = await page.evaluate(() => {
        const visible = (el: Element) => {
          const r = el.getBoundingClientRect();
          const s = getComputedStyle(el);
          return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
        };
        const metrics = Array.from(document.querySelectorAll('[data-metric]')).map((el) => ({
          key: el.getAttribute('data-metric'),
          text: (el as HTMLElement).innerText,
          visible: visible(el),
        }));
        const rows = Array.from(document.querySelectorAll('tr.chart-row')).map((tr) => {
          const cells = tr.querySelectorAll(':scope > td');
          const bar = tr.querySelector('.bar-current');
          return {
            day: (cells[0] as HTMLElement).innerText,
            visitors: Number((cells[2]!.firstElementChild as HTMLElement).innerText),
            barWidth: bar ? bar.getBoundingClientRect().width : 0,
          };
        });
        const overflowing = Array.from(document.body.querySelectorAll('*'))
          .filter((el) => el.getBoundingClientRect().right > 600.5)
          .map((el) => el.tagName + '.' + el.className);
        return {
          metrics,
          rows,
          overflowing,
          scrollWidth: document.documentElement.scrollWidth,
        };
      });

      expect(layout.metrics).toEqual([
        { key: 'visitors', text: '5', visible: true },
        { key: 'views', text: '9', visible: true },
        { key: 'sessions', text: '5', visible: true },
        { key: 'bounce_rate', text: '60.0 %', visible: true },
      ]);
      expect(layout.rows).toHaveLength(30);
      const withVisitors = layout.rows.filter((r) => r.visitors > 0);
      expect(withVisitors.map((r) => [r.day, r.visitors])).toEqual([
        ['Tue 10 Nov', 1],
        ['Wed 11 Nov', 2],
        ['Thu 12 Nov', 2],
      ]);
      for (const r of layout.rows) {
        if (r.visitors === 0) expect(r.barWidth).toBe(0);
        else expect(r.barWidth).toBeGreaterThan(10);
      }
      // Widths follow the numbers: the 2-visitor bars are twice the 1-visitor bar.
      const [one, two] = [withVisitors[0]!.barWidth, withVisitors[1]!.barWidth];
      expect(two / one).toBeGreaterThan(1.8);
      expect(two / one).toBeLessThan(2.2);
      expect(layout.overflowing).toEqual([]);
      expect(layout.scrollWidth).toBeLessThanOrEqual(600);
    } finally {
      await browser.close();
    }
  });
});
