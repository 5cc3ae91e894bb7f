import { type PrincipalView, type Role, roleSchema } from '@tandem/api-contract';

// The roles are part of the API's contract (see `roleSchema` for what each may do).
export { roleSchema, type Role };
export const ROLES: readonly Role[] = roleSchema.options;

/**
 * Who is calling, as established from a bearer JWT or an API key (what `GET /v1/auth/me` shows).
 *
 * @example
 * { kind: 'jwt', subject: 'ana@example.com', roles: ['agent'], agentId: 'agent-ana' }
 */
export type Principal = PrincipalView;

/** Role groups used across controllers, so the access policy reads the same everywhere. */
export const Access = {
  /** Edits and publishes flows, registers queues and calendars. */
  design: ['designer', 'admin'],
  /** Reads flows, versions and the catalog. */
  readFlows: ['designer', 'supervisor', 'admin', 'service'],
  /** The designer's catalog: everyone who builds or watches flows, and agents (queues for transfers). */
  readCatalog: ['designer', 'supervisor', 'admin', 'service', 'agent'],
  /** Registers custom activities (workers, with a service key). */
  registerActivities: ['service', 'admin'],
  /** Defines queues (routing): designers draw against them, supervisors tune them. */
  manageQueues: ['designer', 'supervisor', 'admin'],
  /** Starts contacts: integrations, and designers trying their flows (drafts: designers only). */
  startContacts: ['service', 'designer', 'admin'],
  /** Talks to a contact as its customer (integrations relaying messages, designers simulating). */
  messageContacts: ['service', 'designer', 'admin'],
  /** Reads contacts: state, transcript, lists. */
  readContacts: ['service', 'designer', 'supervisor', 'admin'],
  /** Ends a contact (the customer left, an operator stopped it). */
  cancelContacts: ['service', 'supervisor', 'admin'],
  /** Reports a satisfaction score collected outside Tandem. */
  reportCsat: ['service', 'admin'],
  /** An agent's own desk: status, claims, offers, its work items. Acts only on its own work. */
  agentDesk: ['agent'],
  /** Watches and steers queues, agents, work items and tickets. */
  supervise: ['supervisor', 'admin'],
  /** Reads the flow metrics projections. */
  readMetrics: ['designer', 'supervisor', 'admin', 'service'],
  /** Manages credentials. */
  admin: ['admin'],
  /** Any authenticated caller. */
  anyone: ['designer', 'agent', 'supervisor', 'admin', 'service'],
} as const satisfies Record<string, readonly Role[]>;
