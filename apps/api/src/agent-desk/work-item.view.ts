import type { Agent, HistoryEntry, Offer, PendingOffer, TransferNote, WorkItem } from '@tandem/routing';
import type { DataSource } from 'typeorm';

type Iso<T, K extends keyof T> = Omit<T, K> & { [P in K]: T[P] extends Date ? string : T[P] extends Date | null ? string | null : T[P] };

/** A work item as the API shows it (routing's `WorkItem`, dates as ISO strings). */
export type WorkItemView = Iso<WorkItem, 'createdAt' | 'queuedAt' | 'answeredAt' | 'assignedAt' | 'wrappingAt' | 'endedAt' | 'updatedAt'>;
export type OfferView = Iso<Offer, 'offeredAt' | 'expiresAt' | 'respondedAt'>;
export type AgentView = Iso<Agent, 'statusChangedAt' | 'lastIdleSince' | 'createdAt' | 'updatedAt'>;
export type HistoryView = Iso<HistoryEntry, 'at'>;
export interface PendingOfferView {
  offer: OfferView;
  workItem: WorkItemView;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toWorkItemView(w: WorkItem): WorkItemView {
  return {
    ...w,
    createdAt: w.createdAt.toISOString(),
    queuedAt: w.queuedAt.toISOString(),
    answeredAt: iso(w.answeredAt),
    assignedAt: iso(w.assignedAt),
    wrappingAt: iso(w.wrappingAt),
    endedAt: iso(w.endedAt),
    updatedAt: w.updatedAt.toISOString(),
  };
}

export function toOfferView(o: Offer): OfferView {
  return { ...o, offeredAt: o.offeredAt.toISOString(), expiresAt: o.expiresAt.toISOString(), respondedAt: iso(o.respondedAt) };
}

export function toPendingOfferView(p: PendingOffer): PendingOfferView {
  return { offer: toOfferView(p.offer), workItem: toWorkItemView(p.workItem) };
}

export function toAgentView(a: Agent): AgentView {
  return { ...a, statusChangedAt: a.statusChangedAt.toISOString(), lastIdleSince: iso(a.lastIdleSince), createdAt: a.createdAt.toISOString(), updatedAt: a.updatedAt.toISOString() };
}

export function toHistoryView(h: HistoryEntry): HistoryView {
  return { ...h, at: h.at.toISOString() };
}

interface WorkItemRow {
  id: string;
  workflow_id: string;
  step_id: string;
  visit: number;
  contact_id: string;
  queue_name: string;
  channel: WorkItem['channel'];
  priority: number;
  requested_skills: WorkItem['requestedSkills'];
  required_skills: WorkItem['requiredSkills'];
  handoff: WorkItem['handoff'];
  notes: TransferNote[];
  status: WorkItem['status'];
  agent_id: string | null;
  attempts: number;
  outcome: WorkItem['outcome'];
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

function fromRow(r: WorkItemRow): WorkItem {
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

export interface WorkItemFilter {
  queue?: string | undefined;
  statuses?: WorkItem['status'][] | undefined;
  agentId?: string | undefined;
  contactId?: string | undefined;
  limit: number;
}

/**
 * Work items by queue, status, agent or contact, oldest first in each queue — a read-only listing of
 * routing's `work_item` table (routing's services act on one item at a time; lists are the API's).
 */
export async function listWorkItems(dataSource: DataSource, filter: WorkItemFilter): Promise<WorkItem[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  if (filter.queue) where.push(`queue_name = $${values.push(filter.queue)}`);
  if (filter.statuses?.length) where.push(`status = ANY ($${values.push(filter.statuses)}::text[])`);
  if (filter.agentId) where.push(`agent_id = $${values.push(filter.agentId)}`);
  if (filter.contactId) where.push(`contact_id = $${values.push(filter.contactId)}`);
  const rows: WorkItemRow[] = await dataSource.query(
    `SELECT * FROM routing.work_item ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY queued_at, id LIMIT $${values.push(filter.limit)}`,
    values,
  );
  return rows.map(fromRow);
}
