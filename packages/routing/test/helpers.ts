import { type Channel, type HandoffPackage } from '@tandem/contracts';
import { createTestDatabase, type TestDatabase } from '@tandem/testkit';
import { DataSource } from 'typeorm';
import { QueueStatistics, RoutingDirectory, WorkRouter, routingEntities, routingMigrations, type RoutingEventSink } from '../src';

/** A clock tests move by hand, so expiry, relaxation and aging never need sleeps. */
export class TestClock {
  private t: number;
  constructor(start = Date.parse('2026-11-23T09:00:00.000Z')) {
    this.t = start;
  }
  readonly now = (): Date => new Date(this.t);
  advance(seconds: number): void {
    this.t += seconds * 1000;
  }
}

export interface RoutingTestContext {
  db: TestDatabase;
  dataSource: DataSource;
  clock: TestClock;
  router: WorkRouter;
  directory: RoutingDirectory;
  stats: QueueStatistics;
  close(): Promise<void>;
}

export async function openDataSource(url: string, poolSize = 10): Promise<DataSource> {
  const dataSource = new DataSource({ type: 'postgres', url, entities: routingEntities, migrations: routingMigrations, poolSize });
  await dataSource.initialize();
  return dataSource;
}

/** A fresh database with routing's migrations applied, and services on a test clock. */
export async function routingTestContext(prefix: string, options: { eventSink?: RoutingEventSink; poolSize?: number } = {}): Promise<RoutingTestContext> {
  const db = await createTestDatabase(prefix);
  const dataSource = await openDataSource(db.url, options.poolSize);
  await dataSource.runMigrations();
  const clock = new TestClock();
  return {
    db,
    dataSource,
    clock,
    router: new WorkRouter({ dataSource, clock: clock.now, eventSink: options.eventSink }),
    directory: new RoutingDirectory({ dataSource, clock: clock.now }),
    stats: new QueueStatistics({ dataSource, clock: clock.now }),
    async close() {
      await dataSource.destroy();
      await db.drop();
    },
  };
}

let contacts = 0;

/** A valid handoff package for a new contact. */
export function handoff(channel: Channel = 'chat', contactId = `c${++contacts}`): HandoffPackage {
  return {
    schemaVersion: 1,
    contactId,
    channel,
    customer: { id: `cust-${contactId}`, tier: 'standard', authenticated: true, authMethod: 'otp' },
    intent: { name: 'billing_dispute', confidence: 0.42 },
    entities: [{ type: 'order_number', value: 'A-1001' }],
    sentiment: { history: [-0.2, -0.6], current: -0.6, direction: 'worsening' },
    topics: ['billing'],
    trigger: { kind: 'human_request', reason: 'asked for a human', evidence: [] },
    stuckAt: { nodeId: 'bot_billing', reason: 'no_match twice' },
    tried: [{ kind: 'knowledge_article', detail: 'kb-12 refunds', succeeded: false }],
    summary: 'I was charged twice for order A-1001.',
    transcript: [{ at: '2026-11-23T08:59:00.000Z', from: 'customer', text: 'I was charged twice for order A-1001.' }],
    createdAt: '2026-11-23T09:00:00.000Z',
  };
}

let steps = 0;

/** Creation input for a work item in `queue`; every call is a new escalation unless `key` repeats one. */
export function escalation(queue: string, extra: { priority?: number; requiredSkills?: Record<string, number>; channel?: Channel; key?: string } = {}) {
  const h = handoff(extra.channel ?? 'chat');
  return {
    workflowId: extra.key ?? `contact-${h.contactId}`,
    stepId: `escalate_${++steps}`,
    visit: 0,
    queue,
    priority: extra.priority ?? 0,
    requiredSkills: extra.requiredSkills ?? {},
    handoff: h,
  };
}
