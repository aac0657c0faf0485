/**
 * Authentication: each route declares in its config which credentials it accepts; this hook
 * resolves them to `request.principal` before the handler runs, or answers 401.
 * Authorization (scopes, roles, domain access) is the handler's call to `manage/authorize.ts`.
 *
 * Credentials, first match wins: `Authorization: Bearer …`; `?access=<code>` (client-or-link
 * routes); the dashboard's `spoor_session` cookie (unsafe methods also need `X-CSRF-Token`);
 * nothing at all on a client-or-link route addressing a public domain (`?id=`).
 *
 * Routes marked `cachedCredentials` (ingestion) resolve bearer credentials through the
 * short-lived `CredentialCache`; every other route asks the metadata store each time.
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import { CredentialCache } from '../manage/credential-cache.ts';
import { authenticateAccessCode, authenticateBearer } from '../manage/credentials.ts';
import {
  authenticatePublicDomain,
  authenticateSession,
  csrfMatches,
  SESSION_TTL_MS,
  type ActiveSession,
} from '../manage/dashboard-sessions.ts';
import type { Principal } from '../manage/principal.ts';
import type { MetaDatabase } from '../store/meta/schema.ts';

/** `client`: bearer token or access key; `client-or-link`: also `?access=<code>`; `none`: public. */
export type AuthMode = 'client' | 'client-or-link' | 'none';

/** The dashboard's session cookie. */
export const SESSION_COOKIE = 'spoor_session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
    /** Bearer credentials may come from the short-lived cache (ingestion: DESIGN.md §2). */
    cachedCredentials?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** Set when the session cookie authenticated the request. */
    dashboardSession: ActiveSession | null;
  }
}

/** The principal of an authenticated route (set by the auth hook). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthorizedError();
  return request.principal;
}

/** Install the cookie parser and the authentication hook; `/api/v1/` routes default to `client`. */
export async function installAuth(
  app: FastifyInstance,
  db: Kysely<MetaDatabase>,
  config: Config,
): Promise<void> {
  // Registered before the hook is added, so cookies are parsed by the time it runs.
  await app.register(cookie);
  app.decorateRequest('principal', null);
  app.decorateRequest('dashboardSession', null);
  const credentials = new CredentialCache(db);
  app.addHook('onClose', async () => credentials.close());
  app.addHook('onRequest', async (request, reply) => {
    const mode: AuthMode =
      request.routeOptions.config.auth ??
      (request.routeOptions.url?.startsWith('/api/v1/') ? 'client' : 'none');
    if (mode === 'none' || request.method === 'OPTIONS') return;

    const header = request.headers.authorization;
    if (header !== undefined && header.trim() !== '') {
      const match = /^Bearer\s+(\S*)\s*$/i.exec(header);
      // No match leaves '' (malformed header), which no credential has.
      const bearer = match?.[1] ?? '';
      const principal =
        request.routeOptions.config.cachedCredentials === true
          ? await credentials.authenticate(bearer)
          : await authenticateBearer(db, bearer);
      if (!principal) throw new UnauthorizedError('the access token is invalid or expired');
      request.principal = principal;
      return;
    }
    const query = request.query as Record<string, unknown> | undefined;
    if (mode === 'client-or-link') {
      // Before the cookie: a signed-in user opening an access link sees what the link shows.
      const code = query?.access;
      if (typeof code === 'string' && code !== '') {
        const principal = await authenticateAccessCode(db, code);
        if (!principal) throw new UnauthorizedError('the access code is invalid or expired');
        request.principal = principal;
        return;
      }
    }
    const session = await sessionOfRequest(db, config, request, reply);
    if (session) {
      if (
        !SAFE_METHODS.has(request.method) &&
        !csrfMatches(session, request.headers['x-csrf-token'])
      ) {
        throw new ForbiddenError('the X-CSRF-Token header is missing or wrong');
      }
      request.principal = session.principal;
      request.dashboardSession = session;
      return;
    }
    if (mode === 'client-or-link') {
      // The statistics routes read the domain from `id` (or `domain_id`) the same way.
      const raw = query?.id ?? query?.domain_id;
      const id = Array.isArray(raw) ? raw[0] : raw;
      const principal =
        typeof id === 'string' ? await authenticatePublicDomain(db, id.trim()) : undefined;
      if (principal) {
        request.principal = principal;
        return;
      }
    }
    throw new UnauthorizedError();
  });
}

/**
 * The valid session behind the request's cookie, or undefined (an unknown or expired cookie
 * counts as none). Renews the cookie when the session's expiry slid forward.
 */
export async function sessionOfRequest(
  db: Kysely<MetaDatabase>,
  config: Config,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<ActiveSession | undefined> {
  const token = request.cookies[SESSION_COOKIE];
  if (token === undefined || token === '') return undefined;
  const session = await authenticateSession(db, token);
  if (session?.refreshed) setSessionCookie(reply, config, token);
  return session;
}

/** Set (or renew) the session cookie for the session's full lifetime. */
export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    ...cookieAttributes(config),
    maxAge: SESSION_TTL_MS / 1000,
  });
}

/** Tell the browser to drop the session cookie. */
export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(SESSION_COOKIE, cookieAttributes(config));
}

function cookieAttributes(config: Config) {
  return {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: new URL(config.baseUrl).protocol === 'https:',
  } as const;
}
