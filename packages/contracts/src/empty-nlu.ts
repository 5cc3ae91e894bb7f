/** What a contact's NLU snapshot holds before the virtual agent has read anything. */
import type { NluSnapshot } from './index';

/** No intent, no sentiment, no triggers: what flows see before a bot or classify step ran. */
export const emptyNluSnapshot: NluSnapshot = { intent: 'none', confidence: 0, sentiment: 0, topics: [], triggers: [] };
