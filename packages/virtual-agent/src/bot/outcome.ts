/**
 * How a turn ends: the decision each step of the bot reaches, escalating on a trigger the node
 * escalates on, escalating as `bot_failure` when the bot is stuck (the same need failed, too many
 * messages not understood, no answer), and giving up when it runs out of turns (escalate when the node
 * lists `bot_failure`, else `no_match`).
 */
import { type EscalationTrigger, type TriggerEvidence } from '@tandem/contracts';
import { type BotOptions } from '../options';
import { type ConversationState } from '../state';
import { byPriority } from '../triggers';
import { describeSituation, markStuck, settleOpenAttempts } from './attempts';
import { recordTriggers } from './conversation-triggers';

/** How a bot turn ended; the flow's bot node maps these onto its ports. */
export type BotOutcome = 'continue' | 'resolved' | 'escalate' | 'no_match';

/** What the bot decided on a turn: the outcome, what it says, and the trigger it escalates on, if any. */
export interface Decision {
  outcome: BotOutcome;
  reply: string;
  articleId?: string;
  escalation: EscalationTrigger | null;
  /** The reply is an answer: the conversation is resolved once the customer confirms it or stays quiet. */
  awaitingConfirmation?: boolean;
}

const HANDED_OVER: Partial<Record<EscalationTrigger['kind'], string>> = {
  human_request: 'the customer asked for a person',
  vulnerable_customer: 'the customer may be vulnerable',
  legal_threat: 'the customer mentioned legal action',
  regulatory: 'the customer mentioned a regulator or a data-protection right',
  complaint: 'the customer complained',
  frustration: 'the customer was frustrated',
  negative_sentiment: 'the customer\'s mood was getting worse',
  low_confidence: 'the bot did not understand the customer',
  repeat_contact: 'the customer had contacted us about this before',
  high_value: 'a high-value customer',
};

/** Escalates on the most important trigger fired this turn that the node escalates on (a human request always). */
export function escalateOnTriggers(state: ConversationState, options: BotOptions, triggers: EscalationTrigger[], message: string): Decision | undefined {
  const escalation = triggers.filter((t) => t.kind === 'human_request' || options.escalateOn.includes(t.kind)).sort(byPriority)[0];
  return escalation ? handOver(state, options, escalation, message) : undefined;
}

/** Hands the conversation to a person on a trigger, recording where the bot was and what its open attempts came to. */
export function handOver(state: ConversationState, options: BotOptions, escalation: EscalationTrigger, message: string): Decision {
  const why = HANDED_OVER[escalation.kind] ?? escalation.kind.replace(/_/g, ' ');
  markStuck(state, options, `${describeSituation(state, options)}; handed over because ${why}`);
  settleOpenAttempts(state, message, `the conversation went to a person instead: ${why}`);
  state.status = 'escalated';
  state.stopReason = escalation.reason;
  return { outcome: 'escalate', reply: options.texts.escalating, escalation };
}

/**
 * Escalates as `bot_failure` because the bot is stuck — whatever the node's `escalateOn` lists, since
 * repeated failure always goes to a person. `evidence` is the loop: the messages that failed.
 */
export function escalateAsFailure(state: ConversationState, options: BotOptions, reason: string, evidence: TriggerEvidence[], lead: string): Decision {
  const trigger: EscalationTrigger = { kind: 'bot_failure', reason, evidence };
  markStuck(state, options, reason);
  state.triggers = recordTriggers(state.triggers, [trigger]);
  state.status = 'escalated';
  state.stopReason = reason;
  state.awaitingConfirmation = null;
  state.pendingSlot = null;
  state.offeredPerson = false;
  return { outcome: 'escalate', reply: `${lead} ${options.texts.escalating}`, escalation: trigger };
}

/** Ends the conversation because the bot cannot make progress: escalate if the node lists bot_failure, else no_match. */
export function stop(state: ConversationState, options: BotOptions, reason: string): Decision {
  state.stopReason = reason;
  markStuck(state, options, reason);
  if (options.escalateOn.includes('bot_failure')) {
    const trigger: EscalationTrigger = { kind: 'bot_failure', reason, evidence: [] };
    state.triggers = recordTriggers(state.triggers, [trigger]);
    state.status = 'escalated';
    return { outcome: 'escalate', reply: options.texts.escalating, escalation: trigger };
  }
  state.status = 'no_match';
  return { outcome: 'no_match', reply: options.texts.noMatch, escalation: null };
}

/** A turn that would continue past the node's `maxTurns` stops instead; an answer still waits for the customer's reaction. */
export function stopIfExhausted(state: ConversationState, options: BotOptions, decision: Decision): Decision {
  if (decision.outcome === 'continue' && !decision.awaitingConfirmation && state.turns >= options.maxTurns) {
    return stop(state, options, `reached the limit of ${options.maxTurns} turns`);
  }
  return decision;
}
