import type { Entity, EscalationTrigger } from '@tandem/contracts';
import { dedupeEntities, extractDates, normalizeEntity } from './nlu/entities';
import { type IntentScore } from './nlu/intent-classification';
import { type IntentModel } from './nlu/intent-model';
import { scoreSentiment } from './nlu/sentiment';
import { detectMessageTriggers } from './triggers';

/** Everything the virtual agent understands from one customer message on its own. */
export interface MessageAnalysis {
  /** Recognised intent, or `none` (low confidence, off-topic). */
  intent: string;
  /** Score of the best candidate intent, 0 … 1. */
  confidence: number;
  /** Share of the message's content words the model was trained on, 0 … 1: a confident intent on words it barely knows is a guess. */
  coverage: number;
  /** Other candidate intents, best first: the other requests of a multi-intent message come first. */
  alternatives: IntentScore[];
  /** Every request in the message, in the order the customer made them (several for a multi-intent message). */
  requests: IntentScore[];
  entities: Entity[];
  /** -1 … 1. */
  sentiment: number;
  /** The intent's topic plus sensitive topics detected (`legal_threat`, `vulnerable_customer:bereavement`, …). */
  topics: string[];
  /** Message-level triggers with evidence. */
  triggers: EscalationTrigger[];
}

export interface AnalyzeOptions {
  confidenceThreshold: number;
  /** Index of the message in the transcript, used in evidence and entities. */
  messageIndex: number;
  /** ISO-8601 instant relative dates resolve against. */
  now: Date;
  /** Customer's UTC offset in minutes, or a zone abbreviation; UTC when absent. */
  timezone?: string | number;
}

/** Analyses one message with a trained model: intent, entities, sentiment, topics, triggers. */
export async function analyzeMessage(model: IntentModel, text: string, options: AnalyzeOptions): Promise<MessageAnalysis> {
  const processed = await model.process(text);
  const classification = await model.classifyMessage(text, options.confidenceThreshold, processed);
  const entities = dedupeEntities([
    ...(processed.entities ?? []).map((e) => normalizeEntity(e, options.messageIndex)).filter((e): e is Entity => e !== undefined),
    ...extractDates(text, options.messageIndex, { now: options.now, ...(options.timezone === undefined ? {} : { timezone: options.timezone }) }),
  ]);
  const triggers = detectMessageTriggers(text, {
    messageIndex: options.messageIndex,
    intent: classification.intent === 'none' ? undefined : { name: classification.intent, confidence: classification.confidence },
  });
  const topics = new Set<string>();
  const topic = model.intents.get(classification.intent)?.topic;
  if (topic) topics.add(topic);
  for (const trigger of triggers) {
    if (trigger.kind !== 'frustration' && trigger.kind !== 'human_request') topics.add(trigger.detail ? `${trigger.kind}:${trigger.detail}` : trigger.kind);
  }
  return {
    intent: classification.intent,
    confidence: classification.confidence,
    coverage: classification.coverage,
    alternatives: classification.alternatives,
    requests: classification.requests,
    entities,
    sentiment: scoreSentiment(text, processed.sentiment),
    topics: [...topics],
    triggers,
  };
}
