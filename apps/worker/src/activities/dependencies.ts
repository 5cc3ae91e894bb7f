/** What the built-in activities are made from (Temporal samples' style: `createActivities(deps)`). */
import { ApplicationFailure } from '@temporalio/common';
import { ActivityContractError, type ActivityRegistry } from '@tandem/activity-kit';
import { VirtualAgentInputError } from '@tandem/virtual-agent';
import type { Logger } from '../logger';
import type { CalendarDirectory, ContactEventSink, MessageChannel, PlanStore, TicketStore, WorkItemGateway } from './ports';

export interface ActivityDependencies {
  workItems: WorkItemGateway;
  calendars: CalendarDirectory;
  tickets: TicketStore;
  plans: PlanStore;
  channel: MessageChannel;
  events: ContactEventSink;
  customActivities?: ActivityRegistry;
  logger: Logger;
}

/** Input errors are bugs in the flow or the caller, never worth a retry. */
export function nonRetryableInputError(error: unknown): never {
  if (error instanceof VirtualAgentInputError || error instanceof ActivityContractError) {
    throw ApplicationFailure.nonRetryable(error.message, error.name);
  }
  throw error;
}
