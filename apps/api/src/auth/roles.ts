import { z } from 'zod';

/**
 * Who may call what. A token carries one or more roles.
 * - `designer` edits, validates and publishes flows;
 * - `agent` handles routed work — only its own (its token carries its agent id);
 * - `supervisor` watches queues, work items and agents, and reads flows;
 * - `admin` manages API keys, tokens, queues and calendars, and may do what designers do;
 * - `service` is an integration or a Tandem process (the worker registering custom activities,
 *   a contact-centre platform starting contacts).
 */
export const roleSchema = z.enum(['designer', 'agent', 'supervisor', 'admin', 'service']);
export type Role = z.infer<typeof roleSchema>;
export const ROLES: readonly Role[] = roleSchema.options;

/**
 * Who is calling, as established from a bearer JWT or an API key.
 *
 * @example
 * { kind: 'jwt', subject: 'ana@example.com', roles: ['agent'], agentId: 'agent-ana' }
 */
export interface Principal {
  kind: 'jwt' | 'api_key';
  /** The person or system behind the credential; recorded as author of what it changes. */
  subject: string;
  roles: Role[];
  /** Set for agents: the only agent whose work this principal may see and act on. */
  agentId?: string;
  /** JWT id (`jti`) or API key id, for audit logs. */
  credentialId: string;
}

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
