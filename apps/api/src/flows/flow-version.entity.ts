import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A published, immutable version of a flow: the document as published, the compiled plan the
 * worker runs, its content hash, who published it and why. Contacts keep the version they started
 * with, so rows are never updated or deleted.
 */
@Entity('flow_versions')
export class FlowVersionEntity {
  @PrimaryColumn('text', { name: 'flow_id' })
  flowId!: string;

  @PrimaryColumn('int')
  version!: number;

  @Column('jsonb')
  document!: unknown;

  @Column('jsonb')
  plan!: unknown;

  @Column('text')
  hash!: string;

  @Column('text', { nullable: true })
  note!: string | null;

  @Column('text', { name: 'published_by' })
  publishedBy!: string;

  @Column('timestamptz', { name: 'published_at' })
  publishedAt!: Date;

  /** What the flow's tests said at publishing, and an admin's override of failures (`VersionTests`); null when none ran. */
  @Column('jsonb', { nullable: true })
  tests!: unknown;

  /** Set when this version re-publishes an older one (a rollback). */
  @Column('int', { name: 'rolled_back_from', nullable: true })
  rolledBackFrom!: number | null;
}
