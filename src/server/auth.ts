/**
 * Authentication: each route declares in its config which credentials it accepts; this hook
 * resolves them to `request.principal` before the handler runs, or answers 401.
 * Authorization (scopes, roles, domain access) is the handler's call to `manage/authorize.ts`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { UnauthorizedError } from '../errors.ts';
import { authenticateAccessCode, authenticateBearer } from '../manage/credentials.ts';
import type { Principal } from '../manage/principal.ts';
import type { MetaDatabase } from '../store/meta/schema.ts';

/** `client`: bearer token or access key; `client-or-link`: also `?access=<code>`; `none`: public. */
export type AuthMode = 'client' | 'client-or-link' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The principal of an authenticated route (set by the auth hook). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthorizedError();
  return request.principal;
}

/** Install the authentication hook; routes under `/api/v1/` default to `client`. */
export function installAuth(app: FastifyInstance, db: Kysely<MetaDatabase>): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const mode: AuthMode =
      request.routeOptions.config.auth ??
      (request.routeOptions.url?.startsWith('/api/v1/') ? 'client' : 'none');
    if (mode === 'none' || request.method === 'OPTIONS') return;

    const header = request.headers.authorization;
    if (header !== undefined && header.trim() !== '') {
      const match = /^Bearer\s+(\S*)\s*$/i.exec(header);
      const principal = match ? await authenticateBearer(db, match[1] ?? '') : undefined;
      if (!principal) throw new UnauthorizedError('the access token is invalid or expired');
      request.principal = principal;
      return;
    }
    if (mode === 'client-or-link') {
      const code = (request.query as Record<string, unknown> | undefined)?.access;
      if (typeof code === 'string' && code !== '') {
        const principal = await authenticateAccessCode(db, code);
        if (!principal) throw new UnauthorizedError('the access code is invalid or expired');
        request.principal = principal;
        return;
      }
    }
    throw new UnauthorizedError();
  });
}
