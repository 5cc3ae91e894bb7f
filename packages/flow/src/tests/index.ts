/**
 * Flow tests: the format (stored with the flow as its document's `tests`), how a turn is named, and how
 * expectations are checked against what a contact did.
 */
import type { FlowTestTurn } from './schema';

export * from './schema';
export * from './expectations';

const clip = (text: string, max = 60): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * A turn as a designer reads it in results and errors.
 *
 * @example
 * describeTurn({ kind: 'customer', text: 'I want a person' }) // 'customer: “I want a person”'
 */
export function describeTurn(turn: FlowTestTurn): string {
  switch (turn.kind) {
    case 'customer':
      return `customer: “${clip(turn.text)}”`;
    case 'agent_accept':
      return 'the agent accepts';
    case 'agent_message':
      return `agent: “${clip(turn.text)}”`;
    case 'agent_resolve':
      return `the agent resolves it (${turn.outcome}${turn.tags.length ? `; ${turn.tags.join(', ')}` : ''})`;
    case 'agent_transfer':
      return `the agent transfers it to ${turn.queue}`;
    case 'quiet':
      return `the customer stays quiet for ${turn.seconds} s`;
  }
}
