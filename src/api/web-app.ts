/**
 * Serves the dashboard (`web/`, built by Vite into `dist/web`): hashed assets cached for a year,
 * `index.html` revalidated on every load, and the app's client routes answered with
 * `index.html`. Only the paths the app owns are routed here, so `/api/*`, the snippet routes,
 * `/healthz`, `/metrics` and `/docs/*` are never shadowed.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../server/app.ts';

/** Where `npm run build:web` writes the app. */
export const WEB_DIST = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'dist',
  'web',
);

/** Client routes of the app (DASHBOARD.md §2 and the dashboard contract). */
const APP_ROUTES = ['/', '/login', '/setup', '/account', '/sites/*', '/share/*', '/invitation/*'];

/** Pages that must never be framed (sign-in, password, settings: DASHBOARD.md §12). */
const NO_FRAMING = /^\/(login|setup|account)(\/|$)|^\/sites\/[^/]+\/settings(\/|$)|^\/sites\/new$/;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.js', '.css', '.html', '.svg', '.json', '.txt']);

interface StaticFile {
  body: Buffer;
  gzip: Buffer | undefined;
  type: string;
  etag: string;
  mtimeMs: number;
}

/** Read a built file (cached in memory until it changes on disk), or undefined. */
async function load(cache: Map<string, StaticFile>, file: string): Promise<StaticFile | undefined> {
  let info;
  try {
    info = await stat(file);
  } catch {
    return undefined;
  }
  if (!info.isFile()) return undefined;
  const cached = cache.get(file);
  if (cached && cached.mtimeMs === info.mtimeMs) return cached;
  const body = await readFile(file);
  const ext = path.extname(file);
  const entry: StaticFile = {
    body,
    gzip: COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body, { level: 9 }) : undefined,
    type: TYPES[ext] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    mtimeMs: info.mtimeMs,
  };
  cache.set(file, entry);
  return entry;
}

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  file: StaticFile,
  cacheControl: string,
) {
  reply.header('cache-control', cacheControl);
  reply.header('etag', file.etag);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('vary', 'accept-encoding');
  reply.type(file.type);
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  const gzip = file.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  if (gzip) reply.header('content-encoding', 'gzip');
  return reply.send(gzip ? file.gzip : file.body);
}

/** `script-src` hashes of the inline scripts of index.html (the colour-mode bootstrap). */
function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    hashes.push(
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '')
        .digest('base64')}'`,
    );
  }
  return hashes;
}

/** Register the dashboard's routes. */
export async function registerWebAppRoutes(app: App, _deps: AppDeps): Promise<void> {
  const cache = new Map<string, StaticFile>();
  const assets = path.join(WEB_DIST, 'assets');

  app.get(
    '/assets/*',
    { config: { auth: 'none' }, schema: { hide: true } },
    async (request, reply) => {
      const name = (request.params as { '*': string })['*'];
      const file = path.resolve(assets, name);
      // Only files directly inside dist/web/assets (no traversal, no dot files).
      const found =
        path.dirname(file) === assets && !path.basename(file).startsWith('.')
          ? await load(cache, file)
          : undefined;
      if (!found) return reply.code(404).type('text/plain').send('not found');
      // File names carry a content hash: a new build means a new URL.
      return send(request, reply, found, 'public, max-age=31536000, immutable');
    },
  );

  app.get(
    '/favicon.svg',
    { config: { auth: 'none' }, schema: { hide: true } },
    async (request, reply) => {
      const found = await load(cache, path.join(WEB_DIST, 'favicon.svg'));
      if (!found) return reply.code(404).type('text/plain').send('not found');
      return send(request, reply, found, 'public, max-age=86400');
    },
  );

  const index = async (request: FastifyRequest, reply: FastifyReply) => {
    const found = await load(cache, path.join(WEB_DIST, 'index.html'));
    if (!found) {
      return reply
        .code(503)
        .header('cache-control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send(
          'The dashboard is not built yet: run `npm run build:web` (npm start does it for you).\n',
        );
    }
    const pathname = request.url.split('?')[0] ?? '/';
    const csp = [
      "default-src 'self'",
      `script-src 'self' ${inlineScriptHashes(found.body.toString('utf8')).join(' ')}`,
      // uPlot and the bars set inline styles.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      ...(NO_FRAMING.test(pathname) ? ["frame-ancestors 'none'"] : []),
    ].join('; ');
    reply.header('content-security-policy', csp);
    reply.header('referrer-policy', 'same-origin');
    return send(request, reply, found, 'no-cache');
  };
  for (const route of APP_ROUTES) {
    app.get(route, { config: { auth: 'none' }, schema: { hide: true } }, index);
  }
}
