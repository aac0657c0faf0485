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
import { registerAlternativeDomainRoutes } from '../api/alternative-domains.ts';
import { registerClientRoutes } from '../api/clients.ts';
import { registerDashboardAuthRoutes } from '../api/dashboard-auth.ts';
import { registerDomainRoutes } from '../api/domains.ts';
import { registerGoalRoutes } from '../api/goals.ts';
import { registerInvitationRoutes } from '../api/invitations.ts';
import { registerLinkRoutes } from '../api/links.ts';
import { registerMemberRoutes } from '../api/members.ts';
import { registerReportRoutes } from '../api/reports.ts';
import { registerHealthRoutes } from '../api/health.ts';
import { registerIngestRoutes } from '../api/ingest.ts';
import { registerSnippetRoutes } from '../api/snippet.ts';
import { registerStatisticsRoutes } from '../api/statistics.ts';
import { registerTrackerFileRoutes } from '../api/tracker-files.ts';
import { registerWebAppRoutes } from '../api/web-app.ts';
import { registerTokenRoutes } from '../api/token.ts';
import { registerUnsubscribeRoutes } from '../api/unsubscribe.ts';
import { createMailServices, type MailServices } from '../mail/services.ts';
import { installAuth } from './auth.ts';
import { installErrorEnvelope, installTextPlainJson } from './error-envelope.ts';
import { createIngestServices, type IngestServices } from './ingest-services.ts';
import { createMetrics, installMetrics, type Metrics } from './metrics.ts';
import { installOpenApi } from './openapi.ts';
import { validatorCompiler } from './validation.ts';

/** What the app is built from: configuration and open stores. */
export interface AppOptions {
  config: Config;
  meta: MetaStore;
  events: EventStore;
  metrics?: Metrics;
  /** Mail transport, invitation sender and scheduler; built from `config.smtp` when absent. */
  mail?: MailServices;
}

/** What the routes get. */
export interface AppDeps extends AppOptions {
  metrics: Metrics;
  ingest: IngestServices;
  mail: MailServices;
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
export async function buildApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const metrics = options.metrics ?? createMetrics();
  const deps: AppDeps = {
    ...options,
    metrics,
    ingest: await createIngestServices(config, options, metrics),
    mail:
      options.mail ??
      createMailServices({
        config,
        db: options.meta.db,
        events: options.events,
        registry: metrics.registry,
      }),
  };
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
  installTextPlainJson(app);
  // Runs after the server stopped accepting and in-flight requests finished: flush their rows.
  app.addHook('onClose', () => deps.ingest.close());
  // Stops the mail scheduler (waiting for a pass in flight) before the stores close.
  app.addHook('onClose', () => deps.mail.close());
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
  await installAuth(app, deps.meta.db, config);

  await registerHealthRoutes(app, deps);
  await registerTokenRoutes(app, deps);
  await registerDashboardAuthRoutes(app, deps);
  await registerDomainRoutes(app, deps);
  await registerLinkRoutes(app, deps);
  await registerMemberRoutes(app, deps);
  await registerInvitationRoutes(app, deps);
  await registerAlternativeDomainRoutes(app, deps);
  await registerClientRoutes(app, deps);
  await registerReportRoutes(app, deps);
  await registerUnsubscribeRoutes(app, deps);
  await registerGoalRoutes(app, deps);
  await registerIngestRoutes(app, deps);
  await registerSnippetRoutes(app, deps);
  await registerTrackerFileRoutes(app, deps);
  await registerStatisticsRoutes(app, deps);
  await registerWebAppRoutes(app, deps);
  return app;
}
