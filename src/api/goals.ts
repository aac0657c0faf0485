/** Conversion goal routes (API.md A.9). */
import { Type } from 'typebox';
import type { App, AppDeps } from '../server/app.ts';
import { principalOf } from '../server/auth.ts';
import { authorize, authorizeAccount, authorizeObject } from '../manage/authorize.ts';
import {
  createGoal,
  deleteGoal,
  findGoal,
  listGoals,
  testRegex,
  updateGoal,
} from '../manage/goals.ts';
import { DomainListQuery, IdQuery, emptyReply, listDomainId, requireId } from './params.ts';
import { EmptyBody, GoalObject, authErrors } from './schemas.ts';

/** The goal fields of create and update (request names: `visitors`, `cr`). */
const goalFields = {
  name: Type.String(),
  path_pattern: Type.String(),
  visitors: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  cr: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  delete_reached: Type.Optional(Type.Boolean()),
  email_reached: Type.Optional(Type.Boolean()),
};

/** Register the conversion goal routes. */
export async function registerGoalRoutes(app: App, { meta, events }: AppDeps): Promise<void> {
  const db = meta.db;

  app.get(
    '/api/v1/goal',
    {
      schema: {
        tags: ['goals'],
        summary: "List the domain's conversion goals",
        querystring: DomainListQuery,
        response: { 200: Type.Array(GoalObject), ...authErrors },
      },
    },
    async (request) => {
      const domainId = listDomainId(request.query, 'id');
      await authorize(db, principalOf(request), 'domains:read', domainId);
      return listGoals(db, domainId);
    },
  );

  app.post(
    '/api/v1/goal',
    {
      schema: {
        tags: ['goals'],
        summary: 'Create a conversion goal',
        body: Type.Object({ domain_id: Type.String(), ...goalFields }),
        response: { 200: GoalObject, ...authErrors },
      },
    },
    async (request) => {
      const domainId = requireId(request.body.domain_id, 'domain_id');
      await authorize(db, principalOf(request), 'domains:write', domainId);
      return createGoal(db, domainId, request.body);
    },
  );

  app.put(
    '/api/v1/goal',
    {
      schema: {
        tags: ['goals'],
        summary: 'Replace every field of a conversion goal',
        // `domain_id` is accepted (the documented body has it) but a goal never moves.
        body: Type.Object({
          id: Type.String(),
          domain_id: Type.Optional(Type.String()),
          ...goalFields,
        }),
        response: { 200: GoalObject, ...authErrors },
      },
    },
    async (request) => {
      const id = requireId(request.body.id, 'id');
      const { object } = await authorizeObject(
        db,
        principalOf(request),
        'domains:write',
        await findGoal(db, id),
        'goal',
      );
      return updateGoal(db, object, request.body);
    },
  );

  app.delete(
    '/api/v1/goal',
    {
      schema: {
        tags: ['goals'],
        summary: 'Delete a conversion goal',
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
        await findGoal(db, id),
        'goal',
      );
      await deleteGoal(db, id);
      return emptyReply(reply);
    },
  );

  app.post(
    '/api/v1/goal/regex',
    {
      schema: {
        tags: ['goals'],
        summary: 'Check an RE2 expression and whether a sample matches it',
        body: Type.Object({
          regex: Type.String({ maxLength: 2000 }),
          sample: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
        response: { 200: Type.Object({ match: Type.Boolean() }), ...authErrors },
      },
    },
    async (request) => {
      authorizeAccount(principalOf(request), 'regex:test');
      return { match: await testRegex(events, request.body.regex, request.body.sample) };
    },
  );
}
