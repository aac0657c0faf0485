/** Schemas shared by several routes (OpenAPI components in all but name). */
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
