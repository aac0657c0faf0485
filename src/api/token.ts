/** `POST /api/v1/token`: exchange client credentials for an access token (API.md §2.3). */
import { Type } from 'typebox';
import type { App, AppDeps } from '../server/app.ts';
import { issueToken } from '../manage/credentials.ts';
import { ErrorEnvelope } from './schemas.ts';

/** Register the token route (rate limited per client address). */
export async function registerTokenRoutes(app: App, { meta, config }: AppDeps): Promise<void> {
  app.post(
    '/api/v1/token',
    {
      config: {
        auth: 'none',
        rateLimit: { max: config.tokenRateLimit, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        summary: 'Get an access token for a client id and secret',
        security: [],
        body: Type.Object({
          client_id: Type.String({ maxLength: 256 }),
          client_secret: Type.String({ maxLength: 256 }),
        }),
        response: {
          200: Type.Object({
            access_token: Type.String(),
            expires_at: Type.String({ format: 'date-time' }),
          }),
          400: ErrorEnvelope,
          401: ErrorEnvelope,
          429: ErrorEnvelope,
        },
      },
    },
    async (request) => issueToken(meta.db, request.body, config.tokenTtlSeconds),
  );
}
