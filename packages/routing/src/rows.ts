import { type Channel, type HandoffPackage, type WorkItemOutcome } from '@tandem/contracts';
import { type RoutingEvent } from './events';
import {
  type Agent,
  type AgentStatus,
  type ChannelCapacity,
  type Distribution,
  type HistoryEntry,
  type HistoryType,
  type Offer,
  type OfferStatus,
  type Queue,
  type RelaxationStep,
  type SkillLevels,
  type TransferNote,
  type WorkItem,
  type WorkItemStatus,
} from './model';

// Rows as node-pg returns them (timestamptz → Date, jsonb → parsed, text[] → string[], bigint → string).

export interface QueueRow {
  name: string;
  description: string;
  skills: SkillLevels;
  distribution: Distribution;
  sla_target_seconds: number;
  business_hours: string | null;
  overflow_queue: string | null;
  max_wait_seconds: number | null;
  relaxation: RelaxationStep[];
  /** Derived by trigger: the queue's skills as tokens once every relaxation step applies. */
  floor_tokens: string[];
  offer_timeout_seconds: number;
  aging_per_minute: number;
  aging_cap: number;
  created_at: Date;
  updated_at: Date;
}

export interface AgentRow {
  id: string;
  display_name: string;
  skills: SkillLevels;
  /** Derived by trigger: one `skill:level` token per level the agent has. */
  skill_tokens: string[];
  capacity: ChannelCapacity;
  load: ChannelCapacity;
  queues: string[];
  status: AgentStatus;
  status_changed_at: Date;
  last_idle_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface WorkItemRow {
  id: string;
  workflow_id: string;
  step_id: string;
  visit: number;
  contact_id: string;
  queue_name: string;
  channel: Channel;
  priority: number;
  requested_skills: SkillLevels;
  required_skills: SkillLevels;
  /** Derived by trigger: one `skill:level` token per requirement. */
  required_tokens: string[];
  handoff: HandoffPackage;
  notes: TransferNote[];
  status: WorkItemStatus;
  agent_id: string | null;
  attempts: number;
  outcome: WorkItemOutcome | null;
  reason_tags: string[];
  resolution_note: string | null;
  created_at: Date;
  queued_at: Date;
  answered_at: Date | null;
  assigned_at: Date | null;
  wrapping_at: Date | null;
  ended_at: Date | null;
  updated_at: Date;
}

export interface OfferRow {
  id: string;
  work_item_id: string;
  agent_id: string;
  status: OfferStatus;
  offered_at: Date;
  expires_at: Date;
  responded_at: Date | null;
  reason: string | null;
}

export interface HistoryRow {
  seq: string;
  event_id: string;
  work_item_id: string;
  type: HistoryType;
  from_status: WorkItemStatus | null;
  to_status: WorkItemStatus;
  queue_name: string;
  agent_id: string | null;
  actor: string;
  reason: string | null;
  details: Record<string, unknown>;
  at: Date;
}

export function toQueue(r: QueueRow): Queue {
  return {
    name: r.name,
    description: r.description,
    skills: r.skills,
    distribution: r.distribution,
    slaTargetSeconds: r.sla_target_seconds,
    businessHours: r.business_hours,
    overflowQueue: r.overflow_queue,
    maxWaitSeconds: r.max_wait_seconds,
    relaxation: r.relaxation,
    offerTimeoutSeconds: r.offer_timeout_seconds,
    aging: { perMinute: r.aging_per_minute, cap: r.aging_cap },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toAgent(r: AgentRow): Agent {
  return {
    id: r.id,
    displayName: r.display_name,
    skills: r.skills,
    capacity: r.capacity,
    load: r.load,
    queues: r.queues,
    status: r.status,
    statusChangedAt: r.status_changed_at,
    lastIdleSince: r.last_idle_since,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toWorkItem(r: WorkItemRow): WorkItem {
  return {
    id: r.id,
    workflowId: r.workflow_id,
    stepId: r.step_id,
    visit: r.visit,
    contactId: r.contact_id,
    queue: r.queue_name,
    channel: r.channel,
    priority: r.priority,
    requestedSkills: r.requested_skills,
    requiredSkills: r.required_skills,
    handoff: r.handoff,
    notes: r.notes,
    status: r.status,
    agentId: r.agent_id,
    attempts: r.attempts,
    outcome: r.outcome,
    reasonTags: r.reason_tags,
    resolutionNote: r.resolution_note,
    createdAt: r.created_at,
    queuedAt: r.queued_at,
    answeredAt: r.answered_at,
    assignedAt: r.assigned_at,
    wrappingAt: r.wrapping_at,
    endedAt: r.ended_at,
    updatedAt: r.updated_at,
  };
}

export function toOffer(r: OfferRow): Offer {
  return {
    id: r.id,
    workItemId: r.work_item_id,
    agentId: r.agent_id,
    status: r.status,
    offeredAt: r.offered_at,
    expiresAt: r.expires_at,
    respondedAt: r.responded_at,
    reason: r.reason,
  };
}

export function toHistoryEntry(r: HistoryRow): HistoryEntry {
  return {
    seq: Number(r.seq),
    eventId: r.event_id,
    workItemId: r.work_item_id,
    type: r.type,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    queue: r.queue_name,
    agentId: r.agent_id,
    actor: r.actor,
    reason: r.reason,
    details: r.details,
    at: r.at,
  };
}

export function toEvent(h: HistoryRow, item: Pick<WorkItemRow, 'contact_id' | 'workflow_id'>): RoutingEvent {
  return {
    id: h.event_id,
    type: `workitem.${h.type}`,
    occurredAt: h.at.toISOString(),
    workItemId: h.work_item_id,
    contactId: item.contact_id,
    workflowId: item.workflow_id,
    queue: h.queue_name,
    agentId: h.agent_id,
    fromStatus: h.from_status,
    toStatus: h.to_status,
    actor: h.actor,
    reason: h.reason,
    details: h.details,
  };
}
