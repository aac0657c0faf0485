/**
 * The tracking scripts (TRACKER.md §3.2): the core build as `/pirsch.js`, `/pirsch-events.js`,
 * `/pirsch-sessions.js` and `/core.js`, the full build as `/pa.js`, `/pirsch-extended.js` and
 * `/script.js`, each also as an immutable copy under `/v/<version>/`, at the root and under
 * `SPOOR_TRACKER_PREFIX`. The scripts are built in memory on the first request (esbuild, a few
 * tens of milliseconds), so `npm start` needs no build step and never serves a stale copy.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, NotFoundError } from '../errors.ts';
import type { App, AppDeps } from '../server/app.ts';
import { buildTracker, type TrackerBuild } from '../tracker/build.ts';

/** The file names of each build (Pirsch's names, so a site only changes the script's host). */
export const TRACKER_FILES: Record<keyof TrackerBuild, readonly string[]> = {
  core: ['pirsch.js', 'pirsch-events.js', 'pirsch-sessions.js', 'core.js'],
  full: ['pa.js', 'pirsch-extended.js', 'script.js'],
};

/** The version in `/v/<version>/<file>`: the package version. */
export const TRACKER_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

const CLIENT_HINTS =
  'Sec-CH-UA, Sec-CH-UA-Mobile, Sec-CH-UA-Platform, Sec-CH-UA-Platform-Version, Sec-CH-Width, ' +
  'Sec-CH-Viewport-Width, Width, Viewport-Width';
const SHORT_CACHE = 'public, max-age=3600';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** One build, ready to send in each encoding. */
interface Encoded {
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
}

let built: Promise<Record<keyof TrackerBuild, Encoded>> | undefined;

/** Build (once per process) and compress both scripts. */
function scripts(): Promise<Record<keyof TrackerBuild, Encoded>> {
  built ??= buildTracker().then(
    (build) => {
      const encode = (text: string): Encoded => {
        const identity = Buffer.from(text + '\n');
        return {
          identity,
          gzip: gzipSync(identity, { level: 9 }),
          br: brotliCompressSync(identity, {
            params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
          }),
          etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}"`,
        };
      };
      return { core: encode(build.core), full: encode(build.full) };
    },
    (error: unknown) => {
      built = undefined; // try again on the next request
      throw error;
    },
  );
  return built;
}

/** The best encoding the client accepts (`q=0` refuses one). */
function chooseEncoding(header: string | undefined): 'br' | 'gzip' | 'identity' {
  const accepted = new Set<string>();
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.split(';').map((piece) => piece.trim());
    const q = params.find((param) => param.startsWith('q='));
    if (name && !(q !== undefined && Number(q.slice(2)) === 0)) accepted.add(name);
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return 'identity';
}

/** Register the script routes at the root and, if configured, under the tracker prefix. */
export async function registerTrackerFileRoutes(app: App, deps: AppDeps): Promise<void> {
  const send = async (
    request: FastifyRequest,
    reply: FastifyReply,
    build: keyof TrackerBuild,
    cacheControl: string,
  ) => {
    let file: Encoded;
    try {
      file = (await scripts())[build];
    } catch (error) {
      request.log.error({ err: error }, 'building the tracking script failed');
      throw new AppError(503, 'the tracking script is not available');
    }
    void reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', cacheControl)
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('x-content-type-options', 'nosniff')
      .header('accept-ch', CLIENT_HINTS)
      .header('vary', 'Accept-Encoding')
      .header('etag', file.etag);
    if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
    const encoding = chooseEncoding(request.headers['accept-encoding']);
    if (encoding !== 'identity') void reply.header('content-encoding', encoding);
    return reply.send(file[encoding]);
  };

  const routes = async (scope: App) => {
    for (const build of ['core', 'full'] as const) {
      for (const name of TRACKER_FILES[build]) {
        scope.get(
          `/${name}`,
          {
            config: { auth: 'none' },
            schema: {
              tags: ['snippet'],
              summary: `Tracking script (${build} build)`,
              security: [],
            },
          },
          (request, reply) => send(request, reply, build, SHORT_CACHE),
        );
        scope.get(
          `/v/:version/${name}`,
          {
            config: { auth: 'none' },
            schema: {
              tags: ['snippet'],
              summary: `Tracking script (${build} build), immutable copy for Subresource Integrity`,
              security: [],
            },
          },
          (request, reply) => {
            const { version } = request.params as { version: string };
            if (version !== TRACKER_VERSION) throw new NotFoundError(`script version ${version}`);
            return send(request, reply, build, IMMUTABLE);
          },
        );
      }
    }
  };

  await app.register(routes);
  if (deps.config.trackerPrefix !== '')
    await app.register(routes, { prefix: deps.config.trackerPrefix });
}
