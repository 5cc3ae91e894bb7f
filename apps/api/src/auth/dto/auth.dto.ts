import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { roleSchema } from '../roles';
import { ttlSchema } from '../token.service';

const subject = z.string().trim().min(1).max(200).describe('The person or system the credential is for, e.g. an e-mail address.');
const agentId = z.string().trim().min(1).max(200).describe('The agent this credential acts as (required for the agent role; tokens default it to the subject).');
const roles = z.array(roleSchema).min(1).max(5).describe('Roles granted: designer, agent, supervisor, admin, service.');

export const issueTokenSchema = z
  .strictObject({
    subject,
    roles,
    agentId: agentId.optional(),
    ttl: ttlSchema.default('12h').describe('Lifetime: 90s, 15m, 12h, 30d (at most 366d).'),
  });
export class IssueTokenDto extends createZodDto(issueTokenSchema) {}

export const issuedTokenSchema = z
  .object({ token: z.string(), tokenId: z.string(), expiresAt: z.iso.datetime() });
export class IssuedTokenDto extends createZodDto(issuedTokenSchema) {}

export const principalSchema = z
  .object({
    kind: z.enum(['jwt', 'api_key']),
    subject: z.string(),
    roles: z.array(roleSchema),
    agentId: z.string().optional(),
    credentialId: z.string(),
  });
export class PrincipalDto extends createZodDto(principalSchema) {}

export const createApiKeySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'letters, digits, spaces, dots, dashes and underscores'),
    roles,
    subject: subject.optional(),
    agentId: agentId.optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('When the key stops working (ISO-8601); never by default.'),
  });
export class CreateApiKeyDto extends createZodDto(createApiKeySchema) {}

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('The public start of the key, to recognise it in logs.'),
    roles: z.array(roleSchema),
    subject: z.string(),
    agentId: z.string().nullable(),
    createdAt: z.iso.datetime(),
    createdBy: z.string(),
    expiresAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  });
export class ApiKeyDto extends createZodDto(apiKeySchema) {}

export const createdApiKeySchema = apiKeySchema
  .extend({ key: z.string().describe('The key itself. Shown once: store it now, it cannot be recovered.') });
export class CreatedApiKeyDto extends createZodDto(createdApiKeySchema) {}

export const apiKeyParamsSchema = z.strictObject({ id: z.uuid('expected an API key id (a UUID)') });
export class ApiKeyParamsDto extends createZodDto(apiKeyParamsSchema) {}
