/** E-mail report routes (API.md A.8). */
import { Type } from 'typebox';
import type { App, AppDeps } from '../server/app.ts';
import { principalOf } from '../server/auth.ts';
import { authorize, authorizeObject } from '../manage/authorize.ts';
import {
  createReports,
  deleteReport,
  findReport,
  listReports,
  updateReportInterval,
} from '../manage/reports.ts';
import { DomainListQuery, IdQuery, emptyReply, listDomainId, requireId } from './params.ts';
import { EmptyBody, ReportObject, authErrors } from './schemas.ts';

/** Register the e-mail report routes. */
export async function registerReportRoutes(app: App, { meta }: AppDeps): Promise<void> {
  const db = meta.db;

  app.get(
    '/api/v1/report',
    {
      schema: {
        tags: ['reports'],
        summary: "List the domain's e-mail reports",
        querystring: DomainListQuery,
        response: { 200: Type.Array(ReportObject), ...authErrors },
      },
    },
    async (request) => {
      const domainId = listDomainId(request.query, 'id');
      await authorize(db, principalOf(request), 'domains:read', domainId);
      return listReports(db, domainId);
    },
  );

  app.post(
    '/api/v1/report',
    {
      schema: {
        tags: ['reports'],
        summary: 'Create one e-mail report per address',
        body: Type.Object({
          domain_id: Type.String(),
          emails: Type.Array(Type.String(), { maxItems: 100 }),
          interval: Type.Integer(),
        }),
        response: { 200: Type.Array(ReportObject), ...authErrors },
      },
    },
    async (request) => {
      const domainId = requireId(request.body.domain_id, 'domain_id');
      const { domain } = await authorize(db, principalOf(request), 'domains:write', domainId);
      return createReports(db, {
        domainId,
        timezone: domain.timezone,
        emails: request.body.emails,
        interval: request.body.interval,
      });
    },
  );

  app.put(
    '/api/v1/report',
    {
      schema: {
        tags: ['reports'],
        summary: "Change a report's interval",
        body: Type.Object({ id: Type.String(), interval: Type.Integer() }),
        response: { 200: ReportObject, ...authErrors },
      },
    },
    async (request) => {
      const id = requireId(request.body.id, 'id');
      const { domain, object } = await authorizeObject(
        db,
        principalOf(request),
        'domains:write',
        await findReport(db, id),
        'report',
      );
      return updateReportInterval(db, object, domain.timezone, request.body.interval);
    },
  );

  app.delete(
    '/api/v1/report',
    {
      schema: {
        tags: ['reports'],
        summary: 'Delete an e-mail report',
        querystring: IdQuery,
        response: { 200: EmptyBody, ...authErrors },
      },
    },
    async (request, reply) => {
      const id = requireId(request.query.id, 'id');
      await authorizeObject(
        db,
        principalOf(request),
        'domains:write',
        await findReport(db, id),
        'report',
      );
      await deleteReport(db, id);
      return emptyReply(reply);
    },
  );
}
