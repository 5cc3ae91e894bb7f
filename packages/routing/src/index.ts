/**
 * @tandem/routing — human work routing on PostgreSQL. One owner of routing state, shared by the
 * worker (which creates work items when a flow escalates) and the API (which serves agents).
 */
export { TicketDesk, createTicketInputSchema, ticketKindSchema, ticketStatusSchema, type Ticket, type TicketKind, type TicketStatus, type CreateTicketInput } from './tickets';
export {
  routingEntities,
  TicketEntity,
  QueueEntity,
  AgentEntity,
  WorkItemEntity,
  OfferEntity,
  WorkItemHistoryEntity,
  ResolutionDeliveryEntity,
  AssignmentDeliveryEntity,
  DeferredEventEntity,
} from './entities';
export { routingMigrations } from './migrations';
export {
  WorkRouter,
  DEFAULT_MAX_CONCURRENT_CLAIMS,
  type RoutingServiceOptions,
  type WorkRouterOptions,
  type PendingOffer,
  type ClaimOptions,
  type SweepOptions,
} from './router';
export { type RouterCounters } from './router-core';
export { warnItemFailure, type ItemFailure, type ItemFailureHandler, type ItemOperation } from './item-failures';
export { RoutingDirectory } from './directory';
export { QueueStatistics, type QueueStatisticsOptions, type QueueStats, type EwtBasis } from './stats';
export {
  ResolutionOutbox,
  deliverPendingResolutions,
  temporalSignaler,
  startLoop,
  type ResolutionSignaler,
  type SignalResult,
  type ResolutionOutboxOptions,
  type DeliveryReport,
  type ResolutionDelivery,
} from './resolutions';
export { AssignmentOutbox, temporalAssignmentSignaler, type AssignmentSignaler, type AssignmentDelivery } from './assignments';
export { RoutingNotifications, type RoutingNotificationsOptions } from './notifications';
export { startRoutingMaintenance, type MaintenanceTick } from './maintenance';
export { ROUTING_NOTIFY_CHANNEL, type RoutingNotification } from './db';
export { noopEventSink, deferredEventSink, type RoutingEvent, type RoutingEventSink, type RoutingSinkTransaction } from './events';
export { RoutingError, InvalidRoutingInputError, RoutingNotFoundError, RoutingConflictError, type RoutingErrorCode, type InputIssue } from './errors';
export * from './model';
