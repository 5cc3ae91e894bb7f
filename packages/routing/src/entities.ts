import { EntitySchema } from 'typeorm';
import { type AgentRow, type HistoryRow, type OfferRow, type QueueRow, type WorkItemRow } from './rows';
import { type TicketRow } from './tickets';

// TypeORM metadata for routing's tables, so an application composes them into its DataSource
// (`entities: [...routingEntities]`) and can read them with repositories. The schema itself is owned
// by `routingMigrations`; a test checks the two agree. Column properties keep the database names.

const timestamptz = { type: 'timestamp with time zone' as const };

export const QueueEntity = new EntitySchema<QueueRow>({
  name: 'RoutingQueue',
  schema: 'routing',
  tableName: 'queue',
  columns: {
    name: { type: 'text', primary: true },
    description: { type: 'text', default: () => "''" },
    skills: { type: 'jsonb', default: () => "'{}'::jsonb" },
    distribution: { type: 'text', default: () => "'pull'" },
    sla_target_seconds: { type: 'integer' },
    business_hours: { type: 'text', nullable: true },
    overflow_queue: { type: 'text', nullable: true },
    max_wait_seconds: { type: 'integer', nullable: true },
    relaxation: { type: 'jsonb', default: () => "'[]'::jsonb" },
    floor_tokens: { type: 'text', array: true, default: () => "'{}'", insert: false, update: false },
    offer_timeout_seconds: { type: 'integer', default: 30 },
    aging_per_minute: { type: 'double precision', default: 0 },
    aging_cap: { type: 'double precision', default: 0 },
    created_at: timestamptz,
    updated_at: timestamptz,
  },
});

export const AgentEntity = new EntitySchema<AgentRow>({
  name: 'RoutingAgent',
  schema: 'routing',
  tableName: 'agent',
  columns: {
    id: { type: 'text', primary: true },
    display_name: { type: 'text', default: () => "''" },
    skills: { type: 'jsonb', default: () => "'{}'::jsonb" },
    skill_tokens: { type: 'text', array: true, default: () => "'{}'", insert: false, update: false },
    capacity: { type: 'jsonb', default: () => "'{}'::jsonb" },
    load: { type: 'jsonb', default: () => "'{}'::jsonb" },
    queues: { type: 'text', array: true, default: () => "'{}'" },
    status: { type: 'text' },
    status_changed_at: timestamptz,
    last_idle_since: { ...timestamptz, nullable: true },
    created_at: timestamptz,
    updated_at: timestamptz,
  },
});

export const WorkItemEntity = new EntitySchema<WorkItemRow>({
  name: 'RoutingWorkItem',
  schema: 'routing',
  tableName: 'work_item',
  columns: {
    id: { type: 'uuid', primary: true, default: () => 'gen_random_uuid()' },
    workflow_id: { type: 'text' },
    step_id: { type: 'text' },
    visit: { type: 'integer' },
    contact_id: { type: 'text' },
    queue_name: { type: 'text' },
    channel: { type: 'text' },
    priority: { type: 'integer', default: 0 },
    requested_skills: { type: 'jsonb', default: () => "'{}'::jsonb" },
    required_skills: { type: 'jsonb', default: () => "'{}'::jsonb" },
    required_tokens: { type: 'text', array: true, default: () => "'{}'", insert: false, update: false },
    handoff: { type: 'jsonb' },
    notes: { type: 'jsonb', default: () => "'[]'::jsonb" },
    status: { type: 'text' },
    agent_id: { type: 'text', nullable: true },
    attempts: { type: 'integer', default: 0 },
    outcome: { type: 'text', nullable: true },
    reason_tags: { type: 'text', array: true, default: () => "'{}'" },
    resolution_note: { type: 'text', nullable: true },
    created_at: timestamptz,
    queued_at: timestamptz,
    answered_at: { ...timestamptz, nullable: true },
    assigned_at: { ...timestamptz, nullable: true },
    wrapping_at: { ...timestamptz, nullable: true },
    ended_at: { ...timestamptz, nullable: true },
    updated_at: timestamptz,
  },
});

export const OfferEntity = new EntitySchema<OfferRow>({
  name: 'RoutingOffer',
  schema: 'routing',
  tableName: 'offer',
  columns: {
    id: { type: 'uuid', primary: true, default: () => 'gen_random_uuid()' },
    work_item_id: { type: 'uuid' },
    agent_id: { type: 'text' },
    status: { type: 'text' },
    offered_at: timestamptz,
    expires_at: timestamptz,
    responded_at: { ...timestamptz, nullable: true },
    reason: { type: 'text', nullable: true },
  },
});

export const WorkItemHistoryEntity = new EntitySchema<HistoryRow>({
  name: 'RoutingWorkItemHistory',
  schema: 'routing',
  tableName: 'work_item_history',
  columns: {
    seq: { type: 'bigint', primary: true, generated: 'increment' },
    event_id: { type: 'uuid', default: () => 'gen_random_uuid()' },
    work_item_id: { type: 'uuid' },
    type: { type: 'text' },
    from_status: { type: 'text', nullable: true },
    to_status: { type: 'text' },
    queue_name: { type: 'text' },
    agent_id: { type: 'text', nullable: true },
    actor: { type: 'text' },
    reason: { type: 'text', nullable: true },
    details: { type: 'jsonb', default: () => "'{}'::jsonb" },
    at: timestamptz,
  },
});

/** Where a row of an outbox of signals stands: its attempts, its lease, its delivery. */
export interface DeliveryState {
  status: string;
  attempts: number;
  next_attempt_at: Date;
  lease_owner: string | null;
  lease_until: Date | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

/** The columns of a `DeliveryState`, the same in every outbox table. */
const deliveryStateColumns = {
  status: { type: 'text', default: () => "'pending'" },
  attempts: { type: 'integer', default: 0 },
  next_attempt_at: timestamptz,
  lease_owner: { type: 'text', nullable: true },
  lease_until: { ...timestamptz, nullable: true },
  last_error: { type: 'text', nullable: true },
  created_at: timestamptz,
  delivered_at: { ...timestamptz, nullable: true },
} as const;

export interface ResolutionDeliveryRow extends DeliveryState {
  work_item_id: string;
  workflow_id: string;
  payload: unknown;
}

export const ResolutionDeliveryEntity = new EntitySchema<ResolutionDeliveryRow>({
  name: 'RoutingResolutionDelivery',
  schema: 'routing',
  tableName: 'resolution_delivery',
  columns: {
    work_item_id: { type: 'uuid', primary: true },
    workflow_id: { type: 'text' },
    payload: { type: 'jsonb' },
    ...deliveryStateColumns,
  },
});

/** A `workItemAssigned` signal waiting for (or past) delivery: one per assignment, keyed by its history event. */
export interface AssignmentDeliveryRow extends DeliveryState {
  event_id: string;
  work_item_id: string;
  workflow_id: string;
  agent_id: string;
  assigned_at: Date;
}

export const AssignmentDeliveryEntity = new EntitySchema<AssignmentDeliveryRow>({
  name: 'RoutingAssignmentDelivery',
  schema: 'routing',
  tableName: 'assignment_delivery',
  columns: {
    event_id: { type: 'uuid', primary: true },
    work_item_id: { type: 'uuid' },
    workflow_id: { type: 'text' },
    agent_id: { type: 'text' },
    assigned_at: timestamptz,
    ...deliveryStateColumns,
  },
});

/** An event of a change made by a router without an event sink, until a router with one publishes it. */
export interface DeferredEventRow {
  seq: string;
  event: unknown;
  created_at: Date;
}

export const DeferredEventEntity = new EntitySchema<DeferredEventRow>({
  name: 'RoutingDeferredEvent',
  schema: 'routing',
  tableName: 'deferred_event',
  columns: {
    seq: { type: 'bigint', primary: true, generated: 'increment' },
    event: { type: 'jsonb' },
    created_at: { ...timestamptz, default: () => 'now()' },
  },
});

/** Every routing entity, for `new DataSource({ entities: [...routingEntities, ...yours] })`. */
export const TicketEntity = new EntitySchema<TicketRow>({
  name: 'RoutingTicket',
  schema: 'routing',
  tableName: 'ticket',
  columns: {
    id: { type: 'uuid', primary: true, default: () => 'gen_random_uuid()' },
    idempotency_key: { type: 'text' },
    kind: { type: 'text' },
    status: { type: 'text', default: () => "'open'" },
    queue_name: { type: 'text', nullable: true },
    contact_id: { type: 'text' },
    workflow_id: { type: 'text' },
    node_id: { type: 'text' },
    channel: { type: 'text' },
    customer: { type: 'jsonb' },
    subject: { type: 'text' },
    body: { type: 'text', nullable: true },
    priority: { type: 'integer', default: 0 },
    due_at: { ...timestamptz, nullable: true },
    handoff: { type: 'jsonb', nullable: true },
    resolution: { type: 'text', nullable: true },
    closed_by: { type: 'text', nullable: true },
    created_at: timestamptz,
    updated_at: timestamptz,
    closed_at: { ...timestamptz, nullable: true },
  },
});

export const routingEntities = [QueueEntity, AgentEntity, WorkItemEntity, OfferEntity, WorkItemHistoryEntity, ResolutionDeliveryEntity, AssignmentDeliveryEntity, DeferredEventEntity, TicketEntity];
