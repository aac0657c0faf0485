/**
 * Conversion goals (API.md A.9): a wildcard path pattern, its RE2 `pattern` (decision 9) and
 * optional targets. Regular expressions are checked by the event store's own engine (RE2), the
 * one that evaluates them in statistics.
 */
import type { Kysely } from 'kysely';
import { NotFoundError, ValidationError } from '../errors.ts';
import {
  ClickHouseErrorCode,
  EventStoreError,
  type EventStore,
} from '../store/clickhouse/event-store.ts';
import type { Goal, MetaDatabase } from '../store/meta/schema.ts';
import { nowIso } from '../store/meta/time.ts';
import { goalPattern } from './goal-pattern.ts';
import { newEntityId } from './secrets.ts';

/** The conversion goal object (A.9). */
export interface GoalJson {
  id: string;
  def_time: string;
  mod_time: string;
  domain_id: string;
  name: string;
  path_pattern: string;
  pattern: string;
  visitor_goal: number | null;
  cr_goal: number | null;
  delete_reached: boolean;
  email_reached: boolean;
}

export function toGoalJson(goal: Goal): GoalJson {
  return {
    id: goal.id,
    def_time: goal.def_time,
    mod_time: goal.mod_time,
    domain_id: goal.domain_id,
    name: goal.name,
    path_pattern: goal.path_pattern,
    pattern: goal.pattern,
    visitor_goal: goal.visitor_goal,
    cr_goal: goal.cr_goal,
    delete_reached: goal.delete_reached === 1,
    email_reached: goal.email_reached === 1,
  };
}

/** The request body of create and update (note `visitors`/`cr` → `visitor_goal`/`cr_goal`). */
export interface GoalInput {
  name: string;
  path_pattern: string;
  /** Visitor target; 0, null or absent = none. */
  visitors?: number | null | undefined;
  /** Conversion-rate target in percent; 0, null or absent = none. */
  cr?: number | null | undefined;
  delete_reached?: boolean | undefined;
  email_reached?: boolean | undefined;
}

type GoalFields = Omit<Goal, 'id' | 'domain_id' | 'def_time' | 'mod_time'>;

/** Validate a goal body completely and derive the stored fields. */
function checkGoalInput(input: GoalInput): GoalFields {
  const validation: Record<string, string> = {};
  const name = input.name.trim();
  if (name === '') validation.name = 'a name is required';
  else if (name.length > 255) validation.name = 'the name must be at most 255 characters long';
  const pathPattern = input.path_pattern.trim();
  if (!pathPattern.startsWith('/')) validation.path_pattern = 'must start with /';
  else if (pathPattern.length > 2000) validation.path_pattern = 'at most 2000 characters';
  const visitors = input.visitors ?? 0;
  if (!Number.isSafeInteger(visitors) || visitors < 0) {
    validation.visitors = 'must be a whole number of visitors, 0 for no target';
  }
  const cr = input.cr ?? 0;
  if (!(cr >= 0 && cr <= 100))
    validation.cr = 'must be a percentage from 0 to 100, 0 for no target';
  if (Object.keys(validation).length > 0) throw new ValidationError(validation);
  return {
    name,
    path_pattern: pathPattern,
    pattern: goalPattern(pathPattern),
    visitor_goal: visitors === 0 ? null : visitors,
    cr_goal: cr === 0 ? null : cr,
    delete_reached: input.delete_reached ? 1 : 0,
    email_reached: input.email_reached ? 1 : 0,
  };
}

/** The domain's goals, ordered by name. */
export async function listGoals(db: Kysely<MetaDatabase>, domainId: string): Promise<GoalJson[]> {
  const rows = await db
    .selectFrom('goal')
    .selectAll()
    .where('domain_id', '=', domainId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map(toGoalJson);
}

export function findGoal(db: Kysely<MetaDatabase>, id: string): Promise<Goal | undefined> {
  return db.selectFrom('goal').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function createGoal(
  db: Kysely<MetaDatabase>,
  domainId: string,
  input: GoalInput,
): Promise<GoalJson> {
  const now = nowIso();
  const goal: Goal = {
    id: newEntityId(),
    domain_id: domainId,
    ...checkGoalInput(input),
    def_time: now,
    mod_time: now,
  };
  await db.insertInto('goal').values(goal).execute();
  return toGoalJson(goal);
}

/** Replace every field of a goal (A.9.3); it stays on its domain. */
export async function updateGoal(
  db: Kysely<MetaDatabase>,
  goal: Goal,
  input: GoalInput,
): Promise<GoalJson> {
  const fields = checkGoalInput(input);
  const updated: Goal = { ...goal, ...fields, mod_time: nowIso() };
  await db
    .updateTable('goal')
    .set({ ...fields, mod_time: updated.mod_time })
    .where('id', '=', goal.id)
    .execute();
  return toGoalJson(updated);
}

export async function deleteGoal(db: Kysely<MetaDatabase>, id: string): Promise<void> {
  const result = await db.deleteFrom('goal').where('id', '=', id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new NotFoundError('goal');
}

/**
 * Whether `sample` matches the RE2 expression `regex`, decided by the event store's engine.
 * An expression the engine cannot compile → 400 `validation.regex`. An empty sample never
 * matches (A.9.5), but the expression is still checked.
 */
export async function testRegex(
  events: EventStore,
  regex: string,
  sample: string | undefined,
): Promise<boolean> {
  if (regex === '') throw new ValidationError({ regex: 'a regular expression is required' });
  try {
    const [row] = await events.query<{ matched: number }>(
      'SELECT match({sample:String}, {regex:String}) AS matched',
      { sample: sample ?? '', regex },
    );
    return sample !== undefined && sample !== '' && row?.matched === 1;
  } catch (err) {
    if (err instanceof EventStoreError && err.code === ClickHouseErrorCode.CANNOT_COMPILE_REGEXP) {
      const reason = /error: (.*?)(?:\. Look at|$)/.exec(err.message)?.[1];
      throw new ValidationError({
        regex: reason ? `not a valid RE2 expression: ${reason}` : 'not a valid RE2 expression',
      });
    }
    throw err;
  }
}
