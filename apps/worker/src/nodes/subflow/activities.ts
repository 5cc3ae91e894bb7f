/**
 * The subflow node's activities: the published plan of the flow it calls (when the contact did not
 * bring it pinned), and cleaning up after a child that failed or was terminated.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Plan } from '@tandem/flow/runtime';
import type { ActivityDependencies } from '../../activities/dependencies';

export interface SubflowActivities {
  loadSubflowPlan(request: { flowId: string }): Promise<{ plan: Plan; version: number }>;
  /** Withdraws the items a workflow of this contact left waiting for an agent (a subflow that did not close properly). */
  withdrawWorkItemsOf(request: { contactId: string; workflowId: string; reason: 'subflow_failed' }): Promise<{ withdrawn: number }>;
}

export function createSubflowActivities(deps: Pick<ActivityDependencies, 'plans' | 'workItems'>): SubflowActivities {
  return {
    async loadSubflowPlan({ flowId }) {
      const found = await deps.plans.latestPublished(flowId);
      if (!found) throw ApplicationFailure.nonRetryable(`the flow "${flowId}" has no published version`, 'UnknownFlow');
      return found;
    },
    async withdrawWorkItemsOf({ contactId, workflowId, reason }) {
      return { withdrawn: await deps.workItems.withdrawOpenOf(contactId, workflowId, reason) };
    },
  };
}
