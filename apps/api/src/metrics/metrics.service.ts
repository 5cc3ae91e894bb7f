import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * The API's Prometheus registry: process metrics and the HTTP request duration histogram. One
 * registry per application instance (not prom-client's global one), so several apps in one process
 * — as in tests — never collide.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;

  constructor() {
    this.registry.setDefaultLabels({ service: 'tandem-api' });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route template, method and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  /**
   * Express middleware timing every request, including those refused by the guard or the body
   * parser. Labelled by route template (`/v1/flows/:flowId`), never the raw path, so ids do not
   * explode the label set; unmatched paths share the label `unmatched`.
   */
  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const end = this.httpDuration.startTimer();
      res.once('finish', () => {
        const routePath = (req.route as { path?: unknown } | undefined)?.path;
        // Nest answers unknown paths from a catch-all route (`/{*path}`): those are unmatched too.
        const route = typeof routePath === 'string' && !routePath.includes('{*') ? `${req.baseUrl}${routePath}` : 'unmatched';
        end({ method: req.method, route, status_code: String(res.statusCode) });
      });
      next();
    };
  }
}
