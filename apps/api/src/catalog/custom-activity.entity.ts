import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A custom activity a worker registered (an `@tandem/activity-kit` descriptor). The designer's
 * palette lists the newest version of each name; the compiler checks activity nodes against it.
 */
@Entity('custom_activities')
export class CustomActivityEntity {
  @PrimaryColumn('text')
  name!: string;

  @PrimaryColumn('int')
  version!: number;

  @Column('text')
  title!: string;

  @Column('text')
  description!: string;

  @Column('text')
  category!: string;

  @Column('jsonb', { name: 'input_schema' })
  inputSchema!: Record<string, unknown>;

  @Column('jsonb', { name: 'output_schema' })
  outputSchema!: Record<string, unknown>;

  @Column('double precision', { name: 'timeout_seconds' })
  timeoutSeconds!: number;

  @Column('jsonb')
  retry!: { maximumAttempts: number; initialIntervalSeconds: number; backoffCoefficient: number };

  @Column('text', { name: 'registered_by' })
  registeredBy!: string;

  @Column('timestamptz', { name: 'registered_at' })
  registeredAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
