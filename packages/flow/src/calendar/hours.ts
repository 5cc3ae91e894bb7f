/**
 * Business hours: a weekly timetable in an IANA time zone, with holidays. Pure functions of a calendar
 * and an instant — no clock inside — so the worker computes open/closed and the durable wait until the
 * next opening from workflow time. Uses `Intl.DateTimeFormat`, which exists in the Temporal workflow
 * sandbox and in browsers.
 *
 * The functions live apart from the calendar's zod schemas (`calendar.ts`): the workflow sandbox
 * re-runs the top level of every module it imports for each contact, and needs only these.
 */
import type { Calendar } from './calendar';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA zone name this runtime knows (e.g. `Europe/Paris`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes since midnight of a time of day `HH:MM`. */
export function minutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}


interface LocalTime {
  year: number;
  month: number;
  day: number;
  /** Seconds since local midnight. */
  secondOfDay: number;
}

function localTime(timeZone: string, instantMs: number): LocalTime {
  const parts = formatterFor(timeZone).formatToParts(new Date(instantMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), secondOfDay: get('hour') * 3600 + get('minute') * 60 + get('second') };
}

function dateKey(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function weekdayOf(year: number, month: number, day: number): Weekday {
  return WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()] ?? 'sun';
}

function toMs(instant: Date | number | string): number {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`Not a valid instant: ${String(instant)}`);
  return ms;
}

function openAtLocal(calendar: Calendar, local: LocalTime): boolean {
  if (calendar.holidays.includes(dateKey(local.year, local.month, local.day))) return false;
  const intervals = calendar.weekly[weekdayOf(local.year, local.month, local.day)] ?? [];
  const minute = local.secondOfDay / 60;
  return intervals.some((i) => minute >= minutes(i.open) && minute < minutes(i.close));
}

/**
 * Whether the calendar is open at `instant`, judged on the local wall clock of its time zone.
 *
 * @example
 * ```ts
 * isOpen(support, new Date('2025-03-03T08:30:00Z')); // Monday 09:30 in Paris → true
 * ```
 */
export function isOpen(calendar: Calendar, instant: Date | number | string): boolean {
  return openAtLocal(calendar, localTime(calendar.timezone, toMs(instant)));
}

/** Offset of the zone from UTC at an instant, in ms (local − UTC). */
function offsetAt(timeZone: string, instantMs: number): number {
  const l = localTime(timeZone, instantMs);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day) + l.secondOfDay * 1000;
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** The zone's wall-clock reading at an instant, encoded as if it were UTC (ms). */
function wallClock(timeZone: string, instantMs: number): number {
  const l = localTime(timeZone, instantMs);
  return Date.UTC(l.year, l.month - 1, l.day) + l.secondOfDay * 1000;
}

/**
 * The first instant the zone's clock shows the wall time `localMs` (UTC-encoded). When the clocks go
 * back it is the earlier of the two; inside a spring-forward gap, where that wall time never shows,
 * it is the moment the clocks jump past it.
 */
function localToInstant(timeZone: string, localMs: number): number {
  // The offsets a day before and after cover both sides of any transition near this time.
  const candidates = [...new Set([localMs - offsetAt(timeZone, localMs - 86_400_000), localMs - offsetAt(timeZone, localMs + 86_400_000)])].sort((a, b) => a - b);
  const exact = candidates.find((t) => wallClock(timeZone, t) === localMs);
  if (exact !== undefined) return exact;
  let before = candidates[0]!;
  let after = candidates[candidates.length - 1]!;
  while (after - before > 1000) {
    const mid = before + Math.floor((after - before) / 2000) * 1000;
    if (wallClock(timeZone, mid) >= localMs) after = mid;
    else before = mid;
  }
  return after;
}

/**
 * The next instant the calendar opens, at or after `instant` (`instant` itself when it is open), or
 * `null` when it never opens within the next 400 days (no weekly hours, or all holidays).
 *
 * @example
 * ```ts
 * const opening = nextOpening(support, workflowNow); // sleep until then, then re-route
 * ```
 */
export function nextOpening(calendar: Calendar, instant: Date | number | string): Date | null {
  const from = toMs(instant);
  const openAt = (ms: number): boolean => openAtLocal(calendar, localTime(calendar.timezone, ms));
  if (openAt(from)) return new Date(from);
  const start = localTime(calendar.timezone, from);
  const startDay = Date.UTC(start.year, start.month - 1, start.day);
  for (let offset = 0; offset <= 400; offset++) {
    const dayMs = startDay + offset * 86_400_000;
    const d = new Date(dayMs);
    const [year, month, dayOfMonth] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    if (calendar.holidays.includes(dateKey(year, month, dayOfMonth))) continue;
    const intervals = [...(calendar.weekly[weekdayOf(year, month, dayOfMonth)] ?? [])].sort((a, b) => minutes(a.open) - minutes(b.open));
    for (const interval of intervals) {
      const candidate = localToInstant(calendar.timezone, dayMs + minutes(interval.open) * 60_000);
      if (candidate > from && openAt(candidate)) return new Date(candidate);
    }
  }
  return null;
}
