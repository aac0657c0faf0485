/**
 * Domains (sites): creation, listing, settings, deletion and the domain object of API.md A.2.3
 * and A.3.
 */
import { sql, type Kysely } from 'kysely';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { deleteDomainEvents } from '../store/clickhouse/delete-domain.ts';
import type { EventStore } from '../store/clickhouse/event-store.ts';
import { metaChanged } from '../store/meta/changes.ts';
import { getUniqueViolation, isUniqueViolation } from '../store/meta/errors.ts';
import type { Domain, MetaDatabase } from '../store/meta/schema.ts';
import { nowIso } from '../store/meta/time.ts';
import type { DomainRole, Principal } from './principal.ts';
import { rescheduleReports } from './reports.ts';
import { newEntityId, newIdentificationCode, randomAlphanumeric } from './secrets.ts';
import { checkHostname, checkSubdomain, checkTimezone } from './validate.ts';

/** The domain object exactly as every domain endpoint returns it. */
export interface DomainJson {
  id: string;
  def_time: string;
  mod_time: string;
  user_id: string;
  hostname: string;
  subdomain: string;
  identification_code: string;
  public: boolean;
  google_user_id: null;
  google_user_email: null;
  gsc_domain: null;
  new_owner: null;
  timezone: string | null;
  group_by_title: boolean;
  user_role: DomainRole;
}

/** Render a stored domain as the API's domain object. */
export function toDomainJson(domain: Domain, role: DomainRole): DomainJson {
  return {
    id: domain.id,
    def_time: domain.def_time,
    mod_time: domain.mod_time,
    user_id: domain.user_id,
    hostname: domain.hostname,
    subdomain: domain.subdomain,
    identification_code: domain.identification_code,
    public: domain.public === 1,
    google_user_id: null,
    google_user_email: null,
    gsc_domain: null,
    new_owner: null,
    timezone: domain.timezone,
    group_by_title: domain.group_by_title === 1,
    user_role: role,
  };
}

export interface NewDomainInput {
  userId: string;
  hostname: string;
  /** Derived from the host name when absent. */
  subdomain?: string | undefined;
  timezone?: string | null | undefined;
}

/** Create a domain owned by `userId`; 400 for invalid fields, 409 for a taken host name or subdomain. */
export async function createDomain(
  db: Kysely<MetaDatabase>,
  input: NewDomainInput,
): Promise<Domain> {
  const hostname = checkHostname(input.hostname);
  const timezone = checkTimezone(input.timezone);
  const subdomain = input.subdomain === undefined ? undefined : checkSubdomain(input.subdomain);
  const validation: Record<string, string> = {};
  if (!hostname.ok) validation.hostname = hostname.message;
  if (!timezone.ok) validation.timezone = timezone.message;
  if (subdomain && !subdomain.ok) validation.subdomain = subdomain.message;
  if (!hostname.ok || !timezone.ok || (subdomain && !subdomain.ok)) {
    throw new ValidationError(validation);
  }
  const taken = await db
    .selectFrom('domain')
    .select('id')
    .where('user_id', '=', input.userId)
    .where('hostname', '=', hostname.value)
    .executeTakeFirst();
  if (taken) throw new ConflictError('hostname', 'you already have a domain with this host name');
  const now = nowIso();
  const domain: Domain = {
    id: newEntityId(),
    user_id: input.userId,
    hostname: hostname.value,
    subdomain: subdomain?.value ?? (await freeSubdomain(db, hostname.value)),
    identification_code: newIdentificationCode(),
    public: 0,
    group_by_title: 0,
    timezone: timezone.value,
    def_time: now,
    mod_time: now,
  };
  try {
    await db.insertInto('domain').values(domain).execute();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const clash = await db
      .selectFrom('domain')
      .select('id')
      .where('subdomain', '=', domain.subdomain)
      .executeTakeFirst();
    if (clash) throw new ConflictError('subdomain', 'the subdomain is already taken');
    throw new ConflictError('hostname', 'you already have a domain with this host name');
  }
  metaChanged(domain.id);
  return domain;
}

/** A subdomain derived from the host name (`www.my-site.co.uk` → `my-site-co-uk`), made unique. */
async function freeSubdomain(db: Kysely<MetaDatabase>, hostname: string): Promise<string> {
  const base =
    hostname
      .replace(/^www\./, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'site';
  const padded = base.length < 3 ? `${base}-site` : base;
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = attempt === 0 ? padded : `${padded}-${randomAlphanumeric(6).toLowerCase()}`;
    const clash = await db
      .selectFrom('domain')
      .select('id')
      .where('subdomain', '=', candidate)
      .executeTakeFirst();
    if (!clash) return candidate;
  }
  return `site-${randomAlphanumeric(12).toLowerCase()}`;
}

/** Every domain the principal may see, with the caller's role, ordered by host name. */
export async function listDomainsFor(
  db: Kysely<MetaDatabase>,
  principal: Principal,
): Promise<DomainJson[]> {
  if (principal.kind !== 'client' || principal.domainId !== null) {
    const domain = await db
      .selectFrom('domain')
      .selectAll()
      .where('id', '=', principal.domainId!)
      .executeTakeFirst();
    return domain ? [toDomainJson(domain, '')] : [];
  }
  const owned = await db
    .selectFrom('domain')
    .selectAll()
    .where('user_id', '=', principal.userId)
    .execute();
  const shared = await db
    .selectFrom('member')
    .innerJoin('domain', 'domain.id', 'member.domain_id')
    .selectAll('domain')
    .select('member.role as member_role')
    .where('member.user_id', '=', principal.userId)
    .execute();
  const list = [
    ...owned.map((d) => toDomainJson(d, 'Owner')),
    ...shared.map(({ member_role, ...d }) =>
      toDomainJson(d, member_role === 'admin' ? 'Admin' : 'Viewer'),
    ),
  ];
  return list.sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
}

/**
 * Delete a domain with everything it owns: its page views, sessions and events in the event
 * store, and (by cascade) its clients, tokens, access links, members, invitations, alternative
 * domains, reports and goals. The statistics go first, so a failure there leaves the domain in
 * place for a retry; a second pass after the metadata is gone removes rows that arrived in
 * between (it only probes when there are none).
 */
export async function deleteDomain(
  db: Kysely<MetaDatabase>,
  events: EventStore,
  domainId: string,
): Promise<void> {
  await deleteDomainEvents(events, domainId);
  const result = await db.deleteFrom('domain').where('id', '=', domainId).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new NotFoundError('domain');
  metaChanged(domainId);
  await deleteDomainEvents(events, domainId);
}

/** Give the domain a new identification code; the old one stops working at once. */
export async function resetIdentificationCode(
  db: Kysely<MetaDatabase>,
  domainId: string,
): Promise<string> {
  const code = newIdentificationCode();
  await db
    .updateTable('domain')
    .set({ identification_code: code, mod_time: nowIso() })
    .where('id', '=', domainId)
    .execute();
  metaChanged(domainId);
  return code;
}

/** Change the dashboard subdomain: 400 when invalid, 409 when another domain has it. */
export async function setSubdomain(
  db: Kysely<MetaDatabase>,
  domainId: string,
  raw: string | undefined,
): Promise<void> {
  const subdomain = checkSubdomain(raw ?? '');
  if (!subdomain.ok) throw new ValidationError({ subdomain: subdomain.message });
  try {
    await db
      .updateTable('domain')
      .set({ subdomain: subdomain.value, mod_time: nowIso() })
      .where('id', '=', domainId)
      .execute();
  } catch (err) {
    if (getUniqueViolation(err)?.columns.includes('subdomain')) {
      throw new ConflictError('subdomain', 'the subdomain is already taken');
    }
    throw err;
  }
}

/** Flip one of the domain's boolean settings (`public`, `group_by_title`) in one statement. */
export async function toggleDomainFlag(
  db: Kysely<MetaDatabase>,
  domainId: string,
  flag: 'public' | 'group_by_title',
): Promise<void> {
  await db
    .updateTable('domain')
    .set({ [flag]: sql<number>`1 - ${sql.ref(flag)}`, mod_time: nowIso() })
    .where('id', '=', domainId)
    .execute();
}

/**
 * Change the domain's time zone (empty or null = UTC). Statistics are bucketed at query time, so
 * only the e-mail reports' next sending time (07:00 local) has to follow.
 */
export async function setTimezone(
  db: Kysely<MetaDatabase>,
  domainId: string,
  raw: string | null,
): Promise<void> {
  const timezone = checkTimezone(raw);
  if (!timezone.ok) throw new ValidationError({ timezone: timezone.message });
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('domain')
      .set({ timezone: timezone.value, mod_time: nowIso() })
      .where('id', '=', domainId)
      .execute();
    await rescheduleReports(trx, domainId, timezone.value);
  });
  metaChanged(domainId);
}
