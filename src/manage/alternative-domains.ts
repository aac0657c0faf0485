/**
 * Alternative domains (API.md A.6): extra host names a domain accepts traffic from, `*.`
 * wildcards allowed. `allowedHostnames` + `isHostnameAllowed` are the snippet's host-name check
 * (TRACKER.md 2.3 step 1).
 */
import type { Kysely } from 'kysely';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { metaChanged } from '../store/meta/changes.ts';
import { isUniqueViolation } from '../store/meta/errors.ts';
import type { AlternativeDomain, Domain, MetaDatabase } from '../store/meta/schema.ts';
import { nowIso } from '../store/meta/time.ts';
import { newEntityId } from './secrets.ts';
import { checkHostname } from './validate.ts';

/** The alternative domain object (A.6). */
export interface AlternativeDomainJson {
  id: string;
  def_time: string;
  mod_time: string;
  domain_id: string;
  hostname: string;
}

export function toAlternativeDomainJson(alt: AlternativeDomain): AlternativeDomainJson {
  return {
    id: alt.id,
    def_time: alt.def_time,
    mod_time: alt.mod_time,
    domain_id: alt.domain_id,
    hostname: alt.hostname,
  };
}

/** The domain's alternative domains, ordered by host name. */
export async function listAlternativeDomains(
  db: Kysely<MetaDatabase>,
  domainId: string,
): Promise<AlternativeDomainJson[]> {
  const rows = await db
    .selectFrom('alternative_domain')
    .selectAll()
    .where('domain_id', '=', domainId)
    .orderBy('hostname')
    .execute();
  return rows.map(toAlternativeDomainJson);
}

export function findAlternativeDomain(
  db: Kysely<MetaDatabase>,
  id: string,
): Promise<AlternativeDomain | undefined> {
  return db.selectFrom('alternative_domain').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * A valid, free host name for `domain`: 400 when invalid, 409 when it is the domain's own host
 * name or already one of its alternative domains (`exceptId` = the one being renamed).
 */
async function checkFreeHostname(
  db: Kysely<MetaDatabase>,
  domain: Domain,
  raw: string,
  exceptId?: string,
): Promise<string> {
  const hostname = checkHostname(raw, { wildcard: true });
  if (!hostname.ok) throw new ValidationError({ hostname: hostname.message });
  if (hostname.value === domain.hostname) {
    throw new ConflictError('hostname', "the host name is the domain's own host name");
  }
  let query = db
    .selectFrom('alternative_domain')
    .select('id')
    .where('domain_id', '=', domain.id)
    .where('hostname', '=', hostname.value);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  if (await query.executeTakeFirst()) throw taken();
  return hostname.value;
}

const taken = () =>
  new ConflictError('hostname', 'the host name is already an alternative domain of this domain');

/** Add an alternative host name to `domain`. */
export async function createAlternativeDomain(
  db: Kysely<MetaDatabase>,
  domain: Domain,
  raw: string,
): Promise<AlternativeDomainJson> {
  const hostname = await checkFreeHostname(db, domain, raw);
  const now = nowIso();
  const alt: AlternativeDomain = {
    id: newEntityId(),
    domain_id: domain.id,
    hostname,
    def_time: now,
    mod_time: now,
  };
  try {
    await db.insertInto('alternative_domain').values(alt).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
  metaChanged(domain.id);
  return toAlternativeDomainJson(alt);
}

/** Change an alternative domain's host name (same rules as creating one). */
export async function updateAlternativeDomain(
  db: Kysely<MetaDatabase>,
  domain: Domain,
  alt: AlternativeDomain,
  raw: string,
): Promise<AlternativeDomainJson> {
  const hostname = await checkFreeHostname(db, domain, raw, alt.id);
  const updated: AlternativeDomain = { ...alt, hostname, mod_time: nowIso() };
  try {
    await db
      .updateTable('alternative_domain')
      .set({ hostname, mod_time: updated.mod_time })
      .where('id', '=', alt.id)
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
  metaChanged(domain.id);
  return toAlternativeDomainJson(updated);
}

export async function deleteAlternativeDomain(
  db: Kysely<MetaDatabase>,
  alt: AlternativeDomain,
): Promise<void> {
  const result = await db
    .deleteFrom('alternative_domain')
    .where('id', '=', alt.id)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new NotFoundError('alternative domain');
  metaChanged(alt.domain_id);
}

/**
 * The host names a domain accepts traffic from: its own first, then its alternative domains
 * (possibly `*.` wildcards). Empty for an unknown domain.
 */
export async function allowedHostnames(
  db: Kysely<MetaDatabase>,
  domainId: string,
): Promise<string[]> {
  const domain = await db
    .selectFrom('domain')
    .select('hostname')
    .where('id', '=', domainId)
    .executeTakeFirst();
  if (!domain) return [];
  const alternatives = await db
    .selectFrom('alternative_domain')
    .select('hostname')
    .where('domain_id', '=', domainId)
    .orderBy('hostname')
    .execute();
  return [domain.hostname, ...alternatives.map((a) => a.hostname)];
}

const withoutWww = (host: string) => (host.startsWith('www.') ? host.slice(4) : host);

/**
 * Whether `host` (punycode, no port) matches one of `allowed` (TRACKER.md 2.3): one leading
 * `www.` is ignored on either side, and `*` matches any run of characters, dots included
 * (`*.example.com` matches every subdomain, `www.` included, but not the apex).
 */
export function isHostnameAllowed(allowed: readonly string[], host: string): boolean {
  const full = host.toLowerCase().replace(/\.$/, '');
  const bare = withoutWww(full);
  return allowed.some((entry) => {
    if (!entry.includes('*')) return withoutWww(entry) === bare;
    const parts = entry.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
    const re = new RegExp(`^${parts.join('.*')}$`);
    return re.test(full) || re.test(bare);
  });
}
