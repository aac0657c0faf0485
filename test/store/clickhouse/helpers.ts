/** Shared fixtures for the event store tests: temp data directories and sample rows. */

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  AttributeColumns,
  EventRow,
  PageViewRow,
  SessionState,
} from '../../../src/store/clickhouse/rows.ts';

/** A fresh directory under the OS temp dir and a function that removes it. */
export function tempDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spoor-ch-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const attributes: AttributeColumns = {
  language: 'en',
  country_code: 'DE',
  region: 'Berlin',
  city: 'Berlin',
  referrer: 'https://www.google.com/',
  referrer_name: 'Google',
  referrer_icon: 'google.com',
  os: 'Mac',
  os_version: '10.15',
  browser: 'Firefox',
  browser_version: '126.0',
  platform: 'desktop',
  screen_width: 1920,
  screen_height: 1080,
  screen_class: 'XXL',
  utm_source: '',
  utm_medium: '',
  utm_campaign: '',
  utm_content: '',
  utm_term: '',
  channel: 'Organic Search',
};

/** A new session's first state (one page view of `path`). */
export function firstState(
  domainId: string,
  visitorId: string,
  sessionId: number,
  start: string,
  path = '/',
): SessionState {
  return {
    ...attributes,
    domain_id: domainId,
    visitor_id: visitorId,
    session_id: sessionId,
    time: start,
    start,
    duration_seconds: 0,
    entry_path: path,
    exit_path: path,
    entry_title: `Title ${path}`,
    exit_title: `Title ${path}`,
    page_views: 1,
    is_bounce: 1,
    extended: 0,
    is_bot: 0,
    hostname: 'example.com',
  };
}

/** A page view row of the given session. */
export function pageView(state: SessionState, time: string, path: string): PageViewRow {
  return {
    ...attributes,
    domain_id: state.domain_id,
    visitor_id: state.visitor_id,
    session_id: state.session_id,
    time,
    start: state.start,
    duration_seconds: 0,
    path,
    title: `Title ${path}`,
    hostname: state.hostname,
    tags: {},
  };
}

/** An event row of the given session. */
export function eventRow(state: SessionState, time: string, name: string): EventRow {
  return {
    ...attributes,
    domain_id: state.domain_id,
    visitor_id: state.visitor_id,
    session_id: state.session_id,
    time,
    start: state.start,
    name,
    meta_keys: ['plan', 'price'],
    meta_values: ['pro', '9'],
    duration_seconds: 12,
    non_interactive: 1,
    path: state.exit_path,
    title: state.exit_title,
    hostname: state.hostname,
  };
}
