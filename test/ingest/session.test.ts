import { describe, expect, it } from 'vitest';
import {
  advanceSession,
  BOT_THRESHOLD,
  SESSION_MAX_MS,
  SESSION_TIMEOUT_MS,
  type LiveSession,
  type SessionRequest,
} from '../../src/ingest/session.ts';
import type { AttributeColumns } from '../../src/store/clickhouse/rows.ts';

const T0 = Date.parse('2026-11-30T10:00:00.000Z');
const sec = 1000;
const min = 60 * sec;

const attributes: AttributeColumns = {
  language: 'en',
  country_code: 'de',
  region: '',
  city: 'Berlin',
  referrer: 'https://news.ycombinator.com',
  referrer_name: 'Hacker News',
  referrer_icon: '',
  os: 'Linux',
  os_version: '',
  browser: 'Firefox',
  browser_version: '100.0',
  platform: 'desktop',
  screen_width: 1920,
  screen_height: 1080,
  screen_class: 'Full HD',
  utm_source: '',
  utm_medium: '',
  utm_campaign: '',
  utm_content: '',
  utm_term: '',
  channel: 'Referral',
};

const noReferrer = { referrer: '', name: '', icon: '' };
const noUtm = { source: '', medium: '', campaign: '', content: '', term: '' };

function req(over: Partial<SessionRequest> & { at: number }): SessionRequest {
  const { at, ...rest } = over;
  const referrer = over.referrer ?? noReferrer;
  const utm = over.utm ?? noUtm;
  return {
    kind: 'page_view',
    timeMs: at,
    domainId: 'Dom1234567',
    visitorId: '42',
    hostname: 'example.com',
    path: '/',
    title: 'Home',
    referrer: noReferrer,
    utm: noUtm,
    // Like the pipeline: a new session takes the request's referrer and campaign.
    attributes: () => ({
      ...attributes,
      referrer: referrer.referrer,
      referrer_name: referrer.name,
      utm_source: utm.source,
      utm_medium: utm.medium,
      utm_campaign: utm.campaign,
      utm_content: utm.content,
      utm_term: utm.term,
    }),
    tags: {},
    botFilter: true,
    ...rest,
  };
}

let nextId = 1000;
const newId = () => nextId++;

/** Apply requests in order, returning every outcome and the final live session. */
function run(requests: SessionRequest[]) {
  let live: LiveSession | undefined;
  const outcomes = requests.map((r) => {
    const outcome = advanceSession(live, r, newId);
    live = outcome.next;
    return outcome;
  });
  return { outcomes, live: live! };
}

/** Sum the session rows with their signs, like the statistics do (SEMANTICS §5.2). */
function collapse(outcomes: ReturnType<typeof run>['outcomes']) {
  const sums = new Map<
    number,
    { sign: number; page_views: number; is_bounce: number; duration: number }
  >();
  for (const row of outcomes.flatMap((o) => o.sessions)) {
    const s = sums.get(row.session_id) ?? { sign: 0, page_views: 0, is_bounce: 0, duration: 0 };
    s.sign += row.sign;
    s.page_views += row.page_views * row.sign;
    s.is_bounce += row.is_bounce * row.sign;
    s.duration += row.duration_seconds * row.sign;
    sums.set(row.session_id, s);
  }
  return [...sums.values()].filter((s) => s.sign > 0);
}

describe('session state machine', () => {
  it('starts a session with one state, one page view and a bounce', () => {
    const { outcomes, live } = run([req({ at: T0 })]);
    expect(outcomes[0]!.sessions).toHaveLength(1);
    expect(outcomes[0]!.sessions[0]).toMatchObject({
      sign: 1,
      version: 1,
      page_views: 1,
      is_bounce: 1,
      duration_seconds: 0,
      entry_path: '/',
      exit_path: '/',
      time: '2026-11-30 10:00:00.000',
      start: '2026-11-30 10:00:00.000',
      browser: 'Firefox',
    });
    expect(outcomes[0]!.pageViews).toHaveLength(1);
    expect(outcomes[0]!.pageViews[0]).toMatchObject({
      path: '/',
      title: 'Home',
      duration_seconds: 0,
    });
    expect(live.lastPageViewMs).toBe(T0);
  });

  it('continues within 30 minutes: cancel + new state, time on the previous page, no bounce', () => {
    const { outcomes } = run([
      req({ at: T0 }),
      req({ at: T0 + 45 * sec, path: '/pricing', title: 'Pricing' }),
    ]);
    const [cancel, next] = outcomes[1]!.sessions;
    expect(cancel).toMatchObject({
      sign: -1,
      version: 1,
      page_views: 1,
      time: '2026-11-30 10:00:00.000',
    });
    expect(next).toMatchObject({
      sign: 1,
      version: 2,
      page_views: 2,
      is_bounce: 0,
      duration_seconds: 45,
      entry_path: '/',
      exit_path: '/pricing',
      exit_title: 'Pricing',
      entry_title: 'Home',
    });
    expect(outcomes[1]!.pageViews[0]).toMatchObject({
      path: '/pricing',
      title: 'Pricing',
      duration_seconds: 45,
    });
    expect(collapse(outcomes)).toEqual([{ sign: 1, page_views: 2, is_bounce: 0, duration: 45 }]);
  });

  it('counts reloads as page views but keeps the bounce (decision 16)', () => {
    const { outcomes } = run([
      req({ at: T0 }),
      req({ at: T0 + 10 * sec }),
      req({ at: T0 + 20 * sec }),
    ]);
    expect(collapse(outcomes)).toEqual([{ sign: 1, page_views: 3, is_bounce: 1, duration: 20 }]);
    expect(outcomes.flatMap((o) => o.pageViews)).toHaveLength(3);
  });

  it('starts a new session after 30 minutes without a request', () => {
    const { outcomes } = run([req({ at: T0 }), req({ at: T0 + SESSION_TIMEOUT_MS + 1 })]);
    expect(outcomes[1]!.sessions).toHaveLength(1);
    expect(outcomes[1]!.sessions[0]!.session_id).not.toBe(outcomes[0]!.sessions[0]!.session_id);
    expect(collapse(outcomes)).toHaveLength(2);
  });

  it('continues at 29 minutes 59 seconds', () => {
    const { outcomes } = run([req({ at: T0 }), req({ at: T0 + SESSION_TIMEOUT_MS - sec })]);
    expect(collapse(outcomes)).toHaveLength(1);
  });

  it('ends a session after 24 hours even when requests keep coming', () => {
    const requests = [];
    for (let t = 0; t <= SESSION_MAX_MS + 20 * min; t += 20 * min)
      requests.push(req({ at: T0 + t, path: `/p${t}` }));
    const { outcomes } = run(requests);
    const sessions = collapse(outcomes);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]!.duration).toBeLessThan(SESSION_MAX_MS / 1000);
  });

  it('starts a new session when the referrer or a UTM value changes, not when they are empty', () => {
    const google = { referrer: 'https://www.google.com', name: 'Google', icon: '' };
    const { outcomes } = run([
      req({ at: T0, referrer: google }),
      req({ at: T0 + min, path: '/a' }), // internal navigation: no referrer
      req({ at: T0 + 2 * min, path: '/b', referrer: google }), // same referrer
      req({ at: T0 + 3 * min, path: '/c', utm: { ...noUtm, source: 'newsletter' } }),
      req({ at: T0 + 4 * min, path: '/d', utm: { ...noUtm, source: 'newsletter' } }),
      req({
        at: T0 + 5 * min,
        path: '/e',
        referrer: { referrer: '', name: 'Newsletter', icon: '' },
      }),
    ]);
    const starts = outcomes.map((o) => o.sessions.length === 1);
    expect(starts).toEqual([true, false, false, true, false, true]);
  });

  it('un-bounces with an interactive event but not with a non-interactive one', () => {
    const event = {
      name: 'Signup',
      metaKeys: ['plan'],
      metaValues: ['pro'],
      durationSeconds: 3,
      nonInteractive: false,
    };
    const interactive = run([req({ at: T0 }), req({ at: T0 + 5 * sec, kind: 'event', event })]);
    expect(collapse(interactive.outcomes)[0]).toMatchObject({
      is_bounce: 0,
      page_views: 1,
      duration: 5,
    });
    expect(interactive.outcomes[1]!.events[0]).toMatchObject({
      name: 'Signup',
      meta_keys: ['plan'],
      meta_values: ['pro'],
      duration_seconds: 3,
      non_interactive: 0,
      path: '/',
    });
    expect(interactive.outcomes[1]!.pageViews).toHaveLength(0);

    const passive = run([
      req({ at: T0 }),
      req({ at: T0 + 5 * sec, kind: 'event', event: { ...event, nonInteractive: true } }),
    ]);
    expect(collapse(passive.outcomes)[0]).toMatchObject({ is_bounce: 1, page_views: 1 });
  });

  it('does not move time on page with events and keep-alives (decision 17)', () => {
    const event = {
      name: 'Scroll',
      metaKeys: [],
      metaValues: [],
      durationSeconds: 0,
      nonInteractive: true,
    };
    const { outcomes, live } = run([
      req({ at: T0 }),
      req({ at: T0 + 20 * sec, kind: 'event', event }),
      req({ at: T0 + 40 * sec, kind: 'keep_alive' }),
      req({ at: T0 + 90 * sec, path: '/next' }),
    ]);
    expect(outcomes[3]!.pageViews[0]!.duration_seconds).toBe(90);
    expect(live.state).toMatchObject({ duration_seconds: 90, extended: 1, page_views: 2 });
  });

  it('extends a session with a keep-alive (duration counts it) and ignores one without a session', () => {
    const alone = run([req({ at: T0, kind: 'keep_alive' })]);
    expect(alone.outcomes[0]!.sessions).toHaveLength(0);
    expect(alone.live).toBeUndefined();

    const { outcomes } = run([
      req({ at: T0 }),
      req({ at: T0 + 25 * min, kind: 'keep_alive' }),
      req({ at: T0 + 50 * min, path: '/x' }),
    ]);
    // The keep-alive kept the session alive past 30 minutes since the page view.
    expect(collapse(outcomes)).toEqual([
      { sign: 1, page_views: 2, is_bounce: 0, duration: 50 * 60 },
    ]);
  });

  it('records an event that starts a session as a page view of its path (decision 16)', () => {
    const event = {
      name: 'Download',
      metaKeys: [],
      metaValues: [],
      durationSeconds: 0,
      nonInteractive: false,
    };
    const { outcomes } = run([req({ at: T0, kind: 'event', event, path: '/files' })]);
    expect(outcomes[0]!.pageViews).toHaveLength(1);
    expect(outcomes[0]!.pageViews[0]!.path).toBe('/files');
    expect(outcomes[0]!.sessions[0]).toMatchObject({
      page_views: 1,
      is_bounce: 0,
      entry_path: '/files',
    });
  });

  it('records a page view for an event on another page than the current one (decision 16)', () => {
    const event = {
      name: 'Click',
      metaKeys: [],
      metaValues: [],
      durationSeconds: 0,
      nonInteractive: false,
    };
    const { outcomes } = run([
      req({ at: T0 }),
      req({ at: T0 + 30 * sec, kind: 'event', event, path: '/other' }),
    ]);
    expect(outcomes[1]!.pageViews.map((p) => [p.path, p.duration_seconds])).toEqual([
      ['/other', 30],
    ]);
    expect(outcomes[1]!.events[0]!.path).toBe('/other');
    expect(collapse(outcomes)[0]).toMatchObject({ page_views: 2, is_bounce: 0 });
  });

  it('counts page views faster than 50 ms towards the bot counter and drops the session at the threshold', () => {
    const requests = Array.from({ length: BOT_THRESHOLD + 3 }, (_, i) =>
      req({ at: T0 + i * 10, path: `/p${i}` }),
    );
    const { outcomes, live } = run(requests);
    expect(live.state.is_bot).toBe(BOT_THRESHOLD);
    expect(outcomes.at(-1)!.sessions).toHaveLength(0);
    const unfiltered = run(requests.map((r) => ({ ...r, botFilter: false })));
    expect(unfiltered.live.state.is_bot).toBe(0);
  });

  it('places an older request of a batch inside its session without moving time backwards', () => {
    const { outcomes, live } = run([
      req({ at: T0 + 60 * sec, path: '/b' }),
      req({ at: T0, path: '/a' }),
    ]);
    expect(collapse(outcomes)).toHaveLength(1);
    expect(live.state).toMatchObject({
      entry_path: '/a',
      exit_path: '/b',
      duration_seconds: 60,
      page_views: 2,
    });
    expect(live.timeMs).toBe(T0 + 60 * sec);
    expect(outcomes[1]!.pageViews[0]!.duration_seconds).toBe(0);
  });

  it('continues across midnight UTC with the same session', () => {
    const late = Date.parse('2026-11-30T23:50:00.000Z');
    const { outcomes } = run([
      req({ at: late }),
      req({ at: late + 20 * min, path: '/after-midnight', visitorId: '43' }),
    ]);
    expect(outcomes[1]!.sessions).toHaveLength(2);
    expect(outcomes[1]!.pageViews[0]!.visitor_id).toBe('42');
    expect(outcomes[1]!.pageViews[0]!.time).toBe('2026-12-01 00:10:00.000');
    expect(outcomes[1]!.sessions[1]!.start).toBe('2026-11-30 23:50:00.000');
  });

  it('copies the session attributes onto page views and events, computing them once', () => {
    let calls = 0;
    const counting = () => {
      calls += 1;
      return attributes;
    };
    const { outcomes } = run([
      req({ at: T0, attributes: counting }),
      req({ at: T0 + sec, attributes: counting, path: '/2' }),
    ]);
    expect(calls).toBe(1);
    expect(outcomes[1]!.pageViews[0]).toMatchObject({
      country_code: 'de',
      referrer_name: 'Hacker News',
      browser: 'Firefox',
    });
  });
});
