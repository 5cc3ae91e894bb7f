/**
 * Records the histories the replay test (replay.test.ts) replays: scripted contacts through each
 * example flow on the real stack, their event histories saved as JSON under test/histories/.
 *
 *   npm run record-histories -w @tandem/worker
 *
 * Re-record only when a recorded history no longer matters (e.g. a new example); a change to the
 * interpreter that breaks replay must go behind `patched()` instead (see docs/runtime.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { uniqueName, waitFor } from '@tandem/testkit';
import { compileExample, startHarness, type Contact, type Harness } from './harness';

const dir = path.join(__dirname, 'histories');
/**
 * HISTORIES_TAG=<patch id>: records under `<scenario>@<tag>.json` beside the existing files instead of
 * replacing them — how histories made by each interpreter generation are kept for the replay test.
 */
const tag = process.env.HISTORIES_TAG ? `@${process.env.HISTORIES_TAG}` : '';

async function save(h: Harness, name: string, contact: Contact): Promise<void> {
  await contact.result();
  let i = 0;
  for await (const run of h.client.workflow.list({ query: `WorkflowId = "${contact.handle.workflowId}"` })) {
    const history = await h.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    const file = path.join(dir, `${name}${tag}${i ? `.run${i}` : ''}.json`);
    fs.writeFileSync(file, `${historyToJSON(history)}\n`);
    process.stdout.write(`recorded ${path.relative(process.cwd(), file)} (${history.events?.length ?? 0} events)\n`);
    i++;
  }
}

async function answered(c: Contact): Promise<void> {
  await waitFor(async () => ((await c.state()).transcript.some((t) => t.articleId) ? true : undefined), { what: 'the bot to answer' });
}

async function main(): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  process.stdout.write('starting the worker and a test database\n');
  const h = await startHarness();
  process.stdout.write('recording\n');
  try {
    // AI first: the bot resolves, the customer rates.
    const bot = await h.startContact(compileExample('ai-first-human-backup'), { id: uniqueName('rec-ai-bot'), firstMessage: 'What are your opening hours?', customer: { id: 'r1', name: 'Dana' } });
    await answered(bot);
    await bot.say('yes thanks');
    await bot.say('5');
    await save(h, 'ai-first-bot-resolves', bot);

    // AI first: a human request escalates; an SLA breach raises priority; the agent resolves.
    const human = await h.startContact(
      compileExample('ai-first-human-backup', { 'support-agents': (c) => ({ ...c, sla: { targetSeconds: 1 }, breachActions: [{ afterSeconds: 0, action: 'raise_priority', by: 20 }], maxWaitSeconds: 60 }) }),
      { id: uniqueName('rec-ai-human'), firstMessage: 'Hi, I need help with my account', customer: { id: 'r2', name: 'Sam' } },
    );
    await answered(human);
    await human.say('I want to speak to a real person');
    const item = await human.workItem();
    await waitFor(async () => ((await h.router.history(item.id)).some((e) => e.type === 'reprioritized') ? true : undefined), { what: 'the SLA breach' });
    await human.assignTo(item.id, 'alice');
    await human.agentSays(item.id, 'alice', 'Hello Sam, I can help.');
    await human.complete(item.id, 'alice', 'resolved', ['account']);
    await human.waitForStep('agent-survey');
    await human.say('4');
    await save(h, 'ai-first-escalates', human);

    // Human first with AI assist, transferred to billing.
    const hf = await h.startContact(compileExample('human-first-ai-assist'), { id: uniqueName('rec-human-first'), firstMessage: 'I was charged twice', customer: { id: 'r3', name: 'Robin' } });
    const first = await hf.workItem();
    await hf.say('please refund the second payment');
    await hf.assignTo(first.id, 'alice');
    await hf.complete(first.id, 'alice', 'transferred', ['billing']);
    const billing = await waitFor(async () => {
      const s = await hf.state();
      return s.workItem && s.workItem.id !== first.id ? s.workItem.id : undefined;
    }, { what: 'the billing item' });
    await hf.assignTo(billing, 'bob');
    await hf.complete(billing, 'bob', 'resolved', ['refund']);
    await hf.waitForStep('survey');
    await hf.say('5');
    await save(h, 'human-first-transfer', hf);

    // Parallel AI + human.
    const par = await h.startContact(compileExample('parallel-ai-and-human'), { id: uniqueName('rec-parallel'), channel: 'voice', firstMessage: 'I want a refund', customer: { id: 'r4', name: 'Jo', email: 'jo@example.com' } });
    const pItem = await par.workItem();
    await waitFor(async () => ((await par.state()).ctx.draftReady === true ? true : undefined), { what: 'the draft' });
    await par.assignTo(pItem.id, 'alice');
    await par.complete(pItem.id, 'alice', 'resolved');
    await save(h, 'parallel-ai-and-human', par);

    // A long bot conversation that continues-as-new.
    h.calendars.set('support-hours', { timezone: 'UTC', weekly: { mon: [{ open: '00:00', close: '00:01' }] }, holidays: [] });
    const long = await h.startContact(compileExample('after-hours'), { id: uniqueName('rec-after-hours-closed'), customer: { id: 'r5', name: 'Noor' }, options: { continueAsNewAfterEvents: 30 } });
    await long.waitForStep('night-bot');
    for (const q of ['what are your opening hours', 'how do I reset my password', 'where is my order', 'how do refunds work']) await long.say(q);
    await long.cancel('operator');
    await save(h, 'after-hours-night-bot-continue-as-new', long);
  } finally {
    await h.shutdown();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
