import { subflowNode } from './subflow';
import { defineNode, type PortSpec } from './types';

/** The exit a subflow call takes when the called flow could not run to an end. */
export const SUBFLOW_ERROR_PORT: PortSpec = {
  id: 'error',
  label: 'Error',
  description: 'The called flow failed, timed out or was terminated before reaching an end, or could not be loaded.',
};

/**
 * Version 2 of the subflow call: the same config and one exit per outcome, plus an `error` exit, so a
 * called flow that fails does not take the calling contact down with it (version 1 fails the contact).
 */
export const subflowNodeV2 = defineNode({
  ...subflowNode,
  typeVersion: 2,
  ports: (config, context) => {
    const outcomes = typeof subflowNode.ports === 'function' ? subflowNode.ports(config, context) : null;
    return outcomes && [...outcomes, SUBFLOW_ERROR_PORT];
  },
  docs:
    'Starts the published flow `flowId` as a child workflow with `input` (CEL per variable of the subflow) and waits for it. ' +
    'The node has one exit per outcome of the called flow (the outcomes of its end nodes), and an `error` exit taken when the called flow fails, times out or is terminated before it reaches an end, or cannot be loaded; ' +
    'the contact goes on there (version 1 has no such exit: the failure ends the calling contact too). ' +
    'Cancelling the calling contact cancels the called flow and does not take the `error` exit. A flow may not call itself.',
});
