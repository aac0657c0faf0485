/** Identifier parameters shared by the management routes (API.md A.10). */
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { ForbiddenError, ValidationError } from '../errors.ts';
import type { Principal } from '../manage/principal.ts';

/** `?id=` or `?domain_id=` of a list endpoint: either spelling names the domain. */
export const DomainListQuery = Type.Object({
  id: Type.Optional(Type.String()),
  domain_id: Type.Optional(Type.String()),
});

/** `?id=` of a delete. */
export const IdQuery = Type.Object({ id: Type.Optional(Type.String()) });

/** A required identifier: absent or empty → 400 keyed by `field` (A.10). */
export function requireId(value: string | undefined, field: 'id' | 'domain_id'): string {
  const id = value?.trim() ?? '';
  if (id === '') throw new ValidationError({ [field]: 'is required' });
  return id;
}

/** The domain of a list endpoint; the documented spelling wins and names the 400. */
export function listDomainId(
  query: { id?: string | undefined; domain_id?: string | undefined },
  documented: 'id' | 'domain_id',
): string {
  return documented === 'id'
    ? requireId(query.id || query.domain_id, 'id')
    : requireId(query.domain_id || query.id, 'domain_id');
}

/** The user a client acts for (management routes never admit access links). */
export function actingUserId(principal: Principal): string {
  if (principal.kind !== 'client') {
    throw new ForbiddenError('an access link only grants reading statistics');
  }
  return principal.userId;
}

/** Answer 200 with an empty body (deletes, toggles, single settings; decision 5). */
export function emptyReply(reply: FastifyReply): FastifyReply {
  return reply.code(200).send();
}
