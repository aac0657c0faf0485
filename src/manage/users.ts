/** Dashboard user accounts. */
import type { Kysely } from 'kysely';
import { ConflictError, ValidationError } from '../errors.ts';
import { isUniqueViolation } from '../store/meta/errors.ts';
import type { MetaDatabase, User } from '../store/meta/schema.ts';
import { nowIso } from '../store/meta/time.ts';
import { hashSecret, newEntityId } from './secrets.ts';
import { checkEmail, checkPassword } from './validate.ts';

export interface NewUserInput {
  email: string;
  password: string;
  fullName?: string;
}

/** Create an account; 400 for a bad e-mail or password, 409 if the e-mail is taken. */
export async function createUser(db: Kysely<MetaDatabase>, input: NewUserInput): Promise<User> {
  const email = checkEmail(input.email);
  const password = checkPassword(input.password);
  const validation: Record<string, string> = {};
  if (!email.ok) validation.email = email.message;
  if (!password.ok) validation.password = password.message;
  if (!email.ok || !password.ok) throw new ValidationError(validation);
  const now = nowIso();
  const user: User = {
    id: newEntityId(),
    email: email.value,
    full_name: (input.fullName ?? '').trim(),
    password_hash: await hashSecret(password.value),
    def_time: now,
    mod_time: now,
  };
  try {
    await db.insertInto('user').values(user).execute();
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError('email', 'the e-mail address is already registered');
    throw err;
  }
  return user;
}

/** Find a user by e-mail (case-insensitive), or undefined. */
export async function findUserByEmail(
  db: Kysely<MetaDatabase>,
  email: string,
): Promise<User | undefined> {
  return db
    .selectFrom('user')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

/** The user with this id; throws if it is gone (callers hold a principal that names it). */
export function getUser(db: Kysely<MetaDatabase>, id: string): Promise<User> {
  return db.selectFrom('user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
