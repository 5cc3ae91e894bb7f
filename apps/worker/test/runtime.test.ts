/**
 * The production wiring (what `main.ts` runs): contact events reach Kafka as valid CloudEvents, tickets
 * land in routing, and resolutions are delivered by the worker's own loop.
 */
import { loadConfig } from '@tandem/config';
import { defaultTopics, ensureTopics, parseEvent, type TandemEvent } from '@tandem/events';
import { planHash } from '@tandem/flow';
import { TicketDesk } from '@tandem/routing';
import { uniqueName, waitFor } from '@tandem/testkit';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { createLogger } from '../src/logger';
import { contactWorkflowBundle } from '../src/worker';
import { loadWorkerSettings, startWorkerRuntime, type WorkerRuntime } from '../src/wiring';
import { compileWith } from './fixtures/flows';
import { compileExample, flowEdge, flowNode, startHarness, type Harness } from './harness';

/** A flow that says hello and ends: enough to see what becomes of its events. */
const hello = compileWith({
  schemaVersion: 1,
  id: 'hello',
  name: 'Hello',
  channels: ['chat'],
  variables: [],
  nodes: [flowNode('start', 'start'), flowNode('hi', 'message', { text: 'Hello {{customer.name}}' }), flowNode('done', 'end', { outcome: 'resolved_by_bot' })],
  edges: [flowEdge('start', 'next', 'hi'), flowEdge('hi', 'next', 'done')],
} as never);

/** Every `emitEvents` attempt of a contact: how many there were, and how many failed. */
async function emitAttempts(h: Harness, workflowId: string): Promise<{ attempts: number[]; failed: number }> {
  const events = (await h.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const emits = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'emitEvents').map((e) => String(e.eventId)));
  const started = events.filter((e) => emits.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId ?? '')));
  const failed = events.filter((e) => emits.has(String(e.activityTaskFailedEventAttributes?.scheduledEventId ?? '')) || emits.has(String(e.activityTaskTimedOutEventAttributes?.scheduledEventId ?? '')));
  return { attempts: started.map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0), failed: failed.length };
}

describe('worker runtime (production wiring)', () => {
  let h: Harness;
  let runtime: WorkerRuntime;
  let consumer: Consumer;
  const received: TandemEvent[] = [];

  beforeAll(async () => {
    h = await startHarness({ inProcessWorker: false });
    const config = loadConfig({ ...process.env, TANDEM_DATABASE_URL: h.db.url });
    const kafka = new Kafka({ clientId: 'worker-runtime-test', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin);
    await admin.disconnect();
    consumer = kafka.consumer({ groupId: uniqueName('runtime-test') });
    await consumer.connect();
    await consumer.subscribe({ topics: [defaultTopics.contactEvents, defaultTopics.feedbackEvents], fromBeginning: false });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    void consumer.run({ eachMessage: async ({ message }) => void received.push(parseEvent(JSON.parse(String(message.value)))) });
    await waitFor(() => joined || undefined, { timeoutMs: 30_000, what: 'the consumer to join its group' });
    runtime = await startWorkerRuntime({
      config,
      // Its /health and /metrics on a free port.
      settings: loadWorkerSettings({ TANDEM_WORKER_HTTP_PORT: '0' }),
      logger: createLogger('warn'),
      taskQueue: h.taskQueue,
      workflowBundle: await contactWorkflowBundle(),
    });
    void runtime.run();
  });
  afterAll(async () => {
    await consumer?.disconnect();
    await runtime?.stop();
    await h?.shutdown();
  });

  it('publishes every contact event to Kafka, valid against its contract, in order', async () => {
    const contact = await h.startContact(compileExample('ai-first-human-backup'), { firstMessage: 'What are your opening hours?', customer: { id: 'rt-1', name: 'Eve' } });
    await contact.waitForStep('support-bot');
    await waitFor(async () => ((await contact.state()).transcript.some((t) => t.articleId) ? true : undefined), { what: 'the first answer' });
    await contact.say('yes thanks');
    await contact.say('5');
    expect((await contact.result()).outcome).toBe('resolved_by_bot');
    const mine = await waitFor(() => {
      const events = received.filter((e) => e.subject === contact.id);
      return events.some((e) => e.type === 'tandem.contact.ended.v1') && events.some((e) => e.type === 'tandem.feedback.csat.v1') ? events : undefined;
    }, { timeoutMs: 30_000, what: 'the contact events on Kafka' });
    const contactEvents = mine.filter((e) => e.type !== 'tandem.feedback.csat.v1');
    expect(contactEvents[0]?.type).toBe('tandem.contact.started.v1');
    expect(contactEvents.at(-1)?.type).toBe('tandem.contact.ended.v1');
    expect(new Set(mine.map((e) => e.id)).size).toBe(mine.length);
    expect(mine.map((e) => e.type)).toEqual(expect.arrayContaining(['tandem.step.entered.v1', 'tandem.step.exited.v1', 'tandem.bot.turn.v1']));
    const ended = contactEvents.at(-1) as TandemEvent & { data: { outcome: string; escalations: number }; flowid: string; nodeid: string };
    expect(ended).toMatchObject({ flowid: 'ai-first-human-backup', nodeid: 'done-bot', data: { outcome: 'resolved_by_bot', escalations: 0 } });
  });

  it('stores tickets in routing and delivers resolutions on its own', async () => {
    const plan = compileExample('ai-first-human-backup', {
      'support-agents': (c) => ({ ...c, sla: { targetSeconds: 1 }, breachActions: [], maxWaitSeconds: 30 }),
    });
    const resolved = await h.startContact(plan, { firstMessage: 'Hi, I need help with my account', customer: { id: 'rt-2', name: 'Flo' } });
    await resolved.waitForStep('support-bot');
    await resolved.say('let me talk to an agent');
    const item = await resolved.workItem();
    await resolved.assignTo(item.id, 'alice');
    // No manual delivery here: the runtime's resolution loop signals the workflow.
    await h.router.completeWorkItem(item.id, 'alice', { outcome: 'resolved', reasonTags: ['account'] });
    await resolved.waitForStep('agent-survey');
    await resolved.say('4');
    expect((await resolved.result()).outcome).toBe('resolved_by_human');

    const timedOut = compileExample('ai-first-human-backup', {
      'support-agents': (c) => ({ ...c, sla: { targetSeconds: 1 }, breachActions: [], maxWaitSeconds: 2 }),
    });
    const ticketed = await h.startContact(timedOut, { firstMessage: 'Hi, I need help with my account', customer: { id: 'rt-3', name: 'Gil' } });
    await ticketed.waitForStep('support-bot');
    await ticketed.say('agent please');
    expect((await ticketed.result()).outcome).toBe('ticketed');
    const [ticket] = await new TicketDesk({ dataSource: h.dataSource }).list({ contactId: ticketed.id });
    expect(ticket).toMatchObject({ kind: 'callback', status: 'open', queue: 'support', subject: 'Callback for Gil: password_reset' });
    expect(ticket?.handoff?.transcript.map((t) => t.text)).toContain('agent please');
  });

  it('a designer test chat (a draft, version 0) publishes its events as a simulation, with no failed emitEvents attempt', async () => {
    const contact = await h.startContact(hello, { flowVersion: 0, customer: { id: 'rt-4', name: 'Hal' } });
    expect((await contact.result()).outcome).toBe('resolved_by_bot');
    const mine = await waitFor(() => {
      const events = received.filter((e) => e.subject === contact.id);
      return events.some((e) => e.type === 'tandem.contact.ended.v1') ? events : undefined;
    }, { timeoutMs: 30_000, what: 'the draft contact\'s events on Kafka' });
    expect(mine[0]).toMatchObject({ type: 'tandem.contact.started.v1', flowversion: 0, simulation: true });
    expect(mine.every((e) => (e as { simulation?: boolean }).simulation === true)).toBe(true);
    const { attempts, failed } = await emitAttempts(h, contact.handle.workflowId);
    expect(failed).toBe(0);
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((a) => a === 1)).toBe(true);
  });

  it('an event its contract refuses is dead-lettered — kept, counted on /metrics, never retried — and the contact still ends', async () => {
    const metric = async () => {
      const text = await (await fetch(`${runtime.httpUrl}/metrics`)).text();
      return [...text.matchAll(/^tandem_events_dead_lettered_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    };
    const before = await metric();
    // A plan whose flow id is empty (the compiler never makes one; a hand-edited plan with its hash
    // recomputed could): every event it records breaks the contract's `flowid must not be empty`.
    const bad = { ...hello, flowId: '' };
    bad.hash = planHash(bad);
    const contact = await h.startContact(bad, { customer: { id: 'rt-5', name: 'Ida' } });
    expect((await contact.result()).outcome).toBe('resolved_by_bot');
    const { failed } = await emitAttempts(h, contact.handle.workflowId);
    expect(failed).toBe(0);
    const letters = await h.dataSource.query<{ event_type: string; error: string; source: string }[]>(
      `SELECT event_type, error, source FROM events.producer_dead_letters WHERE contact_id = $1 ORDER BY event_id`,
      [contact.id],
    );
    expect(letters.length).toBeGreaterThanOrEqual(4);
    expect(letters.map((l) => l.event_type)).toEqual(expect.arrayContaining(['tandem.contact.started.v1', 'tandem.contact.ended.v1']));
    expect(letters.every((l) => l.source === '/tandem/worker' && /flowid must not be empty/.test(l.error))).toBe(true);
    expect(await metric()).toBe(before + letters.length);
    expect((await fetch(`${runtime.httpUrl}/health`)).status).toBe(200);
  });
});
