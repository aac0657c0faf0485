/**
 * Domain look-ups on the ingestion path (identification code → domain, host name → domain) and
 * what authorizing a hit reads (the domain, the caller's membership, a user's domains), cached
 * in memory so ingestion does not wait for the metadata store on every hit. Entries are dropped
 * at once when a domain or a membership changes in this process (`metaChanged`) and expire after
 * a short time, which bounds staleness when another node changed them.
 */
import type { Kysely } from 'kysely';
import type { MemberRole, MetaDatabase } from '../store/meta/schema.ts';
import { onMetaChange } from '../store/meta/changes.ts';
import type { AccessSource, DomainFacts } from './authorize.ts';

/** What ingestion needs to know about a domain. */
export interface IngestDomain {
  id: string;
  userId: string;
  hostname: string;
  timezone: string | null;
  /** The statistics are open to anyone (only authorization reads it). */
  public: boolean;
  /** Alternative host names (A.6), possibly with a leading `*.` wildcard. */
  alternatives: string[];
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/** Cached domain look-ups for ingestion. */
export class DomainDirectory implements AccessSource<IngestDomain> {
  private readonly byCodeCache = new Map<string, Entry<IngestDomain | undefined>>();
  private readonly byIdCache = new Map<string, Entry<IngestDomain | undefined>>();
  private readonly memberCache = new Map<string, Entry<MemberRole | undefined>>();
  private readonly managedCache = new Map<string, Entry<string[]>>();
  private readonly hostnameCache = new Map<string, Entry<string[]>>();
  /** Bumped by every clear: a load that began before one must not store what it read. */
  private generation = 0;
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

  /** A domain by id (`AccessSource`). */
  domain(id: string): Promise<IngestDomain | undefined> {
    return this.byId(id);
  }

  /** What authorization needs of a domain (`AccessSource`). */
  facts(domain: IngestDomain): DomainFacts {
    return { id: domain.id, ownerId: domain.userId, isPublic: domain.public };
  }

  /** The user's membership on the domain (`AccessSource`). */
  memberRole(domainId: string, userId: string): Promise<MemberRole | undefined> {
    // NUL occurs in neither id, so the pairs cannot collide.
    return this.cached(this.memberCache, `${domainId}\0${userId}`, async () => {
      const member = await this.db
        .selectFrom('member')
        .select('role')
        .where('domain_id', '=', domainId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return member?.role;
    });
  }

  /** Domains whose host name is `hostname` (for the 2022 roll-up rule and user clients). */
  async byHostname(hostname: string): Promise<IngestDomain[]> {
    // Cached too: a page that embeds another site's code asks this on every hit it sends.
    const ids = await this.cached(this.hostnameCache, hostname, async () => {
      const rows = await this.db
        .selectFrom('domain')
        .select('id')
        .where('hostname', 'in', [hostname, hostname.replace(/^www\./, ''), `www.${hostname}`])
        .execute();
      return rows.map((r) => r.id);
    });
    const domains = await Promise.all(ids.map((id) => this.byId(id)));
    return domains.filter((d): d is IngestDomain => d !== undefined);
  }

  /** Domains `userId` owns or administers (candidates for a user client's hits). */
  async managedBy(userId: string): Promise<IngestDomain[]> {
    const ids = await this.cached(this.managedCache, userId, async () => {
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
      return [...owned, ...administered].map((r) => r.id);
    });
    const domains = await Promise.all(ids.map((id) => this.byId(id)));
    return domains.filter((d): d is IngestDomain => d !== undefined);
  }

  /** Drop every cached entry. */
  clear(): void {
    this.generation += 1;
    this.byCodeCache.clear();
    this.byIdCache.clear();
    this.memberCache.clear();
    this.managedCache.clear();
    this.hostnameCache.clear();
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
    const generation = this.generation;
    const value = await load();
    // A change announced meanwhile may have made what was read stale.
    if (generation !== this.generation) return value;
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { value, expiresAt: this.now() + this.ttlMs });
    return value;
  }

  private async load(id: string): Promise<IngestDomain | undefined> {
    const domain = await this.db
      .selectFrom('domain')
      .select(['id', 'user_id', 'hostname', 'timezone', 'public'])
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
      public: domain.public === 1,
      alternatives: alternatives.map((a) => a.hostname),
    };
  }
}
