/**
 * The Fastify app factory: plugins (error envelope, CORS, auth, rate limits, metrics, OpenAPI)
 * and the routes of every area. Opening stores and listening is `server/lifecycle.ts`'s job, so
 * tests build apps on their own stores.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import type { EventStore } from '../store/clickhouse/event-store.ts';
import type { MetaStore } from '../store/meta/db.ts';
import { registerDomainRoutes } from '../api/domains.ts';
import { registerHealthRoutes } from '../api/health.ts';
import { registerTokenRoutes } from '../api/token.ts';
import { installAuth } from './auth.ts';
import { installErrorEnvelope } from './error-envelope.ts';
import { createMetrics, installMetrics, type Metrics } from './metrics.ts';
import { installOpenApi } from './openapi.ts';
import { validatorCompiler } from './validation.ts';

/** What the routes need: configuration and open stores. */
export interface AppDeps {
  config: Config;
  meta: MetaStore;
  events: EventStore;
  metrics?: Metrics;
}

/** The app with TypeBox schemas typing each route's request. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** Build the HTTP app (not listening yet). */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  const metrics = deps.metrics ?? createMetrics();
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            // IP addresses are never stored, not even in logs.
            serializers: {
              req: (req: { method: string; url: string }) => ({
                method: req.method,
                url: req.url.split('?')[0],
              }),
            },
          },
    bodyLimit: config.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true },
    trustProxy: false,
    // Per-request lines only when debugging: at `info` a busy ingestion endpoint would drown the log.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    ajv: { customOptions: { strict: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  installErrorEnvelope(app);
  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 86400,
  });
  await app.register(rateLimit, {
    global: false,
    // The builder's result is thrown, so the error handler renders it as the envelope.
    errorResponseBuilder: (_request, context) =>
      new AppError(
        429,
        'too many requests',
        {},
        {
          retry_after_seconds: Math.ceil(context.ttl / 1000),
        },
      ),
  });
  await installOpenApi(app, config);
  installMetrics(app, metrics);
  installAuth(app, deps.meta.db);

  await registerHealthRoutes(app, deps);
  await registerTokenRoutes(app, deps);
  await registerDomainRoutes(app, deps);
  return app;
}
