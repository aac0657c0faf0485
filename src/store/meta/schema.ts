/**
 * Table types of the metadata store (users, domains, credentials, settings).
 *
 * Portable column conventions, so SQLite and PostgreSQL return identical values:
 * - timestamps are TEXT in `Date.prototype.toISOString()` form (fixed width, UTC, `Z`), which
 *   sorts and compares correctly as text;
 * - booleans are INTEGER 0/1;
 * - identifiers are TEXT (10-character entity ids, see `src/manage/ids.ts`).
 */
import type { Insertable, Selectable, Updateable } from 'kysely';

/** Installation-wide key/value settings (e.g. the visitor-id secret). */
export interface SettingTable {
  key: string;
  value: string;
}

export interface UserTable {
  id: string;
  /** Stored lower-case; unique. */
  email: string;
  full_name: string;
  /** argon2id PHC string. */
  password_hash: string;
  def_time: string;
  mod_time: string;
}

export interface DomainTable {
  id: string;
  /** Owner. */
  user_id: string;
  hostname: string;
  subdomain: string;
  identification_code: string;
  public: number;
  group_by_title: number;
  /** IANA zone; null means UTC. */
  timezone: string | null;
  def_time: string;
  mod_time: string;
}

export type MemberRole = 'admin' | 'viewer';

export interface MemberTable {
  id: string;
  domain_id: string;
  user_id: string;
  role: MemberRole;
  def_time: string;
  mod_time: string;
}

export interface InvitationTable {
  id: string;
  domain_id: string;
  email: string;
  role: MemberRole;
  /** SHA-256 (hex) of the random accept token. */
  token_hash: string;
  invited_by: string;
  expires_at: string;
  def_time: string;
}

export type ClientType = 'oauth' | 'token';

export interface ClientTable {
  id: string;
  /** The user who created the client and whose rights a user client carries. */
  user_id: string;
  /** Null for a user client. */
  domain_id: string | null;
  type: ClientType;
  /** Public 32-character id of an oauth client; null for access keys. */
  client_id: string | null;
  /** argon2id PHC string of the oauth secret; null for access keys. */
  secret_hash: string | null;
  /** SHA-256 (hex) of a `pa_` access key; null for oauth clients. */
  key_hash: string | null;
  description: string;
  scope_hit: string;
  scope_event: string;
  scope_session: string;
  scope_statistics: string;
  scope_domains: string;
  def_time: string;
  mod_time: string;
}

export interface AccessTokenTable {
  /** SHA-256 (hex) of the opaque bearer token. */
  token_hash: string;
  /** `client.id` (record id) of the client the token was issued to. */
  client_id: string;
  expires_at: string;
  def_time: string;
}

export interface AccessLinkTable {
  id: string;
  domain_id: string;
  /** Shown to the domain's admins in the list, so kept readable. */
  code: string;
  description: string;
  valid_until: string | null;
  def_time: string;
  mod_time: string;
}

export interface AlternativeDomainTable {
  id: string;
  domain_id: string;
  hostname: string;
  def_time: string;
  mod_time: string;
}

export interface EmailReportTable {
  id: string;
  domain_id: string;
  email: string;
  interval: number;
  next_report: string;
  /** SHA-256 (hex) of the one-click unsubscribe token. */
  unsubscribe_hash: string;
  /** Start of the last period sent (ISO), so a period is never sent twice. */
  last_period: string | null;
  def_time: string;
  mod_time: string;
}

export interface GoalTable {
  id: string;
  domain_id: string;
  name: string;
  path_pattern: string;
  pattern: string;
  visitor_goal: number | null;
  cr_goal: number | null;
  delete_reached: number;
  email_reached: number;
  def_time: string;
  mod_time: string;
}

/** A dashboard sign-in (the `spoor_session` cookie). */
export interface DashboardSessionTable {
  /** SHA-256 (hex) of the opaque cookie token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  /** Slides forward while the session is used (refreshed at most hourly). */
  expires_at: string;
  def_time: string;
}

/** The whole metadata database, as Kysely sees it. */
export interface MetaDatabase {
  setting: SettingTable;
  user: UserTable;
  domain: DomainTable;
  member: MemberTable;
  invitation: InvitationTable;
  client: ClientTable;
  access_token: AccessTokenTable;
  access_link: AccessLinkTable;
  alternative_domain: AlternativeDomainTable;
  email_report: EmailReportTable;
  goal: GoalTable;
  dashboard_session: DashboardSessionTable;
}

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Domain = Selectable<DomainTable>;
export type DomainUpdate = Updateable<DomainTable>;
export type Member = Selectable<MemberTable>;
export type Client = Selectable<ClientTable>;
export type AccessLink = Selectable<AccessLinkTable>;
export type Invitation = Selectable<InvitationTable>;
export type AlternativeDomain = Selectable<AlternativeDomainTable>;
export type EmailReport = Selectable<EmailReportTable>;
export type Goal = Selectable<GoalTable>;
export type DashboardSession = Selectable<DashboardSessionTable>;
