/**
 * How a turn ends: the decision each step of the bot reaches, escalating on a trigger the node
 * escalates on, and giving up when the bot cannot make progress or runs out of turns (escalate when
 * the node lists `bot_failure`, else `no_match`).
 */
import { type EscalationTrigger } from '@tandem/contracts';
import { type BotOptions } from '../options';
import { type ConversationState } from '../state';
import { byPriority } from '../triggers';
import { recordTriggers } from './conversation-triggers';

/** How a bot turn ended; the flow's bot node maps these onto its ports. */
export type BotOutcome = 'continue' | 'resolved' | 'escalate' | 'no_match';

/** What the bot decided on a turn: the outcome, what it says, and the trigger it escalates on, if any. */
export interface Decision {
  outcome: BotOutcome;
  reply: string;
  articleId?: string;
  escalation: EscalationTrigger | null;
}

/** Escalates on the most important trigger fired this turn that the node escalates on (a human request always). */
export function escalateOnTriggers(state: ConversationState, options: BotOptions, triggers: EscalationTrigger[]): Decision | undefined {
  const escalation = triggers.filter((t) => t.kind === 'human_request' || options.escalateOn.includes(t.kind)).sort(byPriority)[0];
  if (!escalation) return undefined;
  state.status = 'escalated';
  state.stopReason = escalation.reason;
  return { outcome: 'escalate', reply: options.texts.escalating, escalation };
}

/** Ends the conversation because the bot cannot make progress: escalate if the node lists bot_failure, else no_match. */
export function stop(state: ConversationState, options: BotOptions, reason: string): Decision {
  state.stopReason = reason;
  if (options.escalateOn.includes('bot_failure')) {
    const trigger: EscalationTrigger = { kind: 'bot_failure', reason, evidence: [] };
    state.triggers = recordTriggers(state.triggers, [trigger]);
    state.status = 'escalated';
    return { outcome: 'escalate', reply: options.texts.escalating, escalation: trigger };
  }
  state.status = 'no_match';
  return { outcome: 'no_match', reply: options.texts.noMatch, escalation: null };
}

/** A turn that would continue past the node's `maxTurns` stops instead. */
export function stopIfExhausted(state: ConversationState, options: BotOptions, decision: Decision): Decision {
  if (decision.outcome === 'continue' && state.turns >= options.maxTurns) {
    return stop(state, options, `reached the limit of ${options.maxTurns} turns`);
  }
  return decision;
}
