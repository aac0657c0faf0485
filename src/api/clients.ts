/** API client routes (API.md A.7, B.9): a domain's oauth clients and access keys. */
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../server/app.ts';
import { principalOf } from '../server/auth.ts';
import { authorize, authorizeObject } from '../manage/authorize.ts';
import {
  checkClientType,
  createClient,
  deleteClient,
  findDomainClient,
  listDomainClients,
  toClientJson,
  updateClientDescription,
  type ClientJson,
} from '../manage/clients.ts';
import type { MetaDatabase } from '../store/meta/schema.ts';
import type { Kysely } from 'kysely';
import {
  DomainListQuery,
  IdQuery,
  actingUserId,
  emptyReply,
  listDomainId,
  requireId,
} from './params.ts';
import { ClientObject, EmptyBody, authErrors } from './schemas.ts';

const Scope = Type.Optional(Type.String());

/** Change a client's description (`PUT /client`, and `POST /client` with an `id`: A.7.3). */
async function updateDescription(
  db: Kysely<MetaDatabase>,
  request: FastifyRequest,
  id: string,
  description: string | undefined,
): Promise<ClientJson> {
  const { object } = await authorizeObject(
    db,
    principalOf(request),
    'clients:write',
    await findDomainClient(db, id),
    'client',
  );
  return updateClientDescription(db, object, description);
}

/** Register the client routes (user clients only). */
export async function registerClientRoutes(app: App, { meta }: AppDeps): Promise<void> {
  const db = meta.db;

  app.get(
    '/api/v1/client',
    {
      schema: {
        tags: ['clients'],
        summary: "List the domain's clients and access keys (without secrets)",
        querystring: DomainListQuery,
        response: { 200: Type.Array(ClientObject), ...authErrors },
      },
    },
    async (request) => {
      const domainId = listDomainId(request.query, 'id');
      await authorize(db, principalOf(request), 'clients:read', domainId);
      return listDomainClients(db, domainId);
    },
  );

  app.post(
    '/api/v1/client',
    {
      schema: {
        tags: ['clients'],
        summary:
          'Create a client or access key (the secret is shown once); with an id: update the description',
        body: Type.Object({
          id: Type.Optional(Type.String()),
          domain_id: Type.Optional(Type.String()),
          type: Type.Optional(Type.String()),
          description: Type.Optional(Type.String()),
          scope_hit: Scope,
          scope_event: Scope,
          scope_session: Scope,
          scope_statistics: Scope,
          scope_domains: Scope,
        }),
        response: { 200: ClientObject, ...authErrors },
      },
    },
    async (request) => {
      const body = request.body;
      if (body.id !== undefined && body.id.trim() !== '') {
        return updateDescription(db, request, body.id.trim(), body.description);
      }
      const principal = principalOf(request);
      const domainId = requireId(body.domain_id, 'domain_id');
      await authorize(db, principal, 'clients:write', domainId);
      const { client, secret } = await createClient(db, {
        userId: actingUserId(principal),
        domainId,
        type: checkClientType(body.type),
        description: body.description,
        scopes: {
          hit: body.scope_hit,
          event: body.scope_event,
          session: body.scope_session,
          statistics: body.scope_statistics,
          domains: body.scope_domains,
        },
      });
      return { ...toClientJson(client), client_secret: secret };
    },
  );

  app.put(
    '/api/v1/client',
    {
      schema: {
        tags: ['clients'],
        summary: "Change a client's description",
        body: Type.Object({ id: Type.String(), description: Type.Optional(Type.String()) }),
        response: { 200: ClientObject, ...authErrors },
      },
    },
    async (request) =>
      updateDescription(db, request, requireId(request.body.id, 'id'), request.body.description),
  );

  app.delete(
    '/api/v1/client',
    {
      schema: {
        tags: ['clients'],
        summary: 'Delete a client; its tokens and access key stop working at once',
        querystring: IdQuery,
        response: { 200: EmptyBody, ...authErrors },
      },
    },
    async (request, reply) => {
      const id = requireId(request.query.id, 'id');
      await authorizeObject(
        db,
        principalOf(request),
        'clients:write',
        await findDomainClient(db, id),
        'client',
      );
      await deleteClient(db, id);
      return emptyReply(reply);
    },
  );
}
