import { ActivityFailure, ApplicationFailure, isCancellation, log, proxyActivities } from '@temporalio/workflow';
import type { ActivityConfig } from '@tandem/flow';
import { customActivityType, type CallSite } from '../../activities/contract';
import { defineExecutor } from '../../workflows/runtime/step';

export const activityExecutor = defineExecutor<ActivityConfig>({
  type: 'activity',
  version: 1,
  doc: 'a custom activity (`custom:<name>` activity type) with the node\'s timeout and retries, its input mapped with CEL; failure after retries → `error` (the error in `saveOutputAs`); interrupted by the contact\'s cancellation → the cancellation goes on (the contact ends `abandoned`), not the `error` exit',
  run({ node, visit }, rt) {
    const { config } = node;
    return rt.expressions.withActivation(node, async (activation) => {
      const input: Record<string, unknown> = {};
      for (const [field, source] of Object.entries(config.input)) {
        const value = rt.expressions.attempt(() => rt.expressions.evaluate(source, activation));
        if (!value.ok) {
          // The activity cannot be called with what the flow has: its error exit, as a failed call would.
          const error = `input ${field}: ${value.error}`;
          if (config.saveOutputAs) rt.state.ctx[config.saveOutputAs] = { error };
          return { port: 'error', error };
        }
        input[field] = value.value;
      }
      const custom = proxyActivities<Record<string, (request: { input: unknown; site: CallSite }) => Promise<unknown>>>({
        startToCloseTimeout: `${config.timeoutSeconds} seconds`,
        retry: { maximumAttempts: config.retry.maximumAttempts, initialInterval: '500 milliseconds', backoffCoefficient: 2, nonRetryableErrorTypes: ['ActivityContractError'] },
      });
      const call = custom[customActivityType(config.activity)];
      if (!call) throw ApplicationFailure.nonRetryable(`no activity proxy for ${config.activity}`);
      try {
        const output = await call({ input, site: rt.site(node, visit) });
        if (config.saveOutputAs) rt.state.ctx[config.saveOutputAs] = output;
        return 'success';
      } catch (e) {
        // Interrupted by the contact's own cancellation: not the activity's failure.
        if (!(e instanceof ActivityFailure) || isCancellation(e)) throw e;
        const reason = e.cause?.message ?? e.message;
        log.warn('custom activity failed; taking the error exit', { nodeId: node.id, activity: config.activity, error: reason });
        if (config.saveOutputAs) rt.state.ctx[config.saveOutputAs] = { error: reason };
        return 'error';
      }
    });
  },
});
