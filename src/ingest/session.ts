/**
 * The session state machine (SEMANTICS.md §2.5–§2.9 with DESIGN.md decisions 1, 16, 17): given
 * the visitor's live session (if any) and one request, decide new/continued session and build the
 * rows to write. Pure: no clock, no I/O, no randomness except what the caller passes in.
 */
import { toDateTime64 } from '../store/clickhouse/sql.ts';
import {
  newSessionRow,
  sessionRow,
  sessionUpdateRows,
  withAttributes,
  type AttributeColumns,
  type EventRow,
  type PageViewRow,
  type SessionRow,
  type SessionState,
} from '../store/clickhouse/rows.ts';
import type { ReferrerInfo, Utm } from './types.ts';

/** A session ends 30 minutes after its latest request (decision 1). */
export const SESSION_TIMEOUT_MS = 30 * 60_000;
/** …and never lasts longer than 24 hours in total (decision 1). */
export const SESSION_MAX_MS = 24 * 3_600_000;
/** Page views of one session closer together than this count towards the bot counter. */
export const BOT_MIN_DELAY_MS = 50;
/** A session whose bot counter reached this is a bot: its further requests are dropped. */
export const BOT_THRESHOLD = 5;

/** What the session cache keeps per visitor. */
export interface LiveSession {
  /** The state as last written (sign +1). */
  state: SessionRow;
  timeMs: number;
  startMs: number;
  /** Time of the session's latest page view: time on page is measured from it (decision 17). */
  lastPageViewMs: number;
}

export interface EventFields {
  name: string;
  metaKeys: string[];
  metaValues: string[];
  durationSeconds: number;
  nonInteractive: boolean;
}

/** One request, already validated and reduced to what the state machine needs. */
export interface SessionRequest {
  kind: 'page_view' | 'event' | 'keep_alive';
  timeMs: number;
  domainId: string;
  /** Today's visitor id; a continued session keeps its own. */
  visitorId: string;
  hostname: string;
  path: string;
  title: string;
  referrer: ReferrerInfo;
  utm: Utm;
  /** Visitor attributes for a new session; called only when one starts (geo, UA, … are costly). */
  attributes: () => AttributeColumns;
  tags: Record<string, string>;
  event?: EventFields;
  /** False with `disable_bot_filter`: the timing-based bot counter is skipped. */
  botFilter: boolean;
}

/** The result of one request. */
export interface SessionOutcome {
  /** The live session afterwards; undefined when there is none (e.g. keep-alive of nobody). */
  next: LiveSession | undefined;
  sessions: SessionRow[];
  pageViews: PageViewRow[];
  events: EventRow[];
}

/**
 * Whether the request may continue `live`: within the timeout and the 24-hour maximum, and not
 * bringing a different referrer or campaign (a non-empty referrer, referrer name or UTM value
 * that differs starts a new session; an empty one never does).
 */
export function continues(live: LiveSession, request: SessionRequest): boolean {
  const t = request.timeMs;
  // Requests of a batch may be older than the latest state; they belong to the session when they
  // fall inside its window.
  const recent = t > live.timeMs - SESSION_TIMEOUT_MS && t < live.timeMs + SESSION_TIMEOUT_MS;
  if (!recent || t - live.startMs >= SESSION_MAX_MS || live.startMs - t >= SESSION_TIMEOUT_MS) {
    return false;
  }
  if (request.kind === 'keep_alive') return true;
  const s = live.state;
  const differs = (incoming: string, current: string) => incoming !== '' && incoming !== current;
  return !(
    differs(request.referrer.referrer, s.referrer) ||
    differs(request.referrer.name, s.referrer_name) ||
    differs(request.utm.source, s.utm_source) ||
    differs(request.utm.medium, s.utm_medium) ||
    differs(request.utm.campaign, s.utm_campaign) ||
    differs(request.utm.content, s.utm_content) ||
    differs(request.utm.term, s.utm_term)
  );
}

/** Apply one request to the visitor's live session (or start one) and build its rows. */
export function advanceSession(
  live: LiveSession | undefined,
  request: SessionRequest,
  newSessionId: () => number,
): SessionOutcome {
  if (live !== undefined && continues(live, request)) return continueSession(live, request);
  if (request.kind === 'keep_alive') return { next: live, sessions: [], pageViews: [], events: [] };
  return startSession(request, newSessionId());
}

function startSession(request: SessionRequest, sessionId: number): SessionOutcome {
  const time = toDateTime64(new Date(request.timeMs));
  const interactive = request.kind === 'event' && !request.event?.nonInteractive;
  const state = withAttributes<Omit<SessionState, keyof AttributeColumns>>(request.attributes(), {
    domain_id: request.domainId,
    visitor_id: request.visitorId,
    session_id: sessionId,
    time,
    start: time,
    duration_seconds: 0,
    entry_path: request.path,
    exit_path: request.path,
    entry_title: request.title,
    exit_title: request.title,
    // An event that starts a session also records a page view for its path (decision 16).
    page_views: 1,
    is_bounce: interactive ? 0 : 1,
    extended: 0,
    is_bot: 0,
    hostname: request.hostname,
  });
  const row = newSessionRow(state);
  const next: LiveSession = {
    state: row,
    timeMs: request.timeMs,
    startMs: request.timeMs,
    lastPageViewMs: request.timeMs,
  };
  return {
    next,
    sessions: [row],
    pageViews: [pageViewRow(row, request, 0)],
    events: request.kind === 'event' ? [eventRow(row, request)] : [],
  };
}

function continueSession(live: LiveSession, request: SessionRequest): SessionOutcome {
  const previous = live.state;
  if (previous.is_bot >= BOT_THRESHOLD) {
    return { next: live, sessions: [], pageViews: [], events: [] };
  }
  const t = request.timeMs;
  const timeMs = Math.max(live.timeMs, t);
  const startMs = Math.min(live.startMs, t);
  // A copy of the previous state to change (its `sign` and `version` are replaced when the row
  // is built by sessionUpdateRows).
  const state: SessionState = sessionRow(previous, previous.sign, previous.version);
  state.time = toDateTime64(new Date(timeMs));
  state.start = toDateTime64(new Date(startMs));
  state.duration_seconds = Math.floor((timeMs - startMs) / 1000);
  state.hostname = request.hostname || previous.hostname;
  let lastPageViewMs = live.lastPageViewMs;
  const pageViews: PageViewRow[] = [];
  const events: EventRow[] = [];

  const recordPageView = () => {
    // Time on the previous page: from its page view to this one; events and keep-alives in
    // between do not count (decision 17). An older request (out of order) gets none.
    const onPrevious = Math.max(0, Math.floor(t / 1000) - Math.floor(lastPageViewMs / 1000));
    // Only page views count towards the bot counter: events legitimately follow them quickly.
    const fast =
      request.kind === 'page_view' && request.botFilter && t - lastPageViewMs < BOT_MIN_DELAY_MS;
    state.is_bot = fast ? previous.is_bot + 1 : previous.is_bot;
    state.is_bounce = previous.is_bounce === 1 && request.path === previous.exit_path ? 1 : 0;
    state.page_views = previous.page_views + 1;
    if (t >= lastPageViewMs) {
      state.exit_path = request.path;
      state.exit_title = request.title;
      lastPageViewMs = t;
    }
    if (t < live.startMs) {
      state.entry_path = request.path;
      state.entry_title = request.title;
    }
    pageViews.push(pageViewRow(state, request, t >= live.lastPageViewMs ? onPrevious : 0));
  };

  if (request.kind === 'page_view') {
    recordPageView();
  } else if (request.kind === 'event') {
    // An event on another page than the current one also records a page view there (decision 16).
    if (request.path !== previous.exit_path) recordPageView();
    if (!request.event?.nonInteractive) state.is_bounce = 0;
    events.push(eventRow(state, request));
  } else {
    state.extended = previous.extended + 1;
  }

  const [cancel, row] = sessionUpdateRows(previous, state);
  return {
    next: { state: row, timeMs, startMs, lastPageViewMs },
    sessions: [cancel, row],
    pageViews,
    events,
  };
}

function pageViewRow(
  state: SessionState,
  request: SessionRequest,
  onPrevious: number,
): PageViewRow {
  return withAttributes<Omit<PageViewRow, keyof AttributeColumns>>(state, {
    domain_id: state.domain_id,
    visitor_id: state.visitor_id,
    session_id: state.session_id,
    time: toDateTime64(new Date(request.timeMs)),
    start: state.start,
    duration_seconds: onPrevious,
    path: request.path,
    title: request.title,
    hostname: request.hostname,
    tags: request.tags,
  });
}

function eventRow(state: SessionState, request: SessionRequest): EventRow {
  const event = request.event!;
  return withAttributes<Omit<EventRow, keyof AttributeColumns>>(state, {
    domain_id: state.domain_id,
    visitor_id: state.visitor_id,
    session_id: state.session_id,
    time: toDateTime64(new Date(request.timeMs)),
    start: state.start,
    name: event.name,
    meta_keys: event.metaKeys,
    meta_values: event.metaValues,
    duration_seconds: event.durationSeconds,
    non_interactive: event.nonInteractive ? 1 : 0,
    path: request.path,
    title: request.title,
    hostname: request.hostname,
  });
}
