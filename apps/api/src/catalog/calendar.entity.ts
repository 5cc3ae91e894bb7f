import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A named business-hours calendar that `schedule` nodes and queues refer to. */
@Entity('calendars')
export class CalendarEntity {
  @PrimaryColumn('text')
  name!: string;

  @Column('text')
  timezone!: string;

  /** Weekly hours and holidays, in the shape `@tandem/flow` defines for calendars. */
  @Column('jsonb')
  definition!: Record<string, unknown>;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
