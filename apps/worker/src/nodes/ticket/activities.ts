/** The ticket node's activity: a callback or follow-up ticket in routing, once per call site. */
import type { Channel, Customer, HandoffPackage } from '@tandem/contracts';
import type { CallSite } from '../../activities/contract';
import type { ActivityDependencies } from '../../activities/dependencies';

export interface TicketRequest extends CallSite {
  kind: 'callback' | 'follow_up';
  queue: string | null;
  subject: string;
  body: string | null;
  priority: number;
  dueAt: string | null;
  customer: Customer;
  channel: Channel;
  handoff: HandoffPackage | null;
}

export interface TicketActivities {
  createTicket(request: TicketRequest): Promise<{ ticketId: string }>;
}

export function createTicketActivities(deps: Pick<ActivityDependencies, 'tickets'>): TicketActivities {
  return {
    async createTicket(request) {
      return deps.tickets.create(`${request.workflowId}/${request.nodeId}/${request.visit}`, request);
    },
  };
}
