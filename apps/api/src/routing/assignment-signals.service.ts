import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { AssignmentOutbox, startLoop, temporalAssignmentSignaler, type AssignmentSignaler, type DeliveryReport } from '@tandem/routing';
import { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { TemporalService } from '../infrastructure/temporal.service';
import { MetricsService } from '../metrics/metrics.service';

/**
 * Tells contacts that an agent took their work item: delivers routing's `workItemAssigned` signals
 * (written with each accept and claim, see `AssignmentOutbox`) to the contacts' workflows, so the
 * customer hears that a person has joined. Right after an agent takes an item (`deliverSoon`, so the
 * customer is not kept waiting for a tick) and, while routing maintenance runs, in a loop that retries
 * what failed — at least once either way; the workflow ignores duplicates.
 */
@Injectable()
export class AssignmentSignalsService implements OnApplicationShutdown {
  private readonly logger = new Logger(AssignmentSignalsService.name);
  private readonly outbox: AssignmentOutbox;
  private readonly signaler: AssignmentSignaler;
  private readonly delivered: Counter<'result'>;
  private round: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    @Inject(getDataSourceToken()) dataSource: DataSource,
    private readonly temporal: TemporalService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    metrics: MetricsService,
  ) {
    this.outbox = new AssignmentOutbox({ dataSource });
    const signal = temporalAssignmentSignaler(temporal.client);
    // Bounded: a Temporal that does not answer is a failed attempt (retried with backoff), not a hang.
    this.signaler = { signal: (workflowId, assignment) => temporal.connection.withDeadline(Date.now() + config.api.queryTimeoutMs, () => signal.signal(workflowId, assignment)) };
    this.delivered = new Counter({
      name: 'tandem_api_assignment_signals_total',
      help: 'workItemAssigned signals sent to contacts, by result (delivered, workflow_missing, failed: retried later)',
      labelNames: ['result'],
      registers: [metrics.registry],
    });
  }

  /** Delivers what is due now, in the background: one round at a time, a call during a round asks for another. */
  deliverSoon(): void {
    if (this.stopped) return;
    if (this.round) {
      this.again = true;
      return;
    }
    this.round = (async () => {
      do {
        this.again = false;
        await this.deliverPending().catch((err: unknown) => this.logger.warn({ err }, 'could not deliver workItemAssigned signals; they are retried'));
      } while (this.again && !this.stopped);
    })().finally(() => (this.round = undefined));
  }

  /** One round: every due signal once. */
  async deliverPending(): Promise<DeliveryReport> {
    const report = await this.outbox.deliverPending(this.signaler);
    if (report.delivered) this.delivered.inc({ result: 'delivered' }, report.delivered);
    if (report.workflowMissing) this.delivered.inc({ result: 'workflow_missing' }, report.workflowMissing);
    if (report.failed) {
      this.delivered.inc({ result: 'failed' }, report.failed);
      this.logger.warn({ failed: report.failed }, 'workItemAssigned signals failed; retried with backoff');
    }
    return report;
  }

  /** The retry loop (routing maintenance starts it); returns its stop function. */
  startLoop(intervalMs: number): () => Promise<void> {
    return startLoop(() => this.deliverPending(), intervalMs, (err) => this.logger.warn({ err }, 'workItemAssigned delivery failed; retrying on the next round'));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.round;
  }
}
