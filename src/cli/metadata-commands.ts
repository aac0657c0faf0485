/** CLI commands that touch only the metadata store (safe while a server runs). */
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { authorize } from '../manage/authorize.ts';
import { ALL_SCOPES, createClient } from '../manage/clients.ts';
import { createDomain, toDomainJson } from '../manage/domains.ts';
import type { Principal, Scopes } from '../manage/principal.ts';
import { createUser, findUserByEmail } from '../manage/users.ts';
import { openMetaStore } from '../store/meta/db.ts';
import { migrateMetaStore } from '../store/meta/migrate.ts';
import type { MetaDatabase, User } from '../store/meta/schema.ts';
import type { CommandResult } from './main.ts';

async function withMeta<T>(
  config: Config,
  fn: (db: Kysely<MetaDatabase>) => Promise<T>,
): Promise<T> {
  const meta = await openMetaStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateMetaStore(meta);
    return await fn(meta.db);
  } finally {
    await meta.close();
  }
}

async function requireUser(db: Kysely<MetaDatabase>, email: string): Promise<User> {
  const user = await findUserByEmail(db, email);
  if (!user) throw new NotFoundError(`user ${email}`);
  return user;
}

/** `spoor user create`. */
export function userCreate(
  config: Config,
  flags: { email: string; password: string; name?: string },
): Promise<CommandResult> {
  return withMeta(config, async (db) => {
    const user = await createUser(db, {
      email: flags.email,
      password: flags.password,
      fullName: flags.name,
    });
    return {
      json: { id: user.id, email: user.email, full_name: user.full_name, def_time: user.def_time },
      text: `created user ${user.email} (id ${user.id})`,
    };
  });
}

/** `spoor domain create`: the domain JSON as the API returns it. */
export function domainCreate(
  config: Config,
  flags: { email: string; hostname: string; subdomain?: string; timezone?: string },
): Promise<CommandResult> {
  return withMeta(config, async (db) => {
    const user = await requireUser(db, flags.email);
    const domain = await createDomain(db, {
      userId: user.id,
      hostname: flags.hostname,
      subdomain: flags.subdomain,
      timezone: flags.timezone,
    });
    return {
      json: toDomainJson(domain, 'Owner'),
      text:
        `created domain ${domain.hostname} (id ${domain.id}, subdomain ${domain.subdomain}, ` +
        `identification code ${domain.identification_code})`,
    };
  });
}

const SCOPE_NAMES = Object.keys(ALL_SCOPES) as (keyof Scopes)[];

/** Parse `hit,event,statistics,domains:r` into scope values; bare names get their full value. */
export function parseScopes(list: string | undefined): Scopes {
  if (list === undefined) return { ...ALL_SCOPES };
  const scopes: Scopes = { hit: '', event: '', session: '', statistics: '', domains: '' };
  for (const item of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, level] = item.split(':') as [string, string | undefined];
    if (!SCOPE_NAMES.includes(name as keyof Scopes)) {
      throw new ValidationError({
        scopes: `unknown scope "${name}" (use ${SCOPE_NAMES.join(', ')})`,
      });
    }
    scopes[name as keyof Scopes] = level ?? ALL_SCOPES[name as keyof Scopes];
  }
  return scopes;
}

/** `spoor client create`: `{"id","client_id","client_secret"}` or `{"id","access_key"}`. */
export function clientCreate(
  config: Config,
  flags: {
    email: string;
    domainId?: string;
    accessKey?: boolean;
    scopes?: string;
    description?: string;
  },
): Promise<CommandResult> {
  return withMeta(config, async (db) => {
    const user = await requireUser(db, flags.email);
    const domainId = flags.domainId ?? null;
    if (domainId !== null) {
      // The user acts through a user client of their own, so the API's rule applies unchanged.
      const asUser: Principal = {
        kind: 'client',
        clientRecordId: '',
        type: 'oauth',
        userId: user.id,
        domainId: null,
        scopes: ALL_SCOPES,
      };
      await authorize(db, asUser, 'clients:write', domainId);
    }
    const { client, secret } = await createClient(db, {
      userId: user.id,
      domainId,
      type: flags.accessKey ? 'token' : 'oauth',
      description: flags.description,
      scopes: parseScopes(flags.scopes),
    });
    if (client.type === 'token') {
      return {
        json: { id: client.id, access_key: secret },
        text: `created access key (id ${client.id}): ${secret}`,
      };
    }
    return {
      json: { id: client.id, client_id: client.client_id, client_secret: secret },
      text:
        `created ${domainId === null ? 'user' : 'domain'} client (id ${client.id})\n` +
        `client_id:     ${client.client_id}\nclient_secret: ${secret}`,
    };
  });
}
