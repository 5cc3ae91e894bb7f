import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal, Role } from './roles';

export const ROLES_KEY = 'tandem:roles';
export const PUBLIC_KEY = 'tandem:public';

/**
 * The roles allowed to call a route (or every route of a controller). A route with neither
 * `@Roles` nor `@Public` is refused to everyone: access is never granted by omission.
 */
export const Roles = (...roles: readonly Role[]) => SetMetadata(ROLES_KEY, [...roles]);

/** A route anyone may call without a token (health, metrics, the OpenAPI document). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Request augmented by the auth guard. */
export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/** The authenticated {@link Principal} of the request (guarded routes only). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return principal;
});
