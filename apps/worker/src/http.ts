/**
 * The worker's own HTTP endpoint (`TANDEM_WORKER_HTTP_PORT`): `/health` for orchestrators and
 * process supervisors (200 once the worker polls its task queue, 503 before and while stopping) and
 * `/metrics` for Prometheus (the worker's counters, e.g. dead-lettered events, and process metrics).
 */
import http from 'node:http';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

/** The worker's Prometheus registry and the counters its parts increment. */
export class WorkerMetrics {
  readonly registry = new Registry();
  /** Contact events that cannot be valid (a bug), set aside instead of retried; by producer and event type (as the API counts its own). */
  readonly deadLetteredEvents: Counter<'source' | 'type'>;
  /** Contact events published to Kafka, by type. */
  readonly publishedEvents: Counter<'type'>;

  constructor() {
    this.registry.setDefaultLabels({ service: 'tandem-worker' });
    collectDefaultMetrics({ register: this.registry });
    this.deadLetteredEvents = new Counter({
      name: 'tandem_events_dead_lettered_total',
      help: 'Contact events refused by their contract and dead-lettered instead of published (each one is a bug to fix)',
      labelNames: ['source', 'type'],
      registers: [this.registry],
    });
    this.publishedEvents = new Counter({ name: 'tandem_events_published_total', help: 'Contact events published to Kafka', labelNames: ['type'], registers: [this.registry] });
  }
}

export interface WorkerHttpServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `/health` (what `healthy()` says) and `/metrics` on 127.0.0.1 unless `host` says otherwise. */
export async function startWorkerHttp(options: { port: number; host?: string; metrics: WorkerMetrics; healthy: () => boolean }): Promise<WorkerHttpServer> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && url === '/health') {
      const ok = options.healthy();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ok' : 'starting or stopping' }));
      return;
    }
    if (req.method === 'GET' && url === '/metrics') {
      options.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': options.metrics.registry.contentType }).end(text),
        (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e)),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found: the worker serves GET /health and GET /metrics' }));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address() as { port: number };
  return {
    url: `http://${host}:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
