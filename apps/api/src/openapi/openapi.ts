import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, type OperationObject, SwaggerModule } from '@nestjs/swagger';
import { errorBodySchema } from '@tandem/api-contract';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { openApiSchemaOf, zodDtosOf } from './openapi-schema';

const ERROR_BODY = { $ref: '#/components/schemas/ErrorBody' };

/** Methods whose requests may carry a body: a body that is not JSON, too large or malformed is refused. */
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/**
 * The error statuses every operation of a kind can answer, whatever it does: a validation failure
 * where it takes input, authentication and roles where it is guarded, a path naming nothing, a body
 * the API cannot read, a URL and headers too large to read at all. What only some operations answer (409s, 503, 504, a 404 without a path
 * parameter) their controllers declare with `@ApiConflictResponse`, `@ApiNotFoundResponse`, ….
 */
function commonErrors(method: string, op: OperationObject): Record<string, string> {
  const secured = Array.isArray(op.security) && op.security.length > 0;
  const params = op.parameters ?? [];
  const hasBody = BODY_METHODS.has(method);
  return {
    ...(params.length || op.requestBody || hasBody
      ? { 400: 'The request does not match its schema (`validation_failed`, naming each field in `errors`), or its body is malformed JSON (`malformed_json`).' }
      : {}),
    ...(secured ? { 401: 'Missing, malformed, expired or revoked credentials (`unauthenticated`, `token_expired`, `invalid_token`, `api_key_revoked`, …).' } : {}),
    ...(secured ? { 403: "The caller's roles may not do this (`forbidden`)." } : {}),
    ...(params.some((p) => 'in' in p && p.in === 'path') ? { 404: 'What the path names does not exist, or is not the caller\'s to see (`not_found`).' } : {}),
    ...(hasBody ? { 413: 'The body is larger than `TANDEM_API_BODY_LIMIT` allows (`payload_too_large`).' } : {}),
    ...(hasBody ? { 415: 'The body is not JSON (`unsupported_media_type`, `unsupported_encoding`, `unsupported_charset`).' } : {}),
    // Node refuses it before any route; the API answers it with the error body (create-app.ts).
    431: 'The request line and headers are larger than the server accepts, 16 KB (`headers_too_large`).',
  };
}

/**
 * The OpenAPI 3.0 document, generated from the controllers and the zod schemas of
 * `@tandem/api-contract` their DTOs are made of — the schemas that validate requests — so it
 * describes exactly what the API accepts and sends:
 * - every component schema is written from its zod schema by zod's OpenAPI 3.0 target (nullable
 *   as `nullable: true`), request bodies as clients send them, responses as the API sends them;
 * - every operation lists each status it can answer: its success statuses, the errors every
 *   operation of its kind can answer ({@link commonErrors}) and those its controller declares, all
 *   errors with the shared `ErrorBody`.
 * The e2e suites validate every response they receive against it (test/support/openapi-validator.ts).
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
  const document = cleanupOpenApiDoc(
    SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` }),
  );
  const schemas = (document.components ??= {}).schemas ??= {};
  for (const [name, dto] of zodDtosOf(app)) {
    if (name in schemas) schemas[name] = openApiSchemaOf(dto.schema, dto.side);
  }
  schemas.ErrorBody = openApiSchemaOf(errorBodySchema, 'output');

  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (!op) continue;
      const responses = (op.responses ??= {});
      for (const [status, description] of Object.entries(commonErrors(method, op))) responses[status] ??= { description };
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400 && response && !('$ref' in response) && !response.content) response.content = { 'application/json': { schema: ERROR_BODY } };
      }
    }
  }
  return document;
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
