import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IssuedToken } from '@tandem/api-contract';
import { ConflictError } from '../common/errors';
import { CurrentPrincipal, Roles } from './access.decorators';
import { IssuedTokenDto, IssueTokenDto, PrincipalDto } from './dto/auth.dto';
import { Access, type Principal } from './roles';
import { TokenService } from './token.service';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly tokens: TokenService) {}

  @Get('me')
  @Roles(...Access.anyone)
  @ApiOperation({ summary: 'Who am I: the caller as the API sees it (subject, roles, agent id).' })
  @ApiOkResponse({ type: PrincipalDto.Output })
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Post('tokens')
  @HttpCode(201)
  @Roles(...Access.admin)
  @ApiOperation({ summary: 'Issue a bearer JWT (admin): e.g. for an agent desk or a designer session.' })
  @ApiCreatedResponse({ type: IssuedTokenDto.Output })
  @ApiConflictResponse({ description: '`agent_id_required`: the agent role with others needs `agentId`.' })
  issue(@Body() body: IssueTokenDto): IssuedToken {
    if (body.roles.includes('agent') && body.roles.length > 1 && !body.agentId) {
      throw new ConflictError('agent_id_required', 'a token combining the agent role with others must name the agent (agentId)');
    }
    return this.tokens.issue(body);
  }
}
