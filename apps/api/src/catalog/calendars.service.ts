import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { CalendarView } from '@tandem/api-contract';
import type { Calendar } from '@tandem/flow';
import type { Repository } from 'typeorm';
import { NotFoundError } from '../common/errors';
import { CalendarEntity } from './calendar.entity';

/** Named business-hours calendars (`@tandem/flow`'s Calendar) that schedule nodes and queues refer to. */
@Injectable()
export class CalendarsService {
  constructor(@InjectRepository(CalendarEntity) private readonly calendars: Repository<CalendarEntity>) {}

  async list(): Promise<CalendarView[]> {
    return (await this.calendars.find({ order: { name: 'ASC' } })).map(toView);
  }

  async get(name: string): Promise<CalendarView> {
    const row = await this.calendars.findOneBy({ name });
    if (!row) throw new NotFoundError('calendar', name);
    return toView(row);
  }

  async put(name: string, calendar: Calendar): Promise<{ calendar: CalendarView; created: boolean }> {
    const existing = await this.calendars.findOneBy({ name });
    const row = await this.calendars.save(this.calendars.create({ name, timezone: calendar.timezone, definition: calendar as unknown as Record<string, unknown>, updatedAt: new Date() }));
    return { calendar: toView(row), created: !existing };
  }
}

function toView(row: CalendarEntity): CalendarView {
  return { name: row.name, calendar: row.definition as unknown as Calendar, updatedAt: row.updatedAt.toISOString() };
}
