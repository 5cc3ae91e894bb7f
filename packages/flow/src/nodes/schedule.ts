import { z } from 'zod';
import { calendarRefSchema } from '../calendar/calendar';
import { loopBound } from './common';
import { defineNode } from './types';

export const scheduleConfigSchema = z.strictObject({
  calendar: calendarRefSchema.describe('A named calendar, or hours written here'),
  ...loopBound,
});
export type ScheduleConfig = z.infer<typeof scheduleConfigSchema>;

/** Branches on business hours, with time zone and holidays. */
export const scheduleNode = defineNode({
  type: 'schedule',
  typeVersion: 1,
  title: 'Business hours',
  category: 'logic',
  description: 'Branch on whether the team is open right now.',
  hasInput: true,
  waits: false,
  configSchema: scheduleConfigSchema,
  ports: [
    { id: 'open', label: 'Open' },
    { id: 'closed', label: 'Closed' },
  ],
  loopExitPort: (config) => config.onMaxVisits ?? 'closed',
  references: (config) => (config.calendar.kind === 'named' ? [{ kind: 'calendar', name: config.calendar.name, path: ['calendar', 'name'] }] : []),
  docs: 'Checks the calendar (a named one, or hours written inline: IANA time zone, weekly intervals, holiday dates) against workflow time and leaves through `open` or `closed`. Daylight-saving changes follow the time zone’s rules.',
});
