import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { ApiError } from '../common/errors';
import { type IssuedToken, ttlSeconds } from '@tandem/api-contract';
import { type Principal, type Role, roleSchema } from './roles';

const ISSUER = 'tandem';
const AUDIENCE = 'tandem-api';

const claimsSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(roleSchema).min(1),
  agentId: z.string().min(1).optional(),
  jti: z.string().min(1),
  exp: z.number(),
});

/** What a token is issued for. */
export interface TokenRequest {
  subject: string;
  roles: Role[];
  /** Required for the agent role (defaults to the subject). */
  agentId?: string;
  /** Lifetime, e.g. `12h`. */
  ttl: string;
}

/** 401 with a specific code: the client learns whether to refresh, re-login or fix its setup. */
export class AuthenticationError extends ApiError {
  constructor(code: string, message: string) {
    super(HttpStatus.UNAUTHORIZED, code, message);
  }
}

/** Issues and verifies bearer JWTs (HS256 with `TANDEM_JWT_SECRET`). */
@Injectable()
export class TokenService {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  issue(request: TokenRequest): IssuedToken {
    const agentId = request.roles.includes('agent') ? (request.agentId ?? request.subject) : request.agentId;
    const tokenId = randomUUID();
    const expiresIn = ttlSeconds(request.ttl);
    const token = jwt.sign({ roles: request.roles, ...(agentId ? { agentId } : {}) }, this.config.api.jwtSecret, {
      algorithm: 'HS256',
      subject: request.subject,
      issuer: ISSUER,
      audience: AUDIENCE,
      jwtid: tokenId,
      expiresIn,
    });
    const { exp } = jwt.decode(token) as { exp: number };
    return { token, tokenId, expiresAt: new Date(exp * 1000).toISOString() };
  }

  verify(token: string): Principal {
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.config.api.jwtSecret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
    } catch (e) {
      if (e instanceof jwt.TokenExpiredError) throw new AuthenticationError('token_expired', `token expired at ${e.expiredAt.toISOString()}`);
      if (e instanceof jwt.JsonWebTokenError) throw new AuthenticationError('invalid_token', `invalid token: ${e.message}`);
      throw e;
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      const issue = claims.error.issues[0];
      throw new AuthenticationError('invalid_token', `invalid token claims: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    const c = claims.data;
    if (c.roles.includes('agent') && !c.agentId) throw new AuthenticationError('invalid_token', 'invalid token claims: an agent token must carry agentId');
    return { kind: 'jwt', subject: c.sub, roles: c.roles, ...(c.agentId ? { agentId: c.agentId } : {}), credentialId: c.jti };
  }
}
