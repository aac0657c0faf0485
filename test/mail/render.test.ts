/** Rendering a report from its numbers: escaping, change labels, subjects, the text part. */
import { describe, expect, it } from 'vitest';
import type { ReportData } from '../../src/mail/report-data.ts';
import { changeLabel, renderReport, reportSubject } from '../../src/mail/report-render.ts';
import { reportHeaders } from '../../src/mail/report-sender.ts';

const data = (over: Partial<ReportData> = {}): ReportData => ({
  hostname: 'example.com',
  interval: 1,
  period: {
    from: '2026-11-09',
    to: '2026-11-15',
    previous: { from: '2026-11-02', to: '2026-11-08' },
  },
  current: { visitors: 1234, views: 5000, sessions: 1500, bounce_rate: 0.4 },
  previous: { visitors: 1000, views: 5000, sessions: 2000, bounce_rate: 0.5 },
  days: [
    { day: '2026-11-09', visitors: 10, previousDay: '2026-11-02', previousVisitors: 20 },
    { day: '2026-11-10', visitors: 0, previousDay: '2026-11-03', previousVisitors: 0 },
  ],
  pages: [{ label: '/<script>alert(1)</script>', visitors: 3, count: 4 }],
  referrers: [{ label: 'Evil "quoted" & <b>bold</b>', visitors: 2 }],
  events: [],
  dashboardUrl: 'https://spoor.example.com/?domain=example.com&id=abc',
  ...over,
});

const recipient = {
  email: 'me@example.com',
  unsubscribeUrl: 'https://spoor.example.com/api/v1/report/unsubscribe?token=t&x="y"',
};

describe('renderReport', () => {
  it('escapes every value taken from data', () => {
    const { html } = renderReport(data({ hostname: 'a<b>.com' }), recipient);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).not.toContain('a<b>.com');
    expect(html).toContain('/&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Evil &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('token=t&amp;x=&quot;y&quot;');
    expect(html).toContain('href="https://spoor.example.com/?domain=example.com&amp;id=abc"');
  });

  it('shows changes against the previous period, the better direction in green', () => {
    const { html, text } = renderReport(data(), recipient);
    expect(text).toMatch(/^Visitors +1,234 {3}\+23 % \(was 1,000\)$/m);
    expect(text).toMatch(/^Page views +5,000 {3}±0 % \(was 5,000\)$/m);
    expect(text).toMatch(/^Sessions +1,500 {3}−25 % \(was 2,000\)$/m);
    expect(text).toMatch(/^Bounce rate +40\.0 % {3}−20 % \(was 50\.0 %\)$/m);
    // A falling bounce rate is good news; fewer sessions are not.
    expect(html).toMatch(/color:#1a7f37">−20 %/);
    expect(html).toMatch(/color:#c62828">−25 %/);
    expect(html).toMatch(/color:#1a7f37">\+23 %/);
  });

  it('says when a list is empty and leaves out lists the installation cannot compute', () => {
    const { text, html } = renderReport(data({ referrers: undefined }), recipient);
    expect(text).toContain('Top events\n  (none)');
    expect(html).toContain('No events.');
    expect(text).not.toContain('Top referrers');
    expect(html).not.toContain('Top referrers');
  });

  it('draws no bar for a day without visitors', () => {
    const { html } = renderReport(data(), recipient);
    const rows = html.split('<tr class="chart-row">').slice(1);
    expect(rows[0]).toContain('class="bar-current" width="50%"');
    expect(rows[0]).toContain('class="bar-previous" width="100%"');
    expect(rows[1]).not.toContain('bar-current');
    expect(rows[1]).not.toContain('bar-previous');
  });
});

describe('changeLabel', () => {
  it.each([
    [5, 0, 'new'],
    [0, 0, '±0 %'],
    [0, 4, '−100 %'],
    [3, 2, '+50 %'],
    [1001, 1000, '±0 %'],
  ])('%d after %d → %s', (current, previous, label) => {
    expect(changeLabel(current, previous)).toBe(label);
  });
});

describe('subjects and headers', () => {
  it.each([
    [1, 'Weekly report for example.com: 9 Nov – 15 Nov 2026'],
    [2, 'Two-week report for example.com: 9 Nov – 15 Nov 2026'],
    [3, 'Three-week report for example.com: 9 Nov – 15 Nov 2026'],
  ] as const)('interval %i', (interval, subject) => {
    expect(reportSubject(data({ interval }))).toBe(subject);
  });

  it('names both years of a period across New Year', () => {
    const period = {
      from: '2026-12-28',
      to: '2027-01-03',
      previous: { from: '2026-12-21', to: '2026-12-27' },
    };
    expect(reportSubject({ hostname: 'x.org', interval: 1, period })).toBe(
      'Weekly report for x.org: 28 Dec 2026 – 3 Jan 2027',
    );
  });

  it('announces one-click unsubscribe only for an https link (RFC 8058)', () => {
    expect(reportHeaders('https://a.example/u?token=1')).toEqual({
      'List-Unsubscribe': '<https://a.example/u?token=1>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
    });
    expect(reportHeaders('http://localhost:8080/u?token=1')).not.toHaveProperty(
      'List-Unsubscribe-Post',
    );
  });
});
