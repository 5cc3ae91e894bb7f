/**
 * Records the histories the replay test (replay.test.ts) replays: scripted contacts on the real stack
 * that together run every node type at every version and the paths that matter for replay — SLA
 * breach actions, a failed custom activity, each join mode, subflows of both versions (one that fails),
 * cancellation, continue-as-new. Saved as JSON under test/histories/ (a subflow's child beside its
 * caller); replay.test.ts checks this coverage from the files themselves.
 *
 *   npm run record-histories -w @tandem/worker               # every scenario
 *   npm run record-histories -w @tandem/worker -- tour       # only these (file names start with them)
 *
 * Record again only when what is recorded changes on purpose (a new node version, a new scenario). A
 * change to the interpreter that breaks replay of a recorded history must go behind `patched()` (see
 * docs/runtime.md, "Versioning"): keep the old file, add the new one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { uniqueName, waitFor } from '@tandem/testkit';
import { caller, callerV2, compileWith, tour, verify } from './fixtures/flows';
import { compileExample, startHarness, type Contact, type Harness } from './harness';

const dir = path.join(__dirname, 'histories');

/** Saves every run of the workflow (continue-as-new makes several) as `<name>[.runN].json`. */
async function saveWorkflow(h: Harness, name: string, workflowId: string): Promise<void> {
  let i = 0;
  for await (const run of h.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    const history = await h.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    const file = path.join(dir, `${name}${i ? `.run${i}` : ''}.json`);
    fs.writeFileSync(file, `${historyToJSON(history)}\n`);
    process.stdout.write(`recorded ${path.relative(process.cwd(), file)} (${history.events?.length ?? 0} events)\n`);
    i++;
  }
  if (i === 0) throw new Error(`no runs of ${workflowId} to record`);
}

async function save(h: Harness, name: string, contact: Contact, children: string[] = []): Promise<void> {
  await contact.result().catch(() => undefined);
  await saveWorkflow(h, name, contact.handle.workflowId);
  for (const child of children) await saveWorkflow(h, `${name}.child-${child}`, `${contact.handle.workflowId}/sub/${child}/1`);
}

async function answered(c: Contact): Promise<void> {
  await waitFor(async () => ((await c.state()).transcript.some((t) => t.articleId) ? true : undefined), { what: 'the bot to answer' });
}

const joinMode = (mode: 'all' | 'any' | 'first') => ({ meet: (c: Record<string, unknown>) => ({ ...c, mode }) });

type Scenario = (h: Harness, id: (name: string) => { id: string }) => Promise<void>;

const scenarios: Record<string, Scenario> = {
  // AI first: classify, decision, bot (knowledge answer), survey, end — the bot resolves.
  'ai-first-bot-resolves': async (h, id) => {
    const c = await h.startContact(compileExample('ai-first-human-backup'), { ...id('bot'), firstMessage: 'What are your opening hours?', customer: { id: 'r1', name: 'Dana' } });
    await answered(c);
    await c.say('yes thanks');
    await c.say('5');
    await save(h, 'ai-first-bot-resolves', c);
  },

  // AI first: a request for a person escalates; the agent replies and resolves; the customer rates.
  'ai-first-escalates': async (h, id) => {
    const c = await h.startContact(compileExample('ai-first-human-backup'), { ...id('human'), firstMessage: 'Hi, I need help with my account', customer: { id: 'r2', name: 'Sam' } });
    await answered(c);
    await c.say('I want to speak to a real person');
    const item = await c.workItem();
    await c.assignTo(item.id, 'alice');
    await c.agentSays(item.id, 'alice', 'Hello Sam, I can help.');
    await c.complete(item.id, 'alice', 'resolved', ['account']);
    await c.waitForStep('agent-survey');
    await c.say('4');
    await save(h, 'ai-first-escalates', c);
  },

  // Every SLA breach action in turn — raise the priority, overflow to another queue, offer a callback —
  // and the customer takes the callback (the `timeout` exit, a callback ticket).
  'ai-first-sla-breach-callback': async (h, id) => {
    const c = await h.startContact(
      compileExample('ai-first-human-backup', {
        'support-agents': (config) => ({
          ...config,
          sla: { targetSeconds: 1 },
          breachActions: [
            { afterSeconds: 0, action: 'raise_priority', by: 20 },
            { afterSeconds: 1, action: 'overflow', queue: 'support-overflow' },
            { afterSeconds: 2, action: 'offer_callback', message: 'Still busy, {{customer.name}}. Shall we call you back?' },
          ],
          maxWaitSeconds: 120,
        }),
      }),
      { ...id('breach'), firstMessage: 'I want to talk to a person', customer: { id: 'r3', name: 'Lou' } },
    );
    await waitFor(async () => ((await c.state()).transcript.some((t) => t.text.startsWith('Still busy')) ? true : undefined), { timeoutMs: 30_000, what: 'the callback offer' });
    await c.say('yes please, call me back');
    await save(h, 'ai-first-sla-breach-callback', c);
  },

  // Human first with AI assist, transferred to billing.
  'human-first-transfer': async (h, id) => {
    const c = await h.startContact(compileExample('human-first-ai-assist'), { ...id('human-first'), firstMessage: 'I was charged twice', customer: { id: 'r4', name: 'Robin' } });
    const first = await c.workItem();
    await c.say('please refund the second payment');
    await c.assignTo(first.id, 'alice');
    await c.complete(first.id, 'alice', 'transferred', ['billing']);
    const billing = await waitFor(async () => {
      const s = await c.state();
      return s.workItem && s.workItem.id !== first.id ? s.workItem.id : undefined;
    }, { what: 'the billing item' });
    await c.assignTo(billing, 'bob');
    await c.complete(billing, 'bob', 'resolved', ['refund']);
    await c.waitForStep('survey');
    await c.say('5');
    await save(h, 'human-first-transfer', c);
  },

  // Parallel AI + human, join `all`: the draft is ready, the agent resolves.
  'parallel-join-all': async (h, id) => {
    const c = await h.startContact(compileExample('parallel-ai-and-human', joinMode('all')), { ...id('par-all'), channel: 'voice', firstMessage: 'I want a refund', customer: { id: 'r5', name: 'Jo', email: 'jo@example.com' } });
    const item = await c.workItem();
    await waitFor(async () => ((await c.state()).ctx.draftReady === true ? true : undefined), { what: 'the draft' });
    await c.assignTo(item.id, 'alice');
    await c.complete(item.id, 'alice', 'resolved');
    await save(h, 'parallel-join-all', c);
  },

  // Join `first`: no email to draft to, so the custom activity fails (its `error` exit) and arrives
  // first; the escalation still under way is cancelled.
  'parallel-join-first-activity-fails': async (h, id) => {
    const c = await h.startContact(compileExample('parallel-ai-and-human', joinMode('first')), { ...id('par-first'), channel: 'voice', firstMessage: 'I want a refund', customer: { id: 'r6', name: 'Al', email: '' } });
    await save(h, 'parallel-join-first-activity-fails', c);
  },

  // Join `any`: the draft arrives first and the flow goes on; the escalation finishes its step when the agent resolves.
  'parallel-join-any': async (h, id) => {
    const c = await h.startContact(compileExample('parallel-ai-and-human', joinMode('any')), { ...id('par-any'), channel: 'voice', firstMessage: 'I want a refund', customer: { id: 'r7', name: 'Bo', email: 'bo@example.com' } });
    const item = await c.workItem();
    await waitFor(async () => ((await c.state()).path.includes('outcome') ? true : undefined), { what: 'the flow to go on after the join' });
    await c.assignTo(item.id, 'bob');
    await c.complete(item.id, 'bob', 'resolved');
    await save(h, 'parallel-join-any', c);
  },

  // What the examples leave out: a split by percentage, a reply wait with a prompt, a failed custom
  // activity, business hours written in the node, a timer, a wait for opening hours that gives up.
  'tour-waits-and-failed-activity': async (h, id) => {
    const c = await h.startContact(compileWith(tour), { ...id('tour'), customer: { id: 'r8', name: 'Kim' } });
    await c.waitForStep('ask');
    await c.say('a note to my landlord');
    await save(h, 'tour-waits-and-failed-activity', c);
  },

  // Subflow version 1: the caller forwards the customer's answer; the child's outcome picks the exit.
  'subflow-v1': async (h, id) => {
    const c = await h.startContactWith(compileWith(caller, [{ id: 'verify', plan: verifyPlan }]), { ...id('subflow-v1'), customer: { id: 'r9', name: 'Ola' } }, { subflows });
    await waitFor(async () => ((await c.state()).transcript.some((t) => t.text.includes('date of birth')) ? true : undefined), { what: 'the subflow to ask' });
    await c.say('1 May 1990');
    await save(h, 'subflow-v1', c, ['verify']);
  },

  // Subflow version 2: the child is terminated mid-conversation; the caller takes its `error` exit.
  'subflow-v2-error-exit': async (h, id) => {
    const c = await h.startContactWith(compileWith(callerV2, [{ id: 'verify', plan: verifyPlan }]), { ...id('subflow-v2'), customer: { id: 'r10', name: 'Ines' } }, { subflows });
    await waitFor(async () => ((await c.state()).transcript.some((t) => t.text.includes('date of birth')) ? true : undefined), { what: 'the subflow to ask' });
    await h.client.workflow.getHandle(`${c.handle.workflowId}/sub/verify/1`).terminate('an operator stopped the verification');
    await save(h, 'subflow-v2-error-exit', c, ['verify']);
  },

  // A long bot conversation at night that continues-as-new, then is cancelled by an operator.
  'after-hours-continue-as-new-cancelled': async (h, id) => {
    h.calendars.set('support-hours', { timezone: 'UTC', weekly: { mon: [{ open: '00:00', close: '00:01' }] }, holidays: [] });
    const c = await h.startContact(compileExample('after-hours'), { ...id('after-hours'), customer: { id: 'r11', name: 'Noor' }, options: { continueAsNewAfterEvents: 30 } });
    await c.waitForStep('night-bot');
    for (const q of ['what are your opening hours', 'how do I reset my password', 'where is my order', 'how do refunds work']) await c.say(q);
    await c.cancel('operator');
    await save(h, 'after-hours-continue-as-new-cancelled', c);
  },
};

const verifyPlan = compileWith(verify);
const subflows = { verify: { plan: verifyPlan, version: 3 } };

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !(w in scenarios));
  if (unknown.length) throw new Error(`no scenario ${unknown.join(', ')}; the scenarios are: ${Object.keys(scenarios).join(', ')}`);
  const names = wanted.length ? wanted : Object.keys(scenarios);
  fs.mkdirSync(dir, { recursive: true });
  // A scenario's files are replaced, not added to: its earlier runs (.runN) and children go too.
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.json') && names.some((n) => f === `${n}.json` || f.startsWith(`${n}.`))) fs.unlinkSync(path.join(dir, f));
  process.stdout.write('starting the worker and a test database\n');
  const h = await startHarness();
  try {
    for (const name of names) {
      process.stdout.write(`scenario ${name}\n`);
      await scenarios[name]!(h, (prefix) => ({ id: uniqueName(`rec-${prefix}`) }));
    }
  } finally {
    await h.shutdown();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
