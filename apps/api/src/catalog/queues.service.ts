import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { NotFoundError } from '../common/errors';
import { QueueDirectoryEntity } from './queue.entity';

export interface QueueView {
  name: string;
  title: string;
  description: string | null;
  updatedAt: string;
}

/**
 * The one place the API learns which human queues exist. Today it reads the API's interim
 * `queue_directory`; when `@tandem/routing` lands it reads routing's queues instead, and nothing
 * else changes (the catalog and the compiler's resolver go through this service).
 */
@Injectable()
export class QueuesService {
  constructor(@InjectRepository(QueueDirectoryEntity) private readonly queues: Repository<QueueDirectoryEntity>) {}

  async list(): Promise<QueueView[]> {
    return (await this.queues.find({ order: { name: 'ASC' } })).map(toView);
  }

  async get(name: string): Promise<QueueView> {
    const row = await this.queues.findOneBy({ name });
    if (!row) throw new NotFoundError('queue', name);
    return toView(row);
  }

  /** Creates or updates a queue; returns it and whether it was new. */
  async put(name: string, input: { title: string; description?: string | undefined }): Promise<{ queue: QueueView; created: boolean }> {
    const existing = await this.queues.findOneBy({ name });
    const row = await this.queues.save({ name, title: input.title, description: input.description ?? null, updatedAt: new Date() });
    return { queue: toView(row), created: !existing };
  }
}

function toView(row: QueueDirectoryEntity): QueueView {
  return { name: row.name, title: row.title, description: row.description, updatedAt: row.updatedAt.toISOString() };
}
