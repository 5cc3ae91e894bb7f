/**
 * Business-hours calendars as documents: the zod schemas a flow's calendars and calendar references
 * are validated with. What a calendar *means* (open at an instant, next opening) is in `hours.ts`.
 */
import { z } from 'zod';
import { isValidTimeZone, minutes } from './hours';

export { isOpen, isValidTimeZone, nextOpening, WEEKDAYS, type Weekday } from './hours';

const timeOfDayPattern = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const datePattern = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

/** An opening interval of one day, local time; `close` may be `24:00`. Overnight hours are two intervals. */
export const openingIntervalSchema = z
  .object({
    open: z.string().regex(timeOfDayPattern, 'must be a time of day HH:MM'),
    close: z.string().regex(timeOfDayPattern, 'must be a time of day HH:MM (24:00 for midnight)'),
  })
  // Only once both are times: an empty field says it is not a time, not that it closes before it opens.
  .refine((i) => !timeOfDayPattern.test(i.open) || !timeOfDayPattern.test(i.close) || minutes(i.close) > minutes(i.open), {
    message: 'closes before it opens: split overnight hours into two days (22:00–24:00 and 00:00–02:00)',
    path: ['close'],
  });
export type OpeningInterval = z.infer<typeof openingIntervalSchema>;

const day = () => z.array(openingIntervalSchema).default([]);

/**
 * A business-hours calendar.
 *
 * @example
 * ```ts
 * const support: Calendar = calendarSchema.parse({
 *   timezone: 'Europe/Paris',
 *   weekly: { mon: [{ open: '09:00', close: '18:00' }], sat: [{ open: '10:00', close: '13:00' }] },
 *   holidays: ['2025-12-25'],
 * });
 * ```
 */
export const calendarSchema = z.strictObject({
  timezone: z.string().refine(isValidTimeZone, { message: 'is not a known IANA time zone (e.g. "Europe/Paris")' }),
  weekly: z
    .object({ sun: day(), mon: day(), tue: day(), wed: day(), thu: day(), fri: day(), sat: day() })
    .partial()
    .default({}),
  /** Closed all day, as local dates `YYYY-MM-DD`. */
  holidays: z.array(z.string().regex(datePattern, 'must be a date YYYY-MM-DD')).default([]).describe('Closed all day, as local dates `YYYY-MM-DD`.'),
});
export type Calendar = z.infer<typeof calendarSchema>;
export type CalendarInput = z.input<typeof calendarSchema>;

/** Where a node takes its business hours from: a named calendar (resolver) or hours written inline. */
export const calendarRefSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('named'), name: z.string().trim().min(1) }),
  z.strictObject({ kind: z.literal('inline'), calendar: calendarSchema }),
]);
export type CalendarRef = z.infer<typeof calendarRefSchema>;
