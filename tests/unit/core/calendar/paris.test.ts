import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  eachDay,
  formatDateTimeFr,
  formatDayFr,
  formatShortDateTimeFr,
  formatShortFr,
  isValidDay,
  isWeekend,
  parisDateTime,
  parisDay,
  parseShortFr,
  startOfParisDay,
  weekday,
} from '../../../../core/calendar/paris';
import { DomainError } from '../../../../core/errors';
import { dayArb, instantArb } from '../arbitraries';

const HOUR = 3_600_000;

describe('parisDay', () => {
  it('gives the Paris calendar day of a UTC instant, in summer and winter time', () => {
    expect(parisDay('2026-07-05T22:30:00Z')).toBe('2026-07-06'); // 00:30 CEST
    expect(parisDay('2026-07-05T21:59:59Z')).toBe('2026-07-05'); // 23:59 CEST
    expect(parisDay('2026-12-31T23:00:00Z')).toBe('2027-01-01'); // 00:00 CET
    expect(parisDay(new Date('2026-12-31T22:59:59Z'))).toBe('2026-12-31');
  });

  it('is right around the DST changes of 29 March and 25 October 2026', () => {
    expect(parisDay('2026-03-28T23:30:00Z')).toBe('2026-03-29'); // 00:30 CET
    expect(parisDay('2026-03-29T21:59:00Z')).toBe('2026-03-29'); // 23:59 CEST
    expect(parisDay('2026-10-24T22:30:00Z')).toBe('2026-10-25'); // 00:30 CEST
    expect(parisDay('2026-10-25T22:30:00Z')).toBe('2026-10-25'); // 23:30 CET
  });

  it('reads a text without offset as UTC and refuses garbage', () => {
    expect(parisDay('2026-07-05T22:30:00')).toBe('2026-07-06');
    expect(() => parisDay('pas une date')).toThrow(DomainError);
  });
});

describe('startOfParisDay', () => {
  it('is 00:00 Paris time, one or two hours before midnight UTC', () => {
    expect(startOfParisDay('2026-01-15').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(startOfParisDay('2026-07-06').toISOString()).toBe('2026-07-05T22:00:00.000Z');
  });

  it('makes 29 March 2026 last 23 hours and 25 October 2026 last 25 hours', () => {
    expect(startOfParisDay('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfParisDay('2026-03-30').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfParisDay('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfParisDay('2026-10-26').toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('falls on the same Paris day, and days last 23, 24 or 25 hours', () => {
    fc.assert(
      fc.property(dayArb, (day) => {
        expect(parisDay(startOfParisDay(day))).toBe(day);
        expect(parisDay(new Date(startOfParisDay(day).getTime() - 1))).toBe(addDays(day, -1));
        const length = startOfParisDay(addDays(day, 1)).getTime() - startOfParisDay(day).getTime();
        expect([23 * HOUR, 24 * HOUR, 25 * HOUR]).toContain(length);
      }),
    );
  });

  it('refuses an invalid day', () => {
    expect(() => startOfParisDay('2026-02-30')).toThrow(DomainError);
  });
});

describe('parisDateTime', () => {
  it('places a wall-clock time in Paris', () => {
    expect(parisDateTime('2026-10-15', 10).toISOString()).toBe('2026-10-15T08:00:00.000Z');
    expect(parisDateTime('2026-01-15', 23, 59).toISOString()).toBe('2026-01-15T22:59:00.000Z');
  });

  it('moves a time lost to spring-forward one hour later and takes the first of a doubled hour', () => {
    expect(parisDateTime('2026-03-29', 2, 30).toISOString()).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    expect(parisDateTime('2026-10-25', 2, 30).toISOString()).toBe('2026-10-25T00:30:00.000Z'); // first 02:30, CEST
  });

  it('refuses an hour outside 0–23', () => {
    expect(() => parisDateTime('2026-10-15', 24)).toThrow(DomainError);
  });
});

describe('day arithmetic', () => {
  it('adds days across months, years, leap days and DST', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('is reversible and agrees with daysBetween', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -2000, max: 2000 }), (day, n) => {
        expect(addDays(addDays(day, n), -n)).toBe(day);
        expect(daysBetween(day, addDays(day, n))).toBe(n);
      }),
    );
  });

  it('numbers weekdays from 1 (Monday) to 7 (Sunday)', () => {
    expect(weekday('2026-07-06')).toBe(1);
    expect(weekday('2026-10-14')).toBe(3);
    expect(weekday('2026-10-18')).toBe(7);
    expect(isWeekend('2026-10-17')).toBe(true);
    expect(isWeekend('2026-10-16')).toBe(false);
  });

  it('advances the weekday by one each day', () => {
    fc.assert(
      fc.property(dayArb, (day) => {
        expect(weekday(addDays(day, 1))).toBe((weekday(day) % 7) + 1);
      }),
    );
  });

  it('lists every day of a range, both ends included', () => {
    expect(eachDay('2026-03-28', '2026-03-31')).toEqual([
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
      '2026-03-31',
    ]);
    expect(eachDay('2026-10-25', '2026-10-25')).toEqual(['2026-10-25']);
    expect(eachDay('2026-10-26', '2026-10-25')).toEqual([]);
  });
});

describe('isValidDay', () => {
  it('accepts real YYYY-MM-DD dates only', () => {
    expect(isValidDay('2028-02-29')).toBe(true);
    expect(isValidDay('2026-02-29')).toBe(false);
    expect(isValidDay('2026-13-01')).toBe(false);
    expect(isValidDay('2026-1-01')).toBe(false);
    expect(isValidDay('06/07/2026')).toBe(false);
    expect(isValidDay('2026-07-06T00:00')).toBe(false);
  });
});

describe('French formats', () => {
  it('writes days in full and short', () => {
    expect(formatDayFr('2026-07-06')).toBe('lundi 6 juillet 2026');
    expect(formatDayFr('2026-10-14')).toBe('mercredi 14 octobre 2026');
    expect(formatDayFr('2027-08-01')).toBe('dimanche 1 août 2027');
    expect(formatDayFr('2026-02-07')).toBe('samedi 7 février 2026');
    expect(formatShortFr('2026-07-06')).toBe('06/07/2026');
  });

  it('writes instants in Paris time', () => {
    expect(formatShortDateTimeFr('2019-11-20T13:14:00Z')).toBe('20/11/2019 à 14:14');
    expect(formatDateTimeFr(new Date('2026-10-11T22:00:00Z'))).toBe('lundi 12 octobre 2026 à 00:00');
  });

  it('reads back a short French date', () => {
    expect(parseShortFr('06/07/2026')).toBe('2026-07-06');
    expect(parseShortFr('6/7/2026')).toBe('2026-07-06');
    expect(parseShortFr('31/02/2026')).toBeNull();
    expect(parseShortFr('2026-07-06')).toBeNull();
    fc.assert(
      fc.property(dayArb, (day) => {
        expect(parseShortFr(formatShortFr(day))).toBe(day);
      }),
    );
  });

  it('formats the Paris day of any instant consistently', () => {
    fc.assert(
      fc.property(instantArb, (instant) => {
        expect(formatShortDateTimeFr(instant).startsWith(formatShortFr(parisDay(instant)))).toBe(true);
      }),
    );
  });
});

describe('plain day arithmetic agrees with the zone library', () => {
  it('adds days, numbers weekdays and validates like luxon', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -800, max: 800 }), (day, n) => {
        const reference = DateTime.fromISO(day, { zone: 'utc' });
        expect(addDays(day, n)).toBe(reference.plus({ days: n }).toISODate());
        expect(weekday(day)).toBe(reference.weekday);
        expect(daysBetween(day, addDays(day, n))).toBe(n);
      }),
    );
    for (const text of ['2026-02-29', '2026-04-31', '2026-00-10', '2026-13-01', '2026-1-01', '0000-00-00'])
      expect(isValidDay(text)).toBe(DateTime.fromISO(text, { zone: 'utc' }).isValid);
  });

  it('hands out a fresh Date for a converted wall-clock time (callers may mutate it)', () => {
    const first = parisDateTime('2026-10-25', 2, 30);
    first.setTime(0);
    expect(parisDateTime('2026-10-25', 2, 30).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});
