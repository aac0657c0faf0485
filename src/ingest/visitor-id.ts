/**
 * The visitor id (decision 14): a keyed 64-bit hash of domain id ‖ user agent ‖ IP ‖ UTC date.
 * The installation secret is the key, so ids cannot be recomputed from outside; the date makes a
 * visitor recognisable for one UTC day only, and the domain id keeps dashboards apart.
 */
import { createHmac } from 'node:crypto';

/** `YYYYMMDD` of a time in UTC. */
export function utcDay(timeMs: number): string {
  return new Date(timeMs).toISOString().slice(0, 10).replaceAll('-', '');
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
    .digest();
  return digest.readBigUInt64BE(0).toString();
}
