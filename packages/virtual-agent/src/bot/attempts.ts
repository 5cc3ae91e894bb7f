/**
 * What the bot tried and what came of it, for the agent who takes over: each attempt with its outcome
 * and the customer's answer, the needs that failed (with the loop as evidence), and where the bot was
 * stuck — what it was doing and the need it had not met.
 */
import { type Attempt, type TriggerEvidence } from '@tandem/contracts';
import { DEFAULT_CX_INTENTS, NO_INTENT } from '../intents/default-intents';
import { type BotOptions, type EntityType } from '../options';
import { STATE_LIMITS, type ConversationState } from '../state';
import { excerpt } from '../text';

/** Records an attempt of this turn; attempts that wait for the customer's reaction get their outcome on the next message. */
export function attempt(state: ConversationState, options: BotOptions, entry: Omit<Attempt, 'nodeId'>): void {
  state.tried = [...state.tried, { ...entry, nodeId: options.nodeId }].slice(-STATE_LIMITS.tried);
}

/** Gives an attempt the customer's answer (an excerpt, cards masked) and what came of it. */
export function settleAttempt(open: Attempt, customerAnswer: string | undefined, outcome: string, succeeded?: boolean): void {
  open.outcome = outcome;
  if (customerAnswer !== undefined) open.customerAnswer = excerpt(customerAnswer, [], 200);
  if (succeeded !== undefined) open.succeeded = succeeded;
}

/** Settles every attempt still waiting for the customer's reaction. */
export function settleOpenAttempts(state: ConversationState, customerAnswer: string | undefined, outcome: string, succeeded?: boolean): void {
  for (const open of state.tried.filter((a) => a.outcome === undefined)) settleAttempt(open, customerAnswer, outcome, succeeded);
}

/** The need key under which messages the bot did not understand are counted. */
export const NOT_UNDERSTOOD = 'not understood';

/** Counts a failure of a need (the current one by default; capped evidence); returns how many times it failed and the loop. */
export function recordFailure(state: ConversationState, evidence: TriggerEvidence, need = needKey(state)): { count: number; evidence: TriggerEvidence[] } {
  const existing = state.failures.find((f) => f.need === need);
  const entry = { messageIndex: evidence.messageIndex, text: excerpt(evidence.text), words: evidence.words };
  if (existing) {
    existing.count += 1;
    existing.evidence = [...existing.evidence, entry].slice(-STATE_LIMITS.evidencePerTrigger);
    return existing;
  }
  const created = { need, count: 1, evidence: [entry] };
  state.failures = [...state.failures, created].slice(-STATE_LIMITS.failures);
  return created;
}

/** How many times the current need has failed so far. */
export function failuresOfNeed(state: ConversationState): number {
  const need = needKey(state);
  return state.failures.find((f) => f.need === need)?.count ?? 0;
}

/** The current need's key: its intent, or the message that stated it when only the knowledge base understood it. */
function needKey(state: ConversationState): string {
  const question = state.question;
  if (!question) return state.intent?.name ?? NO_INTENT;
  return question.intent === NO_INTENT ? `message ${question.messageIndex}` : question.intent;
}

const DEFAULT_NEEDS = new Map(DEFAULT_CX_INTENTS.flatMap((i) => (i.need ? [[i.name, i.need] as const] : [])));
const ENTITY_NEEDS: Record<EntityType, string> = {
  order_number: 'the order number',
  date: 'the date',
  amount: 'the amount',
  email: 'the email address',
  phone: 'the phone number',
};

/** The unmet need in an agent's words: the detail being asked for, the intent's need, or the customer's own words. */
export function describeNeed(state: ConversationState, options: Pick<BotOptions, 'slots'> | undefined): string | undefined {
  if (state.pendingSlot) {
    const slot = options?.slots.find((s) => s.name === state.pendingSlot?.name);
    return slot ? ENTITY_NEEDS[slot.entity] : state.pendingSlot.name;
  }
  const intent = state.question?.intent ?? state.intent?.name;
  if (intent && intent !== NO_INTENT && intent !== 'greeting' && intent !== 'goodbye' && intent !== 'human_request') {
    return DEFAULT_NEEDS.get(intent) ?? `help with ${intent.replace(/_/g, ' ')}`;
  }
  if (state.question) return `an answer to "${excerpt(state.question.text, [], 100)}"`;
  return undefined;
}

/** What the bot was doing when the conversation left it, read from the state before this turn's decision changes it. */
export function describeSituation(state: ConversationState, options: Pick<BotOptions, 'slots'> | undefined): string {
  if (state.pendingSlot) return `asking for ${describeNeed(state, options) ?? state.pendingSlot.name} (asked ${state.pendingSlot.reprompts + 1} time(s))`;
  if (state.awaitingConfirmation) return `waiting to hear whether its answer (${state.awaitingConfirmation}) helped`;
  if (state.offeredPerson) return 'offering to bring in a person';
  const failed = state.failures.filter((f) => f.need !== NOT_UNDERSTOOD).reduce((n, f) => n + f.count, 0);
  if (failed > 0) return `looking for another answer after ${failed} that did not help`;
  const misunderstood = state.failures.find((f) => f.need === NOT_UNDERSTOOD)?.count ?? 0;
  if (misunderstood > 0 || state.lowConfidenceStreak > 0) return `trying to understand the request (${Math.max(misunderstood, state.lowConfidenceStreak)} message(s) not understood)`;
  return state.turns <= 1 ? 'at the customer\'s first message, before it had answered' : 'before it had answered';
}

/** Records where the bot is stuck, for the handoff's `stuckAt`. */
export function markStuck(state: ConversationState, options: BotOptions, reason: string): void {
  const need = describeNeed(state, options);
  state.stuck = need === undefined ? { reason } : { reason, need };
}
