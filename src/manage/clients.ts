/** API clients: oauth clients (id + secret) and write-only access keys (`pa_…`). */
import type { Kysely } from 'kysely';
import { NotFoundError, ValidationError } from '../errors.ts';
import { metaChanged } from '../store/meta/changes.ts';
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
import { checkDescription } from './validate.ts';

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
  const description = checkDescription(input.description ?? '');
  if (!description.ok) validation.description = description.message;
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
    description: description.ok ? description.value : '',
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

/** `type` of a new client: `"oauth"` (default, also for "" or absent) or `"token"` (access key). */
export function checkClientType(raw: string | undefined): ClientType {
  if (raw === undefined || raw === '' || raw === 'oauth') return 'oauth';
  if (raw === 'token') return 'token';
  throw new ValidationError({ type: 'must be "oauth" or "token"' });
}

/** The domain's clients (oauth clients and access keys), oldest first, without secrets. */
export async function listDomainClients(
  db: Kysely<MetaDatabase>,
  domainId: string,
): Promise<ClientJson[]> {
  const clients = await db
    .selectFrom('client')
    .selectAll()
    .where('domain_id', '=', domainId)
    .orderBy('def_time')
    .orderBy('id')
    .execute();
  return clients.map(toClientJson);
}

/**
 * A domain client (or access key) by record id. User clients belong to an account, not to a
 * domain, and are not managed through `/api/v1/client`: they are not found here.
 */
export async function findDomainClient(
  db: Kysely<MetaDatabase>,
  id: string,
): Promise<(Client & { domain_id: string }) | undefined> {
  const client = await db.selectFrom('client').selectAll().where('id', '=', id).executeTakeFirst();
  return client && client.domain_id !== null
    ? { ...client, domain_id: client.domain_id }
    : undefined;
}

/** Change a client's description (the only mutable field); the answer carries no secret. */
export async function updateClientDescription(
  db: Kysely<MetaDatabase>,
  client: Client,
  raw: string | undefined,
): Promise<ClientJson> {
  const description = checkDescription(raw ?? '');
  if (!description.ok) throw new ValidationError({ description: description.message });
  const updated: Client = { ...client, description: description.value, mod_time: nowIso() };
  await db
    .updateTable('client')
    .set({ description: updated.description, mod_time: updated.mod_time })
    .where('id', '=', client.id)
    .execute();
  return toClientJson(updated);
}

/** Delete a client; the foreign-key cascade revokes its access tokens in the same statement. */
export async function deleteClient(db: Kysely<MetaDatabase>, id: string): Promise<void> {
  const result = await db.deleteFrom('client').where('id', '=', id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new NotFoundError('client');
  // Cached credentials (ingestion) must stop working now.
  metaChanged();
}
