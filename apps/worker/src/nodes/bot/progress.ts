/** What a bot node keeps in `state.nodeState` between turns (and across continue-as-new). */
import type { Plan } from '@tandem/flow/runtime';

export interface BotProgress {
  /** The virtual agent's conversation state. */
  conversation: unknown;
  greeted: boolean;
  /** Workflow time (ms) the quiet period after an answer ends: silence until then resolves the conversation. */
  quietUntil?: number;
  /** The conversation was resolved by the quiet period after an answer (its state still awaits a confirmation). */
  resolvedQuietly?: boolean;
}

/**
 * The conversations of the contact's bot nodes, by node id — what an escalation's handoff is built
 * from — and the nodes whose conversation the quiet period resolved (their answers are settled then).
 */
export function botConversations(plan: Plan, nodeState: Record<string, unknown>): { conversations: Record<string, unknown>; resolvedQuietly: string[]; labels: Record<string, string> } {
  const conversations: Record<string, unknown> = {};
  const resolvedQuietly: string[] = [];
  const labels: Record<string, string> = {};
  for (const [id, progress] of Object.entries(nodeState)) {
    const node = plan.nodes[id];
    if (node?.type !== 'bot') continue;
    conversations[id] = (progress as BotProgress).conversation;
    labels[id] = node.label;
    if ((progress as BotProgress).resolvedQuietly) resolvedQuietly.push(id);
  }
  return { conversations, resolvedQuietly, labels };
}
