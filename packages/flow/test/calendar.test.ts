import { type Calendar, calendarSchema, exampleSupportHours, isOpen, nextOpening } from '../src';

const paris = (weekly: Calendar['weekly'], holidays: string[] = []): Calendar => calendarSchema.parse({ timezone: 'Europe/Paris', weekly, holidays });
const weekdays = { mon: [{ open: '09:00', close: '18:00' }], tue: [{ open: '09:00', close: '18:00' }], wed: [{ open: '09:00', close: '18:00' }], thu: [{ open: '09:00', close: '18:00' }], fri: [{ open: '09:00', close: '18:00' }] };

describe('business hours', () => {
  it('judges open/closed on the local wall clock of the time zone', () => {
    const cal = paris(weekdays);
    expect(isOpen(cal, '2025-01-06T08:00:00Z')).toBe(true); // Monday 09:00 CET
    expect(isOpen(cal, '2025-01-06T07:59:59Z')).toBe(false);
    expect(isOpen(cal, '2025-07-07T07:00:00Z')).toBe(true); // Monday 09:00 CEST
    expect(isOpen(cal, '2025-01-06T17:00:00Z')).toBe(false); // 18:00 closes
    expect(isOpen(cal, '2025-01-04T12:00:00Z')).toBe(false); // Saturday
  });

  it('is closed on holidays, and the next opening skips them', () => {
    const cal = paris(weekdays, ['2025-12-25', '2025-12-26']);
    expect(isOpen(cal, '2025-12-25T10:00:00Z')).toBe(false);
    // Wednesday 24 December after closing → Thursday and Friday are holidays → Monday 29 at 09:00 CET.
    expect(nextOpening(cal, '2025-12-24T18:00:00Z')?.toISOString()).toBe('2025-12-29T08:00:00.000Z');
  });

  it('returns the instant itself when already open, and null when it never opens', () => {
    const cal = paris(weekdays);
    expect(nextOpening(cal, '2025-01-06T10:00:00Z')?.toISOString()).toBe('2025-01-06T10:00:00.000Z');
    expect(nextOpening(paris({}), '2025-01-06T10:00:00Z')).toBeNull();
  });

  it('follows daylight-saving changes: same local opening hour before and after', () => {
    const cal = paris({ mon: [{ open: '09:00', close: '18:00' }] });
    // Sunday 30 March 2025 the clocks go forward: Monday opens at 07:00Z, the Monday before at 08:00Z.
    expect(nextOpening(cal, '2025-03-29T12:00:00Z')?.toISOString()).toBe('2025-03-31T07:00:00.000Z');
    expect(nextOpening(cal, '2025-03-22T12:00:00Z')?.toISOString()).toBe('2025-03-24T08:00:00.000Z');
    // Sunday 26 October 2025 they go back.
    expect(nextOpening(cal, '2025-10-25T12:00:00Z')?.toISOString()).toBe('2025-10-27T08:00:00.000Z');
  });

  it('opens when the clocks jump past an opening time that does not exist that night', () => {
    const cal = paris({ sun: [{ open: '02:30', close: '05:00' }] });
    // 02:30 does not exist on 30 March 2025 (02:00 CET → 03:00 CEST at 01:00Z).
    expect(nextOpening(cal, '2025-03-30T00:00:00Z')?.toISOString()).toBe('2025-03-30T01:00:00.000Z');
    expect(isOpen(cal, '2025-03-30T01:00:00Z')).toBe(true);
    expect(isOpen(cal, '2025-03-30T00:59:59Z')).toBe(false);
  });

  it('opens at the first of the two 02:30s when the clocks go back', () => {
    const cal = paris({ sun: [{ open: '02:30', close: '04:00' }] });
    // 26 October 2025: 02:30 CEST is 00:30Z, 02:30 CET is 01:30Z.
    expect(nextOpening(cal, '2025-10-26T00:00:00Z')?.toISOString()).toBe('2025-10-26T00:30:00.000Z');
  });

  it('works in zones far from UTC and across the date line', () => {
    const auckland = calendarSchema.parse({ timezone: 'Pacific/Auckland', weekly: { mon: [{ open: '08:00', close: '17:00' }] } });
    // Sunday 22:00Z is Monday 11:00 in Auckland (NZDT, +13).
    expect(isOpen(auckland, '2025-01-05T22:00:00Z')).toBe(true);
    expect(nextOpening(auckland, '2025-01-06T05:00:00Z')?.toISOString()).toBe('2025-01-12T19:00:00.000Z');
  });

  it('supports hours until midnight and split days', () => {
    const cal = paris({ fri: [{ open: '09:00', close: '12:00' }, { open: '14:00', close: '24:00' }] });
    expect(isOpen(cal, '2025-01-10T22:59:00Z')).toBe(true); // 23:59 local
    expect(isOpen(cal, '2025-01-10T12:00:00Z')).toBe(false); // 13:00 lunch
    expect(nextOpening(cal, '2025-01-10T12:00:00Z')?.toISOString()).toBe('2025-01-10T13:00:00.000Z');
  });

  it('rejects malformed calendars with clear messages', () => {
    expect(calendarSchema.safeParse({ timezone: 'Europe/Pariss' }).error?.issues[0]?.message).toContain('IANA');
    expect(calendarSchema.safeParse({ timezone: 'UTC', holidays: ['25/12/2025'] }).success).toBe(false);
    expect(calendarSchema.safeParse({ timezone: 'UTC', weekly: { mon: [{ open: '9:00', close: '17:00' }] } }).success).toBe(false);
    expect(() => isOpen(exampleSupportHours, 'not a date')).toThrow(RangeError);
  });
});
