/**
 * Routing's records as the API shows them (the contract's views): dates as ISO strings. The views'
 * types come from @tandem/api-contract, so a field routing adds or renames fails to compile here.
 */
import type { AgentView, HistoryView, OfferView, PendingOfferView, WorkItemView } from '@tandem/api-contract';
import type { Agent, HistoryEntry, Offer, PendingOffer, WorkItem } from '@tandem/routing';

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
