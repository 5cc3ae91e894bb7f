/**
 * Slot filling: the details the bot collects for an intent before it answers it (an order number for
 * `order_status`). Takes details given earlier without asking, asks for each missing one, re-prompts a
 * bounded number of times, drops the question when the customer moves on, and ends by doing what the
 * intent promised: its answer, never "I have everything I need".
 */
import { type MessageAnalysis } from '../analyze';
import { NO_INTENT } from '../intents/default-intents';
import { type BotOptions, type SlotOptions } from '../options';
import { type ConversationState } from '../state';
import { answerIntent } from './answers';
import { attempt, describeNeed, recordFailure, settleOpenAttempts } from './attempts';
import type { TurnMessage } from './decision';
import { type Decision, escalateAsFailure, stopIfExhausted } from './outcome';

function slotsFor(options: BotOptions, intent: string): SlotOptions[] {
  return options.slots.filter((s) => !s.intents || s.intents.includes(intent));
}

/**
 * The value of a slot in the message: the entity, or for an order number asked for, a bare run of 5–12
 * digits the entity rules leave to phone numbers ("it's 123456789").
 */
function slotValue(slot: SlotOptions, analysis: MessageAnalysis, message: string): string | undefined {
  const entity = analysis.entities.find((e) => e.type === slot.entity)?.value;
  if (entity || slot.entity !== 'order_number') return entity;
  const digits = /(?<![\d£$€.,])\b\d{5,12}\b(?![.,]\d)/.exec(message)?.[0];
  return digits;
}

/**
 * The customer's reply to a slot prompt: the value (then the next question, or the intent's answer), a
 * re-prompt, or handing over after too many. Undefined when the customer moved on to something else:
 * the question is dropped and the message is handled as a new one.
 */
export function answerPendingSlot(state: ConversationState, options: BotOptions, turn: TurnMessage): Decision | undefined {
  const { analysis, text: message, messageIndex } = turn;
  const pending = state.pendingSlot;
  if (!pending) return undefined;
  const slot = options.slots.find((s) => s.name === pending.name);
  const value = slot && slotValue(slot, analysis, message);
  if (slot && value) {
    state.slots[slot.name] = value;
    settleOpenAttempts(state, message, `got ${describeNeed(state, options) ?? slot.name}`, true);
    state.pendingSlot = null;
    return askNextSlotOrAnswer(state, options);
  }
  // A short answer without the value ("not sure") is a failed answer, whatever the classifier makes
  // of two words; a longer message with another request means the customer moved on.
  if (slot && !turn.movedOn) {
    const need = describeNeed(state, options) ?? slot.name;
    settleOpenAttempts(state, message, `the answer did not contain ${need}`, false);
    const failure = recordFailure(state, { messageIndex, text: message, words: [] }, `slot ${slot.name}`);
    pending.reprompts += 1;
    if (pending.reprompts > slot.maxReprompts) {
      if (!slot.required) {
        // An optional detail: go on without it, with an answer that does not need it.
        state.pendingSlot = null;
        return askNextSlotOrAnswer(state, options, { skipped: slot.name });
      }
      return escalateAsFailure(state, options, `could not get ${need} after ${slot.maxReprompts + 1} tries`, failure.evidence, options.texts.gaveUp);
    }
    attempt(state, options, { kind: 'slot_prompt', detail: `slot ${slot.name} (asked again)` });
    return stopIfExhausted(state, options, { outcome: 'continue', reply: slot.reprompt ?? slot.prompt, escalation: null });
  }
  // The customer moved on to something else; drop the question.
  settleOpenAttempts(state, message, 'the customer moved on to something else');
  state.pendingSlot = null;
  return undefined;
}

/** Collects the slots of a recognised intent (details given earlier fill them without asking), then answers it. */
export function collectSlotsAndAnswer(state: ConversationState, options: BotOptions, intent: string, sure: boolean): Decision {
  for (const slot of slotsFor(options, intent)) {
    const value = [...state.entities].reverse().find((e) => e.type === slot.entity)?.value;
    if (value && !state.slots[slot.name]) state.slots[slot.name] = value;
  }
  return askNextSlotOrAnswer(state, options, { sure });
}

/**
 * Asks for the first missing slot of the conversation's intent, or gives the intent's answer with every
 * value collected (without `skipped`, an optional one the customer did not give: then an article
 * instead of the intent's own answer, which may need it). `sure`: see `answerIntent`.
 */
function askNextSlotOrAnswer(state: ConversationState, options: BotOptions, { skipped, sure }: { skipped?: string; sure?: boolean } = {}): Decision {
  const intent = state.intent?.name ?? NO_INTENT;
  const slots = slotsFor(options, intent);
  const missing = slots.find((s) => !state.slots[s.name] && s.name !== skipped);
  if (missing) {
    state.pendingSlot = { name: missing.name, reprompts: 0 };
    attempt(state, options, { kind: 'slot_prompt', detail: `slot ${missing.name}` });
    return stopIfExhausted(state, options, { outcome: 'continue', reply: missing.prompt, escalation: null });
  }
  return answerIntent(state, options, intent, { withoutOwnAnswer: slots.some((s) => !state.slots[s.name]), ...(sure === undefined ? {} : { sure }) });
}
