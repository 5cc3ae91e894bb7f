import type { Agent, HistoryEntry, Offer, PendingOffer, WorkItem } from '@tandem/routing';

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
