/**
 * The production wiring (what `main.ts` runs): contact events reach Kafka as valid CloudEvents, tickets
 * land in routing, and resolutions are delivered by the worker's own loop.
 */
import { loadConfig } from '@tandem/config';
import { defaultTopics, ensureTopics, parseEvent, type TandemEvent } from '@tandem/events';
import { TicketDesk } from '@tandem/routing';
import { uniqueName, waitFor } from '@tandem/testkit';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { createLogger } from '../src/logger';
import { contactWorkflowBundle } from '../src/worker';
import { loadWorkerSettings, startWorkerRuntime, type WorkerRuntime } from '../src/wiring';
import { compileExample, startHarness, type Harness } from './harness';

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
      settings: loadWorkerSettings({}),
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
});
