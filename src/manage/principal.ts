/** Who is calling: the credential behind a request, after authentication. */
import type { ClientType } from '../store/meta/schema.ts';

export interface Scopes {
  hit: string;
  event: string;
  session: string;
  statistics: string;
  domains: string;
}

/**
 * An oauth client (via its access token) or an access key. A signed-in dashboard user is a user
 * client with every scope and `clientRecordId` `''`.
 */
export interface ClientPrincipal {
  kind: 'client';
  /** `client.id`, the record id. */
  clientRecordId: string;
  type: ClientType;
  /** The user whose rights a user client carries (and who created a domain client). */
  userId: string;
  /** Set for a domain client (and every access key); null for a user client. */
  domainId: string | null;
  scopes: Scopes;
}

/** An access link code: read-only statistics of one domain. */
export interface AccessLinkPrincipal {
  kind: 'access_link';
  linkId: string;
  domainId: string;
}

/**
 * A caller without any credential addressing a public domain (its `id`): like an access link,
 * read-only statistics, and only while the domain stays public.
 */
export interface PublicPrincipal {
  kind: 'public';
  domainId: string;
}

export type Principal = ClientPrincipal | AccessLinkPrincipal | PublicPrincipal;

/** The caller's role on a domain as the domain object reports it (`""` for domain clients). */
export type DomainRole = 'Owner' | 'Admin' | 'Viewer' | '';
