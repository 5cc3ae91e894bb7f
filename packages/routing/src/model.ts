import {
  channelSchema,
  handoffPackageSchema,
  workItemOutcomeSchema,
  type Channel,
  type HandoffPackage,
  type WorkItemOutcome,
} from '@tandem/contracts';
import { z } from 'zod';
import { storableText, storableDeep } from './storable';

/** The current time. Every service takes one so tests of expiry, relaxation and aging never sleep. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

const skillName = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/i, 'a skill name: letters, digits, "_", "." or "-" (max 64)');
const queueName = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'a queue name: lowercase letters, digits, "_", "." or "-" (max 63)');
const identifier = z.string().trim().min(1).max(200);

/**
 * Skills with levels, 1 (basic) to 10 (expert). On an agent: what they can do. On a queue or a work
 * item: the minimum level an agent needs.
 * @example { billing: 3, spanish: 1 }
 */
export const skillLevelsSchema = z.record(skillName, z.number().int().min(1).max(10));
export type SkillLevels = z.infer<typeof skillLevelsSchema>;

/**
 * After an item has waited `afterSeconds` in its queue, lower the required level of `skill` to
 * `level`; level 0 drops the requirement.
 * @example { afterSeconds: 120, skill: 'spanish', level: 0 } // after 2 minutes any agent may take it
 */
export const relaxationStepSchema = z.object({
  afterSeconds: z.number().int().positive(),
  skill: skillName,
  level: z.number().int().min(0).max(10),
});
export type RelaxationStep = z.infer<typeof relaxationStepSchema>;

/** Concurrent work items an agent can hold per channel; a channel left out means none. */
export const channelCapacitySchema = z.partialRecord(channelSchema, z.number().int().min(0).max(100));
export type ChannelCapacity = z.infer<typeof channelCapacitySchema>;

/**
 * How a queue hands out work. `pull`: agents claim the best item themselves. `push`: the dispatcher
 * offers each item to the longest-idle eligible agent, who accepts or rejects within the offer timeout.
 * Agents may claim from push queues too.
 */
export const distributionSchema = z.enum(['push', 'pull']);
export type Distribution = z.infer<typeof distributionSchema>;

/** A queue as an administrator defines it. */
export const queueDefinitionSchema = z
  .object({
    name: queueName,
    description: z.string().max(2000).default(''),
    /** Skills every item of this queue requires (merged with the item's own, the higher level wins). */
    skills: skillLevelsSchema.default({}),
    distribution: distributionSchema.default('pull'),
    /** Service-level target: an item should be answered within this many seconds. */
    slaTargetSeconds: z.number().int().positive(),
    /** Name of the business-hours calendar flows check before routing here (`hours.open(...)`). */
    businessHours: z.string().min(1).nullable().default(null),
    /** Where items go once they have waited `maxWaitSeconds` (see `overflowWaitingItems`). */
    overflowQueue: queueName.nullable().default(null),
    maxWaitSeconds: z.number().int().positive().nullable().default(null),
    relaxation: z.array(relaxationStepSchema).max(50).default([]),
    /** How long an agent has to accept an offer before it is re-offered. */
    offerTimeoutSeconds: z.number().int().positive().max(3600).default(30),
    /** Priority aging: +`perMinute` priority points per minute waited, at most `cap` points. */
    aging: z.object({ perMinute: z.number().min(0).max(1000), cap: z.number().min(0).max(100_000) }).default({ perMinute: 0, cap: 0 }),
  })
  .refine((q) => q.overflowQueue !== q.name, { message: 'a queue cannot overflow into itself', path: ['overflowQueue'] })
  .refine((q) => q.overflowQueue === null || q.maxWaitSeconds !== null, {
    message: 'an overflow queue needs maxWaitSeconds (how long items wait before they overflow)',
    path: ['maxWaitSeconds'],
  });
export type QueueDefinition = z.input<typeof queueDefinitionSchema>;

/** A queue as stored. */
export interface Queue {
  name: string;
  description: string;
  skills: SkillLevels;
  distribution: Distribution;
  slaTargetSeconds: number;
  businessHours: string | null;
  overflowQueue: string | null;
  maxWaitSeconds: number | null;
  relaxation: RelaxationStep[];
  offerTimeoutSeconds: number;
  aging: { perMinute: number; cap: number };
  createdAt: Date;
  updatedAt: Date;
}

export const agentStatusSchema = z.enum(['available', 'away', 'offline']);
/** `available` receives work; `away` keeps its work but gets no new work; `offline` gives its work back. */
export type AgentStatus = z.infer<typeof agentStatusSchema>;

/** An agent as an administrator defines it (status is set separately, see `setAgentStatus`). */
export const agentDefinitionSchema = z.object({
  id: identifier,
  displayName: z.string().max(200).default(''),
  skills: skillLevelsSchema.default({}),
  capacity: channelCapacitySchema.default({}),
  /** The queues this agent serves (its routing profile). */
  queues: z.array(queueName).max(200).default([]),
});
export type AgentDefinition = z.input<typeof agentDefinitionSchema>;

export interface Agent {
  id: string;
  displayName: string;
  skills: SkillLevels;
  capacity: ChannelCapacity;
  /** Items held per channel right now (offered, assigned or wrapping). */
  load: ChannelCapacity;
  queues: string[];
  status: AgentStatus;
  statusChangedAt: Date;
  /** When the agent last had no work at all while available; null while busy. Push offers go to the longest idle. */
  lastIdleSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const workItemStatusSchema = z.enum(['queued', 'offered', 'assigned', 'wrapping', 'completed', 'transferred', 'abandoned']);
/**
 * `queued` waits in its queue; `offered` is reserved for one agent until accepted, rejected or expired;
 * `assigned` is being handled; `wrapping` is in after-contact work. Terminal: `completed`,
 * `transferred` (the agent handed the contact back to its flow with outcome `transferred`) and
 * `abandoned` (the customer left, or the flow withdrew the item).
 */
export type WorkItemStatus = z.infer<typeof workItemStatusSchema>;
/** A listing of work items (supervisors' queue views, an agent's desk). */
export const workItemFilterSchema = z.strictObject({
  queue: z.string().min(1).optional(),
  statuses: z.array(workItemStatusSchema).optional(),
  agentId: z.string().min(1).optional(),
  contactId: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
});
export type WorkItemFilter = z.input<typeof workItemFilterSchema>;
export const ACTIVE_STATUSES: readonly WorkItemStatus[] = ['offered', 'assigned', 'wrapping'];
export const TERMINAL_STATUSES: readonly WorkItemStatus[] = ['completed', 'transferred', 'abandoned'];

/** Priority: higher is served first; aging adds to it while an item waits. */
export const prioritySchema = z.number().int().min(0).max(1000);

/**
 * What the worker sends when a flow escalates. The idempotency key is (workflowId, stepId, visit): a
 * retried activity gets the same item back. Contact and channel come from the handoff package.
 * @example
 * { workflowId: 'contact-42', stepId: 'escalate_billing', visit: 0, queue: 'billing', priority: 10,
 *   requiredSkills: { spanish: 1 }, handoff }
 */
export const createWorkItemInputSchema = z.object({
  workflowId: identifier,
  /** The flow node that escalated. */
  stepId: identifier,
  /** How many times this contact has entered that node before (loops re-escalate). */
  visit: z.number().int().min(0),
  queue: queueName,
  priority: prioritySchema.default(0),
  requiredSkills: skillLevelsSchema.default({}),
  /** Stored with card numbers masked, whatever the caller masked already. */
  handoff: handoffPackageSchema.transform(storableDeep),
});
export type CreateWorkItemInput = z.input<typeof createWorkItemInputSchema>;

/** A note left when an item changed hands, so the next agent knows why. */
export interface TransferNote {
  at: string;
  by: string;
  text: string;
  fromQueue: string;
  toQueue: string;
  fromAgentId: string | null;
  toAgentId: string | null;
}

export interface WorkItem {
  id: string;
  workflowId: string;
  stepId: string;
  visit: number;
  contactId: string;
  queue: string;
  channel: Channel;
  priority: number;
  /** The skills the flow asked for. */
  requestedSkills: SkillLevels;
  /** What an agent needs: the queue's skills merged with the requested ones (before relaxation). */
  requiredSkills: SkillLevels;
  handoff: HandoffPackage;
  notes: TransferNote[];
  status: WorkItemStatus;
  /** The agent holding it (offered / assigned / wrapping), or who finished it. */
  agentId: string | null;
  /** How often it came back to the queue unhandled: offer rejected or expired, agent went offline. */
  attempts: number;
  outcome: WorkItemOutcome | null;
  reasonTags: string[];
  resolutionNote: string | null;
  createdAt: Date;
  /** When it entered its current queue (ordering, aging, relaxation and service level count from here). */
  queuedAt: Date;
  /** First assignment in its current queue. */
  answeredAt: Date | null;
  assignedAt: Date | null;
  wrappingAt: Date | null;
  endedAt: Date | null;
  updatedAt: Date;
}

export const offerStatusSchema = z.enum(['pending', 'accepted', 'rejected', 'expired', 'revoked']);
export type OfferStatus = z.infer<typeof offerStatusSchema>;

/** A reservation of one work item for one agent, until it is accepted, rejected or expires. */
export interface Offer {
  id: string;
  workItemId: string;
  agentId: string;
  status: OfferStatus;
  offeredAt: Date;
  expiresAt: Date;
  respondedAt: Date | null;
  reason: string | null;
}

/** Who caused a state change; stored as `agent:alice`, `supervisor:bob`, `workflow`, `system`. */
export type Actor = { kind: 'agent'; id: string } | { kind: 'supervisor'; id: string } | { kind: 'workflow' } | { kind: 'system' };

export function actorLabel(actor: Actor): string {
  return 'id' in actor ? `${actor.kind}:${actor.id}` : actor.kind;
}

export const actorSchema: z.ZodType<Actor> = z.union([
  z.object({ kind: z.enum(['agent', 'supervisor']), id: identifier }),
  z.object({ kind: z.enum(['workflow', 'system']) }),
]);

export const historyTypeSchema = z.enum([
  'created',
  'offered',
  'accepted',
  'rejected',
  'expired',
  'assigned',
  'wrapping',
  'completed',
  'transferred',
  'released',
  'abandoned',
  'reprioritized',
]);
/** The kinds of state change the history records (and the event sink receives as `workitem.<type>`). */
export type HistoryType = z.infer<typeof historyTypeSchema>;

/** One row of the append-only history: who changed what, when and why. */
export interface HistoryEntry {
  seq: number;
  eventId: string;
  workItemId: string;
  type: HistoryType;
  fromStatus: WorkItemStatus | null;
  toStatus: WorkItemStatus;
  queue: string;
  agentId: string | null;
  actor: string;
  reason: string | null;
  details: Record<string, unknown>;
  at: Date;
}

const reasonTag = z.string().regex(/^[a-z0-9][a-z0-9_.:-]{0,63}$/i, 'a reason tag: letters, digits, "_", ".", ":" or "-" (max 64)');

/** What an agent records when finishing an item. */
export const completionSchema = z.object({
  outcome: workItemOutcomeSchema,
  // A tag may be any digit run: one that is a card number is stored (and published) masked like any text.
  reasonTags: z.array(reasonTag.transform(storableText)).max(20).default([]),
  /** Stored (and sent to the workflow) with card numbers masked. */
  note: z.string().max(4000).transform(storableText).optional(),
});
export type Completion = z.input<typeof completionSchema>;

/** Move an item to another queue, or offer it to one agent; the handoff package stays and the note is appended. */
export const transferSchema = z
  .object({
    toQueue: queueName.optional(),
    toAgentId: identifier.optional(),
    /** Appended to the item's notes with card numbers masked. */
    note: z.string().max(4000).default('').transform(storableText),
    by: actorSchema,
    /** New base priority; unchanged when left out. */
    priority: prioritySchema.optional(),
    /** Replaces the skills the flow requested (merged with the target queue's); unchanged when left out. */
    requestedSkills: skillLevelsSchema.optional(),
  })
  .refine((t) => (t.toQueue === undefined) !== (t.toAgentId === undefined), {
    message: 'name exactly one of toQueue or toAgentId',
    path: ['toQueue'],
  });
export type Transfer = z.input<typeof transferSchema>;

/** Merges skill requirements: every skill of either, at the higher level. */
export function mergeSkills(a: SkillLevels, b: SkillLevels): SkillLevels {
  const merged: SkillLevels = { ...a };
  for (const [skill, level] of Object.entries(b)) merged[skill] = Math.max(merged[skill] ?? 0, level);
  return merged;
}

/**
 * The skill levels an item requires after waiting `waitedSeconds`, with the queue's relaxation steps
 * applied; the same rule as the SQL function `routing.skills_met`, for explanations and tests.
 */
export function relaxedRequirement(required: SkillLevels, relaxation: readonly RelaxationStep[], waitedSeconds: number): SkillLevels {
  const result: SkillLevels = {};
  for (const [skill, level] of Object.entries(required)) {
    let needed = level;
    for (const step of relaxation) if (step.skill === skill && step.afterSeconds <= waitedSeconds) needed = Math.min(needed, step.level);
    if (needed > 0) result[skill] = needed;
  }
  return result;
}
