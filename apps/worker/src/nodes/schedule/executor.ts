import type { ScheduleConfig } from '@tandem/flow';
import { defineExecutor } from '../../workflows/runtime/step';

export const scheduleExecutor = defineExecutor<ScheduleConfig>({
  type: 'schedule',
  version: 1,
  doc: '`open` / `closed` on workflow time, with the calendar\'s time zone and holidays',
  run: ({ node }, rt) => rt.expressions.calendarOpen(node.config.calendar).then((open) => (open ? 'open' : 'closed')),
});
