/**
 * A real stack for worker tests: a fresh PostgreSQL database with routing's schema, the example
 * queues and agents, a Temporal worker on its own task queue running the real interpreter and the real
 * virtual agent, and helpers that play the customer and the agent.
 */
import 'reflect-metadata';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { ActivityRegistry, defineActivity } from '@tandem/activity-kit';
import { loadConfig } from '@tandem/config';
import { eventsMigrations } from '@tandem/events';
import { contactWorkflowId, type CustomerInput } from '@tandem/contracts';
import { compileFlow, exampleResolver, exampleResolverData, calendarSchema, type Calendar, type FlowDocument, type Plan } from '@tandem/flow';
import {
  AssignmentOutbox,
  QueueStatistics,
  ResolutionOutbox,
  RoutingDirectory,
  WorkRouter,
  routingEntities,
  routingMigrations,
  type WorkItem,
} from '@tandem/routing';
import { createTestDatabase, uniqueName, waitFor, type TestDatabase } from '@tandem/testkit';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { ContactEventRecord } from '../src/activities/contract';
import type { ActivityDependencies } from '../src/activities';
import { buildEvents } from '../src/adapters/events';
import { RoutingWorkItemGateway } from '../src/adapters/routing';
import { createDraftEmailReplyActivity } from '@tandem/activity-library';
import { createLogger } from '../src/logger';
import { ChannelKey, ContactIdKey, FlowIdKey, FlowVersionKey } from '@tandem/workflow-contract';
import { contactWorkflowBundle, createContactWorker } from '../src/worker';
import { contactFlow } from '../src/workflows';
import { agentMessageSignal, cancelSignal, customerMessageUpdate, stateQuery } from '@tandem/workflow-contract';
import type { ContactFlowInput, ContactStateView, CustomerMessageReply } from '@tandem/workflow-contract';

Runtime.install({ logger: new DefaultLogger('WARN') });

const examplesDir = path.dirname(require.resolve('@tandem/flow/examples/ai-first-human-backup.json'));

export function loadExample(name: string): FlowDocument {
  return JSON.parse(fs.readFileSync(path.join(examplesDir, `${name}.json`), 'utf8')) as FlowDocument;
}

/** Changes some nodes' config before compiling (tests shorten SLAs and waits to seconds). */
export type ConfigPatches = Record<string, (config: Record<string, unknown>) => Record<string, unknown>>;

export function compileExample(name: string, patches: ConfigPatches = {}, guarantees?: { containment?: { quietSeconds: number } }): Plan {
  const doc = loadExample(name);
  if (guarantees) doc.guarantees = { ...doc.guarantees, ...guarantees };
  for (const node of doc.nodes) {
    const patch = patches[node.id];
    if (patch) node.config = patch((node.config ?? {}));
  }
  const unknown = Object.keys(patches).filter((id) => !doc.nodes.some((n) => n.id === id));
  if (unknown.length) throw new Error(`${name} has no node ${unknown.join(', ')}`);
  const result = compileFlow(doc, exampleResolver);
  if (!result.ok) throw new Error(`${name} does not compile: ${result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return result.plan;
}

/**
 * Records contact events in memory for assertions; every event is first built into its published
 * CloudEvent (packages/events), so a record that breaks the contract fails the test that emitted it.
 * (The Kafka path itself is tested in events-kafka.test.ts.)
 */
export class RecordingEventSink {
  readonly events: ContactEventRecord[] = [];
  readonly invalid: { record: ContactEventRecord; error: string }[] = [];
  /** Every delivery as it arrived: whose events and how many (retries included). */
  readonly batches: { contactId: string; sequences: number[] }[] = [];
  private readonly seen = new Set<string>();
  async publish(events: ContactEventRecord[]): Promise<{ published: number; deadLettered: number }> {
    if (events.length) this.batches.push({ contactId: events[0]!.contactId, sequences: events.map((e) => e.sequence) });
    const { refused } = buildEvents(events);
    for (const { record, error } of refused) this.invalid.push({ record, error: error instanceof Error ? error.message : String(error) });
    for (const e of events) {
      if (this.seen.has(e.id)) continue; // a retried activity republishes the same ids
      this.seen.add(e.id);
      this.events.push(e);
    }
    return { published: events.length - refused.length, deadLettered: refused.length };
  }
  of(contactId: string): ContactEventRecord[] {
    return this.events.filter((e) => e.contactId === contactId);
  }
}

/**
 * A custom activity for tests that need one in flight: it runs until `release()` (or 20 s). The
 * activity kit does not heartbeat, so a cancellation reaches the workflow, not the activity.
 */
export const testHold = (() => {
  let open: (() => void) | undefined;
  let gate = new Promise<void>((r) => (open = r));
  let started = 0;
  const activity = defineActivity({
    name: 'test_hold',
    title: 'Hold (tests)',
    description: 'Runs until the test releases it.',
    input: z.object({}),
    output: z.object({ held: z.boolean() }),
    timeoutSeconds: 30,
    async execute() {
      started += 1;
      await Promise.race([gate, new Promise((r) => setTimeout(r, 20_000).unref())]);
      return { held: true };
    },
  });
  return {
    activity,
    /** How many times it started. */
    started: () => started,
    /** Lets every held call finish, and the next ones run through until `hold()`. */
    release: () => open?.(),
    hold: () => void (gate = new Promise<void>((r) => (open = r))),
  };
})();

/** A node of a flow document written in a test (version 1 unless changed). */
export const flowNode = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, config });
/** An edge of a flow document written in a test. */
export const flowEdge = (source: string, sourcePort: string, target: string) => ({ id: `${source}-${sourcePort}`, source, sourcePort, target });

/** The patch ids a contact's history recorded (Temporal's `core_patch` markers), in order. */
export async function recordedPatches(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map((e) => (JSON.parse(Buffer.from(e.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0]!.data!).toString()) as { id: string }).id);
}

export interface Harness {
  db: TestDatabase;
  dataSource: DataSource;
  client: Client;
  taskQueue: string;
  router: WorkRouter;
  directory: RoutingDirectory;
  resolutions: ResolutionOutbox;
  /** Routing's workItemAssigned signals (accepting and claiming write them); `assignTo` delivers them. */
  assignments: AssignmentOutbox;
  events: RecordingEventSink;
  /** Named calendars the worker resolves (tests replace `support-hours` to control opening times). */
  calendars: Map<string, Calendar>;
  tickets: { key: string; id: string; subject: string; kind: string }[];
  deliveries: { contactId: string; from: string; text: string }[];
  dependencies: ActivityDependencies;
  worker: Worker | undefined;
  startContact(plan: Plan, contact?: Partial<StartContact>): Promise<Contact>;
  /** Like startContact, with extra workflow input (pinned subflows, calendars). */
  startContactWith(plan: Plan, contact: Partial<StartContact>, extra: Pick<ContactFlowInput, 'subflows' | 'calendars'>): Promise<Contact>;
  shutdown(): Promise<void>;
}

export interface StartContact {
  id: string;
  channel: 'chat' | 'voice' | 'email';
  customer: CustomerInput;
  firstMessage?: string;
  flowVersion: number;
  options?: ContactFlowInput['options'];
}

/** One contact, with helpers for the customer's and the agent's side. */
export class Contact {
  constructor(
    readonly id: string,
    readonly handle: WorkflowHandle<typeof contactFlow>,
    private readonly h: Harness,
  ) {}

  /** Sends a customer message; retries while the contact hands over to a new run (as the API does). */
  async say(text: string): Promise<CustomerMessageReply> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.handle.executeUpdate(customerMessageUpdate, { args: [{ schemaVersion: 1, text }] });
      } catch (e) {
        const moving = String((e as { cause?: Error }).cause?.message ?? '').startsWith('CONTACT_MOVING');
        if (!moving || attempt > 50) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  state(): Promise<ContactStateView> {
    return this.handle.query(stateQuery);
  }

  async waitForStep(step: string, timeoutMs = 20_000): Promise<ContactStateView> {
    let last: ContactStateView | undefined;
    try {
      return await waitFor(async () => {
        last = await this.state();
        return last.steps.includes(step) ? last : undefined;
      }, { timeoutMs, what: `contact ${this.id} to reach ${step}` });
    } catch (e) {
      const where = last ? ` (path ${last.path.join(' > ')}; outcome ${last.outcome}; transcript ${JSON.stringify(last.transcript.map((t) => `${t.from}: ${t.text}`))})` : '';
      throw new Error(`${(e as Error).message}${where}`);
    }
  }

  /** The work item routing holds for this contact, once the flow escalated. */
  async workItem(timeoutMs = 20_000): Promise<WorkItem> {
    return waitFor(async () => {
      const s = await this.state();
      return s.workItem ? this.h.router.getWorkItem(s.workItem.id) : undefined;
    }, { timeoutMs, what: `a work item for contact ${this.id}` });
  }

  /** A supervisor hands this contact's item to one agent (transfer → offer → accept), whatever else waits. */
  async assignTo(workItemId: string, agentId: string): Promise<void> {
    const offered = await this.h.router.transferWorkItem(workItemId, { toAgentId: agentId, by: { kind: 'supervisor', id: 'test' }, note: 'assigned by the test' });
    const [pending] = (await this.h.router.pendingOffersFor(agentId)).filter((p) => p.workItem.id === offered.id);
    if (!pending) throw new Error(`no offer of ${workItemId} to ${agentId}`);
    await this.h.router.acceptOffer(pending.offer.id, agentId);
    // Routing tells the contact through its outbox (the API's deliverer in production), as it would.
    await waitFor(async () => {
      await this.h.assignments.deliverPending(this.h.client);
      const d = (await this.h.assignments.deliveriesOf(workItemId)).find((x) => x.payload.agentId === agentId);
      return d && d.status !== 'pending' ? d : undefined;
    }, { timeoutMs: 20_000, what: `the assignment of ${workItemId} to ${agentId} to reach the contact` });
  }

  agentSays(workItemId: string, agentId: string, text: string): Promise<void> {
    return this.handle.signal(agentMessageSignal, { schemaVersion: 1, workItemId, agentId, text });
  }

  /** The agent completes the item in routing; the resolution reaches the workflow through routing's outbox. */
  async complete(workItemId: string, agentId: string, outcome: 'resolved' | 'transferred' | 'abandoned' = 'resolved', reasonTags: string[] = []): Promise<void> {
    await this.h.router.completeWorkItem(workItemId, agentId, { outcome, reasonTags });
    await waitFor(async () => {
      await this.h.resolutions.deliverPending(this.h.client);
      const d = await this.h.resolutions.deliveryOf(workItemId);
      return d?.status === 'delivered' ? d : undefined;
    }, { timeoutMs: 20_000, what: `the resolution of ${workItemId} to be delivered` });
  }

  cancel(reason: 'customer_left' | 'operator' = 'customer_left'): Promise<void> {
    return this.handle.signal(cancelSignal, { schemaVersion: 1, reason });
  }

  result() {
    return this.handle.result();
  }
}

/** The example flows' queues, by name. */
export function exampleQueueNames(): string[] {
  return (exampleResolverData.queues ?? []).map((q) => (typeof q === 'string' ? q : q.name));
}

export interface HarnessOptions {
  agents?: { id: string; skills: Record<string, number>; queues: string[] }[];
  /** false: no worker in this process (the durability test runs workers in child processes). */
  inProcessWorker?: boolean;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const config = loadConfig();
  const db = await createTestDatabase('worker');
  // Routing's tables and the events' (the worker dead-letters refused events there), as the API migrates them.
  const dataSource = new DataSource({ type: 'postgres', url: db.url, entities: routingEntities, migrations: [...routingMigrations, ...eventsMigrations], synchronize: false, extra: { max: 10 } });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const router = new WorkRouter({ dataSource });
  const directory = new RoutingDirectory({ dataSource });
  const stats = new QueueStatistics({ dataSource });
  const resolutions = new ResolutionOutbox({ dataSource, baseBackoffSeconds: 0.05, maxBackoffSeconds: 0.5 });
  const assignments = new AssignmentOutbox({ dataSource, baseBackoffSeconds: 0.05, maxBackoffSeconds: 0.5 });
  for (const name of exampleQueueNames()) await directory.defineQueue({ name, slaTargetSeconds: 120 });
  const agents = options.agents ?? [
    { id: 'alice', skills: { support: 5, orders: 5, billing: 5, complaints: 5 }, queues: exampleQueueNames() },
    { id: 'bob', skills: { support: 3, billing: 3 }, queues: ['support', 'billing', 'billing-overflow', 'support-overflow'] },
  ];
  for (const a of agents) {
    await directory.defineAgent({ id: a.id, skills: a.skills, queues: a.queues, capacity: { chat: 3, voice: 1, email: 5 } });
    await router.setAgentStatus(a.id, 'available');
  }

  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const taskQueue = uniqueName('contacts');
  const events = new RecordingEventSink();
  const tickets: Harness['tickets'] = [];
  const deliveries: Harness['deliveries'] = [];
  const calendars = new Map<string, Calendar>();
  for (const c of exampleResolverData.calendars ?? []) if (typeof c !== 'string' && c.calendar) calendars.set(c.name, calendarSchema.parse(c.calendar));
  const dependencies: ActivityDependencies = {
    workItems: new RoutingWorkItemGateway(router, stats),
    calendars: { get: async (name) => calendars.get(name) },
    tickets: {
      async create(key, request) {
        const existing = tickets.find((t) => t.key === key);
        if (existing) return { ticketId: existing.id };
        const id = `T-${tickets.length + 1}`;
        tickets.push({ key, id, subject: request.subject, kind: request.kind });
        return { ticketId: id };
      },
    },
    plans: { latestPublished: async () => undefined },
    channel: { deliver: async (m) => void deliveries.push({ contactId: m.contactId, from: m.from, text: m.text }) },
    events,
    customActivities: new ActivityRegistry([createDraftEmailReplyActivity(), testHold.activity]),
    logger: createLogger('warn'),
  };
  const worker =
    options.inProcessWorker === false
      ? undefined
      : await createContactWorker({ connection: nativeConnection, namespace: config.temporal.namespace, taskQueue, dependencies, workflowBundle: await contactWorkflowBundle() });
  const running = worker?.run();

  const harness: Harness = {
    db,
    dataSource,
    client,
    taskQueue,
    router,
    directory,
    resolutions,
    assignments,
    events,
    calendars,
    tickets,
    deliveries,
    dependencies,
    worker,
    startContact(plan, contact = {}) {
      return harness.startContactWith(plan, contact, {});
    },
    async startContactWith(plan, contact, extra) {
      const id = contact.id ?? uniqueName('c');
      const input: ContactFlowInput = {
        schemaVersion: 1,
        plan,
        flowVersion: contact.flowVersion ?? 1,
        contact: {
          id,
          channel: contact.channel ?? 'chat',
          customer: contact.customer ?? { id: `cust-${id}`, name: 'Dana', tier: 'standard' },
          ...(contact.firstMessage ? { firstMessage: contact.firstMessage } : {}),
        },
        ...(contact.options ? { options: contact.options } : {}),
        ...extra,
      };
      const handle = await client.workflow.start(contactFlow, {
        workflowId: contactWorkflowId(id),
        taskQueue,
        args: [input],
        typedSearchAttributes: [
          { key: ContactIdKey, value: id },
          { key: FlowIdKey, value: plan.flowId },
          { key: FlowVersionKey, value: input.flowVersion },
          { key: ChannelKey, value: input.contact.channel },
        ],
      });
      return new Contact(id, handle, harness);
    },
    async shutdown() {
      worker?.shutdown();
      await running;
      // Every event any test of this file emitted matched its published contract.
      if (events.invalid.length) throw new Error(`events broke their contract: ${JSON.stringify(events.invalid.slice(0, 3))}`);
      await connection.close();
      await nativeConnection.close();
      await dataSource.destroy();
      await db.drop();
    },
  };
  return harness;
}
