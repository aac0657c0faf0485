/**
 * The dashboard's own endpoints (not part of the Pirsch API): first-run setup, sign-in with the
 * `spoor_session` cookie, the signed-in user, password changes, and which domain a public or
 * access-link dashboard shows. Once signed in, the cookie is a credential for every `/api/v1/*`
 * route (see `server/auth.ts`).
 */
import { Type } from 'typebox';
import { UnauthorizedError, ForbiddenError } from '../errors.ts';
import { authenticateAccessCode } from '../manage/credentials.ts';
import {
  changePassword,
  dashboardSite,
  endSession,
  needsSetup,
  setupFirstUser,
  signIn,
  type DashboardUserJson,
  type SignedIn,
} from '../manage/dashboard-sessions.ts';
import type { App, AppDeps } from '../server/app.ts';
import {
  clearSessionCookie,
  SESSION_COOKIE,
  sessionOfRequest,
  setSessionCookie,
} from '../server/auth.ts';
import { DomainObject, EmptyBody, ErrorEnvelope, authErrors, sendEmpty } from './schemas.ts';

const UserObject = Type.Object({
  id: Type.String(),
  email: Type.String(),
  full_name: Type.String(),
});

/** What sign-in, setup and `me` answer: the user and the CSRF token of the session. */
const SessionObject = Type.Object({ user: UserObject, csrf_token: Type.String() });

// Bounds keep absurd input away from argon2; the services apply the real rules.
const Email = Type.String({ maxLength: 320 });
const Password = Type.String({ maxLength: 1024 });

const signInErrors = { 400: ErrorEnvelope, 401: ErrorEnvelope, 429: ErrorEnvelope } as const;

function sessionJson(user: DashboardUserJson, csrfToken: string) {
  return { user, csrf_token: csrfToken };
}

/** Register the dashboard sign-in and site routes. */
export async function registerDashboardAuthRoutes(
  app: App,
  { meta, config }: AppDeps,
): Promise<void> {
  const db = meta.db;
  // Each guesses a password (or hashes one), so each is limited like `POST /api/v1/token`.
  const rateLimit = { max: config.tokenRateLimit, timeWindow: '1 minute' };
  const signedIn = (reply: Parameters<typeof setSessionCookie>[0], session: SignedIn) => {
    setSessionCookie(reply, config, session.token);
    return sessionJson(session.user, session.csrfToken);
  };

  app.get(
    '/api/v1/dashboard/setup',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['dashboard'],
        summary: 'Whether the first-run setup is open (no user exists yet)',
        security: [],
        response: { 200: Type.Object({ needs_setup: Type.Boolean() }) },
      },
    },
    async () => ({ needs_setup: await needsSetup(db) }),
  );

  app.post(
    '/api/v1/dashboard/setup',
    {
      config: { auth: 'none', rateLimit },
      schema: {
        tags: ['dashboard'],
        summary: 'Create the first user and sign in (only while no user exists)',
        security: [],
        body: Type.Object({
          email: Email,
          password: Password,
          full_name: Type.Optional(Type.String({ maxLength: 255 })),
        }),
        response: { 200: SessionObject, ...signInErrors, 409: ErrorEnvelope },
      },
    },
    async (request, reply) => {
      const { email, password, full_name } = request.body;
      return signedIn(reply, await setupFirstUser(db, { email, password, fullName: full_name }));
    },
  );

  app.post(
    '/api/v1/dashboard/login',
    {
      config: { auth: 'none', rateLimit },
      schema: {
        tags: ['dashboard'],
        summary: 'Sign in with e-mail and password; sets the session cookie',
        security: [],
        body: Type.Object({ email: Email, password: Password }),
        response: { 200: SessionObject, ...signInErrors },
      },
    },
    async (request, reply) => {
      const session = await signIn(db, request.body);
      // A session the browser still had is replaced, not left behind.
      await endSession(db, request.cookies[SESSION_COOKIE] ?? '');
      return signedIn(reply, session);
    },
  );

  app.post(
    '/api/v1/dashboard/logout',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['dashboard'],
        summary: 'Sign out: end the session and clear the cookie',
        security: [],
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await endSession(db, request.cookies[SESSION_COOKIE] ?? '');
      clearSessionCookie(reply, config);
      return sendEmpty(reply);
    },
  );

  app.get(
    '/api/v1/dashboard/me',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['dashboard'],
        summary: 'The signed-in user and the CSRF token of the session',
        security: [],
        response: { 200: SessionObject, 401: ErrorEnvelope },
      },
    },
    async (request, reply) => {
      const session = await sessionOfRequest(db, config, request, reply);
      if (!session) throw new UnauthorizedError('not signed in');
      return sessionJson(session.user, session.csrfToken);
    },
  );

  app.put(
    '/api/v1/dashboard/password',
    {
      config: { rateLimit },
      schema: {
        tags: ['dashboard'],
        summary: "Change the signed-in user's password; their other sessions end",
        body: Type.Object({ current_password: Password, new_password: Password }),
        response: { 200: EmptyBody, ...authErrors, 429: ErrorEnvelope },
      },
    },
    async (request, reply) => {
      const session = request.dashboardSession;
      if (!session) throw new ForbiddenError('only a signed-in dashboard user can do this');
      await changePassword(
        db,
        session.user.id,
        { current: request.body.current_password, next: request.body.new_password },
        session.tokenHash,
      );
      return sendEmpty(reply);
    },
  );

  app.get(
    '/api/v1/dashboard/site',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['dashboard'],
        summary: 'The domain a public dashboard (by subdomain) or an access link shows',
        security: [],
        querystring: Type.Object({
          subdomain: Type.Optional(Type.String()),
          access: Type.Optional(Type.String()),
        }),
        response: { 200: Type.Object({ domain: DomainObject }), ...authErrors },
      },
    },
    async (request, reply) => {
      const { subdomain, access } = request.query;
      let principal;
      if (access !== undefined && access !== '') {
        principal = await authenticateAccessCode(db, access);
        if (!principal) throw new UnauthorizedError('the access code is invalid or expired');
      } else {
        principal = (await sessionOfRequest(db, config, request, reply))?.principal;
      }
      return { domain: await dashboardSite(db, principal, subdomain) };
    },
  );
}
