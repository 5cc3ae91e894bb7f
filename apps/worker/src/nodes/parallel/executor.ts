import type { ParallelConfig } from '@tandem/flow';
import { defineExecutor } from '../../workflows/runtime/step';

export const parallelExecutor = defineExecutor<ParallelConfig>({
  type: 'parallel',
  version: 1,
  doc: 'leaves by every branch at once; each branch runs as its own path until the join, so a branch parked on a human never blocks the others. The join\'s mode decides when the flow goes on: `all` waits for every branch, `first` goes on with the first to arrive and cancels the others (a cancelled escalation withdraws its work item, a cancelled subflow closes first), `any` goes on with the first and lets the others finish their current step',
  run: ({ node, path }, rt) => rt.runBranches(node, path).then(() => ({ continueAt: rt.plan.parallels[node.id]!.join })),
});
