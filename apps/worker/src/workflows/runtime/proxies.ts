/**
 * How the workflow calls activities. Each node's executor proxies its own activities with
 * `builtinActivities<ItsActivities>()` (types only from its `activities.ts`); the core uses `core`.
 */
import { proxyActivities, type ActivityInterfaceFor, type ActivityOptions } from '@temporalio/workflow';
import type { CoreActivities } from '../../activities/contract';

/**
 * Built-in activities are quick (a bot turn is milliseconds, a first model training about a second), so
 * a short timeout lets a retry on another worker start soon after a worker dies mid-activity.
 */
export const BUILTIN_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 20 },
};

/** A typed proxy of built-in activities (a node's own, or the core's). */
export function builtinActivities<T>(): ActivityInterfaceFor<T> {
  return proxyActivities<T>(BUILTIN_ACTIVITY_OPTIONS);
}

/** The core's activities: delivering messages, live data, withdrawing a work item on abandon. */
export const core = builtinActivities<CoreActivities>();

/**
 * Sending events. The activity dead-letters an event that fails its contract (a bug, counted and
 * logged) instead of failing, so a retry only ever waits for the sink (Kafka) to come back: events are
 * never lost, and retried until delivered.
 */
export const eventDelivery = proxyActivities<Pick<CoreActivities, 'emitEvents'>>({
  startToCloseTimeout: '30 seconds',
  // No maximumAttempts: retried until the sink takes them.
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});
