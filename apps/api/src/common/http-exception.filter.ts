import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { InvalidRoutingInputError, RoutingError } from '@tandem/routing';
import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import { ApiError, type ErrorBody } from './errors';

/**
 * Turns every exception into an {@link ErrorBody}. Client mistakes (validation, malformed JSON,
 * unknown ids, conflicts) keep their 4xx status and a message naming what is wrong; anything else is
 * a 500 whose details go to the log, never to the client.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const body = this.toBody(exception, req);
    body.requestId = requestIdOf(req, res);
    if (res.headersSent) {
      // e.g. an SSE stream already started: nothing sensible can be sent any more.
      res.end();
      return;
    }
    if (body.statusCode === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="tandem"');
    if (body.statusCode === 503 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', '1');
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, req: Request): ErrorBody {
    if (exception instanceof ApiError) {
      const status = exception.getStatus();
      return {
        statusCode: status,
        error: STATUS_CODES[status] ?? 'Error',
        code: exception.code,
        message: exception.message,
        ...(exception.fieldErrors ? { errors: exception.fieldErrors } : {}),
        ...(exception.details !== undefined ? { details: exception.details } : {}),
      };
    }
    if (exception instanceof RoutingError) return routingErrorBody(exception);
    const overloaded = temporalUnavailable(exception);
    if (overloaded) {
      this.logger.warn({ err: exception }, 'Temporal did not answer in time');
      return { statusCode: 503, error: STATUS_CODES[503] ?? 'Service Unavailable', code: 'temporal_unavailable', message: overloaded };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      let message = exception.message;
      if (typeof response === 'object' && response !== null && 'message' in response) {
        const m = response.message;
        message = Array.isArray(m) ? m.join('; ') : String(m);
      }
      if (status === 404 && message.startsWith('Cannot ')) {
        message = `no route ${req.method} ${req.path}`;
      }
      if (status >= 500) this.logger.error({ err: exception }, 'request failed');
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', code: codeForStatus(status), message };
    }
    this.logger.error({ err: exception }, 'unhandled error');
    return { statusCode: 500, error: 'Internal Server Error', code: 'internal_error', message: 'internal error; quote the request id to support' };
  }
}

/**
 * Routing's own errors: `invalid` → 400 (with the fields it names), `not_found` → 404, `conflict` →
 * 409 (an expired offer, an item the agent does not hold, a finished item, …).
 */
function routingErrorBody(e: RoutingError): ErrorBody {
  const status = e.code === 'invalid' ? 400 : e.code === 'not_found' ? 404 : 409;
  const code = e.code === 'invalid' ? 'validation_failed' : e.code === 'not_found' ? 'not_found' : 'conflict';
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    code,
    message: e.message,
    ...(e instanceof InvalidRoutingInputError ? { errors: e.issues.map((i) => ({ location: 'body' as const, path: i.path, message: i.message, code: 'invalid' })) } : {}),
  };
}

/** gRPC status codes that mean "Temporal is slow or out of reach", not "the request is wrong". */
const RETRYABLE_GRPC = new Map<number, string>([
  [4, 'did not answer before the deadline'],
  [8, 'is out of resources'],
  [14, 'is unreachable'],
]);

/**
 * A Temporal call that failed because the cluster was slow or unreachable: a 503 the caller may retry
 * (nothing was lost: a start with the same contact id is idempotent), not a 500.
 */
function temporalUnavailable(exception: unknown): string | undefined {
  const grpc = isGrpcServiceError(exception) ? exception : exception instanceof ServiceError && isGrpcServiceError(exception.cause) ? exception.cause : undefined;
  const why = grpc ? RETRYABLE_GRPC.get(grpc.code) : undefined;
  return why ? `the workflow service (Temporal) ${why}; retry the request` : undefined;
}

function requestIdOf(req: Request, res: Response): string | undefined {
  const fromReq = (req as Request & { id?: unknown }).id;
  if (typeof fromReq === 'string') return fromReq;
  const header = res.getHeader('x-request-id');
  return typeof header === 'string' ? header : undefined;
}

function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'too_many_requests';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal_error' : 'error';
  }
}
