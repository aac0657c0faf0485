/** Domain routes (API.md A.2.3, A.3). */
import { Type } from 'typebox';
import type { App, AppDeps } from '../server/app.ts';
import { principalOf } from '../server/auth.ts';
import { authorize, authorizeAccount } from '../manage/authorize.ts';
import {
  createDomain,
  deleteDomain,
  listDomainsFor,
  resetIdentificationCode,
  setSubdomain,
  setTimezone,
  toDomainJson,
  toggleDomainFlag,
} from '../manage/domains.ts';
import { IdQuery, actingUserId, emptyReply, requireId } from './params.ts';
import { DomainObject, EmptyBody, authErrors, writeErrors } from './schemas.ts';

const DomainIdBody = Type.Object({ domain_id: Type.String() });

/** Register the domain routes. */
export async function registerDomainRoutes(app: App, { meta, events }: AppDeps): Promise<void> {
  const db = meta.db;

  app.get(
    '/api/v1/domain',
    {
      // An access link may read its own domain (B.6.2 `access`), which the dashboard needs.
      config: { auth: 'client-or-link' },
      schema: {
        tags: ['domains'],
        summary: 'List the domains the client can see',
        response: { 200: Type.Array(DomainObject), ...authErrors },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      authorizeAccount(principal, 'domain:list');
      return listDomainsFor(db, principal);
    },
  );

  app.post(
    '/api/v1/domain',
    {
      schema: {
        tags: ['domains'],
        summary: 'Create a domain owned by the user of the (user) client',
        body: Type.Object({
          hostname: Type.String(),
          subdomain: Type.String(),
          timezone: Type.Optional(Type.Union([Type.String(), Type.Null()])),
        }),
        response: { 200: DomainObject, ...writeErrors },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      authorizeAccount(principal, 'domain:create');
      const { hostname, subdomain, timezone } = request.body;
      const domain = await createDomain(db, {
        userId: actingUserId(principal),
        hostname,
        subdomain,
        timezone,
      });
      return toDomainJson(domain, 'Owner');
    },
  );

  app.delete(
    '/api/v1/domain',
    {
      schema: {
        tags: ['domains'],
        summary: 'Delete a domain with all its statistics and settings (owner only)',
        querystring: IdQuery,
        response: { 200: EmptyBody, ...authErrors },
      },
    },
    async (request, reply) => {
      const id = requireId(request.query.id, 'id');
      await authorize(db, principalOf(request), 'domain:delete', id);
      await deleteDomain(db, events, id);
      return emptyReply(reply);
    },
  );

  app.put(
    '/api/v1/domain',
    {
      schema: {
        tags: ['domains'],
        summary: 'Reset the identification code; the old one stops working at once',
        body: Type.Object({ id: Type.String() }),
        response: {
          200: Type.Object({ identification_code: Type.String() }),
          ...authErrors,
        },
      },
    },
    async (request) => {
      const id = requireId(request.body.id, 'id');
      await authorize(db, principalOf(request), 'domains:write', id);
      return { identification_code: await resetIdentificationCode(db, id) };
    },
  );

  app.post(
    '/api/v1/domain/subdomain',
    {
      schema: {
        tags: ['domains'],
        summary: 'Change the dashboard subdomain',
        // `subdomain` is checked by the service, so a body without it (the 2022 document's
        // mislabelled toggle) answers 400 validation.subdomain after the access check.
        body: Type.Object({ domain_id: Type.String(), subdomain: Type.Optional(Type.String()) }),
        response: { 200: EmptyBody, ...writeErrors },
      },
    },
    async (request, reply) => {
      const domainId = requireId(request.body.domain_id, 'domain_id');
      await authorize(db, principalOf(request), 'domains:write', domainId);
      await setSubdomain(db, domainId, request.body.subdomain);
      return emptyReply(reply);
    },
  );

  for (const [path, flag, summary] of [
    ['/api/v1/domain/public', 'public', 'Toggle the public dashboard'],
    ['/api/v1/domain/title', 'group_by_title', 'Toggle grouping pages by title'],
  ] as const) {
    app.post(
      path,
      {
        schema: {
          tags: ['domains'],
          summary,
          body: DomainIdBody,
          response: { 200: EmptyBody, ...authErrors },
        },
      },
      async (request, reply) => {
        const domainId = requireId(request.body.domain_id, 'domain_id');
        await authorize(db, principalOf(request), 'domains:write', domainId);
        await toggleDomainFlag(db, domainId, flag);
        return emptyReply(reply);
      },
    );
  }

  app.post(
    '/api/v1/domain/timezone',
    {
      schema: {
        tags: ['domains'],
        summary: 'Change the time zone (empty or null = UTC)',
        body: Type.Object({
          domain_id: Type.String(),
          timezone: Type.Union([Type.String(), Type.Null()]),
        }),
        response: { 200: EmptyBody, ...authErrors },
      },
    },
    async (request, reply) => {
      const domainId = requireId(request.body.domain_id, 'domain_id');
      await authorize(db, principalOf(request), 'domains:write', domainId);
      await setTimezone(db, domainId, request.body.timezone);
      return emptyReply(reply);
    },
  );
}
