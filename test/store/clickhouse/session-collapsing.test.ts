import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChdbEventStore } from '../../../src/store/clickhouse/chdb-store.ts';
import type { ChdbEventStore } from '../../../src/store/clickhouse/chdb-store.ts';
import { migrateEventStore } from '../../../src/store/clickhouse/migrations.ts';
import type { SessionRow, SessionState } from '../../../src/store/clickhouse/rows.ts';
import { newSessionRow, sessionUpdateRows } from '../../../src/store/clickhouse/rows.ts';
import { firstState, pageView, tempDataDir } from './helpers.ts';

const data = tempDataDir();
let store: ChdbEventStore;

const DOMAIN = 'dom0000001';
const OTHER_DOMAIN = 'dom0000002';
const BIG_VISITOR = '18446744073709551615';

/** Write a session's state changes the way ingestion does: one INSERT (one part) per change. */
async function writeSession(first: SessionState, changes: Partial<SessionState>[]) {
  let current: SessionRow = newSessionRow(first);
  await store.insert('session', [current]);
  for (const change of changes) {
    const rows = sessionUpdateRows(current, { ...current, ...change });
    await store.insert('session', rows);
    current = rows[1];
  }
  return current;
}

interface Collapsed {
  visitor_id: string;
  session_id: number;
  exit_path: string;
  page_views: string;
  bounces: string;
  duration: string;
  extended: string;
}

/** Sessions STARTED in [from, to) with their latest state (SEMANTICS §5.2, decision 18). */
function collapsed(domain: string, from: string, to: string): Promise<Collapsed[]> {
  return store.query<Collapsed>(
    `SELECT visitor_id, session_id, exit_path,
            sum(page_views * sign) AS page_views,
            sum(is_bounce * sign) AS bounces,
            sum(duration_seconds * sign) AS duration,
            sum(extended * sign) AS extended
     FROM collapse.session
     WHERE domain_id = {domain:String}
       AND start >= {from:DateTime64(3, 'UTC')} AND start < {to:DateTime64(3, 'UTC')}
     GROUP BY visitor_id, session_id, exit_path
     HAVING sum(sign) > 0
     ORDER BY visitor_id, session_id`,
    { domain, from, to },
  );
}

const crossingMidnight: Collapsed = {
  visitor_id: BIG_VISITOR,
  session_id: 4294967295,
  exit_path: '/pricing',
  page_views: '3',
  bounces: '0',
  duration: '1200',
  extended: '1',
};
const bounced: Collapsed = {
  visitor_id: '42',
  session_id: 1,
  exit_path: '/',
  page_views: '1',
  bounces: '1',
  duration: '0',
  extended: '0',
};

beforeAll(async () => {
  store = await openChdbEventStore({ dataDir: data.dir, database: 'collapse' });
  await migrateEventStore(store);
  // Background merges would collapse pairs at random moments; keep every part un-merged until the
  // test asks for OPTIMIZE, so that reads are shown not to depend on merges.
  await store.command('SYSTEM STOP MERGES collapse.session');

  const start = '2024-05-01 23:50:00.000';
  const s1 = firstState(DOMAIN, BIG_VISITOR, 4294967295, start);
  await writeSession(s1, [
    // reload of the same page: a page view, still a bounce
    { time: '2024-05-01 23:55:00.000', page_views: 2, duration_seconds: 300 },
    // another page after midnight ends the bounce
    {
      time: '2024-05-02 00:05:00.000',
      page_views: 3,
      is_bounce: 0,
      exit_path: '/pricing',
      exit_title: 'Pricing',
      duration_seconds: 900,
    },
    // keep-alive
    { time: '2024-05-02 00:10:00.000', extended: 1, duration_seconds: 1200 },
  ]);
  await store.insert('page_view', [
    pageView(s1, start, '/'),
    pageView(s1, '2024-05-01 23:55:00.000', '/'),
    pageView(s1, '2024-05-02 00:05:00.000', '/pricing'),
  ]);

  await writeSession(firstState(DOMAIN, '42', 1, '2024-05-02 10:00:00.000'), []);
  // Same ids on another domain must never mix with the first domain's session.
  await writeSession(firstState(OTHER_DOMAIN, BIG_VISITOR, 4294967295, start), [
    { time: '2024-05-01 23:51:00.000', page_views: 2, is_bounce: 0, exit_path: '/x' },
  ]);
});

afterAll(async () => {
  await store.close();
  data.remove();
});

describe('collapsing sessions', () => {
  it('reads the latest state from un-merged parts, on the day the session started', async () => {
    const [parts] = await store.query<{ parts: string; rows: string }>(
      `SELECT count() AS parts, sum(rows) AS rows FROM system.parts
       WHERE database = 'collapse' AND table = 'session' AND active`,
    );
    expect(Number(parts?.rows)).toBe(1 + 3 * 2 + 1 + 1 + 2);
    expect(Number(parts?.parts)).toBe(1 + 3 + 1 + 2);

    expect(await collapsed(DOMAIN, '2024-05-01 00:00:00', '2024-05-02 00:00:00')).toEqual([
      crossingMidnight,
    ]);
    expect(await collapsed(DOMAIN, '2024-05-02 00:00:00', '2024-05-03 00:00:00')).toEqual([
      bounced,
    ]);
  });

  it('joins page views to the collapsed sessions', async () => {
    const rows = await store.query<{ path: string; views: string; bounces: string }>(
      `SELECT v.path AS path, count() AS views, uniqIf((v.visitor_id, v.session_id), s.is_bounce = 1) AS bounces
       FROM collapse.page_view v
       INNER JOIN (
         SELECT visitor_id, session_id, sum(is_bounce * sign) AS is_bounce
         FROM collapse.session
         WHERE domain_id = {domain:String} AND start >= {from:DateTime64(3, 'UTC')}
         GROUP BY visitor_id, session_id HAVING sum(sign) > 0
       ) s ON s.visitor_id = v.visitor_id AND s.session_id = v.session_id
       WHERE v.domain_id = {domain:String} AND v.time >= {from:DateTime64(3, 'UTC')}
       GROUP BY path ORDER BY path`,
      { domain: DOMAIN, from: new Date('2024-05-01T00:00:00Z') },
    );
    expect(rows).toEqual([
      { path: '/', views: '2', bounces: '0' },
      { path: '/pricing', views: '1', bounces: '0' },
    ]);
  });

  it('reads only the latest state through FINAL, even with conditions on changing columns', async () => {
    // The statistics read sessions this way (src/stats/sql.ts, collapsedSessions). A condition
    // evaluated before the collapse would let a stale state through: the first state of the
    // midnight session was a bounce on '/', and `sign = 1` alone would keep it.
    const rows = await store.query<{ session_id: number; exit_path: string; is_bounce: number }>(
      `SELECT session_id, exit_path, is_bounce FROM collapse.session FINAL
       WHERE domain_id = {domain:String} AND sign = 1 AND (is_bounce = 1 OR exit_path = '/')
       ORDER BY session_id`,
      { domain: DOMAIN },
    );
    expect(rows).toEqual([{ session_id: 1, exit_path: '/', is_bounce: 1 }]);
    const latest = await store.query<{ page_views: number; version: number }>(
      `SELECT page_views, version FROM collapse.session FINAL
       WHERE domain_id = {domain:String} AND session_id = 4294967295 AND sign = 1`,
      { domain: DOMAIN },
    );
    expect(latest).toEqual([{ page_views: 3, version: 4 }]);
  });

  it('reads the same after OPTIMIZE … FINAL, which leaves one row per session', async () => {
    await store.command('SYSTEM START MERGES collapse.session');
    await store.command('OPTIMIZE TABLE collapse.session FINAL');
    const rows = await store.query<{
      domain_id: string;
      sign: number;
      version: number;
      page_views: number;
    }>(
      `SELECT domain_id, sign, version, page_views FROM collapse.session
       ORDER BY domain_id, visitor_id`,
    );
    expect(rows).toEqual([
      { domain_id: DOMAIN, sign: 1, version: 1, page_views: 1 },
      { domain_id: DOMAIN, sign: 1, version: 4, page_views: 3 },
      { domain_id: OTHER_DOMAIN, sign: 1, version: 2, page_views: 2 },
    ]);
    expect(await collapsed(DOMAIN, '2024-05-01 00:00:00', '2024-05-02 00:00:00')).toEqual([
      crossingMidnight,
    ]);
    expect(await collapsed(DOMAIN, '2024-05-02 00:00:00', '2024-05-03 00:00:00')).toEqual([
      bounced,
    ]);
  });

  it('collapses whatever order the state changes arrive in', async () => {
    const v1 = newSessionRow(firstState(DOMAIN, '7', 7, '2024-05-03 08:00:00.000'));
    const [cancel1, v2] = sessionUpdateRows(v1, {
      ...v1,
      time: '2024-05-03 08:01:00.000',
      page_views: 2,
      is_bounce: 0,
      exit_path: '/b',
    });
    const [cancel2, v3] = sessionUpdateRows(v2, {
      ...v2,
      time: '2024-05-03 08:02:00.000',
      page_views: 3,
    });
    // newest batch first, as a retried insert could deliver them
    await store.insert('session', [cancel2, v3]);
    await store.insert('session', [cancel1, v2]);
    await store.insert('session', [v1]);

    const expected = {
      visitor_id: '7',
      session_id: 7,
      exit_path: '/b',
      page_views: '3',
      bounces: '0',
      duration: '0',
      extended: '0',
    };
    const day = ['2024-05-03 00:00:00', '2024-05-04 00:00:00'] as const;
    expect(await collapsed(DOMAIN, ...day)).toEqual([expected]);
    await store.command('OPTIMIZE TABLE collapse.session FINAL');
    expect(await collapsed(DOMAIN, ...day)).toEqual([expected]);
    const [row] = await store.query<{ c: string }>(
      'SELECT count() AS c FROM collapse.session WHERE visitor_id = 7',
    );
    expect(row?.c).toBe('1');
  });
});
