/** Domain routes (API.md A.2.3, A.3). */
import { Type } from 'typebox';
import type { App, AppDeps } from '../server/app.ts';
import { principalOf } from '../server/auth.ts';
import { authorizeAccount } from '../manage/authorize.ts';
import { listDomainsFor } from '../manage/domains.ts';
import { DomainObject, authErrors } from './schemas.ts';

/** Register the domain routes. */
export async function registerDomainRoutes(app: App, { meta }: AppDeps): Promise<void> {
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
      return listDomainsFor(meta.db, principal);
    },
  );
}
