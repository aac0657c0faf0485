/**
 * Request validation: JSON bodies are checked strictly (a string is never coerced to a number),
 * query strings are coerced because every value arrives as text. Ajv errors become the
 * envelope's `validation` map keyed by request field names.
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats ships CommonJS whose default export TypeScript sees as the module namespace.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const base = {
  allErrors: true,
  removeAdditional: false,
  useDefaults: true,
  strict: false,
} as const;
const strictAjv = addFormats(new Ajv({ ...base, coerceTypes: false }));
const coercingAjv = addFormats(new Ajv({ ...base, coerceTypes: 'array' }));

/** Fastify validator compiler: strict for bodies, coercing for query strings and params. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema as object);

/** The field name of an Ajv error: `emails[0]`, `[3].url` (batch element), `client_id`. */
export function fieldOf(error: ErrorObject): string {
  const segments = error.instancePath.split('/').filter(Boolean);
  if (error.keyword === 'required') {
    segments.push(String((error.params as { missingProperty: string }).missingProperty));
  }
  let field = '';
  for (const raw of segments) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    field += /^\d+$/.test(segment) ? `[${segment}]` : field === '' ? segment : `.${segment}`;
  }
  return field || 'body';
}

/** Ajv errors → `{ field: message }`, first message per field wins. */
export function validationMap(errors: readonly ErrorObject[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const error of errors) {
    const field = fieldOf(error);
    map[field] ??= error.keyword === 'required' ? 'is required' : (error.message ?? 'is invalid');
  }
  return map;
}
