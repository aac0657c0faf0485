/** Alternative domain routes (API.md A.6). */
import { Type } from 'typebox';
import type { App, AppDeps } from '../server/app.ts';
import { principalOf } from '../server/auth.ts';
import { authorize, authorizeObject } from '../manage/authorize.ts';
import {
  createAlternativeDomain,
  deleteAlternativeDomain,
  findAlternativeDomain,
  listAlternativeDomains,
  updateAlternativeDomain,
} from '../manage/alternative-domains.ts';
import { DomainListQuery, IdQuery, emptyReply, listDomainId, requireId } from './params.ts';
import { AlternativeDomainObject, EmptyBody, authErrors, writeErrors } from './schemas.ts';

/** Register the alternative domain routes. */
export async function registerAlternativeDomainRoutes(app: App, { meta }: AppDeps): Promise<void> {
  const db = meta.db;

  app.get(
    '/api/v1/domain/alternative',
    {
      schema: {
        tags: ['alternative domains'],
        summary: "List the domain's alternative host names",
        querystring: DomainListQuery,
        response: { 200: Type.Array(AlternativeDomainObject), ...authErrors },
      },
    },
    async (request) => {
      const domainId = listDomainId(request.query, 'domain_id');
      await authorize(db, principalOf(request), 'domains:read', domainId);
      return listAlternativeDomains(db, domainId);
    },
  );

  app.post(
    '/api/v1/domain/alternative',
    {
      schema: {
        tags: ['alternative domains'],
        summary: 'Add an alternative host name (`*.` wildcard allowed)',
        body: Type.Object({ domain_id: Type.String(), hostname: Type.String() }),
        response: { 200: AlternativeDomainObject, ...writeErrors },
      },
    },
    async (request) => {
      const domainId = requireId(request.body.domain_id, 'domain_id');
      const { domain } = await authorize(db, principalOf(request), 'domains:write', domainId);
      return createAlternativeDomain(db, domain, request.body.hostname);
    },
  );

  app.put(
    '/api/v1/domain/alternative',
    {
      schema: {
        tags: ['alternative domains'],
        summary: "Change an alternative domain's host name",
        body: Type.Object({ id: Type.String(), hostname: Type.String() }),
        response: { 200: AlternativeDomainObject, ...writeErrors },
      },
    },
    async (request) => {
      const id = requireId(request.body.id, 'id');
      const { domain, object } = await authorizeObject(
        db,
        principalOf(request),
        'domains:write',
        await findAlternativeDomain(db, id),
        'alternative domain',
      );
      return updateAlternativeDomain(db, domain, object, request.body.hostname);
    },
  );

  app.delete(
    '/api/v1/domain/alternative',
    {
      schema: {
        tags: ['alternative domains'],
        summary: 'Delete an alternative domain',
        querystring: IdQuery,
        response: { 200: EmptyBody, ...authErrors },
      },
    },
    async (request, reply) => {
      const id = requireId(request.query.id, 'id');
      const { object } = await authorizeObject(
        db,
        principalOf(request),
        'domains:write',
        await findAlternativeDomain(db, id),
        'alternative domain',
      );
      await deleteAlternativeDomain(db, object);
      return emptyReply(reply);
    },
  );
}
