/**
 * Every failure leaves the server as the API's error envelope,
 * `{"validation": {...}, "error": [...]}` — Fastify's own errors (unknown route, bad JSON, body
 * too large, rate limit) included. Bad input never becomes a 500 and no stack trace is sent.
 */
import type { ErrorObject } from 'ajv';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, UnavailableError, ValidationError } from '../errors.ts';
import { validationMap } from './validation.ts';

export interface ErrorEnvelope {
  validation: Record<string, string>;
  error: string[];
  context?: Record<string, unknown>;
}

/** Build an envelope with one general message. */
export function envelope(
  message: string,
  validation: Record<string, string> = {},
  context?: Record<string, unknown>,
): ErrorEnvelope {
  return context ? { validation, error: [message], context } : { validation, error: [message] };
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
  validation?: ErrorObject[];
}

// Fastify's messages for client errors are safe to show but name internals; these read better.
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'the request body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the request body is empty but JSON was declared',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the request body is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'the content type is not supported',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the content length does not match the body',
};

/** Install the error and not-found handlers on an app. */
export function installErrorEnvelope(app: FastifyInstance): void {
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    void reply
      .code(404)
      .send(envelope(`no route for ${request.method} ${request.url.split('?')[0]}`));
  });

  app.setErrorHandler((err: FastifyLikeError, request, reply) => {
    if (err instanceof AppError) {
      if (err instanceof UnavailableError) {
        void reply.header('retry-after', String(err.retryAfterSeconds));
      }
      if (err.status >= 500) request.log.error({ err }, 'request failed');
      return reply.code(err.status).send(envelope(err.message, err.validation, err.context));
    }
    if (err.validation) {
      const { message, validation } = new ValidationError(validationMap(err.validation));
      return reply.code(400).send(envelope(message, validation));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const message = (err.code && FASTIFY_MESSAGES[err.code]) ?? err.message;
      return reply.code(status).send(envelope(message));
    }
    request.log.error({ err }, 'unexpected error');
    return reply.code(500).send(envelope('internal server error'));
  });
}

/**
 * Parse `text/plain` bodies as JSON: browsers sending with `navigator.sendBeacon` cannot set a
 * JSON content type (API.md §1.2).
 */
export function installTextPlainJson(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, body === '' ? undefined : JSON.parse(body as string));
    } catch {
      done(new AppError(400, 'the request body is not valid JSON'), undefined);
    }
  });
}
