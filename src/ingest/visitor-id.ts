/**
 * The visitor id (decision 14): a keyed 64-bit hash of domain id ‖ user agent ‖ IP ‖ UTC date.
 * The installation secret is the key, so ids cannot be recomputed from outside; the date makes a
 * visitor recognisable for one UTC day only, and the domain id keeps dashboards apart.
 */
import { createHmac } from 'node:crypto';

const DAY_MS = 86_400_000;

// Every hit asks for its day two or three times, and nearly all hits fall on the same day: the
// last answer is kept.
let lastDayNumber = NaN;
let lastDay = '';

/** `YYYYMMDD` of a time in UTC. */
export function utcDay(timeMs: number): string {
  const dayNumber = Math.floor(timeMs / DAY_MS);
  if (dayNumber !== lastDayNumber) {
    lastDay = new Date(timeMs).toISOString().slice(0, 10).replaceAll('-', '');
    lastDayNumber = dayNumber;
  }
  return lastDay;
}

/** The visitor id as UInt64 decimal text (the event store's column type). */
export function visitorId(
  secret: string,
  domainId: string,
  userAgent: string,
  ip: string,
  day: string,
): string {
  // NUL separators keep fields from running into each other ("ab"+"c" ≠ "a"+"bc").
  const digest = createHmac('sha256', secret)
    .update(`${domainId}\0${userAgent}\0${ip}\0${day}`)
    .digest('hex');
  // The first 8 bytes, big-endian; hex text is cheaper here than a Buffer and readBigUInt64BE.
  return BigInt(`0x${digest.slice(0, 16)}`).toString();
}
