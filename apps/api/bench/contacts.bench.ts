/**
 * `npm run bench -w @tandem/api`: contacts started per second and the customer-message round trip
 * (message in → bot reply out) through the API, with a contact worker running — next to a baseline
 * measured in the same run: the same work straight on the Temporal client, without the API (HTTP,
 * auth, validation, pinning, the update's error handling). Prints a table and a JSON line.
 *
 * Knobs: BENCH_CONTACTS (starts per side, default 200), BENCH_CONVERSATIONS (default 16),
 * BENCH_TURNS (messages per conversation, default 8), BENCH_CONCURRENCY (default 8).
 */
import 'reflect-metadata';
import { contactWorkflowId } from '@tandem/contracts';
import type { FlowDocumentInput, Plan } from '@tandem/flow';
import { customerMessageUpdate, type ContactFlowInput, ContactIdKey, FlowIdKey, FlowVersionKey, ChannelKey } from '@tandem/workflow-contract';
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { startTestApp, type TestApp } from '../test/support/test-app';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 200);
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 16);
const TURNS = Number(process.env.BENCH_TURNS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

/** start → a knowledge-base bot that keeps answering (no escalation triggers) → end. */
function benchFlow(id: string): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name: 'Bench bot',
    description: 'A bot answering from the knowledge base, turn after turn.',
    channels: ['chat'],
    variables: [],
    nodes: [
      { id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
      {
        id: 'bot',
        type: 'bot',
        typeVersion: 1,
        position: { x: 200, y: 0 },
        config: { greeting: 'Hi, how can I help?', knowledgeBase: { enabled: true, answerThreshold: 0.5 }, maxTurns: 50, escalateOn: [] },
      },
      { id: 'done', type: 'end', typeVersion: 1, position: { x: 400, y: 0 }, config: { outcome: 'resolved_by_bot' } },
      { id: 'handoff', type: 'end', typeVersion: 1, position: { x: 400, y: 100 }, config: { outcome: 'abandoned' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'bot' },
      { id: 'e2', source: 'bot', sourcePort: 'resolved', target: 'done' },
      { id: 'e3', source: 'bot', sourcePort: 'escalate', target: 'handoff' },
      { id: 'e4', source: 'bot', sourcePort: 'no_match', target: 'handoff' },
    ],
  };
}

const QUESTIONS = ['What are your opening hours?', 'How do I reset my password?', 'Can I change my delivery address?', 'Do you ship abroad?'];

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

async function main(): Promise<void> {
  const t: TestApp = await startTestApp({ TANDEM_API_MESSAGE_TIMEOUT_MS: '60000' }, { worker: true });
  const started: string[] = [];
  const connection = await Connection.connect({ address: t.config.temporal.address });
  const client = new Client({ connection, namespace: t.config.temporal.namespace });
  try {
    await t.app.listen(0, '127.0.0.1');
    const base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    const designer = { Authorization: `Bearer ${t.token('designer')}`, 'content-type': 'application/json' };
    const service = { Authorization: `Bearer ${t.token('service')}`, 'content-type': 'application/json' };
    const flowId = 'bench-bot';
    await t.http.post('/v1/flows').set(designer).send(benchFlow(flowId)).expect(201);
    await t.http.post(`/v1/flows/${flowId}/publish`).set(designer).send({}).expect(201);
    const plan = (await t.http.get(`/v1/flows/${flowId}/versions/1`).set(designer).expect(200)).body.plan as Plan;
    const post = async (path: string, body: unknown, expected: number) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: service, body: JSON.stringify(body) });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status !== expected) throw new Error(`${path} → ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const rawInput = (id: string): ContactFlowInput => ({ schemaVersion: 1, plan, flowVersion: 1, contact: { id, channel: 'chat', customer: { id: `cust-${id}` } }, calendars: {}, subflows: {}, origin: { kind: 'api' } });
    const rawStart = (id: string) =>
      client.workflow.start('contactFlow', {
        workflowId: contactWorkflowId(id),
        taskQueue: t.config.temporal.taskQueue,
        args: [rawInput(id)],
        typedSearchAttributes: [
          { key: ContactIdKey, value: id },
          { key: FlowIdKey, value: flowId },
          { key: FlowVersionKey, value: 1 },
          { key: ChannelKey, value: 'chat' },
        ],
      });

    // Warm-up: both paths, so neither pays for first connections and JIT.
    for (let i = 0; i < 5; i++) {
      started.push(((await post('/v1/contacts', { flowId, channel: 'chat', customer: { id: 'warm' } }, 201)) as { contactId: string }).contactId);
      const id = randomUUID();
      await rawStart(id);
      started.push(id);
    }

    /**
     * Ends the contacts started so far and lets the worker finish what they queued, so one phase's
     * backlog (greetings of hundreds of new contacts) is not billed to the next.
     */
    const settle = async () => {
      await pool(started.splice(0), 16, async (id) => {
        await client.workflow.getHandle(contactWorkflowId(id)).terminate('benchmark phase over').catch(() => undefined);
      });
      const probe = randomUUID();
      await rawStart(probe);
      started.push(probe);
      await client.workflow.getHandle(contactWorkflowId(probe)).executeUpdate(customerMessageUpdate, { args: [{ schemaVersion: 1, text: 'ping' }] });
    };

    // 1. Contacts started per second: API and baseline in alternating halves (ABBA), so neither
    // side gets the quieter machine.
    const startRate = async (n: number, start: () => Promise<string>) => {
      const t0 = performance.now();
      await pool(Array.from({ length: n }), CONCURRENCY, async () => void started.push(await start()));
      const seconds = (performance.now() - t0) / 1000;
      await settle();
      return seconds;
    };
    const rawOnce = async () => {
      const id = randomUUID();
      await rawStart(id);
      return id;
    };
    const apiOnce = async () => ((await post('/v1/contacts', { flowId, channel: 'chat', customer: { id: 'bench' } }, 201)) as { contactId: string }).contactId;
    const half = Math.ceil(CONTACTS / 2);
    let rawSeconds = await startRate(half, rawOnce);
    let apiSeconds = await startRate(half, apiOnce);
    apiSeconds += await startRate(half, apiOnce);
    rawSeconds += await startRate(half, rawOnce);
    const rawStarts = (2 * half) / rawSeconds;
    const apiStarts = (2 * half) / apiSeconds;

    // 2. Message round trips: conversations of TURNS messages, CONCURRENCY of them at a time; ABBA again.
    const roundTrips = async (send: (contactId: string, text: string) => Promise<void>, open: () => Promise<string>) => {
      await settle();
      const ids: string[] = [];
      for (let i = 0; i < CONVERSATIONS / 2; i++) ids.push(await open());
      // The greetings of the new conversations are done before the clock starts.
      for (const id of ids) await client.workflow.getHandle(contactWorkflowId(id)).query('state');
      const times: number[] = [];
      const t0 = performance.now();
      await pool(ids, CONCURRENCY, async (id) => {
        for (let turn = 0; turn < TURNS; turn++) {
          const s = performance.now();
          await send(id, QUESTIONS[turn % QUESTIONS.length]!);
          times.push(performance.now() - s);
        }
      });
      return { times, seconds: (performance.now() - t0) / 1000 };
    };
    const summary = (runs: { times: number[]; seconds: number }[]) => {
      const times = runs.flatMap((r) => r.times).sort((a, b) => a - b);
      return { p50: percentile(times, 50), p99: percentile(times, 99), perSecond: times.length / runs.reduce((s, r) => s + r.seconds, 0), n: times.length };
    };
    const rawConversation = () => roundTrips(
      async (id, text) => {
        const reply = await client.workflow.getHandle(contactWorkflowId(id)).executeUpdate(customerMessageUpdate, { args: [{ schemaVersion: 1, text }] });
        if (reply.handledBy !== 'bot') throw new Error(`raw: the bot did not answer (${reply.handledBy})`);
      },
      async () => {
        const id = randomUUID();
        await rawStart(id);
        started.push(id);
        return id;
      },
    );
    const apiConversation = () => roundTrips(
      async (id, text) => {
        const reply = (await post(`/v1/contacts/${id}/messages`, { text }, 200)) as { handledBy: string };
        if (reply.handledBy !== 'bot') throw new Error(`api: the bot did not answer (${reply.handledBy})`);
      },
      async () => {
        const id = ((await post('/v1/contacts', { flowId, channel: 'chat', customer: { id: 'bench' } }, 201)) as { contactId: string }).contactId;
        started.push(id);
        return id;
      },
    );
    const rawRuns = [await rawConversation()];
    const apiRuns = [await apiConversation(), await apiConversation()];
    rawRuns.push(await rawConversation());
    const raw = summary(rawRuns);
    const api = summary(apiRuns);

    const f = (n: number, d = 1) => n.toFixed(d);
    const rows = [
      ['contacts started / s', f(apiStarts), f(rawStarts), f(apiStarts / rawStarts, 2)],
      ['message round trip p50 (ms)', f(api.p50), f(raw.p50), f(api.p50 / raw.p50, 2)],
      ['message round trip p99 (ms)', f(api.p99), f(raw.p99), f(api.p99 / raw.p99, 2)],
      ['messages / s', f(api.perSecond), f(raw.perSecond), f(api.perSecond / raw.perSecond, 2)],
    ];
    const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
    process.stdout.write(
      `\nTandem API benchmark — ${new Date().toISOString()}, ${os.cpus().length} cores, load average ${load}\n` +
        `${CONTACTS} starts per side, ${CONVERSATIONS} conversations × ${TURNS} messages per side, concurrency ${CONCURRENCY}; worker in process\n\n` +
        `${'metric'.padEnd(30)}${'through the API'.padStart(18)}${'Temporal client (baseline)'.padStart(28)}${'ratio'.padStart(8)}\n` +
        rows.map(([m, a, b, r]) => `${m!.padEnd(30)}${a!.padStart(18)}${b!.padStart(28)}${r!.padStart(8)}`).join('\n') +
        '\n\n',
    );
    process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), load, apiStarts, rawStarts, api, raw, contacts: CONTACTS, conversations: CONVERSATIONS, turns: TURNS, concurrency: CONCURRENCY })}\n`);
  } finally {
    await pool(started, 16, async (id) => {
      await client.workflow.getHandle(contactWorkflowId(id)).terminate('benchmark over').catch(() => undefined);
    });
    await connection.close();
    await t.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
