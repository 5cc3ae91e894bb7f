import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DependencyHealth, HealthReport } from '@tandem/api-contract';
import { DataSource } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { withTimeout } from '../common/timeout';
import { KafkaService } from '../infrastructure/kafka.service';
import { TemporalService } from '../infrastructure/temporal.service';

export type DependencyName = 'postgres' | 'temporal' | 'kafka';


/** Checks PostgreSQL, Temporal and Kafka in parallel, each bounded by `TANDEM_API_HEALTH_TIMEOUT_MS`. */
@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly dataSource: DataSource,
    private readonly temporal: TemporalService,
    private readonly kafka: KafkaService,
  ) {}

  async report(): Promise<HealthReport> {
    const timeout = this.config.api.healthTimeoutMs;
    const [postgres, temporal, kafka] = await Promise.all([
      this.probe(() => this.dataSource.query('SELECT 1'), timeout, 'PostgreSQL'),
      this.probe(() => this.temporal.check(timeout), timeout, 'Temporal'),
      this.probe(() => this.kafka.check(timeout), timeout, 'Kafka'),
    ]);
    const checks = { postgres, temporal, kafka };
    const down = Object.entries(checks).filter(([, c]) => c.status === 'down');
    if (down.length) this.logger.warn({ down: Object.fromEntries(down) }, `unhealthy: ${down.map(([name]) => name).join(', ')} down`);
    return { status: down.length ? 'down' : 'ok', checks };
  }

  private async probe(check: () => Promise<unknown>, timeoutMs: number, what: string): Promise<DependencyHealth> {
    const started = performance.now();
    try {
      // The outer timeout also bounds clients that ignore their own deadline.
      await withTimeout(check(), timeoutMs + 250, what);
      return { status: 'up', latencyMs: Math.round(performance.now() - started) };
    } catch (e) {
      return { status: 'down', latencyMs: Math.round(performance.now() - started), error: e instanceof Error ? e.message : String(e) };
    }
  }
}
