/**
 * Errors every room may throw. They carry the HTTP status and the envelope's parts, so the
 * server maps them to `{"validation": {...}, "error": [...]}` without knowing who threw them.
 */

/** A failure the client caused or must know about; rendered as the API's error envelope. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly validation: Record<string, string> = {},
    readonly context: Record<string, unknown> | undefined = undefined,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** 400: one or more fields are invalid; keys are request field names (`[i].field` in batches). */
export class ValidationError extends AppError {
  constructor(validation: Record<string, string>, message = summarise(validation)) {
    super(400, message, validation);
    this.name = 'ValidationError';
  }
}

// SDKs show only `error[0]`, so the general message names the first problem.
function summarise(validation: Record<string, string>): string {
  const entries = Object.entries(validation);
  if (entries.length === 0) return 'the request is invalid';
  const [field, problem] = entries[0]!;
  const more = entries.length > 1 ? ` (and ${entries.length - 1} more)` : '';
  return `invalid ${field}: ${problem}${more}`;
}

/** 401: missing, unknown or expired credential. */
export class UnauthorizedError extends AppError {
  constructor(message = 'a valid access token is required') {
    super(401, message);
    this.name = 'UnauthorizedError';
  }
}

/** 403: valid credential without the scope, client kind, role or domain access needed. */
export class ForbiddenError extends AppError {
  constructor(message = 'you are not allowed to do this') {
    super(403, message);
    this.name = 'ForbiddenError';
  }
}

/** 404: the addressed object does not exist. */
export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, `the ${what} was not found`);
    this.name = 'NotFoundError';
  }
}

/** 409: conflicts with existing data (e.g. a taken host name or subdomain). */
export class ConflictError extends AppError {
  constructor(field: string, message: string) {
    super(409, message, { [field]: message });
    this.name = 'ConflictError';
  }
}

/** 503: a store is unavailable; the client should retry after `retryAfterSeconds`. */
export class UnavailableError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(503, message, {}, { retry_after_seconds: retryAfterSeconds });
    this.name = 'UnavailableError';
  }
}
