/**
 * Access links (API.md A.4, B.7): a secret code that opens one domain's statistics read-only to
 * whoever holds it (`?access=<code>`), optionally until `valid_until`.
 */
import type { Kysely } from 'kysely';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { AccessLink, MetaDatabase } from '../store/meta/schema.ts';
import { nowIso, parseRfc3339 } from '../store/meta/time.ts';
import { newEntityId, randomAlphanumeric } from './secrets.ts';
import { checkDescription } from './validate.ts';

/** The access link object (A.4) plus `valid_until` (B.7; null = never expires). */
export interface LinkJson {
  id: string;
  def_time: string;
  mod_time: string;
  domain_id: string;
  code: string;
  description: string;
  valid_until: string | null;
}

export function toLinkJson(link: AccessLink): LinkJson {
  return {
    id: link.id,
    def_time: link.def_time,
    mod_time: link.mod_time,
    domain_id: link.domain_id,
    code: link.code,
    description: link.description,
    valid_until: link.valid_until,
  };
}

export interface LinkInput {
  /** Absent keeps the current text on update (empty on create). */
  description?: string | undefined;
  /** RFC 3339 timestamp; null or "" = never expires; absent keeps the current value on update. */
  valid_until?: string | null | undefined;
}

/** Validate a link body completely; absent fields stay absent. */
function checkLinkInput(input: LinkInput): { description?: string; valid_until?: string | null } {
  const validation: Record<string, string> = {};
  const out: { description?: string; valid_until?: string | null } = {};
  if (input.description !== undefined) {
    const description = checkDescription(input.description);
    if (description.ok) out.description = description.value;
    else validation.description = description.message;
  }
  if (input.valid_until !== undefined) {
    if (input.valid_until === null || input.valid_until.trim() === '') {
      out.valid_until = null;
    } else {
      const at = parseRfc3339(input.valid_until.trim());
      if (at === null) validation.valid_until = 'an RFC 3339 timestamp or null is required';
      else out.valid_until = at;
    }
  }
  if (Object.keys(validation).length > 0) throw new ValidationError(validation);
  return out;
}

/** The domain's access links, oldest first. */
export async function listLinks(db: Kysely<MetaDatabase>, domainId: string): Promise<LinkJson[]> {
  const links = await db
    .selectFrom('access_link')
    .selectAll()
    .where('domain_id', '=', domainId)
    .orderBy('def_time')
    .orderBy('id')
    .execute();
  return links.map(toLinkJson);
}

export function findLink(db: Kysely<MetaDatabase>, id: string): Promise<AccessLink | undefined> {
  return db.selectFrom('access_link').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Create an access link with a fresh 32-character code. */
export async function createLink(
  db: Kysely<MetaDatabase>,
  domainId: string,
  input: LinkInput,
): Promise<LinkJson> {
  const checked = checkLinkInput(input);
  const now = nowIso();
  const link: AccessLink = {
    id: newEntityId(),
    domain_id: domainId,
    code: randomAlphanumeric(32),
    description: checked.description ?? '',
    valid_until: checked.valid_until ?? null,
    def_time: now,
    mod_time: now,
  };
  await db.insertInto('access_link').values(link).execute();
  return toLinkJson(link);
}

/** Change a link's description and/or expiry; the code stays. */
export async function updateLink(
  db: Kysely<MetaDatabase>,
  link: AccessLink,
  input: LinkInput,
): Promise<LinkJson> {
  const updated: AccessLink = { ...link, ...checkLinkInput(input), mod_time: nowIso() };
  await db
    .updateTable('access_link')
    .set({
      description: updated.description,
      valid_until: updated.valid_until,
      mod_time: updated.mod_time,
    })
    .where('id', '=', link.id)
    .execute();
  return toLinkJson(updated);
}

/** Delete a link; its code stops working at once. */
export async function deleteLink(db: Kysely<MetaDatabase>, id: string): Promise<void> {
  const result = await db.deleteFrom('access_link').where('id', '=', id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new NotFoundError('access link');
}
