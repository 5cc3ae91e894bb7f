/**
 * Durability: SIGKILL the worker process in the middle of a bot step, a human wait and a parallel
 * branch; a new worker picks every contact up where it was, and each finishes exactly once with exactly
 * one work item per escalation.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { waitFor } from '@tandem/testkit';
import { compileExample, startHarness, type Contact, type Harness } from './harness';

interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function spawnWorker(h: Harness, slowMs: number): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'worker-process.ts')], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, TANDEM_TEST_TASK_QUEUE: h.taskQueue, TANDEM_TEST_DATABASE_URL: h.db.url, TANDEM_TEST_SLOW_MS: String(slowMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

async function ready(w: WorkerProcess): Promise<void> {
  await waitFor(() => w.output().includes('worker ready') || undefined, { timeoutMs: 90_000, what: `a worker process to start (output: ${w.output().slice(-500)})` });
}

describe('durability: a worker killed mid-step', () => {
  let h: Harness;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    h = await startHarness({ inProcessWorker: false });
  });
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await h?.shutdown();
  });

  it('every contact finishes exactly once, with one work item per escalation', async () => {
    const first = spawnWorker(h, 4000);
    workers.push(first);
    await ready(first);

    // C1 is in a (slowed) bot turn, C2 waits for a human, C3 has a human branch parked and an AI branch
    // in a (slowed) custom activity — all at once when the worker dies.
    const c1 = await h.startContact(compileExample('ai-first-human-backup'), { firstMessage: 'Hi, I need help with my account', customer: { id: 'd1', name: 'Ada' } });
    const c2 = await h.startContact(compileExample('human-first-ai-assist'), { firstMessage: 'My bill looks wrong', customer: { id: 'd2', name: 'Ben' } });
    const c3 = await h.startContact(compileExample('parallel-ai-and-human'), { channel: 'voice', firstMessage: 'I want a refund', customer: { id: 'd3', name: 'Cy', email: 'cy@example.com' } });
    await waitFor(() => (first.output().includes(`started botTurn ${c1.id}`) && first.output().includes(`started custom:draft_email_reply ${c3.id}`)) || undefined, {
      timeoutMs: 60_000,
      what: `the slow steps to start (worker output: ${first.output().slice(-800)})`,
    });
    const item2 = await c2.workItem();
    const item3 = await c3.workItem();
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    const second = spawnWorker(h, 0);
    workers.push(second);
    await ready(second);

    // C1: the interrupted bot turn is retried on the new worker and answers once.
    const answered = await waitFor(async () => {
      const s = await c1.state();
      return s.transcript.some((t) => t.articleId) ? s : undefined;
    }, { timeoutMs: 60_000, what: 'the retried bot turn' });
    expect(answered.transcript.filter((t) => t.articleId)).toHaveLength(1);
    await c1.say('I want to talk to a person');
    const item1 = await c1.workItem();
    await claimAndResolve(c1, item1.id);
    await c1.waitForStep('agent-survey');
    await c1.say('5');

    // C2: the human wait survives; the agent resolves after the crash.
    await claimAndResolve(c2, item2.id);
    await c2.waitForStep('survey');
    await c2.say('4');

    // C3: the AI branch is retried, the parked human branch is untouched; the join waits for both.
    await waitFor(async () => ((await c3.state()).ctx.draftReady === true ? true : undefined), { timeoutMs: 60_000, what: 'the retried AI branch' });
    await claimAndResolve(c3, item3.id);

    const outcomes = await Promise.all([c1, c2, c3].map((c) => c.result()));
    expect(outcomes.map((o) => o.outcome)).toEqual(['resolved_by_human', 'resolved_by_human', 'resolved_by_human']);
    for (const c of [c1, c2, c3]) {
      const rows: { n: number }[] = await h.dataSource.query(`SELECT count(*)::int AS n FROM routing.work_item WHERE workflow_id = $1`, [c.handle.workflowId]);
      expect({ contact: c.id, workItems: rows[0]?.n }).toEqual({ contact: c.id, workItems: 1 });
      const history = await c.handle.fetchHistory();
      const completions = (history.events ?? []).filter((e) => e.workflowExecutionCompletedEventAttributes);
      expect({ contact: c.id, completions: completions.length }).toEqual({ contact: c.id, completions: 1 });
    }
  }, 240_000);

  async function claimAndResolve(contact: Contact, workItemId: string): Promise<void> {
    await contact.assignTo(workItemId, 'alice');
    await contact.complete(workItemId, 'alice', 'resolved');
  }
});
