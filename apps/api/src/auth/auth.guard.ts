import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '../common/errors';
import { type AuthenticatedRequest, PUBLIC_KEY, ROLES_KEY } from './access.decorators';
import { ApiKeysService, isApiKeyFormat } from './api-keys.service';
import type { Role } from './roles';
import { AuthenticationError, TokenService } from './token.service';

/**
 * The global guard: establishes the caller from `Authorization: Bearer <JWT | API key>` (or
 * `X-API-Key`) and checks the route's `@Roles`. 401 when the credential is missing or invalid
 * (with a code saying why: `token_expired`, `invalid_token`, `api_key_revoked`, …), 403 when the
 * caller's roles are not among the route's. Routes without `@Roles` or `@Public` refuse everyone.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const credential = credentialOf(request);
    const principal = isApiKeyFormat(credential) ? await this.apiKeys.authenticate(credential) : this.tokens.verify(credential);
    request.principal = principal;

    if (!allowed || allowed.length === 0) {
      throw new ForbiddenException(`${request.method} ${request.path} declares no roles; refused`);
    }
    if (!principal.roles.some((r) => allowed.includes(r))) {
      throw new ApiError(403, 'forbidden', `role${principal.roles.length > 1 ? 's' : ''} ${principal.roles.join(', ')} may not do this; allowed: ${allowed.join(', ')}`);
    }
    return true;
  }
}

function credentialOf(request: AuthenticatedRequest): string {
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.length > 0) return apiKey.trim();
  const header = request.headers.authorization;
  if (!header) throw new AuthenticationError('unauthenticated', 'missing credentials: send Authorization: Bearer <token or API key>');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new AuthenticationError('unauthenticated', 'malformed Authorization header: expected "Bearer <token>"');
  return match[1];
}
