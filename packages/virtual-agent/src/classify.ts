import { customerSchema, type CustomerInput, type EscalationTrigger, type NluSnapshot } from '@tandem/contracts';
import { analyzeMessage, type MessageAnalysis } from './analyze';
import { contactTriggers } from './contact-triggers';
import { parseInput, parseNow, VirtualAgentInputError } from './errors';
import { getIntentModel } from './nlu/intent-model';
import { parseBotOptions, type BotOptionsInput } from './options';
import { analysedText } from './text';

/** Input of the flow's classify node: one message, no conversation. */
export interface ClassifyInput {
  options?: BotOptionsInput;
  message: string;
  now: string;
  messageIndex?: number;
  /** The customer: their tier fires `high_value`, their recent contacts `repeat_contact`. */
  customer?: CustomerInput;
}

/** What the classify node learns from one message. */
export interface ClassifyResult {
  /** What flows store as `nlu`; its `triggers` include the contact triggers. */
  nlu: NluSnapshot;
  /** The message on its own: intent, entities, sentiment, topics and the message's triggers (human request, sensitive topics, frustration). */
  analysis: MessageAnalysis;
  /** Triggers from who the customer is rather than what they wrote: `high_value`, `repeat_contact` (with the earlier contact named). */
  contactTriggers: EscalationTrigger[];
}

/**
 * The classify node: intent, entities, sentiment, topics and message-level triggers of one message,
 * the contact's own triggers when a customer is given, and the `nlu` snapshot a flow stores in
 * context. Stateless and deterministic; any length of message is accepted (long ones are analysed
 * by their start and end). The worker also calls it at waits and surveys for the escape hatch:
 * a request for a person, the sensitive topics and frustration in words are in `analysis.triggers`.
 *
 * @example
 * const { nlu } = await classifyMessage({ message: 'I will see you in court', now });
 * nlu.triggers; // ['legal_threat']
 */
export async function classifyMessage(input: ClassifyInput): Promise<ClassifyResult> {
  const options = parseBotOptions(input.options ?? {});
  if (typeof input.message !== 'string' || input.message.trim() === '') {
    throw new VirtualAgentInputError('message', ['message: expected non-empty text']);
  }
  const now = parseNow(input.now);
  const customer = input.customer === undefined ? undefined : parseInput(customerSchema, input.customer, 'customer');
  const model = await getIntentModel({ useDefaultIntents: options.useDefaultIntents, intents: options.intents });
  const message = input.message.trim();
  const messageIndex = input.messageIndex ?? 0;
  const analysis = await analyzeMessage(model, analysedText(message), { confidenceThreshold: options.confidenceThreshold, messageIndex, now });
  const fromContact = contactTriggers({
    customer,
    repeatContact: false,
    intent: analysis.intent,
    topics: analysis.topics,
    now,
    windowDays: options.repeatContactWindowDays,
    highValueTiers: options.highValueTiers,
    messageIndex,
    message,
    already: new Set(),
  });
  return {
    analysis,
    contactTriggers: fromContact,
    nlu: {
      intent: analysis.intent,
      confidence: analysis.confidence,
      sentiment: analysis.sentiment,
      topics: analysis.topics,
      triggers: [...new Set([...analysis.triggers, ...fromContact].map((t) => t.kind))],
    },
  };
}
