/** Removal of a deleted domain's page views, sessions and events. */

import type { EventStore } from './event-store.ts';
import { EventTable } from './rows.ts';
import { qualify } from './sql.ts';

export interface DeleteDomainOptions {
  /**
   * Resolve only once the rows are gone (default). With `false` the deletion is queued and runs
   * in the background; until it finishes, queries may still see some of the rows.
   */
  wait?: boolean;
}

/**
 * Delete every session, page view and event of `domainId`, physically: the rows are removed from
 * disk, not only hidden. Stop ingestion for the domain first (rows written meanwhile may survive).
 * Cost: parts holding none of the domain's rows are skipped (~10 ms on 3 M rows); parts holding
 * some are rewritten (~1.5 s for 3 M page views on 2 cores).
 */
export async function deleteDomainEvents(
  store: EventStore,
  domainId: string,
  options: DeleteDomainOptions = {},
): Promise<void> {
  // A mutation rather than a lightweight DELETE: the latter only masks rows until the next merge
  // of their part, which for an old, fully merged month may never come, and a deleted domain's
  // visitor data must not linger. Domain deletion is rare, so rewriting parts is affordable.
  const sync = options.wait === false ? 0 : 2;
  const params = { domain_id: domainId };
  for (const table of Object.values(EventTable)) {
    const name = qualify(store.database, table);
    // Even a mutation that matches nothing takes a few hundred ms to schedule; a primary-key
    // probe is ~1 ms, and domains deleted soon after creation often have no rows at all.
    const found = await store.query(
      `SELECT 1 AS found FROM ${name} WHERE domain_id = {domain_id:String} LIMIT 1`,
      params,
    );
    if (found.length === 0) continue;
    await store.command(
      `ALTER TABLE ${name} DELETE WHERE domain_id = {domain_id:String}
       SETTINGS mutations_sync = ${sync}`,
      params,
    );
  }
}
