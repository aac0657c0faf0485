/**
 * `GET /api/v1/statistics/*` (API.md A.2, B.5): every statistic of `src/stats/index.ts` behind
 * the same door — bearer token or access link, `authorize(…, 'statistics', id)`, one filter
 * parser — so a new statistic only needs its module.
 */
import type { FastifyRequest } from 'fastify';
import { ValidationError } from '../errors.ts';
import { authorize } from '../manage/authorize.ts';
import { parseFilter, type RawQuery } from '../stats/filter.ts';
import { statistics } from '../stats/index.ts';
import type { App, AppDeps } from '../server/app.ts';
import { principalOf } from '../server/auth.ts';
import { authErrors } from './schemas.ts';

/** Register one GET route per statistic. */
export async function registerStatisticsRoutes(app: App, { meta, events }: AppDeps): Promise<void> {
  for (const statistic of statistics) {
    app.get(
      `/api/v1/${statistic.path}`,
      {
        config: { auth: 'client-or-link' },
        schema: {
          tags: ['statistics'],
          summary: statistic.summary,
          response: { ...(statistic.response ? { 200: statistic.response } : {}), ...authErrors },
        },
      },
      async (request: FastifyRequest) => {
        const query = request.query as RawQuery;
        const raw = query.id ?? query.domain_id;
        const id = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? '';
        if (id === '') throw new ValidationError({ id: 'the domain id is required' });
        const { domain } = await authorize(meta.db, principalOf(request), 'statistics', id);
        const nowMs = Date.now();
        const filter = parseFilter(query, {
          timezone: domain.timezone,
          nowMs,
          requirePeriod: statistic.requirePeriod ?? true,
          sortFields: statistic.sortFields ?? [],
        });
        return statistic.compute({ filter, domain, events, meta: meta.db, nowMs });
      },
    );
  }
}
