/**
 * Prometheus metrics at `/metrics`: request counts and latency by route, plus whatever the
 * other rooms report through the registry (rows written, batch sizes). One registry per app so
 * several apps in one process (tests) never collide.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Rows written to the event store, by table. */
  rowsWritten: Counter<'table'>;
  /** Rows per INSERT, by table. */
  batchSize: Histogram<'table'>;
  /** Ingestion requests accepted but not recorded, by reason (dnt, bot, spam, …). */
  dropped: Counter<'reason'>;
}

/** Create the registry with process metrics and the store counters. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'spoor_' });
  return {
    registry,
    rowsWritten: new Counter({
      name: 'spoor_rows_written_total',
      help: 'Rows written to the event store',
      labelNames: ['table'],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'spoor_insert_batch_rows',
      help: 'Rows per INSERT into the event store',
      labelNames: ['table'],
      buckets: [1, 5, 10, 50, 100, 500, 1000, 5000, 10000],
      registers: [registry],
    }),
    dropped: new Counter({
      name: 'spoor_ingest_dropped_total',
      help: 'Ingestion requests accepted but not recorded, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}

/** Count and time every request by route pattern, and serve `/metrics`. */
export function installMetrics(app: FastifyInstance, metrics: Metrics): void {
  const requests = new Counter({
    name: 'spoor_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [metrics.registry],
  });
  const duration = new Histogram({
    name: 'spoor_http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics.registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL, keeps label cardinality bounded.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.get(
    '/metrics',
    { schema: { hide: true }, config: { auth: 'none' } },
    async (_request, reply) => {
      void reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}
