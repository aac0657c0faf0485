/**
 * Invitations to become a member of a domain (decision 10, API.md A.5.2 and B.8). Inviting an
 * address creates a pending invitation: a random token, stored only as its SHA-256, valid 14
 * days. Whoever holds the accept link (`<base URL>/invitation/<token>`) and is signed in with an
 * account of the invited address can accept it; nobody gets an account created silently.
 *
 * Sending the e-mail is pluggable (`sendInvitation`): without a sender, the accept link is
 * returned to the inviting admin to hand over (decision 27).
 */
import type { Kysely } from 'kysely';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { metaChanged } from '../store/meta/changes.ts';
import type { Domain, Invitation, MetaDatabase, User } from '../store/meta/schema.ts';
import { nowIso } from '../store/meta/time.ts';
import { toDomainJson, type DomainJson } from './domains.ts';
import type { DomainRole } from './principal.ts';
import { newEntityId, randomAlphanumeric, sha256Hex } from './secrets.ts';
import { checkEmails } from './validate.ts';

/** How long an invitation can be accepted. */
export const INVITATION_VALIDITY_MS = 14 * 24 * 60 * 60 * 1000;

/** One created invitation as `POST /member` answers it (decision 27). */
export interface InvitationCreatedJson {
  id: string;
  email: string;
  expires_at: string;
  /** Only when no mail sender is configured: the link to hand over. */
  accept_link?: string;
}

/** What a mail sender needs to send one invitation. */
export interface InvitationMail {
  email: string;
  acceptLink: string;
  expiresAt: string;
  domain: Domain;
  /** User id of the inviting admin or owner. */
  invitedBy: string;
}

/** Sends an invitation e-mail; a rejection fails the request (the invitation stays pending). */
export type SendInvitation = (mail: InvitationMail) => Promise<void>;

export interface InviteInput {
  domain: Domain;
  /** The inviting user. */
  invitedBy: string;
  emails: readonly string[];
  /** Public origin of the installation, for the accept link. */
  baseUrl: string;
  sendInvitation?: SendInvitation | undefined;
}

/**
 * Invite addresses to `domain` as viewers. Addresses of the owner or of current members are
 * skipped silently; inviting an address again replaces its pending invitation (new token, new
 * 14 days: the old link stops working). Expired invitations of the domain are cleared on the way.
 */
export async function inviteMembers(
  db: Kysely<MetaDatabase>,
  input: InviteInput,
): Promise<InvitationCreatedJson[]> {
  const emails = checkEmails(input.emails);
  if (!emails.ok) throw new ValidationError({ emails: emails.message });
  const { domain } = input;
  const present = await db
    .selectFrom('user')
    .select('email')
    .where('email', 'in', emails.value)
    .where((eb) =>
      eb.or([
        eb('id', '=', domain.user_id),
        eb.exists(
          eb
            .selectFrom('member')
            .select('member.id')
            .whereRef('member.user_id', '=', 'user.id')
            .where('member.domain_id', '=', domain.id),
        ),
      ]),
    )
    .execute();
  const skip = new Set(present.map((u) => u.email));
  const invite = emails.value.filter((email) => !skip.has(email));

  const now = nowIso();
  const expiresAt = new Date(Date.parse(now) + INVITATION_VALIDITY_MS).toISOString();
  const created = invite.map((email) => {
    const token = randomAlphanumeric(43);
    const invitation: Invitation = {
      id: newEntityId(),
      domain_id: domain.id,
      email,
      role: 'viewer',
      token_hash: sha256Hex(token),
      invited_by: input.invitedBy,
      expires_at: expiresAt,
      def_time: now,
    };
    return { invitation, acceptLink: `${input.baseUrl}/invitation/${token}` };
  });
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('invitation')
      .where('domain_id', '=', domain.id)
      .where((eb) =>
        invite.length > 0
          ? eb.or([eb('expires_at', '<=', now), eb('email', 'in', invite)])
          : eb('expires_at', '<=', now),
      )
      .execute();
    if (created.length > 0) {
      await trx
        .insertInto('invitation')
        .values(created.map((c) => c.invitation))
        .execute();
    }
  });

  const result: InvitationCreatedJson[] = [];
  for (const { invitation, acceptLink } of created) {
    const json = { id: invitation.id, email: invitation.email, expires_at: invitation.expires_at };
    if (input.sendInvitation) {
      await input.sendInvitation({
        email: invitation.email,
        acceptLink,
        expiresAt: invitation.expires_at,
        domain,
        invitedBy: input.invitedBy,
      });
      result.push(json);
    } else {
      result.push({ ...json, accept_link: acceptLink });
    }
  }
  return result;
}

/** A pending invitation as `GET /invitation` lists it (B.8, plus `expires_at`). */
export interface InvitationJson {
  id: string;
  def_time: string;
  mod_time: string;
  domain_id: string;
  organization_id: null;
  email: string;
  expires_at: string;
  domain: DomainJson | null;
  organization: null;
}

function toInvitationJson(invitation: Invitation, domain: DomainJson | null): InvitationJson {
  return {
    id: invitation.id,
    def_time: invitation.def_time,
    // Invitations are never modified, only replaced.
    mod_time: invitation.def_time,
    domain_id: invitation.domain_id,
    organization_id: null,
    email: invitation.email,
    expires_at: invitation.expires_at,
    domain,
    organization: null,
  };
}

/** The domain's pending (unexpired) invitations, oldest first; `role` = the caller's role. */
export async function listDomainInvitations(
  db: Kysely<MetaDatabase>,
  domain: Domain,
  role: DomainRole,
): Promise<InvitationJson[]> {
  const rows = await db
    .selectFrom('invitation')
    .selectAll()
    .where('domain_id', '=', domain.id)
    .where('expires_at', '>', nowIso())
    .orderBy('def_time')
    .orderBy('id')
    .execute();
  const domainJson = toDomainJson(domain, role);
  return rows.map((row) => toInvitationJson(row, domainJson));
}

/** The pending invitations addressed to `user`'s e-mail, with the inviting domains. */
export async function listUserInvitations(
  db: Kysely<MetaDatabase>,
  user: User,
): Promise<InvitationJson[]> {
  const invitations = await db
    .selectFrom('invitation')
    .selectAll()
    .where('email', '=', user.email)
    .where('expires_at', '>', nowIso())
    .orderBy('def_time')
    .orderBy('id')
    .execute();
  if (invitations.length === 0) return [];
  const domains = await db
    .selectFrom('domain')
    .selectAll()
    .where('id', 'in', [...new Set(invitations.map((i) => i.domain_id))])
    .execute();
  const byId = new Map(domains.map((d) => [d.id, toDomainJson(d, '')]));
  return invitations.map((i) => toInvitationJson(i, byId.get(i.domain_id) ?? null));
}

export function findInvitation(
  db: Kysely<MetaDatabase>,
  id: string,
): Promise<Invitation | undefined> {
  return db.selectFrom('invitation').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether `user` is the person an invitation is addressed to. */
export function isInvitee(invitation: Invitation, user: Pick<User, 'email'>): boolean {
  return invitation.email === user.email;
}

/**
 * Accept an invitation as `user`, found by its id (B.8) or by the token of its accept link:
 * the user becomes a member with the invitation's role and the invitation is used up. An
 * unknown or expired invitation → 404; one addressed to another e-mail address → 403.
 */
export async function acceptInvitation(
  db: Kysely<MetaDatabase>,
  user: User,
  selector: { id?: string | undefined; token?: string | undefined },
): Promise<void> {
  const id = selector.id?.trim() ?? '';
  const token = selector.token?.trim() ?? '';
  if (id === '' && token === '') {
    throw new ValidationError({ id: 'the invitation id or the token of its link is required' });
  }
  const query = db.selectFrom('invitation').selectAll();
  const invitation = await (
    token !== '' ? query.where('token_hash', '=', sha256Hex(token)) : query.where('id', '=', id)
  ).executeTakeFirst();
  if (!invitation || invitation.expires_at <= nowIso() || (id !== '' && invitation.id !== id)) {
    throw new NotFoundError('invitation');
  }
  if (!isInvitee(invitation, user)) {
    throw new ForbiddenError('the invitation is addressed to another e-mail address');
  }
  await db.transaction().execute(async (trx) => {
    const domain = await trx
      .selectFrom('domain')
      .select('user_id')
      .where('id', '=', invitation.domain_id)
      .executeTakeFirstOrThrow();
    const member = await trx
      .selectFrom('member')
      .select('id')
      .where('domain_id', '=', invitation.domain_id)
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    // Already the owner or a member (e.g. invited twice): nothing to add.
    if (domain.user_id !== user.id && !member) {
      const now = nowIso();
      await trx
        .insertInto('member')
        .values({
          id: newEntityId(),
          domain_id: invitation.domain_id,
          user_id: user.id,
          role: invitation.role,
          def_time: now,
          mod_time: now,
        })
        .execute();
    }
    await trx.deleteFrom('invitation').where('id', '=', invitation.id).execute();
  });
  // A new member may now send data to the domain (ingestion caches who may).
  metaChanged(invitation.domain_id);
}

/** Delete an invitation (declined by the invitee or revoked by an admin); its link dies. */
export async function deleteInvitation(db: Kysely<MetaDatabase>, id: string): Promise<void> {
  const result = await db.deleteFrom('invitation').where('id', '=', id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new NotFoundError('invitation');
}
