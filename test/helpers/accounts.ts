/** Users, domains and credentials created through the same services the API and CLI use. */
import type { Kysely } from 'kysely';
import { ALL_SCOPES, createClient } from '../../src/manage/clients.ts';
import { createDomain } from '../../src/manage/domains.ts';
import type { Scopes } from '../../src/manage/principal.ts';
import { newEntityId } from '../../src/manage/secrets.ts';
import { createUser } from '../../src/manage/users.ts';
import type { Domain, MemberRole, MetaDatabase, User } from '../../src/store/meta/schema.ts';
import { nowIso } from '../../src/store/meta/time.ts';
import type { App } from '../../src/server/app.ts';

let counter = 0;

/** A user with a unique e-mail address. */
export function makeUser(db: Kysely<MetaDatabase>, name = 'user'): Promise<User> {
  counter += 1;
  return createUser(db, {
    email: `${name}${counter}@example.com`,
    password: 'correct horse battery',
  });
}

/** A domain owned by `user`. */
export function makeDomain(
  db: Kysely<MetaDatabase>,
  user: User,
  hostname?: string,
): Promise<Domain> {
  counter += 1;
  return createDomain(db, { userId: user.id, hostname: hostname ?? `site${counter}.example.com` });
}

/** Make `user` a member of `domain` with `role`. */
export async function addMember(
  db: Kysely<MetaDatabase>,
  domain: Domain,
  user: User,
  role: MemberRole,
): Promise<void> {
  const now = nowIso();
  await db
    .insertInto('member')
    .values({
      id: newEntityId(),
      domain_id: domain.id,
      user_id: user.id,
      role,
      def_time: now,
      mod_time: now,
    })
    .execute();
}

export interface OauthClient {
  id: string;
  clientId: string;
  secret: string;
}

/** An oauth client of `user` (a domain client when `domain` is given). */
export async function makeOauthClient(
  db: Kysely<MetaDatabase>,
  user: User,
  domain: Domain | null,
  scopes: Partial<Scopes> = ALL_SCOPES,
): Promise<OauthClient> {
  const { client, secret } = await createClient(db, {
    userId: user.id,
    domainId: domain?.id ?? null,
    type: 'oauth',
    scopes,
  });
  return { id: client.id, clientId: client.client_id!, secret };
}

/** A `pa_` access key for `domain`. */
export async function makeAccessKey(
  db: Kysely<MetaDatabase>,
  user: User,
  domain: Domain,
): Promise<string> {
  const { secret } = await createClient(db, {
    userId: user.id,
    domainId: domain.id,
    type: 'token',
    scopes: { hit: 'w', event: 'w', session: 'w' },
  });
  return secret;
}

/** Get an access token through `POST /api/v1/token`. */
export async function tokenFor(app: App, client: OauthClient): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/token',
    payload: { client_id: client.clientId, client_secret: client.secret },
  });
  if (response.statusCode !== 200)
    throw new Error(`token: ${response.statusCode} ${response.body}`);
  return (response.json() as { access_token: string }).access_token;
}
