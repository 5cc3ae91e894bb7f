import { apiKeyParamsSchema, apiKeySchema, createApiKeySchema, createdApiKeySchema, issuedTokenSchema, issueTokenSchema, principalSchema } from '@tandem/api-contract';
import { createZodDto } from 'nestjs-zod';

// The schemas live in @tandem/api-contract; these classes carry them to Nest's validation and OpenAPI.

export class IssueTokenDto extends createZodDto(issueTokenSchema) {}
export class CreateApiKeyDto extends createZodDto(createApiKeySchema) {}
export class ApiKeyParamsDto extends createZodDto(apiKeyParamsSchema) {}

export class IssuedTokenDto extends createZodDto(issuedTokenSchema) {}
export class PrincipalDto extends createZodDto(principalSchema) {}
export class ApiKeyDto extends createZodDto(apiKeySchema) {}
export class CreatedApiKeyDto extends createZodDto(createdApiKeySchema) {}
