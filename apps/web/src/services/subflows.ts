/**
 * A subflow step's exits are the called flow's outcomes, known from its newest published plan. The
 * catalog does not carry them, so they are fetched for the flows the open flow calls.
 */
import { type Plan, planOutcomes, type SubflowInfo } from '@tandem/flow';
import type { StoreApi } from 'zustand/vanilla';
import type { ApiClient } from '../api/client';
import type { DesignerState } from '../store/designer-store';

/** Fetches the subflows the open flow calls that are not known yet, and hands them to the store. */
export async function loadSubflows(designer: StoreApi<DesignerState>, api: ApiClient): Promise<void> {
  const { nodes, subflows } = designer.getState();
  const known = new Set(subflows.map((s) => s.id));
  const wanted = [...new Set(nodes.filter((n) => n.data.nodeType === 'subflow').map((n) => n.data.config.flowId).filter((id): id is string => typeof id === 'string' && id !== '' && !known.has(id)))];
  if (wanted.length === 0) return;
  const found = await Promise.all(
    wanted.map(async (id): Promise<SubflowInfo | null> => {
      try {
        const flow = await api.getFlow(id);
        if (!flow.latestVersion) return null;
        const version = (await api.version(id, flow.latestVersion)) as { plan?: Plan };
        if (!version.plan) return null;
        return { id, name: flow.name, outcomes: planOutcomes(version.plan), inputs: version.plan.variables.map((v) => ({ name: v.name, type: v.type })) };
      } catch {
        // Unknown or unpublished: the compiler reports it on the step.
        return null;
      }
    }),
  );
  const fresh = found.filter((s): s is SubflowInfo => s !== null);
  if (fresh.length) designer.getState().setSubflows([...designer.getState().subflows, ...fresh]);
}
