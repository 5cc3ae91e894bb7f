import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The API's Prometheus registry: process metrics, the HTTP request duration histogram, and the
 * counters of what went wrong without stopping anything (dead-lettered events, routing items and
 * ticks). One registry per application instance (not prom-client's global one), so several apps in
 * one process — as in tests — never collide.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  /** Events a producer in the API could not make valid, kept in `events.producer_dead_letters` instead of published. */
  readonly deadLetteredEvents: Counter<'source' | 'type'>;
  /** Routing maintenance ticks, by whether they ran to the end (`completed`) or stopped (`failed`). */
  readonly routingTicks: Counter<'outcome'>;
  /** Work items a routing loop could not handle (the others were served), by what it was doing. */
  readonly routingItemFailures: Counter<'operation'>;

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
    this.deadLetteredEvents = new Counter({
      name: 'tandem_events_dead_lettered_total',
      help: 'Events a producer could not make valid, dead-lettered (events.producer_dead_letters) instead of published, by producer and event type',
      labelNames: ['source', 'type'],
      registers: [this.registry],
    });
    this.routingTicks = new Counter({
      name: 'tandem_routing_maintenance_ticks_total',
      help: 'Routing maintenance ticks (offer expiry, overflow, push dispatch): completed, or failed as a whole',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.routingItemFailures = new Counter({
      name: 'tandem_routing_item_failures_total',
      help: 'Work items routing maintenance could not handle in a tick (the other items were served), by operation: offer, expire_offer, overflow',
      labelNames: ['operation'],
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
