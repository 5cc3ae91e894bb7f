/**
 * The conversation-level evaluation: labelled multi-turn conversations (packages/virtual-agent/eval/
 * conversations/{dev,heldout}.jsonl) played on the real runtime through the example flows — customer
 * turns, silences, an agent taking and resolving — and judged as whole conversations: false
 * containment, requests for a person honoured within one turn, escalations with the right cause, turns
 * to escalation; per flow and per split (the held-out part is never tuned on).
 *
 *   npm run eval:conversations -w @tandem/worker        (or from the root: npm run eval:conversations)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ContactEventRecord } from '../src/activities/contract';
import { compileExample, startHarness, type Contact, type Harness } from '../test/harness';
import { waitFor } from '@tandem/testkit';

export type Turn = { say: string } | { quiet: true } | { agent: 'accept' | 'resolve' };

/** One labelled conversation (the dataset's format). */
export interface LabelledConversation {
  id: string;
  flow: string;
  split: 'dev' | 'heldout';
  channel?: 'chat' | 'voice' | 'email';
  customer: { id: string; name?: string; tier?: string; attributes?: Record<string, unknown> };
  turns: Turn[];
  expect: {
    contained: boolean;
    escalation: { cause: string; byTurn: number } | null;
    humanRequestTurn: number | null;
    mustNotSay?: string[];
    mustSay?: string[];
  };
}

/** What happened in one conversation, and how it measures against its labels. */
export interface ConversationResult {
  id: string;
  flow: string;
  split: string;
  outcome: string | null;
  contained: boolean;
  falseContainment: boolean;
  humanRequest: 'honoured' | 'missed' | null;
  escalation: { cause: string | null; turn: number | null; right: boolean } | null;
  said: string[];
  problems: string[];
}

const DATASET = path.dirname(require.resolve('@tandem/virtual-agent/package.json'));

/** The labelled conversations of a split, from the virtual agent's evaluation set. */
export function loadConversations(split: 'dev' | 'heldout'): LabelledConversation[] {
  const file = path.join(DATASET, 'eval', 'conversations', `${split}.jsonl`);
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as LabelledConversation;
      } catch (e) {
        throw new Error(`${file}:${i + 1}: ${(e as Error).message}`);
      }
    });
}

const HUMAN = new Set(['queue', 'human']);

/** Plays one conversation on the runtime and judges it. Silences last the flow's quiet period (1 s here). */
export async function play(h: Harness, conversation: LabelledConversation, runId: string): Promise<ConversationResult> {
  const plan = compileExample(conversation.flow, {}, { containment: { quietSeconds: 1 } });
  const contact: Contact = await h.startContact(plan, {
    id: `eval-${runId}-${conversation.id}`,
    channel: conversation.channel ?? 'chat',
    customer: { ...conversation.customer, id: conversation.customer.id },
  });
  const problems: string[] = [];
  const said: string[] = [];
  let escalatedAt: number | null = null;
  let humanAt: number | null = null;
  const escalatedNow = () => h.events.of(contact.id).some((e) => e.type === 'contact.escalated');
  for (const [i, turn] of conversation.turns.entries()) {
    const number = i + 1;
    if ((await contact.state()).outcome !== null) {
      problems.push(`the contact had ended before turn ${number}`);
      break;
    }
    if ('say' in turn) {
      const reply = await contact.say(turn.say).catch((e: Error) => {
        problems.push(`turn ${number}: ${e.message}`);
        return undefined;
      });
      if (reply) said.push(...reply.messages.map((m) => m.text));
      if (reply && HUMAN.has(reply.handledBy) && humanAt === null) humanAt = number;
    } else if ('quiet' in turn) {
      // Silence: let the quiet period run out (or the contact move on).
      await waitFor(async () => ((await contact.state()).outcome !== null ? true : undefined), { timeoutMs: 4_000, what: 'the quiet period' }).catch(() => undefined);
    } else {
      const item = await contact.workItem(10_000).catch(() => undefined);
      if (!item) {
        problems.push(`turn ${number}: no work item for the agent to ${turn.agent}`);
        continue;
      }
      if (turn.agent === 'accept') await contact.assignTo(item.id, 'alice');
      else await contact.complete(item.id, item.agentId ?? 'alice', 'resolved', ['eval']);
    }
    if (escalatedAt === null && escalatedNow()) escalatedAt = number;
  }
  // Settle: the conversation is over when the customer stops; a contact still waiting was not contained.
  const state = await contact.state();
  const outcome = state.outcome;
  if (outcome === null) await contact.cancel('operator').catch(() => undefined);
  const events = await waitFor(() => h.events.of(contact.id).some((e) => e.type === 'contact.ended') && h.events.of(contact.id), { timeoutMs: 15_000, what: `the end of ${conversation.id}` });
  const ended = events.find((e): e is Extract<ContactEventRecord, { type: 'contact.ended' }> => e.type === 'contact.ended');
  const escalation = events.find((e): e is Extract<ContactEventRecord, { type: 'contact.escalated' }> => e.type === 'contact.escalated');
  const contained = outcome === 'resolved_by_bot' && (ended?.data.escalations ?? 0) === 0;
  const expected = conversation.expect;
  const cause = escalation?.data.trigger?.kind ?? null;
  for (const text of expected.mustSay ?? []) if (!said.some((s) => s.includes(text))) problems.push(`did not say "${text}"`);
  for (const text of expected.mustNotSay ?? []) if (said.some((s) => s.includes(text))) problems.push(`said "${text}"`);
  return {
    id: conversation.id,
    flow: conversation.flow,
    split: conversation.split,
    outcome,
    contained,
    falseContainment: contained && !expected.contained,
    humanRequest: expected.humanRequestTurn === null ? null : humanAt !== null && humanAt <= expected.humanRequestTurn ? 'honoured' : 'missed',
    escalation: expected.escalation
      ? { cause, turn: escalatedAt, right: cause === expected.escalation.cause || (cause === 'flow_rule' && escalation?.data.trigger?.reason.includes(expected.escalation.cause.replace(/_/g, ' ')) === true) }
      : null,
    said,
    problems,
  };
}

/** The figures of a set of results. */
export function figures(results: ConversationResult[]) {
  const pct = (n: number, d: number) => (d === 0 ? null : Math.round((1000 * n) / d) / 10);
  const requests = results.filter((r) => r.humanRequest !== null);
  const escalations = results.filter((r) => r.escalation !== null);
  const turns = escalations.flatMap((r) => (r.escalation?.turn ? [r.escalation.turn] : []));
  return {
    conversations: results.length,
    falseContainments: results.filter((r) => r.falseContainment).length,
    humanRequestsHonouredPct: pct(requests.filter((r) => r.humanRequest === 'honoured').length, requests.length),
    humanRequests: requests.length,
    rightCausePct: pct(escalations.filter((r) => r.escalation?.right).length, escalations.length),
    escalations: escalations.length,
    meanTurnsToEscalation: turns.length ? Math.round((10 * turns.reduce((a, b) => a + b, 0)) / turns.length) / 10 : null,
    withProblems: results.filter((r) => r.problems.length).length,
  };
}

/** Plays every conversation of both splits, a few at a time. */
export async function evaluateConversations(h: Harness, options: { concurrency?: number; only?: (c: LabelledConversation) => boolean } = {}): Promise<ConversationResult[]> {
  const all = [...loadConversations('dev'), ...loadConversations('heldout')].filter(options.only ?? (() => true));
  const runId = Date.now().toString(36);
  const results: ConversationResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const conversation = all[next++]!;
      results.push(await play(h, conversation, runId));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return results.sort((a, b) => (a.id < b.id ? -1 : 1));
}

function print(results: ConversationResult[]): void {
  const line = (label: string, rs: ConversationResult[]) => {
    const f = figures(rs);
    process.stdout.write(
      `${label.padEnd(26)} ${String(f.conversations).padStart(4)} conv  false containment ${f.falseContainments}  human requests honoured ${f.humanRequestsHonouredPct ?? '—'}% of ${f.humanRequests}  right cause ${f.rightCausePct ?? '—'}% of ${f.escalations}  turns to escalation ${f.meanTurnsToEscalation ?? '—'}\n`,
    );
  };
  for (const split of ['dev', 'heldout']) line(split, results.filter((r) => r.split === split));
  for (const flow of [...new Set(results.map((r) => r.flow))].sort()) line(`  ${flow}`, results.filter((r) => r.flow === flow));
  line('all', results);
  for (const r of results.filter((x) => x.falseContainment || x.humanRequest === 'missed' || (x.escalation && !x.escalation.right) || x.problems.length)) {
    process.stdout.write(`  ✗ ${r.id} (${r.flow}): outcome ${r.outcome}${r.falseContainment ? ', false containment' : ''}${r.humanRequest === 'missed' ? ', human request missed' : ''}${r.escalation && !r.escalation.right ? `, cause ${r.escalation.cause}` : ''}${r.problems.length ? `, ${r.problems.join('; ')}` : ''}\n`);
  }
}

if (require.main === module) {
  void (async () => {
    const h = await startHarness();
    try {
      const t0 = Date.now();
      const results = await evaluateConversations(h);
      print(results);
      process.stdout.write(`(${results.length} conversations in ${((Date.now() - t0) / 1000).toFixed(0)} s, ${new Date().toISOString()})\n`);
    } finally {
      await h.shutdown();
    }
  })().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  });
}
