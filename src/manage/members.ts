/**
 * Members of a domain (API.md A.5): users other than the owner with role `viewer` or `admin`.
 * New members arrive through invitations (`invitations.ts`).
 *
 * The member list includes the owner with role `owner` (decision 30). The owner is not a member
 * row, so that entry's `id` is the domain's id: `PUT`/`DELETE /member` recognise it and refuse
 * (the owner cannot be demoted or removed).
 */
import type { Kysely } from 'kysely';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { metaChanged } from '../store/meta/changes.ts';
import type { Domain, Member, MemberRole, MetaDatabase, User } from '../store/meta/schema.ts';
import { nowIso } from '../store/meta/time.ts';
import type { DomainRole } from './principal.ts';

/** Public data of a user as the member object shows it. */
export interface PublicUserJson {
  id: string;
  email: string;
  full_name: string;
  /** URL of a profile picture; Spoor stores none, so always "". */
  picture: string;
}

/** The member object (A.5). */
export interface MemberJson {
  id: string;
  def_time: string;
  mod_time: string;
  user_id: string;
  domain_id: string;
  role: MemberRole | 'owner';
  user: PublicUserJson;
}

type UserFields = Pick<User, 'id' | 'email' | 'full_name'>;

function publicUser(user: UserFields): PublicUserJson {
  return { id: user.id, email: user.email, full_name: user.full_name, picture: '' };
}

function toMemberJson(member: Member, user: UserFields): MemberJson {
  return {
    id: member.id,
    def_time: member.def_time,
    mod_time: member.mod_time,
    user_id: member.user_id,
    domain_id: member.domain_id,
    role: member.role,
    user: publicUser(user),
  };
}

/** The owner first (role `owner`, id = domain id), then admins, then viewers, by e-mail. */
export async function listMembers(db: Kysely<MetaDatabase>, domain: Domain): Promise<MemberJson[]> {
  const owner = await db
    .selectFrom('user')
    .select(['id', 'email', 'full_name'])
    .where('id', '=', domain.user_id)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('member')
    .innerJoin('user', 'user.id', 'member.user_id')
    .selectAll('member')
    .select(['user.email', 'user.full_name'])
    .where('member.domain_id', '=', domain.id)
    // 'admin' sorts before 'viewer'.
    .orderBy('member.role')
    .orderBy('user.email')
    .execute();
  return [
    {
      id: domain.id,
      def_time: domain.def_time,
      mod_time: domain.mod_time,
      user_id: owner.id,
      domain_id: domain.id,
      role: 'owner',
      user: publicUser(owner),
    },
    ...rows.map(({ email, full_name, ...member }) =>
      toMemberJson(member, { id: member.user_id, email, full_name }),
    ),
  ];
}

/** What a member id addresses: a member row, or the owner entry of a domain (`member: null`). */
export interface MemberTarget {
  domain_id: string;
  member: Member | null;
}

/** Resolve the `id` of `PUT`/`DELETE /member`: a member id or an owner entry's (domain) id. */
export async function findMemberTarget(
  db: Kysely<MetaDatabase>,
  id: string,
): Promise<MemberTarget | undefined> {
  const member = await db.selectFrom('member').selectAll().where('id', '=', id).executeTakeFirst();
  if (member) return { domain_id: member.domain_id, member };
  const domain = await db.selectFrom('domain').select('id').where('id', '=', id).executeTakeFirst();
  return domain ? { domain_id: domain.id, member: null } : undefined;
}

/** Who changes the membership: their user and their role on the domain (`""` = domain client). */
export interface MemberActor {
  userId: string;
  role: DomainRole;
}

/** `viewer` or `admin`, any letter case (A.5.3); `owner` and anything else → 400. */
export function checkMemberRole(raw: string): MemberRole {
  const role = raw.trim().toLowerCase();
  if (role === 'viewer' || role === 'admin') return role;
  if (role === 'owner') {
    throw new ValidationError({ role: 'the owner role cannot be assigned; use viewer or admin' });
  }
  throw new ValidationError({ role: 'must be viewer or admin' });
}

/**
 * The membership an actor may change: never the owner's, and an admin (or a domain client acting
 * as one) never their own (Pirsch's access rules; the owner is the only one above admins).
 */
function changeableMember(actor: MemberActor, target: MemberTarget): Member {
  if (!target.member) throw new ForbiddenError('the owner cannot be changed or removed');
  if (actor.role !== 'Owner' && target.member.user_id === actor.userId) {
    throw new ForbiddenError('an admin cannot change or remove their own membership');
  }
  return target.member;
}

/** Change a member's role (viewer/admin); returns the updated member object. */
export async function changeMemberRole(
  db: Kysely<MetaDatabase>,
  actor: MemberActor,
  target: MemberTarget,
  rawRole: string,
): Promise<MemberJson> {
  const role = checkMemberRole(rawRole);
  const member = changeableMember(actor, target);
  const updated: Member = { ...member, role, mod_time: nowIso() };
  await db
    .updateTable('member')
    .set({ role, mod_time: updated.mod_time })
    .where('id', '=', member.id)
    .execute();
  // Roles decide who may send data; ingestion caches them.
  metaChanged(member.domain_id);
  const user = await db
    .selectFrom('user')
    .select(['id', 'email', 'full_name'])
    .where('id', '=', member.user_id)
    .executeTakeFirstOrThrow();
  return toMemberJson(updated, user);
}

/** Remove a member from the domain. */
export async function removeMember(
  db: Kysely<MetaDatabase>,
  actor: MemberActor,
  target: MemberTarget,
): Promise<void> {
  const member = changeableMember(actor, target);
  const result = await db.deleteFrom('member').where('id', '=', member.id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new NotFoundError('member');
  metaChanged(member.domain_id);
}
