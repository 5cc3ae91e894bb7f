import { Injectable, Logger } from '@nestjs/common';
import type { ApiKeySummary, CreatedApiKey } from '@tandem/api-contract';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { IsNull, type Repository } from 'typeorm';
import { ConflictError, NotFoundError } from '../common/errors';
import { ApiKeyEntity } from './api-key.entity';
import { type Principal, type Role, roleSchema } from './roles';
import { AuthenticationError } from './token.service';


export interface CreateApiKeyRequest {
  name: string;
  roles: Role[];
  /** The system the key belongs to; defaults to `apikey:<name>`. */
  subject?: string;
  agentId?: string;
  expiresAt?: Date;
}


const KEY_PATTERN = /^(tdm_[A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
/** Recording every use would write on every request; once a minute is enough to see stale keys. */
const LAST_USED_RESOLUTION_MS = 60_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest();

function base62(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...bytes].map((b) => alphabet[b % 62]).join('');
}

/** Looks like an API key (as opposed to a JWT) — used to pick the verification path. */
export function isApiKeyFormat(credential: string): boolean {
  return credential.startsWith('tdm_');
}

/**
 * API keys for integrations. A key is `tdm_<prefix>_<secret>`: the prefix finds the row, a SHA-256
 * hash of the whole key (the secret has 256 bits of entropy, so a slow hash adds nothing) proves it.
 */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);

  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  async create(request: CreateApiKeyRequest, createdBy: string): Promise<CreatedApiKey> {
    const roles = [...new Set(request.roles)];
    if (roles.includes('agent') && !request.agentId) {
      throw new ConflictError('agent_id_required', 'an API key with the agent role must name the agent (agentId)');
    }
    const prefix = `tdm_${base62(randomBytes(12))}`;
    const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
    const row = await this.keys.save(
      this.keys.create({
        name: request.name,
        prefix,
        secretHash: sha256(key).toString('hex'),
        roles,
        subject: request.subject ?? `apikey:${request.name}`,
        agentId: request.agentId ?? null,
        createdBy,
        expiresAt: request.expiresAt ?? null,
        lastUsedAt: null,
        revokedAt: null,
      }),
    );
    return { ...toSummary(row), key };
  }

  async list(): Promise<ApiKeySummary[]> {
    const rows = await this.keys.find({ order: { createdAt: 'ASC' } });
    return rows.map(toSummary);
  }

  async findByName(name: string): Promise<ApiKeySummary[]> {
    return (await this.keys.find({ where: { name, revokedAt: IsNull() } })).map(toSummary);
  }

  async revoke(id: string): Promise<ApiKeySummary> {
    const row = await this.keys.findOneBy({ id });
    if (!row) throw new NotFoundError('API key', id);
    if (row.revokedAt) throw new ConflictError('already_revoked', `API key "${id}" was already revoked at ${row.revokedAt.toISOString()}`);
    row.revokedAt = new Date();
    return toSummary(await this.keys.save(row));
  }

  /** Resolves a presented key to its principal, or throws a 401 that says why. */
  async authenticate(key: string): Promise<Principal> {
    const match = KEY_PATTERN.exec(key);
    if (!match) throw new AuthenticationError('invalid_api_key', 'invalid API key: malformed');
    const row = await this.keys.findOneBy({ prefix: match[1] });
    const presented = sha256(key);
    if (!row || !timingSafeEqual(presented, Buffer.from(row.secretHash, 'hex'))) {
      throw new AuthenticationError('invalid_api_key', 'invalid API key');
    }
    if (row.revokedAt) throw new AuthenticationError('api_key_revoked', `API key "${row.name}" was revoked`);
    const now = new Date();
    if (row.expiresAt && row.expiresAt <= now) throw new AuthenticationError('api_key_expired', `API key "${row.name}" expired at ${row.expiresAt.toISOString()}`);
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      this.keys.update({ id: row.id }, { lastUsedAt: now }).catch((err: unknown) => this.logger.warn({ err }, 'could not record API key use'));
    }
    return {
      kind: 'api_key',
      subject: row.subject,
      roles: row.roles.map((r) => roleSchema.parse(r)),
      ...(row.agentId ? { agentId: row.agentId } : {}),
      credentialId: row.id,
    };
  }
}

function toSummary(row: ApiKeyEntity): ApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    roles: row.roles.map((r) => roleSchema.parse(r)),
    subject: row.subject,
    agentId: row.agentId,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
