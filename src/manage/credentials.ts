/**
 * Turning credentials into principals: `POST /api/v1/token`, bearer tokens, access keys and
 * access link codes. Every secret is compared through its stored hash.
 */
import type { Kysely } from 'kysely';
import { UnauthorizedError, ValidationError } from '../errors.ts';
import type { Client, MetaDatabase } from '../store/meta/schema.ts';
import { nowIso } from '../store/meta/time.ts';
import { scopesOf } from './clients.ts';
import type { AccessLinkPrincipal, ClientPrincipal } from './principal.ts';
import { hashSecret, newAccessToken, sha256Hex, verifySecret } from './secrets.ts';

export interface IssuedToken {
  access_token: string;
  expires_at: string;
}

// Verifying against a real hash when the client id is unknown keeps the response time the same,
// so timing does not reveal which client ids exist.
let decoyHash: Promise<string> | undefined;

/** Exchange an oauth client id and secret for an access token valid `ttlSeconds`. */
export async function issueToken(
  db: Kysely<MetaDatabase>,
  credentials: { client_id: string; client_secret: string },
  ttlSeconds: number,
): Promise<IssuedToken> {
  const validation: Record<string, string> = {};
  if (credentials.client_id === '') validation.client_id = 'the client id is required';
  if (credentials.client_secret === '') validation.client_secret = 'the client secret is required';
  if (Object.keys(validation).length > 0) throw new ValidationError(validation);

  const client = await db
    .selectFrom('client')
    .select(['id', 'secret_hash'])
    .where('client_id', '=', credentials.client_id)
    .where('type', '=', 'oauth')
    .executeTakeFirst();
  decoyHash ??= hashSecret('spoor-decoy-secret');
  const valid = await verifySecret(
    client?.secret_hash ?? (await decoyHash),
    credentials.client_secret,
  );
  if (!client || !valid) throw new UnauthorizedError('the client id or secret is wrong');

  const now = new Date();
  const token = newAccessToken();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
  await db.transaction().execute(async (trx) => {
    // Expired tokens are useless; dropping the client's old ones here keeps the table small.
    await trx
      .deleteFrom('access_token')
      .where('client_id', '=', client.id)
      .where('expires_at', '<=', now.toISOString())
      .execute();
    await trx
      .insertInto('access_token')
      .values({
        token_hash: sha256Hex(token),
        client_id: client.id,
        expires_at: expiresAt,
        def_time: now.toISOString(),
      })
      .execute();
  });
  return { access_token: token, expires_at: expiresAt };
}

/**
 * The principal behind `Authorization: Bearer <value>`: an unexpired access token or a `pa_`
 * access key. Undefined for anything unknown or expired (the caller answers 401).
 */
export async function authenticateBearer(
  db: Kysely<MetaDatabase>,
  bearer: string,
): Promise<ClientPrincipal | undefined> {
  return (await identifyBearer(db, bearer))?.principal;
}

/** A bearer credential's principal and the end of its validity (ms; Infinity for a key). */
export interface BearerIdentity {
  principal: ClientPrincipal;
  validUntilMs: number;
}

/**
 * Like `authenticateBearer`, also telling until when the credential holds (for caches). `hash`
 * is the bearer's SHA-256 when the caller has computed it already.
 */
export async function identifyBearer(
  db: Kysely<MetaDatabase>,
  bearer: string,
  hash?: string,
): Promise<BearerIdentity | undefined> {
  if (bearer === '') return undefined;
  const keyHash = hash ?? sha256Hex(bearer);
  if (bearer.startsWith('pa_')) {
    const client = await db
      .selectFrom('client')
      .selectAll()
      .where('key_hash', '=', keyHash)
      .executeTakeFirst();
    return client ? { principal: principalOf(client), validUntilMs: Infinity } : undefined;
  }
  const token = await db
    .selectFrom('access_token')
    .innerJoin('client', 'client.id', 'access_token.client_id')
    .selectAll('client')
    .select('access_token.expires_at as token_expires_at')
    .where('access_token.token_hash', '=', keyHash)
    .where('access_token.expires_at', '>', nowIso())
    .executeTakeFirst();
  if (!token) return undefined;
  return { principal: principalOf(token), validUntilMs: Date.parse(token.token_expires_at) };
}

function principalOf(client: Client): ClientPrincipal {
  return {
    kind: 'client',
    clientRecordId: client.id,
    type: client.type,
    userId: client.user_id,
    domainId: client.domain_id,
    scopes: scopesOf(client),
  };
}

/** The principal behind an access link code, or undefined if unknown or past `valid_until`. */
export async function authenticateAccessCode(
  db: Kysely<MetaDatabase>,
  code: string,
): Promise<AccessLinkPrincipal | undefined> {
  if (code === '') return undefined;
  const link = await db
    .selectFrom('access_link')
    .select(['id', 'domain_id', 'valid_until'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!link || (link.valid_until !== null && link.valid_until <= nowIso())) return undefined;
  return { kind: 'access_link', linkId: link.id, domainId: link.domain_id };
}
