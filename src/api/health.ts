/** `GET /healthz`: 200 once the server accepts traffic and both stores answer. */
import { Type } from 'typebox';
import { sql } from 'kysely';
import type { App, AppDeps } from '../server/app.ts';

/** Register the health route. */
export async function registerHealthRoutes(app: App, { meta, events }: AppDeps): Promise<void> {
  app.get(
    '/healthz',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['operations'],
        summary: 'Liveness and store health',
        security: [],
        response: {
          200: Type.Object({ status: Type.Literal('ok') }),
          503: Type.Object({
            status: Type.Literal('unavailable'),
            failing: Type.Array(Type.String()),
          }),
        },
      },
    },
    async (_request, reply) => {
      const failing: string[] = [];
      await sql`select 1`.execute(meta.db).catch(() => failing.push('metadata'));
      await events.query('SELECT 1').catch(() => failing.push('events'));
      if (failing.length > 0) return reply.code(503).send({ status: 'unavailable', failing });
      return { status: 'ok' } as const;
    },
  );
}
