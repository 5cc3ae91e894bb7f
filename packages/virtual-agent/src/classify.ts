import { customerSchema, type CustomerInput, type NluSnapshot } from '@tandem/contracts';
import { analyzeMessage, type MessageAnalysis } from './analyze';
import { parseInput, parseNow, VirtualAgentInputError } from './errors';
import { getIntentModel } from './nlu/intent-model';
import { parseBotOptions, type BotOptionsInput } from './options';

/** Input of the flow's classify node: one message, no conversation. */
export interface ClassifyInput {
  options?: BotOptionsInput;
  message: string;
  now: string;
  messageIndex?: number;
  customer?: CustomerInput;
}

/**
 * The classify node: intent, entities, sentiment, topics and message-level triggers of one message,
 * and the `nlu` snapshot a flow stores in context. Stateless and deterministic.
 *
 * @example
 * const { nlu } = await classifyMessage({ message: 'I will see you in court', now });
 * nlu.triggers; // ['legal_threat']
 */
export async function classifyMessage(input: ClassifyInput): Promise<{ nlu: NluSnapshot; analysis: MessageAnalysis }> {
  const options = parseBotOptions(input.options ?? {});
  if (typeof input.message !== 'string' || input.message.trim() === '') {
    throw new VirtualAgentInputError('message', ['message: expected non-empty text']);
  }
  const now = parseNow(input.now);
  if (input.customer !== undefined) parseInput(customerSchema, input.customer, 'customer');
  const model = await getIntentModel({ useDefaultIntents: options.useDefaultIntents, intents: options.intents });
  const analysis = await analyzeMessage(model, input.message.trim(), {
    confidenceThreshold: options.confidenceThreshold,
    messageIndex: input.messageIndex ?? 0,
    now,
  });
  return {
    analysis,
    nlu: {
      intent: analysis.intent,
      confidence: analysis.confidence,
      sentiment: analysis.sentiment,
      topics: analysis.topics,
      triggers: [...new Set(analysis.triggers.map((t) => t.kind))],
    },
  };
}
