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
import { compileExample, exampleQueueNames, startHarness, type Contact, type Harness } from '../test/harness';
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
  /** The labels say the bot should contain it. */
  expectedContained: boolean;
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

/**
 * The flows' quiet period here: long enough that the time between two of a script's turns never counts
 * as silence on a busy machine (1 s did once, under the full suite), short enough for the silences the
 * scripts do play.
 */
const QUIET_SECONDS = 3;

/** Plays one conversation on the runtime and judges it. Silences last the flow's quiet period (QUIET_SECONDS). */
export async function play(h: Harness, conversation: LabelledConversation, runId: string, agentId = 'alice'): Promise<ConversationResult> {
  const plan = compileExample(conversation.flow, {}, { containment: { quietSeconds: QUIET_SECONDS } });
  // A chat opens with the customer's words: the first message starts the contact, as integrations send it.
  const [first] = conversation.turns;
  const opening = first && 'say' in first ? first.say : undefined;
  const contact: Contact = await h.startContact(plan, {
    id: `eval-${runId}-${conversation.id}`,
    channel: conversation.channel ?? 'chat',
    customer: { email: `${conversation.customer.id}@example.com`, ...conversation.customer, id: conversation.customer.id },
    ...(opening ? { firstMessage: opening } : {}),
  });
  const problems: string[] = [];
  const said: string[] = [];
  let escalatedAt: number | null = null;
  let humanAt: number | null = null;
  let decidedCause: { kind: string; reason: string } | null = null;
  /**
   * Handed towards a person: in a queue or with an agent, an escalation made, or a step that decided to
   * (a bot's escalate exit, the escape hatch) — at night the after-hours flow hands over to a ticket and
   * the morning's agents, not to a queue now.
   */
  const handedOver = async (handledBy?: string): Promise<boolean> => {
    const view = await contact.state();
    if (view.escalationCause && !decidedCause) decidedCause = { kind: view.escalationCause.trigger.kind, reason: view.escalationCause.trigger.reason };
    return (handledBy !== undefined && HUMAN.has(handledBy)) || HUMAN.has(view.handledBy) || view.escalationCause != null || h.events.of(contact.id).some((e) => e.type === 'contact.escalated');
  };
  for (const [i, turn] of conversation.turns.entries()) {
    const number = i + 1;
    if ((await contact.state()).outcome !== null) {
      problems.push(`the contact had ended before turn ${number}`);
      break;
    }
    if (i === 0 && opening !== undefined) {
      // The flow answers the opening message on its own: wait until it waits for the customer again.
      await waitFor(async () => {
        const s = await contact.state();
        return s.awaiting || s.outcome !== null ? true : undefined;
      }, { timeoutMs: 10_000, what: 'the answer to the opening message' }).catch(() =>
        problems.push('no answer to the opening message'),
      );
    } else if ('say' in turn) {
      const reply = await contact.say(turn.say).catch((e: Error) => {
        problems.push(`turn ${number}: ${e.message}`);
        return undefined;
      });
      if (reply) said.push(...reply.messages.map((m) => m.text));
    } else if ('quiet' in turn) {
      // Silence: let the quiet period run out — the bot moves on (or the contact ends).
      const before = (await contact.state()).steps.join();
      await waitFor(async () => {
        const s = await contact.state();
        return s.outcome !== null || s.steps.join() !== before ? true : undefined;
      }, { timeoutMs: QUIET_SECONDS * 1000 + 10_000, what: 'the quiet period' }).catch(() => undefined);
    } else {
      const item = await contact.workItem(10_000).catch(() => undefined);
      if (!item) {
        problems.push(`turn ${number}: no work item for the agent to ${turn.agent}`);
        continue;
      }
      if (turn.agent === 'accept') await contact.assignTo(item.id, agentId);
      else await contact.complete(item.id, item.agentId ?? agentId, 'resolved', ['eval']);
    }
    if (escalatedAt === null && (await handedOver())) escalatedAt = humanAt = number;
  }
  // Settle: the conversation is over when the customer stops; a contact still waiting was not contained.
  const state = await contact.state();
  said.push(...state.transcript.filter((t) => t.from !== 'customer' && !said.includes(t.text)).map((t) => t.text));
  const outcome = state.outcome;
  if (outcome === null) await contact.cancel('operator').catch(() => undefined);
  const events = await waitFor(() => h.events.of(contact.id).some((e) => e.type === 'contact.ended') && h.events.of(contact.id), { timeoutMs: 15_000, what: `the end of ${conversation.id}` });
  const ended = events.find((e): e is Extract<ContactEventRecord, { type: 'contact.ended' }> => e.type === 'contact.ended');
  const escalation = events.find((e): e is Extract<ContactEventRecord, { type: 'contact.escalated' }> => e.type === 'contact.escalated');
  // Contained: the bot resolved the conversation (its `resolved` exit, whatever followed — a survey the
  // customer did not answer, say) or the contact ended resolved by the bot, and nobody was escalated to.
  const botResolved = events.some((e) => e.type === 'step.exited' && e.data.nodeType === 'bot' && e.data.port === 'resolved');
  const contained = (botResolved || outcome === 'resolved_by_bot') && !escalation && (ended?.data.escalations ?? 0) === 0;
  const expected = conversation.expect;
  const trigger = escalation?.data.trigger ?? decidedCause;
  const cause = trigger?.kind ?? null;
  for (const text of expected.mustSay ?? []) if (!said.some((s) => s.includes(text))) problems.push(`did not say "${text}"`);
  for (const text of expected.mustNotSay ?? []) if (said.some((s) => s.includes(text))) problems.push(`said "${text}"`);
  return {
    id: conversation.id,
    flow: conversation.flow,
    split: conversation.split,
    outcome,
    contained,
    expectedContained: expected.contained,
    falseContainment: contained && !expected.contained,
    humanRequest: expected.humanRequestTurn === null ? null : humanAt !== null && humanAt <= expected.humanRequestTurn ? 'honoured' : 'missed',
    escalation: expected.escalation
      ? {
          cause,
          turn: escalatedAt,
          // A decision's rule is the honest cause of what it routed; it is right when what it acted on is the labelled cause.
          right: cause === expected.escalation.cause || (cause === 'flow_rule' && trigger?.reason.includes(expected.escalation.cause.replace(/_/g, ' ')) === true),
        }
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
    /** Of the conversations the bot should contain, how many it did (the rest went to a person or ended unresolved). */
    containedAsExpected: results.filter((r) => r.expectedContained && r.contained).length,
    expectedContained: results.filter((r) => r.expectedContained).length,
    humanRequestsHonouredPct: pct(requests.filter((r) => r.humanRequest === 'honoured').length, requests.length),
    humanRequests: requests.length,
    rightCausePct: pct(escalations.filter((r) => r.escalation?.right).length, escalations.length),
    escalations: escalations.length,
    meanTurnsToEscalation: turns.length ? Math.round((10 * turns.reduce((a, b) => a + b, 0)) / turns.length) / 10 : null,
    withProblems: results.filter((r) => r.problems.length).length,
  };
}

/**
 * The world the labels assume: the after-hours example runs at night (the support team's calendar
 * closed), the overflow example with a long billing queue.
 */
export function setTheScene(h: Harness): void {
  h.calendars.set('support-hours', { timezone: 'UTC', weekly: { mon: [{ open: '00:00', close: '00:01' }] }, holidays: [] });
  const gateway = h.dependencies.workItems;
  const estimate = gateway.estimatedWaitSeconds.bind(gateway);
  gateway.estimatedWaitSeconds = async (queue) => (queue === 'billing' ? 1_800 : estimate(queue));
}

/** The agents of the evaluation's harness: one per lane, each able to take every example queue. */
export const EVAL_AGENTS = Array.from({ length: 4 }, (_, k) => ({
  id: `eval-agent-${k + 1}`,
  skills: { support: 5, orders: 5, billing: 5, complaints: 5 },
  queues: exampleQueueNames(),
}));

/** Plays every conversation of both splits, a few at a time. */
export async function evaluateConversations(h: Harness, options: { concurrency?: number; only?: (c: LabelledConversation) => boolean } = {}): Promise<ConversationResult[]> {
  setTheScene(h);
  const all = [...loadConversations('dev'), ...loadConversations('heldout')].filter(options.only ?? (() => true));
  const runId = Date.now().toString(36);
  const results: ConversationResult[] = [];
  let next = 0;
  // Each lane plays one conversation at a time with its own agent, so a voice call never finds its agent busy.
  const lane = async (k: number) => {
    while (next < all.length) {
      const conversation = all[next++]!;
      results.push(await play(h, conversation, runId, EVAL_AGENTS[k]!.id));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, EVAL_AGENTS.length) }, (_, k) => lane(k)));
  return results.sort((a, b) => (a.id < b.id ? -1 : 1));
}

function print(results: ConversationResult[]): void {
  const line = (label: string, rs: ConversationResult[]) => {
    const f = figures(rs);
    process.stdout.write(
      `${label.padEnd(26)} ${String(f.conversations).padStart(4)} conv  contained ${f.containedAsExpected}/${f.expectedContained}  false containment ${f.falseContainments}  human requests honoured ${f.humanRequestsHonouredPct ?? '—'}% of ${f.humanRequests}  right cause ${f.rightCausePct ?? '—'}% of ${f.escalations}  turns to escalation ${f.meanTurnsToEscalation ?? '—'}\n`,
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
    const h = await startHarness({ agents: EVAL_AGENTS });
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
