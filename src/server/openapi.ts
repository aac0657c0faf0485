/**
 * OpenAPI 3 document generated from the route schemas, served at `/api/v1/openapi.json`, with a
 * readable reference page at `/docs/api`.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

/** Register the document generator, its JSON route and the reference page. */
export async function installOpenApi(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Spoor API',
        description:
          'Pirsch Analytics v1 compatible API. Authenticate with `POST /api/v1/token` and send ' +
          '`Authorization: Bearer <access_token>`; access keys (`pa_…`) are sent as bearer tokens directly.',
        version: '1',
      },
      servers: [{ url: config.baseUrl }],
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs/api' });
  app.get('/api/v1/openapi.json', { schema: { hide: true }, config: { auth: 'none' } }, async () =>
    app.swagger(),
  );
}
