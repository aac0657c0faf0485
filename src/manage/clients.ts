/** API clients: oauth clients (id + secret) and write-only access keys (`pa_…`). */
import type { Kysely } from 'kysely';
import { ValidationError } from '../errors.ts';
import type { Client, ClientType, MetaDatabase } from '../store/meta/schema.ts';
import { nowIso } from '../store/meta/time.ts';
import type { Scopes } from './principal.ts';
import {
  hashSecret,
  newAccessKey,
  newClientId,
  newClientSecret,
  newEntityId,
  sha256Hex,
} from './secrets.ts';

/** Allowed values per scope field (API.md §2.4). */
export const SCOPE_VALUES: Record<keyof Scopes, readonly string[]> = {
  hit: ['w', ''],
  event: ['w', ''],
  session: ['w', ''],
  statistics: ['r', ''],
  domains: ['r', 'w', ''],
};

/** Every scope a client can have: what a user client gets when none are named. */
export const ALL_SCOPES: Scopes = {
  hit: 'w',
  event: 'w',
  session: 'w',
  statistics: 'r',
  domains: 'w',
};

/** The client object of API.md A.7 (without the secret). */
export interface ClientJson {
  id: string;
  def_time: string;
  mod_time: string;
  domain_id: string | null;
  type: ClientType;
  client_id: string;
  description: string;
  scope_hit: string;
  scope_event: string;
  scope_session: string;
  scope_statistics: string;
  scope_domains: string;
}

/** Render a stored client as the API's client object. */
export function toClientJson(client: Client): ClientJson {
  return {
    id: client.id,
    def_time: client.def_time,
    mod_time: client.mod_time,
    domain_id: client.domain_id,
    type: client.type,
    client_id: client.client_id ?? '',
    description: client.description,
    scope_hit: client.scope_hit,
    scope_event: client.scope_event,
    scope_session: client.scope_session,
    scope_statistics: client.scope_statistics,
    scope_domains: client.scope_domains,
  };
}

/** Read the scope fields of a stored client. */
export function scopesOf(client: Client): Scopes {
  return {
    hit: client.scope_hit,
    event: client.scope_event,
    session: client.scope_session,
    statistics: client.scope_statistics,
    domains: client.scope_domains,
  };
}

export interface NewClientInput {
  userId: string;
  /** Null creates a user client (all the user's domains). */
  domainId: string | null;
  type: ClientType;
  description?: string;
  scopes: Partial<Record<keyof Scopes, string>>;
}

export interface CreatedClient {
  client: Client;
  /** The oauth secret or the `pa_` access key: returned once, stored only as a hash. */
  secret: string;
}

/**
 * Create a client. Scope values are validated (`scope_<name>` keys in the 400 map); an access
 * key keeps only the three write scopes and must belong to a domain.
 */
export async function createClient(
  db: Kysely<MetaDatabase>,
  input: NewClientInput,
): Promise<CreatedClient> {
  const validation: Record<string, string> = {};
  const scopes = { ...ALL_SCOPES };
  for (const name of Object.keys(SCOPE_VALUES) as (keyof Scopes)[]) {
    const value = input.scopes[name] ?? '';
    if (!SCOPE_VALUES[name].includes(value)) {
      validation[`scope_${name}`] =
        `must be ${SCOPE_VALUES[name].map((v) => (v === '' ? '""' : `"${v}"`)).join(' or ')}`;
    }
    scopes[name] = value;
  }
  if (input.type === 'token') {
    scopes.statistics = '';
    scopes.domains = '';
    if (input.domainId === null) validation.domain_id = 'an access key belongs to one domain';
  }
  const description = (input.description ?? '').trim();
  if (description.length > 255) validation.description = 'at most 255 characters';
  if (Object.keys(validation).length > 0) throw new ValidationError(validation);

  const now = nowIso();
  const secret = input.type === 'token' ? newAccessKey() : newClientSecret();
  const client: Client = {
    id: newEntityId(),
    user_id: input.userId,
    domain_id: input.domainId,
    type: input.type,
    client_id: input.type === 'oauth' ? newClientId() : null,
    secret_hash: input.type === 'oauth' ? await hashSecret(secret) : null,
    key_hash: input.type === 'token' ? sha256Hex(secret) : null,
    description,
    scope_hit: scopes.hit,
    scope_event: scopes.event,
    scope_session: scopes.session,
    scope_statistics: scopes.statistics,
    scope_domains: scopes.domains,
    def_time: now,
    mod_time: now,
  };
  await db.insertInto('client').values(client).execute();
  return { client, secret };
}
