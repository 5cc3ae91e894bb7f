import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { z } from 'zod';

/** The error body every endpoint returns, as an OpenAPI component. */
const errorBodySchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  code: z.string().describe('Stable machine-readable code: validation_failed, not_found, stale_revision, token_expired, …'),
  message: z.string().describe('What is wrong and where, e.g. "body.name: Invalid input: expected string, received number".'),
  errors: z
    .array(z.object({ location: z.enum(['body', 'query', 'param', 'header']), path: z.string(), message: z.string(), code: z.string() }))
    .optional()
    .describe('Field-level problems, for 400 validation_failed.'),
  details: z.unknown().optional(),
  requestId: z.string().optional(),
});

/**
 * The OpenAPI 3 document, generated from the controllers and the zod schemas their DTOs are made of
 * — the same schemas that validate requests — so it cannot drift from what the API accepts.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tandem API')
    .setDescription(
      'Flows and publishing, the designer catalog, contacts and the agents\' queue API. ' +
        'Authenticate with `Authorization: Bearer <JWT or API key>`. Errors share one body (`ErrorBody`). ' +
        'Unknown fields in request bodies are rejected with 400.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A JWT issued by `cli token` / POST /v1/auth/tokens, or an API key (tdm_…).' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
  const cleaned = cleanupOpenApiDoc(document);
  cleaned.components ??= {};
  cleaned.components.schemas ??= {};
  cleaned.components.schemas.ErrorBody = z.toJSONSchema(errorBodySchema, { target: 'openapi-3.0' }) as never;
  for (const [, item] of Object.entries(cleaned.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (!op) continue;
      op.responses ??= {};
      // Declare the error statuses each operation can produce, all with the common error body.
      const secured = Array.isArray(op.security) && op.security.length > 0;
      const params = op.parameters ?? [];
      const statuses = [
        ...(params.length || op.requestBody ? ['400'] : []),
        ...(secured ? ['401', '403'] : []),
        ...(params.some((p) => 'in' in p && p.in === 'path') ? ['404'] : []),
        ...(method !== 'get' && secured ? ['409'] : []),
      ];
      for (const status of statuses) {
        op.responses[status] ??= { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } };
      }
    }
  }
  return cleaned;
}

/** Serves the document at `/openapi.json` and Swagger UI at `/docs`. */
export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    customSiteTitle: 'Tandem API',
    swaggerOptions: { persistAuthorization: true },
  });
}
