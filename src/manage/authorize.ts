/**
 * The one authorization check every route uses: may this principal do this action on this
 * domain? Order of answers (decision 5): wrong credential kind or missing scope → 403, unknown
 * domain → 404, no access to the domain or too small a role → 403. A caller without credential
 * gets 401 for everything but the statistics of a public domain.
 */
import type { Kysely } from 'kysely';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../errors.ts';
import type { Domain, MemberRole, MetaDatabase } from '../store/meta/schema.ts';
import type { ClientPrincipal, DomainRole, Principal, Scopes } from './principal.ts';

/** Actions on one domain. */
export type DomainAction =
  | 'hit'
  | 'event'
  | 'session'
  | 'statistics'
  | 'domains:read'
  | 'domains:write'
  | 'domain:delete'
  | 'clients:read'
  | 'clients:write'
  | 'invitations:read';

/**
 * Actions that address no particular domain: listing and creating domains, testing a regex,
 * and a user's own invitations (listing them; accepting or declining one).
 */
export type AccountAction =
  'domain:list' | 'domain:create' | 'regex:test' | 'invitation:list' | 'invitation:respond';

interface Rule {
  /** Which principals may try: access keys only ingest, access links only read statistics. */
  accessKey: boolean;
  accessLink: boolean;
  /** Only user clients (account-level power). */
  userClientOnly: boolean;
  scope: (s: Scopes) => boolean;
  /** Roles a user client's user needs; a domain client counts as Admin on its own domain. */
  roles: readonly DomainRole[];
  /** Anyone may, on a public domain: the only action open to callers without a credential. */
  publicDomain?: boolean;
}

const ANY_ROLE = ['Owner', 'Admin', 'Viewer'] as const;
const MANAGERS = ['Owner', 'Admin'] as const;
const readsDomains = (s: Scopes) => s.domains === 'r' || s.domains === 'w';

const RULES: Record<DomainAction, Rule> = {
  hit: ingest((s) => s.hit === 'w'),
  event: ingest((s) => s.event === 'w'),
  session: ingest((s) => s.session === 'w'),
  statistics: {
    accessKey: false,
    accessLink: true,
    userClientOnly: false,
    scope: (s) => s.statistics === 'r',
    roles: ANY_ROLE,
    publicDomain: true,
  },
  'domains:read': manage(readsDomains, ANY_ROLE),
  'domains:write': manage((s) => s.domains === 'w', MANAGERS),
  'domain:delete': { ...manage((s) => s.domains === 'w', ['Owner']), userClientOnly: true },
  'clients:read': { ...manage(readsDomains, MANAGERS), userClientOnly: true },
  'clients:write': { ...manage((s) => s.domains === 'w', MANAGERS), userClientOnly: true },
  // Pending invitations are part of managing members, not of what viewers see.
  'invitations:read': manage(readsDomains, MANAGERS),
};

function ingest(scope: (s: Scopes) => boolean): Rule {
  return { accessKey: true, accessLink: false, userClientOnly: false, scope, roles: MANAGERS };
}

function manage(scope: (s: Scopes) => boolean, roles: readonly DomainRole[]): Rule {
  return { accessKey: false, accessLink: false, userClientOnly: false, scope, roles };
}

/** What a successful check grants: the domain and the caller's role on it. */
export interface DomainAccess {
  domain: Domain;
  role: DomainRole;
}

/** What an authorization decision needs to know about a domain. */
export interface DomainFacts {
  id: string;
  ownerId: string;
  isPublic: boolean;
}

/**
 * Where an authorization reads domains and memberships: the metadata store (`storeAccess`), or
 * the ingestion path's cache of it (`DomainDirectory`). `D` is the source's domain object.
 */
export interface AccessSource<D> {
  domain(id: string): Promise<D | undefined>;
  facts(domain: D): DomainFacts;
  /** The user's membership on the domain, undefined when not a member. */
  memberRole(domainId: string, userId: string): Promise<MemberRole | undefined>;
}

/** The metadata store as an access source. */
export function storeAccess(db: Kysely<MetaDatabase>): AccessSource<Domain> {
  return {
    domain: (id) => db.selectFrom('domain').selectAll().where('id', '=', id).executeTakeFirst(),
    facts: (domain) => ({ id: domain.id, ownerId: domain.user_id, isPublic: domain.public === 1 }),
    memberRole: async (domainId, userId) =>
      (
        await db
          .selectFrom('member')
          .select('role')
          .where('domain_id', '=', domainId)
          .where('user_id', '=', userId)
          .executeTakeFirst()
      )?.role,
  };
}

/** Check `action` on `domainId` for `principal`; returns the domain or throws 403/404. */
export async function authorize(
  db: Kysely<MetaDatabase>,
  principal: Principal,
  action: DomainAction,
  domainId: string,
): Promise<DomainAccess> {
  return authorizeWith(storeAccess(db), principal, action, domainId);
}

/** `authorize` reading from `source`; returns the source's domain object. */
export async function authorizeWith<D>(
  source: AccessSource<D>,
  principal: Principal,
  action: DomainAction,
  domainId: string,
): Promise<{ domain: D; role: DomainRole }> {
  const rule = RULES[action];
  checkPrincipal(principal, rule);
  const domain = await source.domain(domainId);
  if (!domain) throw new NotFoundError('domain');
  const facts = source.facts(domain);
  const role = await roleOn(source, principal, facts);
  if (role === undefined) {
    // A public dashboard's statistics are open to every caller, signed in elsewhere or not.
    if (rule.publicDomain === true && facts.isPublic) return { domain, role: '' };
    if (principal.kind === 'public') throw new UnauthorizedError();
    throw new ForbiddenError('you have no access to this domain');
  }
  const effective = principal.kind === 'client' && principal.domainId !== null ? 'Admin' : role;
  if (principal.kind === 'client' && !rule.roles.includes(effective)) {
    throw new ForbiddenError(`your role on this domain does not allow this`);
  }
  return { domain, role };
}

/**
 * Check `action` on an object that belongs to a domain (a link, member, goal …), in the order of
 * decision 5: credential kind and scope (403), then the object (404 when `object` is undefined),
 * then the object's domain (403 without access or role).
 */
export async function authorizeObject<T extends { domain_id: string }>(
  db: Kysely<MetaDatabase>,
  principal: Principal,
  action: DomainAction,
  object: T | undefined,
  what: string,
): Promise<DomainAccess & { object: T }> {
  checkPrincipal(principal, RULES[action]);
  if (!object) throw new NotFoundError(what);
  return { ...(await authorize(db, principal, action, object.domain_id)), object };
}

/** Check an action that addresses no domain (listing, creating domains). */
export function authorizeAccount(principal: Principal, action: AccountAction): void {
  if (principal.kind === 'public') throw new UnauthorizedError();
  if (principal.kind === 'access_link') {
    if (action === 'domain:list') return;
    throw new ForbiddenError('an access link only grants reading statistics');
  }
  if (principal.type === 'token') throw new ForbiddenError('an access key can only send data');
  if (action === 'domain:list') {
    if (principal.scopes.statistics === 'r' || readsDomains(principal.scopes)) return;
    throw new ForbiddenError('the client needs the statistics or domains scope');
  }
  if (action === 'regex:test') {
    if (readsDomains(principal.scopes)) return;
    throw new ForbiddenError('the client needs scope_domains "r" or "w"');
  }
  if (principal.domainId !== null) throw new ForbiddenError('this needs a user client');
  if (action === 'invitation:list') {
    if (readsDomains(principal.scopes)) return;
    throw new ForbiddenError('the client needs scope_domains "r" or "w"');
  }
  if (principal.scopes.domains !== 'w')
    throw new ForbiddenError('the client needs scope_domains "w"');
}

function checkPrincipal(principal: Principal, rule: Rule): void {
  // Without a credential only the public rule can admit; anything else is 401 as ever.
  if (principal.kind === 'public') {
    if (rule.publicDomain !== true) throw new UnauthorizedError();
  } else if (principal.kind === 'access_link') {
    if (!rule.accessLink) throw new ForbiddenError('an access link only grants reading statistics');
  } else {
    checkClient(principal, rule);
  }
}

function checkClient(principal: ClientPrincipal, rule: Rule): void {
  if (principal.type === 'token' && !rule.accessKey) {
    throw new ForbiddenError('an access key can only send data');
  }
  if (rule.userClientOnly && principal.domainId !== null) {
    throw new ForbiddenError('this needs a user client');
  }
  if (!rule.scope(principal.scopes))
    throw new ForbiddenError('the client lacks the scope for this');
}

/**
 * The principal's role on the domain, or undefined without access. Domain clients and access
 * links see only their own domain and report `""`, like the domain object does. A caller without
 * credential has no role anywhere (a public domain admits it through its rule).
 */
async function roleOn<D>(
  source: AccessSource<D>,
  principal: Principal,
  domain: DomainFacts,
): Promise<DomainRole | undefined> {
  if (principal.kind === 'public') return undefined;
  if (principal.kind === 'access_link' || principal.domainId !== null) {
    return principal.domainId === domain.id ? '' : undefined;
  }
  if (domain.ownerId === principal.userId) return 'Owner';
  const member = await source.memberRole(domain.id, principal.userId);
  if (member === undefined) return undefined;
  return member === 'admin' ? 'Admin' : 'Viewer';
}
