/**
 * The one way to the server: JSON over fetch with the session cookie, `X-CSRF-Token` on unsafe
 * methods, and the error envelope turned into `ApiError`.
 */

/** An answer other than 2xx, with the envelope's parts. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly validation: Record<string, string> = {},
  ) {
    super(message);
  }
}

let csrfToken = '';

/** Remember the CSRF token of the signed-in session. */
export function setCsrf(token: string): void {
  csrfToken = token;
}

export type Query = Record<string, string | number | boolean | string[] | undefined | null>;

/** `?a=1&b=2` from an object; arrays repeat the parameter, empty values are left out. */
export function queryString(query: Query | URLSearchParams | undefined): string {
  if (!query) return '';
  const params = query instanceof URLSearchParams ? query : new URLSearchParams();
  if (!(query instanceof URLSearchParams)) {
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null || value === '') continue;
      for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

interface Options {
  query?: Query | URLSearchParams;
  body?: unknown;
  signal?: AbortSignal;
}

/** Call `/api/v1/<path>`; resolves to the parsed body (undefined when empty). */
export async function api<T>(method: string, path: string, options: Options = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(`/api/v1/${path}${queryString(options.query)}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const envelope = (data ?? {}) as { error?: string[]; validation?: Record<string, string> };
    const validation = envelope.validation ?? {};
    const message =
      envelope.error?.[0] ?? Object.values(validation)[0] ?? `request failed (${res.status})`;
    throw new ApiError(res.status, message, validation);
  }
  return data as T;
}

export const get = <T>(path: string, query?: Query | URLSearchParams, signal?: AbortSignal) =>
  api<T>('GET', path, { query, signal });
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, { body: body ?? {} });
export const put = <T>(path: string, body?: unknown) => api<T>('PUT', path, { body: body ?? {} });
export const del = <T>(path: string, query?: Query, body?: unknown) =>
  api<T>('DELETE', path, { query, body });

/** The message to show for a failed call. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = Object.entries(error.validation);
    return fields.length > 0 ? fields.map(([k, v]) => `${k}: ${v}`).join('; ') : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** True for the error of an aborted fetch. */
export const isAbort = (error: unknown): boolean =>
  error instanceof DOMException && error.name === 'AbortError';
