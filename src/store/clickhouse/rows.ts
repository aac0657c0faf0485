/**
 * Row shapes of the event tables as the ingestion writer inserts them (JSONEachRow through
 * `EventStore.insert`) and as `SELECT *` returns them. Type aliases rather than interfaces so that
 * they are assignable to `InsertRow`.
 */

/** Table names inside the store's database. */
export const EventTable = {
  session: 'session',
  pageView: 'page_view',
  event: 'event',
} as const;

/** A `DateTime64(3, 'UTC')` value as `'YYYY-MM-DD HH:MM:SS.mmm'` (see `toDateTime64`). */
export type DateTime64Text = string;

/** A UInt64 as decimal text: JSON numbers lose precision above 2^53. */
export type UInt64Text = string;

export type Platform = 'unknown' | 'desktop' | 'mobile';

/** Who and when: common to the three tables. */
export type IdentityColumns = {
  /** The domain's 10-character id. */
  domain_id: string;
  visitor_id: UInt64Text;
  session_id: number;
  /** session: latest request of this state; page_view/event: the request's own time. */
  time: DateTime64Text;
  /** The session's first request; identical on every row of one session. */
  start: DateTime64Text;
};

/** Visitor attributes, fixed for a session's life and copied onto its page views and events. */
export type AttributeColumns = {
  language: string;
  /** ISO 3166-1 alpha-2, or '' when unknown. */
  country_code: string;
  region: string;
  city: string;
  referrer: string;
  referrer_name: string;
  referrer_icon: string;
  os: string;
  os_version: string;
  browser: string;
  browser_version: string;
  platform: Platform;
  screen_width: number;
  screen_height: number;
  screen_class: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_content: string;
  utm_term: string;
  channel: string;
};

/**
 * One state of a session in the collapsing `session` table (SEMANTICS §5.2): a change inserts
 * the previous state with sign −1 and the new one with sign +1 in the same INSERT.
 */
export type SessionRow = IdentityColumns &
  AttributeColumns & {
    sign: 1 | -1;
    /** 1 for a new session, +1 per state; the cancel row repeats the state's version. */
    version: number;
    duration_seconds: number;
    entry_path: string;
    exit_path: string;
    entry_title: string;
    exit_title: string;
    page_views: number;
    is_bounce: 0 | 1;
    /** Keep-alive requests received. */
    extended: number;
    /** Bot counter; statistics use sessions below the threshold. */
    is_bot: number;
    hostname: string;
  };

/** The state fields of a session, without the collapsing bookkeeping. */
export type SessionState = Omit<SessionRow, 'sign' | 'version'>;

export type PageViewRow = IdentityColumns &
  AttributeColumns & {
    /** Seconds spent on the previous page of the session (0 for its first page view). */
    duration_seconds: number;
    path: string;
    title: string;
    hostname: string;
    tags: Record<string, string>;
  };

export type EventRow = IdentityColumns &
  AttributeColumns & {
    name: string;
    /** Parallel arrays: meta_values[i] belongs to meta_keys[i]. */
    meta_keys: string[];
    meta_values: string[];
    /** The event's own duration in seconds, as sent. */
    duration_seconds: number;
    non_interactive: 0 | 1;
    path: string;
    title: string;
    hostname: string;
  };

/** The row that starts a session: its first state, version 1. */
export function newSessionRow(state: SessionState): SessionRow {
  return { ...state, sign: 1, version: 1 };
}

/**
 * The two rows that move a session from `previous` (as last written) to `next`: an exact copy of
 * `previous` with sign −1, which cancels it, and `next` with the following version. Insert both
 * in the same batch.
 */
export function sessionUpdateRows(
  previous: SessionRow,
  next: SessionState,
): [SessionRow, SessionRow] {
  return [
    { ...previous, sign: -1 },
    { ...next, sign: 1, version: previous.version + 1 },
  ];
}
