import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A human queue flows may escalate to, as far as the designer and the compiler need to know it.
 * Interim: routing's own `queues` table replaces this directory when `@tandem/routing` lands (the
 * catalog reads queues through one service, so only that service changes).
 */
@Entity('queue_directory')
export class QueueDirectoryEntity {
  @PrimaryColumn('text')
  name!: string;

  @Column('text')
  title!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
