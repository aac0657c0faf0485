/**
 * Invitation routes (API.md B.8): a domain's pending invitations (list, revoke) and the signed-in
 * user's own (list, accept, decline). Invitations are created by `POST /api/v1/member`.
 */
import { Type } from 'typebox';
import type { App, AppDeps } from '../server/app.ts';
import { principalOf } from '../server/auth.ts';
import { authorize, authorizeAccount, authorizeObject } from '../manage/authorize.ts';
import {
  acceptInvitation,
  deleteInvitation,
  findInvitation,
  isInvitee,
  listDomainInvitations,
  listUserInvitations,
} from '../manage/invitations.ts';
import { getUser } from '../manage/users.ts';
import { DomainListQuery, actingUserId, emptyReply, requireId } from './params.ts';
import { EmptyBody, InvitationObject, authErrors } from './schemas.ts';

/** Register the invitation routes. */
export async function registerInvitationRoutes(app: App, { meta }: AppDeps): Promise<void> {
  const db = meta.db;

  app.get(
    '/api/v1/invitation',
    {
      schema: {
        tags: ['members'],
        summary:
          "Pending invitations of a domain (domain_id), or else the calling user's own invitations",
        querystring: DomainListQuery,
        response: { 200: Type.Array(InvitationObject), ...authErrors },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const domainId = request.query.domain_id || request.query.id;
      if (domainId) {
        const { domain, role } = await authorize(db, principal, 'invitations:read', domainId);
        return listDomainInvitations(db, domain, role);
      }
      authorizeAccount(principal, 'invitation:list');
      return listUserInvitations(db, await getUser(db, actingUserId(principal)));
    },
  );

  app.post(
    '/api/v1/invitation',
    {
      schema: {
        tags: ['members'],
        summary:
          'Accept an invitation addressed to the calling user, by its id or the token of its link',
        body: Type.Object({
          id: Type.Optional(Type.String()),
          token: Type.Optional(Type.String()),
        }),
        response: { 200: EmptyBody, ...authErrors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      authorizeAccount(principal, 'invitation:respond');
      await acceptInvitation(db, await getUser(db, actingUserId(principal)), request.body);
      return emptyReply(reply);
    },
  );

  app.delete(
    '/api/v1/invitation',
    {
      schema: {
        tags: ['members'],
        summary: 'Decline an invitation (its invitee) or revoke it (an admin of its domain)',
        body: Type.Object({
          id: Type.String(),
          domain_id: Type.Optional(Type.String()),
          organization_id: Type.Optional(Type.String()),
        }),
        response: { 200: EmptyBody, ...authErrors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const id = requireId(request.body.id, 'id');
      const { domain_id } = request.body;
      const found = await findInvitation(db, id);
      const invitation = found && (!domain_id || found.domain_id === domain_id) ? found : undefined;
      const invitee =
        invitation !== undefined &&
        principal.kind === 'client' &&
        principal.domainId === null &&
        isInvitee(invitation, await getUser(db, principal.userId));
      if (invitee) authorizeAccount(principal, 'invitation:respond');
      else await authorizeObject(db, principal, 'domains:write', invitation, 'invitation');
      await deleteInvitation(db, id);
      return emptyReply(reply);
    },
  );
}
