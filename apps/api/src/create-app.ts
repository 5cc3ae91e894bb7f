import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppModuleOptions } from './app.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { ApiError } from './common/errors';
import { ZodValidationPipe } from './common/zod-validation.pipe';
import { requestIdMiddleware } from './logging/request-id';
import { MetricsService } from './metrics/metrics.service';
import { buildOpenApiDocument, serveOpenApi } from './openapi/openapi';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Bodies are JSON: anything else is a 415 naming the content type expected. */
function requireJsonBodies() {
  return (req: Request, _res: Response, next: NextFunction) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (BODY_METHODS.has(req.method) && hasBody && !req.is(['application/json', 'application/*+json'])) {
      next(new ApiError(415, 'unsupported_media_type', `request bodies must be JSON: send Content-Type: application/json (got ${req.headers['content-type'] ?? 'none'})`));
      return;
    }
    next();
  };
}

/** body-parser's error types, as the API's error codes. */
const BODY_PARSER_ERRORS: Record<string, { code: string; message: (e: Error) => string }> = {
  'entity.parse.failed': { code: 'malformed_json', message: (e) => `body: malformed JSON (${e.message})` },
  'entity.too.large': { code: 'payload_too_large', message: () => 'body: larger than TANDEM_API_BODY_LIMIT allows' },
  'encoding.unsupported': { code: 'unsupported_encoding', message: (e) => `body: ${e.message}` },
  'charset.unsupported': { code: 'unsupported_charset', message: (e) => `body: ${e.message}` },
  'request.aborted': { code: 'request_aborted', message: () => 'body: the request was aborted' },
  'request.size.invalid': { code: 'invalid_content_length', message: () => 'body: its size does not match Content-Length' },
};

/**
 * Turns body-parser's errors into API errors before Nest sees them (Nest would reduce a JSON syntax
 * error to a bare message), so malformed JSON is a 400 `malformed_json` that says so.
 */
function bodyParserErrors() {
  return (err: unknown, _req: Request, _res: Response, next: NextFunction) => {
    const e = err as Error & { type?: string; status?: number };
    const known = e instanceof Error && e.type ? BODY_PARSER_ERRORS[e.type] : undefined;
    next(known ? new ApiError(e.status ?? 400, known.code, known.message(e)) : err);
  };
}

/** Node's own refusals, before any route: the status Node would send, and the API's code and message for it. */
const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'headers_too_large', message: 'the request line and headers are larger than the server accepts (16 KB): shorten the URL or the headers' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request_timeout', message: 'the request did not arrive in time' },
};

/**
 * Requests Node refuses before Express sees them — a URL and headers over its 16 KB limit, a
 * malformed request — get the API's error body instead of Node's empty one, so they are described
 * like every other error (`431 headers_too_large` is in every operation's OpenAPI responses).
 */
function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const known = err.code ? CLIENT_ERRORS[err.code] : undefined;
    const { status, code, message } = known ?? { status: 400, code: 'malformed_request', message: 'not a well-formed HTTP request' };
    const body = JSON.stringify({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', code, message });
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}

/** An absent body validates as `{}`, so a missing field is reported by name rather than "expected object". */
function emptyBodyAsObject() {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (BODY_METHODS.has(req.method) && req.body === undefined) req.body = {};
    next();
  };
}

/**
 * Builds the configured API application (not listening): middleware order, validation, errors,
 * CORS, OpenAPI. `main.ts` and the e2e tests share it, so tests exercise exactly what runs.
 */
export async function createApp(options: AppModuleOptions): Promise<NestExpressApplication> {
  const { config } = options;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Startup lines were buffered until the JSON logger existed; `listen` would flush them, tests never call it.
  app.flushLogs();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestIdMiddleware());
  app.use(app.get(MetricsService).middleware());
  app.use(requireJsonBodies());
  app.useBodyParser('json', { limit: config.api.bodyLimit, strict: false, type: ['application/json', 'application/*+json'] });
  app.use(bodyParserErrors());
  app.use(emptyBodyAsObject());
  app.enableCors({
    origin: config.api.corsOrigins,
    credentials: false,
    exposedHeaders: ['x-request-id'],
    allowedHeaders: ['authorization', 'content-type', 'x-api-key', 'x-request-id'],
    maxAge: 600,
  });
  app.useGlobalPipes(new ZodValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
  answerClientErrors(app.getHttpServer());
  serveOpenApi(app, buildOpenApiDocument(app));
  await app.init();
  return app;
}
