/**
 * Slot filling: the details the bot collects for an intent before it counts it handled (an order
 * number for `order_status`). Takes details given up front, asks for each missing one, re-prompts a
 * bounded number of times, and drops the question when the customer moves on.
 */
import { type Attempt } from '@tandem/contracts';
import { type MessageAnalysis } from '../analyze';
import { NO_INTENT } from '../intents/default-intents';
import { type BotOptions, type SlotOptions } from '../options';
import { STATE_LIMITS, type ConversationState } from '../state';
import { type Decision, stop, stopIfExhausted } from './outcome';

function slotsFor(options: BotOptions, intent: string): SlotOptions[] {
  return options.slots.filter((s) => !s.intents || s.intents.includes(intent));
}

/**
 * The customer's reply to a slot prompt: the value (then the next question, or done), a re-prompt, or
 * giving up after too many. Undefined when the customer moved on to something else: the question is
 * dropped and the message is handled as a new one.
 */
export function answerPendingSlot(state: ConversationState, options: BotOptions, analysis: MessageAnalysis, message: string): Decision | undefined {
  const pending = state.pendingSlot;
  if (!pending) return undefined;
  const slot = options.slots.find((s) => s.name === pending.name);
  const value = slot && analysis.entities.find((e) => e.type === slot.entity)?.value;
  if (slot && value) {
    state.slots[slot.name] = value;
    state.pendingSlot = null;
    markAttempt(state, `slot ${slot.name}`, true);
    return askNextSlotOrComplete(state, options);
  }
  // A short answer without the value ("not sure") is a failed answer, whatever the classifier makes
  // of two words; a longer message with a clear intent means the customer moved on.
  const movedOn = analysis.intent !== NO_INTENT && analysis.intent !== state.intent?.name && message.split(/\s+/).length >= 4;
  if (slot && !movedOn) {
    pending.reprompts += 1;
    if (pending.reprompts > slot.maxReprompts) {
      markAttempt(state, `slot ${slot.name}`, false);
      return stop(state, options, `could not get ${slot.name} after ${slot.maxReprompts + 1} tries`);
    }
    return stopIfExhausted(state, options, { outcome: 'continue', reply: slot.reprompt ?? slot.prompt, escalation: null });
  }
  // The customer moved on to something else; drop the question.
  state.pendingSlot = null;
  return undefined;
}

/** Starts collecting the slots of a recognised intent; undefined when the intent has none. */
export function collectSlotsFor(state: ConversationState, options: BotOptions, intent: string): Decision | undefined {
  const slots = slotsFor(options, intent);
  if (slots.length === 0) return undefined;
  // Details given up front ("where is order AB123456") fill slots without asking.
  for (const slot of slots) {
    const value = [...state.entities].reverse().find((e) => e.type === slot.entity)?.value;
    if (value && !state.slots[slot.name]) state.slots[slot.name] = value;
  }
  return askNextSlotOrComplete(state, options);
}

/** Asks for the first missing slot of the conversation's intent, or resolves with every value collected. */
function askNextSlotOrComplete(state: ConversationState, options: BotOptions): Decision {
  const intent = state.intent?.name ?? NO_INTENT;
  const missing = slotsFor(options, intent).find((s) => !state.slots[s.name]);
  if (missing) {
    state.pendingSlot = { name: missing.name, reprompts: 0 };
    state.tried = [...state.tried, { kind: 'slot_prompt' as const, detail: `slot ${missing.name}` }].slice(-STATE_LIMITS.tried);
    return stopIfExhausted(state, options, { outcome: 'continue', reply: missing.prompt, escalation: null });
  }
  state.status = 'resolved';
  state.stopReason = `collected ${Object.keys(state.slots).join(', ')} for ${intent}`;
  const values = Object.entries(state.slots)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  return { outcome: 'resolved', reply: options.texts.slotsComplete.replace('{slots}', values), escalation: null };
}

/** Marks the latest prompt for a slot as answered or failed. */
function markAttempt(state: ConversationState, detail: string, succeeded: boolean): void {
  const attempt = [...state.tried].reverse().find((a: Attempt) => a.kind === 'slot_prompt' && a.detail === detail);
  if (attempt) attempt.succeeded = succeeded;
}
