/**
 * The activities the worker registers, from a factory with injected dependencies (Temporal samples'
 * style): the core's, the node types' (`src/nodes/activities.ts`) and the custom activities.
 * Activities are retried, so each is idempotent or keyed by its call site (workflow id + node + visit).
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { classifyMessage } from '@tandem/virtual-agent';
import { createNodeActivities } from '../nodes/activities';
import { customActivityType, type CallSite, type CoreActivities, type LiveDataResponse } from './contract';
import { nonRetryableInputError, type ActivityDependencies } from './dependencies';

export type { ActivityDependencies } from './dependencies';

export function createCoreActivities(deps: ActivityDependencies): CoreActivities {
  return {
    async deliverMessage(request) {
      await deps.channel.deliver(request);
    },

    async fetchLiveData({ queues, calendars }) {
      const result: LiveDataResponse = { queues: {}, calendars: {} };
      for (const q of queues) result.queues[q] = await deps.workItems.estimatedWaitSeconds(q);
      for (const name of calendars) {
        const cal = await deps.calendars.get(name);
        if (!cal) throw ApplicationFailure.nonRetryable(`the calendar "${name}" does not exist`, 'UnknownCalendar');
        result.calendars[name] = cal;
      }
      return result;
    },

    async emitEvents({ events }) {
      return deps.events.publish(events);
    },

    async detectTriggers({ text, index, customer, now }) {
      try {
        const { analysis } = await classifyMessage({ message: text, now, messageIndex: index, customer });
        return { triggers: analysis.triggers, sentiment: analysis.sentiment };
      } catch (e) {
        nonRetryableInputError(e);
      }
    },

    async withdrawWorkItem({ workItemId, reason }) {
      await deps.workItems.withdraw(workItemId, reason);
    },
  };
}

/** The custom activities of the registry, each under its `custom:<name>` activity type. */
function createCustomActivities(deps: ActivityDependencies): Record<string, (request: { input: unknown; site: CallSite }) => Promise<unknown>> {
  const custom: Record<string, (request: { input: unknown; site: CallSite }) => Promise<unknown>> = {};
  for (const descriptor of deps.customActivities?.descriptors() ?? []) {
    const activity = deps.customActivities?.get(descriptor.name);
    if (!activity) continue;
    custom[customActivityType(descriptor.name)] = async ({ input, site }) => {
      const ctx = Context.current();
      try {
        return await activity.invoke(input, { attempt: ctx.info.attempt, contactId: site.contactId, nodeId: site.nodeId, signal: ctx.cancellationSignal });
      } catch (e) {
        nonRetryableInputError(e);
      }
    };
  }
  return custom;
}

export function createActivities(deps: ActivityDependencies) {
  return { ...createCoreActivities(deps), ...createNodeActivities(deps), ...createCustomActivities(deps) };
}

export type TandemActivities = ReturnType<typeof createActivities>;
