/**
 * The subflow node, caller's side. The subflow runs as a child workflow; this contact keeps the
 * customer's conversation: it forwards the customer's messages to the child and says what the child
 * says, so the customer sees one conversation and a message's update returns the child's answer.
 */
import { ApplicationFailure, CancellationScope, condition, log, startChild, type ChildWorkflowHandle } from '@temporalio/workflow';
import type { SubflowConfig } from '@tandem/flow';
import { subflowInputSignal, type ContactFlowInput, type ContactFlowResult } from '@tandem/workflow-contract';
import { builtinActivities } from '../../workflows/runtime/proxies';
import { defineExecutor, type NodeExecutor, type NodeRuntime, type Step } from '../../workflows/runtime/step';
import type { SubflowActivities } from './activities';

const subflows = builtinActivities<SubflowActivities>();

type ContactFlow = (input: ContactFlowInput) => Promise<ContactFlowResult>;

/** Version 1 has one exit per outcome of the called flow; version 2 adds `error` (see `subflowFailed`). */
export function subflowExecutor(version: 1 | 2, doc: string): NodeExecutor<SubflowConfig> {
  return defineExecutor<SubflowConfig>({ type: 'subflow', version, doc, run: (step, rt) => callSubflow(step, rt, version >= 2) });
}

async function callSubflow(step: Step<SubflowConfig>, rt: NodeRuntime, errorExit: boolean): Promise<string> {
  const { node, path, visit } = step;
  const { config } = node;
  const { state } = rt;
  const activation = await rt.expressions.withActivation(node, (a) => a);
  const input: Record<string, unknown> = {};
  for (const [name, source] of Object.entries(config.input)) {
    const value = rt.expressions.attempt(() => rt.expressions.evaluate(source, activation));
    if (value.ok) input[name] = value.value;
    // Version 2 leaves through `error`; version 1 calls the subflow without it (its variable keeps its default).
    else if (errorExit) return await subflowFailed(rt, step, errorExit, new Error(`input ${name}: ${value.error}`));
    else log.warn('a subflow input failed at run time; the subflow starts without it', { nodeId: node.id, input: name, error: value.error });
  }
  let pinned = rt.input.subflows?.[config.flowId];
  if (!pinned) {
    try {
      pinned = await subflows.loadSubflowPlan({ flowId: config.flowId });
    } catch (e) {
      return await subflowFailed(rt, step, errorExit, e);
    }
  }
  const childWorkflowId = `${rt.workflowId}/sub/${node.id}/${visit}`;
  const { input: parentInput } = rt;
  const childInput: ContactFlowInput = {
    schemaVersion: 1,
    plan: pinned.plan,
    flowVersion: pinned.version,
    contact: { id: state.contact.id, channel: state.contact.channel, customer: state.contact.customer, attributes: state.contact.attributes },
    input,
    origin: { kind: 'subflow', parentContactId: state.contact.id },
    parent: { workflowId: rt.workflowId, transcript: state.transcript },
    ...(parentInput.options ? { options: parentInput.options } : {}),
    ...(parentInput.calendars ? { calendars: parentInput.calendars } : {}),
    ...(parentInput.subflows ? { subflows: parentInput.subflows } : {}),
  };
  const receiver = rt.receiveSubflow(childWorkflowId);
  const { outputs } = receiver;
  let child: ChildWorkflowHandle<ContactFlow>;
  try {
    child = await startChild<ContactFlow>('contactFlow', {
      workflowId: childWorkflowId,
      args: [childInput],
      // Should this contact close without it (terminated, failed), the subflow is asked to cancel, so it
      // abandons properly instead of being terminated with a work item still open.
      parentClosePolicy: 'REQUEST_CANCEL',
    });
  } catch (e) {
    receiver.release();
    return await subflowFailed(rt, step, errorExit, e);
  }
  let result: ContactFlowResult | undefined;
  let failure: unknown;
  const done = child.result().then(
    (r) => void (result = r),
    (e: unknown) => void (failure = e),
  );
  let forwarded = -1;
  let answered = -1;
  let ending = false;
  try {
    for (;;) {
      // The customer's messages go to the subflow.
      while (state.inbox.length) {
        const message = await rt.nextMessage(path, node.id);
        if (!message) break;
        try {
          await child.signal(subflowInputSignal, { schemaVersion: 1, text: message.text, parentIndex: message.index });
        } catch (e) {
          // The child is gone (it ended or failed meanwhile): its result says which.
          if (!errorExit || CancellationScope.current().consideredCancelled) throw e;
          await done;
          break;
        }
        forwarded = message.index;
      }
      // What it said comes back through us (into the waiting customer's reply, or the channel).
      for (const output of outputs.splice(0)) {
        for (const m of output.messages) await rt.say(m.from, m.text, m.nodeId, m.articleId);
        answered = Math.max(answered, output.answeredUpTo);
        ending ||= output.handledBy === 'ended';
        path.activity = output.handledBy === 'ended' ? 'flow' : output.handledBy;
      }
      if (result || failure) break;
      if (forwarded > answered || ending) {
        // Not parked: the customer's update waits for the subflow's answer (or for the flow to go on
        // after the subflow's end, so what comes next is part of the same answer).
        await condition(() => outputs.length > 0 || result !== undefined || failure !== undefined);
        continue;
      }
      await rt.park(path, true, () => state.inbox.length > 0 || outputs.length > 0 || result !== undefined || failure !== undefined);
    }
    await done;
    // The child's last words arrive before its result (it drains them before completing).
    for (const output of outputs.splice(0)) for (const m of output.messages) await rt.say(m.from, m.text, m.nodeId, m.articleId);
    if (result) return result.outcome;
    if (errorExit) return await subflowFailed(rt, step, errorExit, failure, childWorkflowId);
    throw failure instanceof Error ? failure : ApplicationFailure.nonRetryable(`the subflow "${config.flowId}" failed`, 'SubflowFailed');
  } catch (e) {
    // This contact (or its branch) was cancelled, and the subflow with it: let the subflow close first
    // (it abandons: withdraws its work item, sends its last events).
    if (!result && !failure && CancellationScope.current().consideredCancelled) await done;
    throw e;
  } finally {
    receiver.release();
    path.activity = 'flow';
  }
}

/**
 * The subflow could not run to an end (it failed, timed out or was terminated, could not be loaded or
 * started): version 2 leaves through `error`; version 1, and this contact's own cancellation, throw.
 */
async function subflowFailed(rt: NodeRuntime, { node }: Step<SubflowConfig>, errorExit: boolean, error: unknown, childWorkflowId?: string): Promise<string> {
  if (!errorExit || CancellationScope.current().consideredCancelled) throw error;
  const cause = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
  log.warn('the subflow did not reach an end; taking the error exit', { nodeId: node.id, flowId: node.config.flowId, error: cause });
  if (childWorkflowId) {
    // A child that failed or was terminated did not withdraw what it left in the queues: nobody would
    // answer an agent who took it.
    const { withdrawn } = await subflows.withdrawWorkItemsOf({ contactId: rt.state.contact.id, workflowId: childWorkflowId, reason: 'subflow_failed' });
    if (withdrawn > 0) log.info('withdrew the failed subflow\'s work items', { nodeId: node.id, withdrawn });
  }
  return 'error';
}
