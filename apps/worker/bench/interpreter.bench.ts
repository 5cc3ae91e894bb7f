/**
 * Benchmark: the same 10-step flow run (a) as a compiled plan through the interpreter and (b) as a
 * hand-written workflow calling the same activities, on the same dev server in the same run.
 * Prints contacts/s and p50/p99 contact latency for both and the ratio (goal: interpreter ≥ 0.9×).
 *
 *   npm run bench -w @tandem/worker            (BENCH_CONTACTS=100 per segment, BENCH_CONCURRENCY=30, BENCH_ROUNDS=12 pairs)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { ActivityRegistry } from '@tandem/activity-kit';
import { loadConfig } from '@tandem/config';
import { customerSchema } from '@tandem/contracts';
import { compileFlow, exampleResolver, type FlowDocument } from '@tandem/flow';
import { processCpuMs } from '@tandem/testkit';
import { preloadBotModels } from '@tandem/virtual-agent';
import { randomUUID } from 'node:crypto';
import { createActivities } from '../src/activities';
import { createLogger } from '../src/logger';
import { contactWorkflowBundle, quietBundlerLogger } from '../src/worker';
import type { ContactFlowInput } from '@tandem/workflow-contract';

Runtime.install({ logger: new DefaultLogger('WARN') });

const N = Number(process.env.BENCH_CONTACTS ?? 100); // per side per segment
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12); // segment pairs

const n = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, config });
const e = (source: string, sourcePort: string, target: string) => ({ id: `${source}.${sourcePort}`, source, sourcePort, target });

/** The 10 steps: start, classify, decide, set, message, set, decide, message, ticket, end. */
const flow = {
  schemaVersion: 1,
  id: 'bench-ten-steps',
  name: 'Ten steps',
  channels: ['chat'],
  variables: [
    { name: 'urgent', type: 'bool' },
    { name: 'attempts', type: 'int' },
  ],
  nodes: [
    n('start', 'start'),
    n('classify', 'classify'),
    n('decide', 'decision', { rules: [{ id: 'urgent', condition: 'nlu.sentiment < -0.5 || size(nlu.triggers) > 0' }] }),
    n('mark', 'set', { assignments: [{ variable: 'attempts', value: 'ctx.attempts + 1' }, { variable: 'urgent', value: 'nlu.sentiment < -0.5' }] }),
    n('ack', 'message', { text: 'Thanks {{customer.name}}, we are looking into {{nlu.intent}}.' }),
    n('count', 'set', { assignments: [{ variable: 'attempts', value: 'ctx.attempts + 1' }] }),
    n('tier', 'decision', { rules: [{ id: 'priority', condition: 'customer.tier == "vip" || ctx.urgent' }] }),
    n('tell', 'message', { text: 'Your request is {{ctx.urgent ? "priority" : "standard"}} ({{ctx.attempts}}).' }),
    n('ticket', 'ticket', { kind: 'follow_up', queue: 'support', subject: 'Follow up: {{nlu.intent}}', priority: 'ctx.urgent ? 50 : 10', includeHandoff: false }),
    n('end', 'end', { outcome: 'ticketed' }),
  ],
  edges: [
    e('start', 'next', 'classify'),
    e('classify', 'next', 'decide'),
    e('decide', 'urgent', 'mark'),
    e('decide', 'default', 'mark'),
    e('mark', 'next', 'ack'),
    e('ack', 'next', 'count'),
    e('count', 'next', 'tier'),
    e('tier', 'priority', 'tell'),
    e('tier', 'default', 'tell'),
    e('tell', 'next', 'ticket'),
    e('ticket', 'next', 'end'),
  ],
} as unknown as FlowDocument;

/**
 * The Temporal server's process, to split each side's cost between the worker (this process) and the
 * server: `BENCH_SERVER_PID`, else the local dev server found in /proc (Linux); undefined elsewhere.
 */
function temporalServerPid(): number | undefined {
  if (process.env.BENCH_SERVER_PID) return Number(process.env.BENCH_SERVER_PID);
  try {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((a) => /(^|\/)temporal$/.test(a)) && cmdline.includes('start-dev')) return Number(entry);
    }
  } catch {
    // not Linux, or the process went away while we looked
  }
  return undefined;
}
const serverPid = temporalServerPid();

/** CPU milliseconds the server process has used so far; NaN when unknown. */
const serverCpuMs = (): number => (serverPid === undefined ? NaN : processCpuMs([serverPid]));

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function runMany(
  start: (i: number) => Promise<unknown>,
): Promise<{ perSecond: number; seconds: number; latencies: number[]; p50: number; p99: number; cpuMsPerContact: number; serverMsPerContact: number }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  // CPU of this process (worker + client) per contact: steadier than wall time on a shared machine.
  const cpu0 = process.cpuUsage();
  // And the Temporal server's, the other half of what a contact costs these two cores.
  const server0 = serverCpuMs();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= N) return;
        const s = performance.now();
        await start(i);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  return {
    perSecond: N / seconds,
    seconds,
    latencies,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuMsPerContact: (cpu.user + cpu.system) / 1000 / N,
    serverMsPerContact: (serverCpuMs() - server0) / N,
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const compiled = compileFlow(flow, exampleResolver);
  if (!compiled.ok) throw new Error(`the bench flow does not compile: ${JSON.stringify(compiled.diagnostics)}`);
  const plan = compiled.plan;
  process.stdout.write(`plan: ${JSON.stringify(plan).length} bytes of JSON\n`);
  await preloadBotModels([{}]);
  const tickets = new Map<string, string>();
  const activities = createActivities({
    workItems: {
      create: () => Promise.reject(new Error('unused')),
      raisePriority: () => Promise.resolve(),
      move: () => Promise.resolve(),
      withdraw: () => Promise.resolve(),
      withdrawOpenOf: () => Promise.resolve(0),
      estimatedWaitSeconds: () => Promise.resolve(0),
    },
    calendars: { get: () => Promise.resolve(undefined) },
    plans: { latestPublished: () => Promise.resolve(undefined) },
    tickets: {
      create: async (key) => {
        if (!tickets.has(key)) tickets.set(key, randomUUID());
        return { ticketId: tickets.get(key)! };
      },
    },
    channel: { deliver: () => Promise.resolve() },
    events: { publish: (events) => Promise.resolve({ published: events.length, deadLettered: 0 }) },
    customActivities: new ActivityRegistry(),
    logger: createLogger('warn'),
  });
  // The interpreter runs from the product's bundle (what ships); the hand-written workflow from its own
  // bundle with the SDK's defaults, as a developer would build it. One worker each, same process,
  // same activities and tuning, each on its own task queue.
  const [contactBundle, handwrittenBundle] = await Promise.all([
    contactWorkflowBundle(),
    bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: quietBundlerLogger }),
  ]);
  const taskQueue = `bench-${randomUUID()}`;
  const hwTaskQueue = `${taskQueue}-hw`;
  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const tuning = { connection: nativeConnection, namespace: config.temporal.namespace, activities, maxConcurrentWorkflowTaskExecutions: 40, maxConcurrentActivityTaskExecutions: 100 };
  const workers = [
    await Worker.create({ ...tuning, taskQueue, workflowBundle: contactBundle }),
    await Worker.create({ ...tuning, taskQueue: hwTaskQueue, workflowBundle: handwrittenBundle }),
  ];
  const running = Promise.all(workers.map((w) => w.run()));
  const shutdown = () => workers.forEach((w) => w.shutdown());
  const customer = customerSchema.parse({ id: 'bench', name: 'Bea', tier: 'standard' });
  const text = 'I was charged twice for my order, please help';

  const interpreted = (i: number, tag: string) => {
    const id = `${tag}-${i}-${randomUUID().slice(0, 8)}`;
    const input: ContactFlowInput = { schemaVersion: 1, plan, flowVersion: 1, contact: { id, channel: 'chat', customer, firstMessage: text } };
    return client.workflow.execute('contactFlow', { taskQueue, workflowId: `contact-${id}`, args: [input] });
  };
  const handwritten = (i: number, tag: string) => {
    const id = `${tag}-${i}-${randomUUID().slice(0, 8)}`;
    // BENCH_HW_CARRIES_PLAN=1: the hand-written one carries the same plan in its input (measures payload cost).
    // BENCH_HW_VERSIONED=1: it also records a patch and the outcome search attribute (history cost of versioning).
    const extra = { ...(process.env.BENCH_HW_CARRIES_PLAN === '1' ? { plan } : {}), ...(process.env.BENCH_HW_VERSIONED === '1' ? { versioned: true } : {}) };
    return client.workflow.execute('handwrittenFlow', { taskQueue: hwTaskQueue, workflowId: `hw-${id}`, args: [{ contactId: id, text, customer, ...extra }] });
  };

  process.stdout.write(`warming up (40 contacts each)…\n`);
  for (let i = 0; i < 40; i++) await Promise.all([interpreted(i, 'warm'), handwritten(i, 'warm')]);

  if (process.env.BENCH_SAVE_HISTORIES) {
    // Profiling aid: one contact of each kind, saved for bench/replay-cost.ts (workflow-side CPU without the server).
    const { historyToJSON } = await import('@temporalio/common/lib/proto-utils');
    fs.mkdirSync(process.env.BENCH_SAVE_HISTORIES, { recursive: true });
    const id = randomUUID().slice(0, 8);
    const input: ContactFlowInput = { schemaVersion: 1, plan, flowVersion: 1, contact: { id, channel: 'chat', customer, firstMessage: text } };
    const started = [
      ['interpreter', await client.workflow.start('contactFlow', { taskQueue, workflowId: `contact-${id}`, args: [input] })],
      ['handwritten', await client.workflow.start('handwrittenFlow', { taskQueue: hwTaskQueue, workflowId: `hw-${id}`, args: [{ contactId: id, text, customer }] })],
    ] as const;
    for (const [name, handle] of started) {
      await handle.result();
      fs.writeFileSync(path.join(process.env.BENCH_SAVE_HISTORIES, `${name}.json`), historyToJSON(await handle.fetchHistory()));
    }
    process.stdout.write(`saved histories to ${process.env.BENCH_SAVE_HISTORIES}\n`);
  }

  if (process.env.BENCH_ONLY) {
    // Profiling aid: one side only (BENCH_ONLY=interpreter|handwritten), e.g. under node --cpu-prof.
    const only = process.env.BENCH_ONLY === 'handwritten' ? handwritten : interpreted;
    const r = await runMany((i) => only(i, 'only'));
    process.stdout.write(`${process.env.BENCH_ONLY}: ${r.perSecond.toFixed(1)} contacts/s, ${r.cpuMsPerContact.toFixed(1)} ms worker + ${r.serverMsPerContact.toFixed(1)} ms server CPU/contact\n`);
    shutdown();
    await running;
    await connection.close();
    await nativeConnection.close();
    return;
  }

  // Short segments, alternating A B B A, so the slow drifts of a shared machine (the server's background
  // work, other processes) fall on both sides alike; the ratio is of the two sides' totals, with a 95%
  // interval from the segment pairs (bootstrap), so one run says how far to trust it.
  const pairs: { interp: Awaited<ReturnType<typeof runMany>>; hand: Awaited<ReturnType<typeof runMany>> }[] = [];
  for (let pair = 1; pair <= ROUNDS; pair++) {
    const interpFirst = pair % 4 === 1 || pair % 4 === 0;
    const a = await runMany((i) => (interpFirst ? interpreted(i, `p${pair}`) : handwritten(i, `p${pair}`)));
    const b = await runMany((i) => (interpFirst ? handwritten(i, `p${pair}`) : interpreted(i, `p${pair}`)));
    const [interp, hand] = interpFirst ? [a, b] : [b, a];
    pairs.push({ interp, hand });
    process.stdout.write(
      `pair ${String(pair).padStart(2)}: interpreter ${interp.perSecond.toFixed(1)}/s (${interp.cpuMsPerContact.toFixed(1)} + ${interp.serverMsPerContact.toFixed(1)} ms CPU) | ` +
        `hand-written ${hand.perSecond.toFixed(1)}/s (${hand.cpuMsPerContact.toFixed(1)} + ${hand.serverMsPerContact.toFixed(1)} ms CPU) | ratio ${(interp.perSecond / hand.perSecond).toFixed(2)}\n`,
    );
  }
  /** Contacts per second of one side over the given segment pairs: all its contacts over all its time. */
  const rate = (side: 'interp' | 'hand', of: typeof pairs) => (of.length * N) / of.reduce((acc, p) => acc + p[side].seconds, 0);
  const ratioOf = (of: typeof pairs) => rate('interp', of) / rate('hand', of);
  const total = (side: 'interp' | 'hand') => {
    const latencies = pairs.flatMap((p) => p[side].latencies).sort((x, y) => x - y);
    const mean = (f: (r: Awaited<ReturnType<typeof runMany>>) => number) => pairs.reduce((acc, p) => acc + f(p[side]), 0) / pairs.length;
    return { perSecond: rate(side, pairs), p50: percentile(latencies, 50), p99: percentile(latencies, 99), worker: mean((r) => r.cpuMsPerContact), server: mean((r) => r.serverMsPerContact) };
  };
  // Bootstrap over pairs with a seeded generator: the same data always gives the same interval.
  let seed = 0x9e3779b9;
  const rand = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  const resampled = Array.from({ length: 2000 }, () => ratioOf(pairs.map(() => pairs[Math.floor(rand() * pairs.length)]!))).sort((x, y) => x - y);
  const [low, high] = [percentile(resampled, 2.5), percentile(resampled, 97.5)];
  const [interp, hand] = [total('interp'), total('hand')];
  const line = (name: string, r: typeof interp) =>
    `${name}: ${r.perSecond.toFixed(1)} contacts/s, p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, worker CPU ${r.worker.toFixed(1)} ms/contact, server CPU ${r.server.toFixed(1)} ms/contact`;
  process.stdout.write(
    [
      '',
      `10-step flow, ${ROUNDS} pairs of ${N}-contact segments per side (A B B A), ${CONCURRENCY} in flight (${new Date().toISOString()}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`,
      line('interpreter ', interp),
      line('hand-written', hand),
      `throughput ratio interpreter / hand-written: ${ratioOf(pairs).toFixed(2)} (95% interval ${low.toFixed(2)}–${high.toFixed(2)} over pairs; goal ≥ 0.90)`,
      serverPid === undefined
        ? '(server CPU: no local Temporal dev server process found; set BENCH_SERVER_PID)'
        : `(CPU per contact: "worker" is this process — workers, activities, client; "server" the Temporal server, pid ${serverPid})`,
      '',
    ].join('\n'),
  );
  shutdown();
  await running;
  await connection.close();
  await nativeConnection.close();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
