import type { DistributeConfig } from '@tandem/flow';
import { defineExecutor } from '../../workflows/runtime/step';

/**
 * A number from 0 to 99 for `key`, the same every time (FNV-1a, 32 bits): deterministic, so a replay
 * takes the branch the contact took, and evenly spread over keys.
 */
export function percentile(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 100;
}

export const distributeExecutor = defineExecutor<DistributeConfig>({
  type: 'distribute',
  version: 1,
  doc: 'picks the branch from a hash of the customer id (or the contact id) with the flow and the node, in the configured shares — no randomness, the same on every replay',
  run({ node }, rt) {
    const { contact } = rt.state;
    const who = node.config.by === 'customer' ? `customer:${contact.customer.id}` : `contact:${contact.id}`;
    const p = percentile(`${who}|${rt.plan.flowId}|${node.id}`);
    let upTo = 0;
    for (const branch of node.config.branches) {
      upTo += branch.percent;
      if (p < upTo) return branch.id;
    }
    // The shares add up to 100 (the compiler checks), so this is not reached.
    return node.config.branches[node.config.branches.length - 1]!.id;
  },
});
