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
  return sessionRow(state, 1, 1);
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
  return [sessionRow(previous, -1, previous.version), sessionRow(next, 1, previous.version + 1)];
}

/** `state` as a row with `sign` and `version`: a copy, every column taken by name. */
export function sessionRow(state: SessionState, sign: 1 | -1, version: number): SessionRow {
  return withAttributes<Omit<SessionRow, keyof AttributeColumns>>(state, {
    domain_id: state.domain_id,
    visitor_id: state.visitor_id,
    session_id: state.session_id,
    time: state.time,
    start: state.start,
    sign,
    version,
    duration_seconds: state.duration_seconds,
    entry_path: state.entry_path,
    exit_path: state.exit_path,
    entry_title: state.entry_title,
    exit_title: state.exit_title,
    page_views: state.page_views,
    is_bounce: state.is_bounce,
    extended: state.extended,
    is_bot: state.is_bot,
    hostname: state.hostname,
  });
}

/** The attribute columns of `row`, copied. */
export function attributesOf(row: AttributeColumns): AttributeColumns {
  return {
    language: row.language,
    country_code: row.country_code,
    region: row.region,
    city: row.city,
    referrer: row.referrer,
    referrer_name: row.referrer_name,
    referrer_icon: row.referrer_icon,
    os: row.os,
    os_version: row.os_version,
    browser: row.browser,
    browser_version: row.browser_version,
    platform: row.platform,
    screen_width: row.screen_width,
    screen_height: row.screen_height,
    screen_class: row.screen_class,
    utm_source: row.utm_source,
    utm_medium: row.utm_medium,
    utm_campaign: row.utm_campaign,
    utm_content: row.utm_content,
    utm_term: row.utm_term,
    channel: row.channel,
  };
}

/**
 * A row of the attribute columns of `source` and the row's `own` columns. Rows are built for
 * every hit, so not with spreads: `{ ...a, more }` gives each object a hidden class of its own in
 * V8 (~50× slower to build here, and garbage for the collector), while assigning onto a literal
 * keeps every row of a table on one.
 */
export function withAttributes<T extends object>(
  source: AttributeColumns,
  own: T,
): AttributeColumns & T {
  const row: Record<string, unknown> = attributesOf(source);
  for (const key in own) row[key] = own[key];
  return row as AttributeColumns & T;
}
