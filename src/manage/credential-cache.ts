/**
 * Resolved bearer credentials for the ingestion routes, kept a few seconds so that a hit does
 * not cost a metadata query (DESIGN.md §2: ingestion never blocks on metadata). Any metadata
 * change announced in this process (`metaChanged`: a client, member or domain deleted or
 * changed) empties the cache at once, so a revoked client is refused on its next request; the
 * short lifetime bounds how long a change made by another process (another node) goes unseen.
 * An access token's entry never outlives the token. Keyed by the credential's SHA-256, so the
 * cache holds no secret.
 */
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import { onMetaChange } from '../store/meta/changes.ts';
import type { MetaDatabase } from '../store/meta/schema.ts';
import { identifyBearer } from './credentials.ts';
import type { ClientPrincipal } from './principal.ts';
import { sha256Hex } from './secrets.ts';

/** How long a resolved credential is believed without asking the store again. */
export const CREDENTIAL_TTL_MS = 5_000;
/** Credentials kept; beyond it the least recently used one goes. */
export const CREDENTIAL_CACHE_SIZE = 10_000;

interface Entry {
  principal: ClientPrincipal;
  expiresAt: number;
}

export interface CredentialCacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/** Bearer credential → principal, briefly cached; see the module comment. */
export class CredentialCache {
  private readonly entries: LRUCache<string, Entry>;
  /** Bumped by every clear: a look-up that began before one must not store what it read. */
  private generation = 0;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly db: Kysely<MetaDatabase>,
    options: CredentialCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? CREDENTIAL_TTL_MS;
    this.entries = new LRUCache({ max: options.maxEntries ?? CREDENTIAL_CACHE_SIZE });
    this.now = options.now ?? Date.now;
    this.unsubscribe = onMetaChange(() => this.clear());
  }

  /** The principal behind `bearer` (as `authenticateBearer`), from the cache when fresh. */
  async authenticate(bearer: string): Promise<ClientPrincipal | undefined> {
    if (bearer === '') return undefined;
    const hash = sha256Hex(bearer);
    const hit = this.entries.get(hash);
    if (hit !== undefined) {
      if (hit.expiresAt > this.now()) return hit.principal;
      this.entries.delete(hash);
    }
    const generation = this.generation;
    const identity = await identifyBearer(this.db, bearer, hash);
    // Unknown credentials are not remembered: guessing must not fill the cache.
    if (identity === undefined) return undefined;
    if (generation === this.generation) {
      const principal = freezePrincipal(identity.principal);
      const expiresAt = Math.min(this.now() + this.ttlMs, identity.validUntilMs);
      this.entries.set(hash, { principal, expiresAt });
      return principal;
    }
    return identity.principal;
  }

  /** Forget every credential. */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  /** Number of cached credentials (tests). */
  get size(): number {
    return this.entries.size;
  }

  /** Stop listening for metadata changes. */
  close(): void {
    this.unsubscribe();
    this.entries.clear();
  }
}

/** Requests share a cached principal: nothing may change it in place. */
function freezePrincipal(principal: ClientPrincipal): ClientPrincipal {
  Object.freeze(principal.scopes);
  return Object.freeze(principal);
}
