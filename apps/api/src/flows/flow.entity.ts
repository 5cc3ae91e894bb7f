import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A flow and its editable draft. Published versions are immutable rows of {@link FlowVersionEntity}. */
@Entity('flows')
export class FlowEntity {
  @PrimaryColumn('text')
  id!: string;

  @Column('text')
  name!: string;

  /** The draft flow document, as the designer saved it. */
  @Column('jsonb')
  document!: unknown;

  /** Optimistic concurrency: every draft write increments it; a write based on an older one is a 409. */
  @Column('int')
  revision!: number;

  @Column('int', { name: 'latest_version', nullable: true })
  latestVersion!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('text', { name: 'created_by' })
  createdBy!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column('text', { name: 'updated_by' })
  updatedBy!: string;
}
