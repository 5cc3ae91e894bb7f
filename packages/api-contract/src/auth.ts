import { z } from 'zod';
import { isoDateTime } from './common';

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
export type Role = z.output<typeof roleSchema>;

/** Seconds in a token lifetime such as `15m` (see {@link ttlSchema}). */
export function ttlSeconds(ttl: string): number {
  const n = Number.parseInt(ttl, 10);
  const unit = ttl.at(-1);
  return n * (unit === 'd' ? 86_400 : unit === 'h' ? 3_600 : unit === 'm' ? 60 : 1);
}

/** Token lifetimes: `90s`, `15m`, `12h`, `30d`; at most a year (long-lived access is an API key). */
export const ttlSchema = z
  .string()
  .regex(/^[1-9]\d{0,5}(s|m|h|d)$/, 'expected a duration such as 15m, 12h or 30d')
  .refine((ttl) => ttlSeconds(ttl) <= 366 * 86_400, 'at most 366d');

const subject = z.string().trim().min(1).max(200).describe('The person or system the credential is for, e.g. an e-mail address.');
const agentId = z.string().trim().min(1).max(200).describe('The agent this credential acts as (required for the agent role; tokens default it to the subject).');
const roles = z.array(roleSchema).min(1).max(5).describe('Roles granted: designer, agent, supervisor, admin, service.');

/** `POST /v1/auth/tokens`. */
export const issueTokenSchema = z.strictObject({
  subject,
  roles,
  agentId: agentId.optional(),
  ttl: ttlSchema.default('12h').describe('Lifetime: 90s, 15m, 12h, 30d (at most 366d).'),
});

export const issuedTokenSchema = z.object({ token: z.string(), tokenId: z.string(), expiresAt: isoDateTime });
export type IssuedToken = z.output<typeof issuedTokenSchema>;

/** `GET /v1/auth/me`: the caller, as established from a bearer JWT or an API key. */
export const principalSchema = z.object({
  kind: z.enum(['jwt', 'api_key']),
  subject: z.string().describe('The person or system behind the credential; recorded as author of what it changes.'),
  roles: z.array(roleSchema),
  agentId: z.string().optional().describe('Set for agents: the only agent whose work this principal may see and act on.'),
  credentialId: z.string().describe('JWT id (`jti`) or API key id, for audit logs.'),
});
export type PrincipalView = z.output<typeof principalSchema>;

/** `POST /v1/api-keys`. */
export const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'letters, digits, spaces, dots, dashes and underscores'),
  roles,
  subject: subject.optional(),
  agentId: agentId.optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional().describe('When the key stops working (ISO-8601); never by default.'),
});

/** An API key as listed: never its secret. */
export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe('The public start of the key, to recognise it in logs.'),
  roles: z.array(roleSchema),
  subject: z.string(),
  agentId: z.string().nullable(),
  createdAt: isoDateTime,
  createdBy: z.string(),
  expiresAt: isoDateTime.nullable(),
  lastUsedAt: isoDateTime.nullable(),
  revokedAt: isoDateTime.nullable(),
});
export type ApiKeySummary = z.output<typeof apiKeySchema>;

/** A new key: `key` is shown once and cannot be recovered. */
export const createdApiKeySchema = apiKeySchema.extend({ key: z.string().describe('The key itself. Shown once: store it now, it cannot be recovered.') });
export type CreatedApiKey = z.output<typeof createdApiKeySchema>;

export const apiKeyParamsSchema = z.strictObject({ id: z.uuid('expected an API key id (a UUID)') });
