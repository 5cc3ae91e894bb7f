import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from './access.decorators';
import type { ApiKeySummary, CreatedApiKey } from '@tandem/api-contract';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, ApiKeyParamsDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/auth.dto';
import { Access, type Principal } from './roles';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/api-keys')
@Roles(...Access.admin)
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key for an integration. The key is in the response once and never again.' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto.Output })
  @ApiConflictResponse({ description: '`agent_id_required`: a key with the agent role names its agent.' })
  create(@Body() body: CreateApiKeyDto, @CurrentPrincipal() principal: Principal): Promise<CreatedApiKey> {
    return this.apiKeys.create({ ...body, ...(body.expiresAt ? { expiresAt: new Date(body.expiresAt) } : { expiresAt: undefined }) }, principal.subject);
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (without their secrets), revoked ones included.' })
  @ApiOkResponse({ type: [ApiKeyDto.Output] })
  list(): Promise<ApiKeySummary[]> {
    return this.apiKeys.list();
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API key; requests with it fail with 401 from now on.' })
  @ApiOkResponse({ type: ApiKeyDto.Output })
  @ApiConflictResponse({ description: '`already_revoked`.' })
  revoke(@Param() params: ApiKeyParamsDto): Promise<ApiKeySummary> {
    return this.apiKeys.revoke(params.id);
  }
}
