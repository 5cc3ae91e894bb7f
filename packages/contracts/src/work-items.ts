/**
 * How a human handled a work item, and the signal that tells the contact's workflow. A module of its
 * own for the workflow sandbox (see `sandbox.ts`).
 */
import { z } from 'zod';

/**
 * Builds the outcome and resolution schemas afresh (the workflow sandbox keeps its own set out of reach
 * of its freeze, see `sandbox.ts`).
 */
function workItemSchemas() {
  /** How a human handled a work item. */
  const outcome = z.enum(['resolved', 'transferred', 'abandoned', 'callback_scheduled', 'unresolved']);
  /**
   * Payload of the `workItemResolved` signal. Names the work item it resolves: the workflow accepts it
   * only for the item it is waiting on now and ignores late or duplicate resolutions.
   */
  const resolution = z.object({
    schemaVersion: z.literal(1),
    workItemId: z.string().min(1),
    outcome,
    reasonTags: z.array(z.string()).default([]),
    agentId: z.string().optional(),
    note: z.string().optional(),
    /** ISO-8601 time of completion. */
    resolvedAt: z.string(),
  });
  return { outcome, resolution };
}

const schemas = workItemSchemas();

/** How a human handled a work item. */
export const workItemOutcomeSchema = schemas.outcome;
export type WorkItemOutcome = z.infer<typeof workItemOutcomeSchema>;

/** Name of the signal routing sends to a contact's workflow when a work item is completed. */
export const WORK_ITEM_RESOLVED_SIGNAL = 'workItemResolved';

/**
 * Payload of the `workItemResolved` signal. Names the work item it resolves: the workflow accepts it
 * only for the item it is waiting on now and ignores late or duplicate resolutions.
 */
export const workItemResolutionSchema = schemas.resolution;

/** A resolution schema of its own (no part shared with `workItemResolutionSchema`). */
export const newWorkItemResolutionSchema = (): typeof workItemResolutionSchema => workItemSchemas().resolution;
export type WorkItemResolution = z.infer<typeof workItemResolutionSchema>;

/** Name of the signal routing sends to a contact's workflow when an agent takes its work item (accepts an offer, claims it). */
export const WORK_ITEM_ASSIGNED_SIGNAL = 'workItemAssigned';

/**
 * Payload of the `workItemAssigned` signal: a person has the contact now. The workflow accepts it only
 * for the item it waits on (a late one, for an earlier or transferred item, is ignored).
 */
export interface WorkItemAssignment {
  schemaVersion: 1;
  workItemId: string;
  agentId: string;
  /** The agent's display name, when routing knows one (the customer is told who joined). */
  agentName?: string;
  /** ISO-8601 time the agent took it. */
  assignedAt: string;
}
