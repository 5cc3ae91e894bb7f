import type { CustomActivityDescriptor } from '@tandem/activity-kit';
import type { CustomActivityView, RegistrationResult } from '@tandem/api-contract';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ConflictError, NotFoundError } from '../common/errors';
import { sameJson } from '../common/json';
import { CustomActivityEntity } from './custom-activity.entity';

/**
 * The custom activities workers register (their `@tandem/activity-kit` descriptors). Registering is
 * an idempotent upsert by name and version: a worker re-registers everything at every start. Title,
 * description, category, timeout and retry may change in place; the input or output schema of a
 * registered version may not — flows were compiled against it — so that is a 409 asking for a new
 * version.
 */
@Injectable()
export class CustomActivitiesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Registers descriptors atomically: all or none. */
  async register(descriptors: CustomActivityDescriptor[], registeredBy: string): Promise<RegistrationResult[]> {
    const seen = new Set<string>();
    for (const d of descriptors) {
      const key = `${d.name}@${d.version}`;
      if (seen.has(key)) throw new ConflictError('duplicate_activity', `activity "${d.name}" version ${d.version} appears twice in one registration`);
      seen.add(key);
    }
    return this.dataSource.transaction(async (manager) => {
      const results: RegistrationResult[] = [];
      for (const d of descriptors) results.push(await this.upsert(manager, d, registeredBy));
      return results;
    });
  }

  private async upsert(manager: EntityManager, d: CustomActivityDescriptor, registeredBy: string): Promise<RegistrationResult> {
    const repo = manager.getRepository(CustomActivityEntity);
    const now = new Date();
    // Two workers starting at once register the same descriptors: the insert of one waits for the
    // other's to commit and then inserts nothing, so exactly one says "created" (a row lock alone
    // cannot guard a row that does not exist yet).
    const row = repo.create({ ...d, registeredBy, registeredAt: now, updatedAt: now }) as QueryDeepPartialEntity<CustomActivityEntity>;
    const inserted = await repo.createQueryBuilder().insert().values(row).orIgnore().returning(['name']).execute();
    if ((inserted.raw as unknown[]).length > 0) return { name: d.name, version: d.version, status: 'created' };
    const existing = await repo.findOneOrFail({ where: { name: d.name, version: d.version }, lock: { mode: 'pessimistic_write' } });
    for (const side of ['inputSchema', 'outputSchema'] as const) {
      if (!sameJson(existing[side], d[side])) {
        throw new ConflictError(
          'activity_contract_changed',
          `activity "${d.name}" version ${d.version} is registered with a different ${side === 'inputSchema' ? 'input' : 'output'} schema; flows were compiled against it — register the change as version ${d.version + 1}`,
          { name: d.name, version: d.version, field: side },
        );
      }
    }
    const same =
      existing.title === d.title &&
      existing.description === d.description &&
      existing.category === d.category &&
      existing.timeoutSeconds === d.timeoutSeconds &&
      sameJson(existing.retry, d.retry);
    if (same) return { name: d.name, version: d.version, status: 'unchanged' };
    await repo.update({ name: d.name, version: d.version }, { title: d.title, description: d.description, category: d.category, timeoutSeconds: d.timeoutSeconds, retry: d.retry, updatedAt: now, registeredBy });
    return { name: d.name, version: d.version, status: 'updated' };
  }

  /** The newest version of every activity, sorted by name. */
  async list(): Promise<CustomActivityView[]> {
    const rows = await this.dataSource.getRepository(CustomActivityEntity).find({ order: { name: 'ASC', version: 'DESC' } });
    const byName = new Map<string, CustomActivityEntity[]>();
    for (const row of rows) byName.set(row.name, [...(byName.get(row.name) ?? []), row]);
    return [...byName.values()].map((versions) => toView(versions));
  }

  async get(name: string): Promise<CustomActivityView> {
    const rows = await this.dataSource.getRepository(CustomActivityEntity).find({ where: { name }, order: { version: 'DESC' } });
    if (!rows.length) throw new NotFoundError('custom activity', name);
    return toView(rows);
  }
}

function toView(versionsNewestFirst: CustomActivityEntity[]): CustomActivityView {
  const latest = versionsNewestFirst[0];
  if (!latest) throw new Error('toView needs at least one version');
  return {
    name: latest.name,
    version: latest.version,
    title: latest.title,
    description: latest.description,
    category: latest.category,
    inputSchema: latest.inputSchema,
    outputSchema: latest.outputSchema,
    timeoutSeconds: latest.timeoutSeconds,
    retry: latest.retry,
    versions: versionsNewestFirst.map((v) => v.version),
    registeredBy: latest.registeredBy,
    registeredAt: latest.registeredAt.toISOString(),
    updatedAt: latest.updatedAt.toISOString(),
  };
}
