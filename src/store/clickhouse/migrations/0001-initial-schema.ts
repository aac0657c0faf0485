/**
 * Migration 1: the `session`, `page_view` and `event` tables.
 *
 * Frozen once released: later changes go into new migrations, never into this file.
 *
 * Layout, measured with bench/storage/page-view-bytes.ts (3 M generated page views: 19.2 bytes on
 * disk per page view, against 25.5 for the same columns sorted by visitor and stored as String):
 * - Page views and events are sorted by (domain_id, day, session start, visitor, session, time).
 *   The domain + day prefix keeps per-domain time-range queries on the days asked for (the key
 *   analysis turns `time >= x` into a range on `toDate(time)`). Inside a day the rows of a session
 *   are adjacent, so every attribute copied from the session (referrer, browser, country, …)
 *   repeats in runs that ZSTD stores almost for free, and ordering sessions by their start makes
 *   `start` and `time` nearly monotonic, so they cost ~1.3 and ~2.8 bytes instead of 8 each.
 *   The random 64-bit visitor id and 32-bit session id (~5 bytes per page view together) are the
 *   incompressible floor.
 * - Sessions are keyed by their start (decision 18: session figures count on the day the session
 *   started; the key prunes `start` ranges directly) and partitioned by its month, so a session's
 *   cancel/new state pairs always share a partition and collapse. VersionedCollapsingMergeTree
 *   appends `version` to the key, making collapsing independent of insert order.
 * - LowCardinality for every dimension, including paths, titles and referrers: on Zipf-distributed
 *   values it stores a path in 1.35 bytes against 3.0 for String + ZSTD, and on adversarial
 *   high-cardinality data it costs ~20 % more than String (beyond 8192 values per part it falls
 *   back to per-block dictionaries), which is the better trade. `country_code` is
 *   LowCardinality(String), not FixedString(2), so that an unknown country is '' and not '\0\0'.
 * - Codecs: ZSTD(3) everywhere (ZSTD(6) saves only 0.1 byte per row and slows merges); T64 before
 *   it for timestamps and small counters (cuts the unused high bits per block), Delta for `start`
 *   (constant within a session, monotonic across sessions). DoubleDelta and Delta on `time` were
 *   worse (the sequence restarts at every session).
 */

import type { MigrationContext } from '../migration-types.ts';

// Visitor and session attributes, copied from the session onto every page view and event.
// Shared by the three tables so their types cannot drift apart.
const ATTRIBUTE_COLUMNS = `
  language LowCardinality(String) CODEC(ZSTD(3)),
  country_code LowCardinality(String) CODEC(ZSTD(3)),
  region LowCardinality(String) CODEC(ZSTD(3)),
  city LowCardinality(String) CODEC(ZSTD(3)),
  referrer LowCardinality(String) CODEC(ZSTD(3)),
  referrer_name LowCardinality(String) CODEC(ZSTD(3)),
  referrer_icon LowCardinality(String) CODEC(ZSTD(3)),
  os LowCardinality(String) CODEC(ZSTD(3)),
  os_version LowCardinality(String) CODEC(ZSTD(3)),
  browser LowCardinality(String) CODEC(ZSTD(3)),
  browser_version LowCardinality(String) CODEC(ZSTD(3)),
  platform Enum8('unknown' = 0, 'desktop' = 1, 'mobile' = 2) CODEC(ZSTD(3)),
  screen_width UInt16 CODEC(ZSTD(3)),
  screen_height UInt16 CODEC(ZSTD(3)),
  screen_class LowCardinality(String) CODEC(ZSTD(3)),
  utm_source LowCardinality(String) CODEC(ZSTD(3)),
  utm_medium LowCardinality(String) CODEC(ZSTD(3)),
  utm_campaign LowCardinality(String) CODEC(ZSTD(3)),
  utm_content LowCardinality(String) CODEC(ZSTD(3)),
  utm_term LowCardinality(String) CODEC(ZSTD(3)),
  channel LowCardinality(String) CODEC(ZSTD(3))`;

// Identity and timing columns common to the three tables.
const IDENTITY_COLUMNS = `
  domain_id LowCardinality(String) CODEC(ZSTD(3)),
  visitor_id UInt64 CODEC(ZSTD(3)),
  session_id UInt32 CODEC(ZSTD(3)),
  time DateTime64(3, 'UTC') CODEC(T64, ZSTD(3)),
  start DateTime64(3, 'UTC') CODEC(Delta, ZSTD(3))`;

/** The statements of migration 1 for database `db`. */
export function initialSchema({ db }: MigrationContext): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${db}.session (
  sign Int8 CODEC(ZSTD(3)),
  version UInt32 CODEC(T64, ZSTD(3)),${IDENTITY_COLUMNS},
  duration_seconds UInt32 CODEC(T64, ZSTD(3)),
  entry_path LowCardinality(String) CODEC(ZSTD(3)),
  exit_path LowCardinality(String) CODEC(ZSTD(3)),
  entry_title LowCardinality(String) CODEC(ZSTD(3)),
  exit_title LowCardinality(String) CODEC(ZSTD(3)),
  page_views UInt16 CODEC(T64, ZSTD(3)),
  is_bounce UInt8 CODEC(ZSTD(3)),
  extended UInt16 CODEC(T64, ZSTD(3)),
  is_bot UInt8 CODEC(ZSTD(3)),
  hostname LowCardinality(String) CODEC(ZSTD(3)),${ATTRIBUTE_COLUMNS}
)
ENGINE = VersionedCollapsingMergeTree(sign, version)
PARTITION BY toYYYYMM(start)
ORDER BY (domain_id, start, visitor_id, session_id)`,

    `CREATE TABLE IF NOT EXISTS ${db}.page_view (${IDENTITY_COLUMNS},
  duration_seconds UInt32 CODEC(T64, ZSTD(3)),
  path LowCardinality(String) CODEC(ZSTD(3)),
  title LowCardinality(String) CODEC(ZSTD(3)),
  hostname LowCardinality(String) CODEC(ZSTD(3)),
  tags Map(LowCardinality(String), String) CODEC(ZSTD(3)),${ATTRIBUTE_COLUMNS}
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (domain_id, toDate(time), start, visitor_id, session_id, time)`,

    `CREATE TABLE IF NOT EXISTS ${db}.event (${IDENTITY_COLUMNS},
  name LowCardinality(String) CODEC(ZSTD(3)),
  meta_keys Array(LowCardinality(String)) CODEC(ZSTD(3)),
  meta_values Array(String) CODEC(ZSTD(3)),
  duration_seconds UInt32 CODEC(T64, ZSTD(3)),
  non_interactive UInt8 CODEC(ZSTD(3)),
  path LowCardinality(String) CODEC(ZSTD(3)),
  title LowCardinality(String) CODEC(ZSTD(3)),
  hostname LowCardinality(String) CODEC(ZSTD(3)),${ATTRIBUTE_COLUMNS}
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (domain_id, toDate(time), name, start, visitor_id, session_id, time)`,
  ];
}
