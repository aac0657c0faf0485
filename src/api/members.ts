/** Member routes (API.md A.5): list, invite, change role, remove. */
import { Type } from 'typebox';
import type { App, AppDeps } from '../server/app.ts';
import { principalOf } from '../server/auth.ts';
import { authorize, authorizeObject } from '../manage/authorize.ts';
import { inviteMembers } from '../manage/invitations.ts';
import {
  changeMemberRole,
  findMemberTarget,
  listMembers,
  removeMember,
} from '../manage/members.ts';
import {
  DomainListQuery,
  IdQuery,
  actingUserId,
  emptyReply,
  listDomainId,
  requireId,
} from './params.ts';
import { EmptyBody, InvitationCreatedObject, MemberObject, authErrors } from './schemas.ts';

/** Register the member routes. */
export async function registerMemberRoutes(
  app: App,
  { meta, config, mail }: AppDeps,
): Promise<void> {
  const db = meta.db;

  app.get(
    '/api/v1/member',
    {
      schema: {
        tags: ['members'],
        summary: 'List the members of a domain, the owner first (role "owner")',
        querystring: DomainListQuery,
        response: { 200: Type.Array(MemberObject), ...authErrors },
      },
    },
    async (request) => {
      const domainId = listDomainId(request.query, 'id');
      const { domain } = await authorize(db, principalOf(request), 'domains:read', domainId);
      return listMembers(db, domain);
    },
  );

  app.post(
    '/api/v1/member',
    {
      schema: {
        tags: ['members'],
        summary: 'Invite people by e-mail; they become viewers once they accept',
        // `id` is the domain (A.5.2); `domain_id` is accepted as an alias.
        body: Type.Object({
          id: Type.Optional(Type.String()),
          domain_id: Type.Optional(Type.String()),
          emails: Type.Array(Type.String(), { maxItems: 100 }),
        }),
        response: { 200: Type.Array(InvitationCreatedObject), ...authErrors },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const domainId = requireId(request.body.id || request.body.domain_id, 'id');
      const { domain } = await authorize(db, principal, 'domains:write', domainId);
      // Without a mail transport every invitation answers with its accept link (decision 27).
      return inviteMembers(db, {
        domain,
        invitedBy: actingUserId(principal),
        emails: request.body.emails,
        baseUrl: config.baseUrl,
        sendInvitation: mail.sendInvitation,
      });
    },
  );

  app.put(
    '/api/v1/member',
    {
      schema: {
        tags: ['members'],
        summary: "Change a member's role (viewer or admin)",
        body: Type.Object({ id: Type.String(), role: Type.String() }),
        response: { 200: MemberObject, ...authErrors },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const id = requireId(request.body.id, 'id');
      const { role, object } = await authorizeObject(
        db,
        principal,
        'domains:write',
        await findMemberTarget(db, id),
        'member',
      );
      return changeMemberRole(
        db,
        { userId: actingUserId(principal), role },
        object,
        request.body.role,
      );
    },
  );

  app.delete(
    '/api/v1/member',
    {
      schema: {
        tags: ['members'],
        summary: 'Remove a member from the domain',
        querystring: IdQuery,
        response: { 200: EmptyBody, ...authErrors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const id = requireId(request.query.id, 'id');
      const { role, object } = await authorizeObject(
        db,
        principal,
        'domains:write',
        await findMemberTarget(db, id),
        'member',
      );
      await removeMember(db, { userId: actingUserId(principal), role }, object);
      return emptyReply(reply);
    },
  );
}
