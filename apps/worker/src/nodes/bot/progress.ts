/** What a bot node keeps in `state.nodeState` between turns (and across continue-as-new). */
import type { Plan } from '@tandem/flow/runtime';

export interface BotProgress {
  /** The virtual agent's conversation state. */
  conversation: unknown;
  greeted: boolean;
  /** Workflow time (ms) the quiet period after an answer ends: silence until then resolves the conversation. */
  quietUntil?: number;
}

/** The conversations of the contact's bot nodes, by node id: what an escalation's handoff is built from. */
export function botConversations(plan: Plan, nodeState: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, progress] of Object.entries(nodeState)) {
    if (plan.nodes[id]?.type === 'bot') out[id] = (progress as BotProgress).conversation;
  }
  return out;
}
