/** The classify node's activity: the virtual agent's classifiers on one customer message. */
import type { Customer, EscalationTrigger, NluSnapshot } from '@tandem/contracts';
import type { ClassifyConfig } from '@tandem/flow';
import { classifyMessage } from '@tandem/virtual-agent';
import type { CallSite } from '../../activities/contract';
import { nonRetryableInputError } from '../../activities/dependencies';

export interface ClassifyRequest extends CallSite {
  config: ClassifyConfig;
  text: string;
  index: number;
  customer: Customer;
  now: string;
}

export interface ClassifyActivities {
  classify(request: ClassifyRequest): Promise<{ nlu: NluSnapshot; trigger: EscalationTrigger | null }>;
}

export function createClassifyActivities(): ClassifyActivities {
  return {
    async classify(request) {
      try {
        const { nlu, analysis } = await classifyMessage({ message: request.text, now: request.now, messageIndex: request.index, customer: request.customer });
        const wanted = new Set<string>(request.config.detect);
        const limited = request.config.intents;
        return {
          nlu: {
            intent: wanted.has('intent') && (limited.length === 0 || limited.includes(nlu.intent)) ? nlu.intent : 'none',
            confidence: wanted.has('intent') ? nlu.confidence : 0,
            sentiment: wanted.has('sentiment') ? nlu.sentiment : 0,
            topics: wanted.has('topics') ? nlu.topics : [],
            triggers: wanted.has('triggers') ? nlu.triggers : [],
          },
          trigger: wanted.has('triggers') ? (analysis.triggers[0] ?? null) : null,
        };
      } catch (e) {
        nonRetryableInputError(e);
      }
    },
  };
}
