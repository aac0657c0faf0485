/** Access link routes (API.md A.4, B.7). */
import { Type } from 'typebox';
import type { App, AppDeps } from '../server/app.ts';
import { principalOf } from '../server/auth.ts';
import { authorize, authorizeObject } from '../manage/authorize.ts';
import { createLink, deleteLink, findLink, listLinks, updateLink } from '../manage/links.ts';
import { DomainListQuery, IdQuery, emptyReply, listDomainId, requireId } from './params.ts';
import { EmptyBody, LinkObject, authErrors } from './schemas.ts';

const ValidUntil = Type.Optional(Type.Union([Type.String(), Type.Null()]));

/** Register the access link routes. */
export async function registerLinkRoutes(app: App, { meta }: AppDeps): Promise<void> {
  const db = meta.db;

  app.get(
    '/api/v1/domain/link',
    {
      schema: {
        tags: ['access links'],
        summary: "List the domain's access links",
        querystring: DomainListQuery,
        response: { 200: Type.Array(LinkObject), ...authErrors },
      },
    },
    async (request) => {
      const domainId = listDomainId(request.query, 'domain_id');
      await authorize(db, principalOf(request), 'domains:read', domainId);
      return listLinks(db, domainId);
    },
  );

  app.post(
    '/api/v1/domain/link',
    {
      schema: {
        tags: ['access links'],
        summary: 'Create an access link (read-only statistics for whoever has its code)',
        body: Type.Object({
          domain_id: Type.String(),
          description: Type.Optional(Type.String()),
          valid_until: ValidUntil,
        }),
        response: { 200: LinkObject, ...authErrors },
      },
    },
    async (request) => {
      const domainId = requireId(request.body.domain_id, 'domain_id');
      await authorize(db, principalOf(request), 'domains:write', domainId);
      return createLink(db, domainId, request.body);
    },
  );

  app.put(
    '/api/v1/domain/link',
    {
      schema: {
        tags: ['access links'],
        summary: "Change an access link's description or expiry",
        body: Type.Object({
          id: Type.String(),
          description: Type.Optional(Type.String()),
          valid_until: ValidUntil,
        }),
        response: { 200: LinkObject, ...authErrors },
      },
    },
    async (request) => {
      const id = requireId(request.body.id, 'id');
      const link = await findLink(db, id);
      const { object } = await authorizeObject(
        db,
        principalOf(request),
        'domains:write',
        link,
        'access link',
      );
      return updateLink(db, object, request.body);
    },
  );

  app.delete(
    '/api/v1/domain/link',
    {
      schema: {
        tags: ['access links'],
        summary: 'Delete an access link; its code stops working at once',
        querystring: IdQuery,
        response: { 200: EmptyBody, ...authErrors },
      },
    },
    async (request, reply) => {
      const id = requireId(request.query.id, 'id');
      await authorizeObject(
        db,
        principalOf(request),
        'domains:write',
        await findLink(db, id),
        'access link',
      );
      await deleteLink(db, id);
      return emptyReply(reply);
    },
  );
}
