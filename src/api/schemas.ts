/** Schemas shared by several routes (OpenAPI components in all but name). */
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';

/** The error envelope every failure carries. */
export const ErrorEnvelope = Type.Object(
  {
    validation: Type.Record(Type.String(), Type.String()),
    error: Type.Array(Type.String()),
    context: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { description: 'Error envelope' },
);

/** Error responses most authenticated routes can give. */
export const authErrors = {
  400: ErrorEnvelope,
  401: ErrorEnvelope,
  403: ErrorEnvelope,
  404: ErrorEnvelope,
} as const;

/** The domain object (API.md A.2.3). */
export const DomainObject = Type.Object({
  id: Type.String(),
  def_time: Type.String({ format: 'date-time' }),
  mod_time: Type.String({ format: 'date-time' }),
  user_id: Type.String(),
  hostname: Type.String(),
  subdomain: Type.String(),
  identification_code: Type.String(),
  public: Type.Boolean(),
  google_user_id: Type.Null(),
  google_user_email: Type.Null(),
  gsc_domain: Type.Null(),
  new_owner: Type.Null(),
  timezone: Type.Union([Type.String(), Type.Null()]),
  group_by_title: Type.Boolean(),
  user_role: Type.String({ enum: ['Owner', 'Admin', 'Viewer', ''] }),
});

/** Answer 200 with an empty body (ingestion, deletes, toggles: API.md §1.6). */
export function sendEmpty(reply: FastifyReply): FastifyReply {
  return reply.code(200).send();
}

/** Errors of management writes: the auth errors plus 409 (taken host name or subdomain). */
export const writeErrors = { ...authErrors, 409: ErrorEnvelope } as const;

/** Deletes, toggles and single-setting updates answer 200 with an empty body (decision 5). */
export const EmptyBody = Type.Null({ description: 'Empty body' });

const Timestamp = Type.String({ format: 'date-time' });

/** The access link object (A.4, with `valid_until` of B.7). */
export const LinkObject = Type.Object({
  id: Type.String(),
  def_time: Timestamp,
  mod_time: Timestamp,
  domain_id: Type.String(),
  code: Type.String(),
  description: Type.String(),
  valid_until: Type.Union([Timestamp, Type.Null()]),
});

/** The member object (A.5); the owner's entry has role `owner` (decision 30). */
export const MemberObject = Type.Object({
  id: Type.String(),
  def_time: Timestamp,
  mod_time: Timestamp,
  user_id: Type.String(),
  domain_id: Type.String(),
  role: Type.String({ enum: ['owner', 'admin', 'viewer'] }),
  user: Type.Object({
    id: Type.String(),
    email: Type.String(),
    full_name: Type.String(),
    picture: Type.String(),
  }),
});

/** One invitation created by `POST /member` (decision 27). */
export const InvitationCreatedObject = Type.Object({
  id: Type.String(),
  email: Type.String(),
  expires_at: Timestamp,
  accept_link: Type.Optional(Type.String()),
});

/** A pending invitation (B.8, plus `expires_at`). */
export const InvitationObject = Type.Object({
  id: Type.String(),
  def_time: Timestamp,
  mod_time: Timestamp,
  domain_id: Type.String(),
  organization_id: Type.Null(),
  email: Type.String(),
  expires_at: Timestamp,
  domain: Type.Union([DomainObject, Type.Null()]),
  organization: Type.Null(),
});

/** The alternative domain object (A.6). */
export const AlternativeDomainObject = Type.Object({
  id: Type.String(),
  def_time: Timestamp,
  mod_time: Timestamp,
  domain_id: Type.String(),
  hostname: Type.String(),
});

/** The client object (A.7, with `type` of B.9); `client_secret` only in the create response. */
export const ClientObject = Type.Object({
  id: Type.String(),
  def_time: Timestamp,
  mod_time: Timestamp,
  domain_id: Type.Union([Type.String(), Type.Null()]),
  type: Type.String({ enum: ['oauth', 'token'] }),
  client_id: Type.String(),
  client_secret: Type.Optional(Type.String()),
  description: Type.String(),
  scope_hit: Type.String(),
  scope_event: Type.String(),
  scope_session: Type.String(),
  scope_statistics: Type.String(),
  scope_domains: Type.String(),
});

/** The e-mail report object (A.8). */
export const ReportObject = Type.Object({
  id: Type.String(),
  def_time: Timestamp,
  mod_time: Timestamp,
  domain_id: Type.String(),
  email: Type.String(),
  interval: Type.Integer(),
  next_report: Timestamp,
});

/** The conversion goal object (A.9). */
export const GoalObject = Type.Object({
  id: Type.String(),
  def_time: Timestamp,
  mod_time: Timestamp,
  domain_id: Type.String(),
  name: Type.String(),
  path_pattern: Type.String(),
  pattern: Type.String(),
  visitor_goal: Type.Union([Type.Integer(), Type.Null()]),
  cr_goal: Type.Union([Type.Number(), Type.Null()]),
  delete_reached: Type.Boolean(),
  email_reached: Type.Boolean(),
});
