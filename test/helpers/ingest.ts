/** Sending hits through the HTTP API and reading back what was stored. */
import type { EventStore } from '../../src/store/clickhouse/event-store.ts';
import type { App } from '../../src/server/app.ts';

export const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
export const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** POST a JSON body to an API path with a bearer token. */
export function post(app: App, url: string, bearer: string, payload: unknown) {
  return app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });
}

/** ISO time `minutes` after `base`. */
export const at = (base: string, minutes: number): string =>
  new Date(Date.parse(base) + minutes * 60_000).toISOString();

/** The collapsed (latest) state of every session of a domain, as statistics will read it. */
export interface CollapsedSession {
  visitor_id: string;
  session_id: number;
  start: string;
  page_views: number;
  is_bounce: number;
  duration_seconds: number;
  entry_path: string;
  exit_path: string;
  extended: number;
  referrer_name: string;
  utm_source: string;
}

/** Sessions of `domainId` summed by sign (SEMANTICS.md §5.2), ordered by start. */
export function collapsedSessions(
  store: EventStore,
  domainId: string,
): Promise<CollapsedSession[]> {
  return store.query<CollapsedSession>(
    `SELECT visitor_id, session_id,
            toString(argMax(start, version)) AS start,
            toInt32(sum(page_views * sign)) AS page_views,
            toInt32(sum(is_bounce * sign)) AS is_bounce,
            toInt32(sum(duration_seconds * sign)) AS duration_seconds,
            argMax(entry_path, version) AS entry_path,
            argMax(exit_path, version) AS exit_path,
            toInt32(sum(extended * sign)) AS extended,
            argMax(referrer_name, version) AS referrer_name,
            argMax(utm_source, version) AS utm_source
     FROM ${store.database}.session
     WHERE domain_id = {domain:String}
     GROUP BY visitor_id, session_id
     HAVING sum(sign) > 0
     ORDER BY start, session_id`,
    { domain: domainId },
  );
}

/** Page views of a domain in time order. */
export function pageViews(store: EventStore, domainId: string) {
  return store.query<{
    path: string;
    title: string;
    duration_seconds: number;
    session_id: number;
    time: string;
    browser: string;
    os: string;
    platform: string;
    country_code: string;
    language: string;
    screen_class: string;
    referrer: string;
    referrer_name: string;
    utm_source: string;
    utm_campaign: string;
    hostname: string;
    tags: Record<string, string>;
  }>(
    `SELECT path, title, duration_seconds, session_id, toString(time) AS time, browser, os,
            toString(platform) AS platform, country_code, language, screen_class, referrer,
            referrer_name, utm_source, utm_campaign, hostname, tags
     FROM ${store.database}.page_view WHERE domain_id = {domain:String} ORDER BY time`,
    { domain: domainId },
  );
}

/** Events of a domain in time order. */
export function events(store: EventStore, domainId: string) {
  return store.query<{
    name: string;
    meta_keys: string[];
    meta_values: string[];
    duration_seconds: number;
    non_interactive: number;
    path: string;
    session_id: number;
  }>(
    `SELECT name, meta_keys, meta_values, duration_seconds, non_interactive, path, session_id
     FROM ${store.database}.event WHERE domain_id = {domain:String} ORDER BY time`,
    { domain: domainId },
  );
}
