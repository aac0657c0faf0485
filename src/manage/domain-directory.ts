/**
 * Domain look-ups on the ingestion path (identification code → domain, host name → domain),
 * cached in memory so ingestion does not wait for the metadata store on every hit. Entries are
 * dropped at once when a domain changes in this process (`metaChanged`) and expire after a short
 * time, which bounds staleness when another node changed them.
 */
import type { Kysely } from 'kysely';
import type { MetaDatabase } from '../store/meta/schema.ts';
import { onMetaChange } from '../store/meta/changes.ts';

/** What ingestion needs to know about a domain. */
export interface IngestDomain {
  id: string;
  userId: string;
  hostname: string;
  timezone: string | null;
  /** Alternative host names (A.6), possibly with a leading `*.` wildcard. */
  alternatives: string[];
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/** Cached domain look-ups for ingestion. */
export class DomainDirectory {
  private readonly byCodeCache = new Map<string, Entry<IngestDomain | undefined>>();
  private readonly byIdCache = new Map<string, Entry<IngestDomain | undefined>>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly db: Kysely<MetaDatabase>,
    private readonly ttlMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    // Any change may move codes or host names between domains: start over.
    this.unsubscribe = onMetaChange(() => this.clear());
  }

  /** The domain owning a snippet identification code. */
  byCode(code: string): Promise<IngestDomain | undefined> {
    return this.cached(this.byCodeCache, code, async () => {
      const row = await this.db
        .selectFrom('domain')
        .select('id')
        .where('identification_code', '=', code)
        .executeTakeFirst();
      return row ? this.load(row.id) : undefined;
    });
  }

  /** A domain by id. */
  byId(id: string): Promise<IngestDomain | undefined> {
    return this.cached(this.byIdCache, id, () => this.load(id));
  }

  /** Domains whose host name is `hostname` (for the 2022 roll-up rule and user clients). */
  async byHostname(hostname: string): Promise<IngestDomain[]> {
    const rows = await this.db
      .selectFrom('domain')
      .select('id')
      .where('hostname', 'in', [hostname, hostname.replace(/^www\./, ''), `www.${hostname}`])
      .execute();
    const domains = await Promise.all(rows.map((r) => this.byId(r.id)));
    return domains.filter((d): d is IngestDomain => d !== undefined);
  }

  /** Domains `userId` owns or administers (candidates for a user client's hits). */
  async managedBy(userId: string): Promise<IngestDomain[]> {
    const owned = await this.db
      .selectFrom('domain')
      .select('id')
      .where('user_id', '=', userId)
      .execute();
    const administered = await this.db
      .selectFrom('member')
      .select('domain_id as id')
      .where('user_id', '=', userId)
      .where('role', '=', 'admin')
      .execute();
    const domains = await Promise.all([...owned, ...administered].map((r) => this.byId(r.id)));
    return domains.filter((d): d is IngestDomain => d !== undefined);
  }

  /** Drop every cached entry. */
  clear(): void {
    this.byCodeCache.clear();
    this.byIdCache.clear();
  }

  /** Stop listening for changes. */
  close(): void {
    this.unsubscribe();
  }

  private async cached<T>(
    cache: Map<string, Entry<T>>,
    key: string,
    load: () => Promise<T>,
  ): Promise<T> {
    const hit = cache.get(key);
    if (hit !== undefined && hit.expiresAt > this.now()) return hit.value;
    const value = await load();
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { value, expiresAt: this.now() + this.ttlMs });
    return value;
  }

  private async load(id: string): Promise<IngestDomain | undefined> {
    const domain = await this.db
      .selectFrom('domain')
      .select(['id', 'user_id', 'hostname', 'timezone'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!domain) return undefined;
    const alternatives = await this.db
      .selectFrom('alternative_domain')
      .select('hostname')
      .where('domain_id', '=', id)
      .execute();
    return {
      id: domain.id,
      userId: domain.user_id,
      hostname: domain.hostname,
      timezone: domain.timezone,
      alternatives: alternatives.map((a) => a.hostname),
    };
  }
}
