import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { weekday } from '../../../../core/calendar/paris';
import {
  easterSunday,
  frenchPublicHolidays,
  isBusinessDay,
  isPublicHoliday,
  publicHolidayName,
} from '../../../../core/calendar/public-holidays';
import { DomainError } from '../../../../core/errors';

describe('easterSunday', () => {
  it.each([
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'], // latest possible date
    [2285, '2285-03-22'], // earliest possible date
  ])('is right for %i', (year, day) => {
    expect(easterSunday(year)).toBe(day);
  });

  it('is always a Sunday between 22 March and 25 April', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 9999 }), (year) => {
        const easter = easterSunday(year);
        expect(weekday(easter)).toBe(7);
        expect(easter.slice(5) >= '03-22' && easter.slice(5) <= '04-25').toBe(true);
      }),
    );
  });

  it('refuses years before the Gregorian calendar', () => {
    expect(() => easterSunday(1500)).toThrow(DomainError);
  });
});

describe('frenchPublicHolidays', () => {
  it('lists the 11 jours fériés of 2026 in order', () => {
    expect(frenchPublicHolidays(2026)).toEqual([
      { day: '2026-01-01', name: "Jour de l'an" },
      { day: '2026-04-06', name: 'Lundi de Pâques' },
      { day: '2026-05-01', name: 'Fête du Travail' },
      { day: '2026-05-08', name: 'Victoire 1945' },
      { day: '2026-05-14', name: 'Ascension' },
      { day: '2026-05-25', name: 'Lundi de Pentecôte' },
      { day: '2026-07-14', name: 'Fête nationale' },
      { day: '2026-08-15', name: 'Assomption' },
      { day: '2026-11-01', name: 'Toussaint' },
      { day: '2026-11-11', name: 'Armistice 1918' },
      { day: '2026-12-25', name: 'Noël' },
    ]);
  });

  it('places the Easter-based days of 2027', () => {
    const byName = new Map(frenchPublicHolidays(2027).map((holiday) => [holiday.name, holiday.day]));
    expect(byName.get('Lundi de Pâques')).toBe('2027-03-29');
    expect(byName.get('Ascension')).toBe('2027-05-06');
    expect(byName.get('Lundi de Pentecôte')).toBe('2027-05-17');
  });

  it('keeps both names when Ascension falls on 1 May (2008)', () => {
    const onMayDay = frenchPublicHolidays(2008).filter((holiday) => holiday.day === '2008-05-01');
    expect(onMayDay.map((holiday) => holiday.name).sort()).toEqual(['Ascension', 'Fête du Travail']);
  });

  it('always has 11 days of the year, sorted, with the Easter days on their weekdays', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 9999 }), (year) => {
        const holidays = frenchPublicHolidays(year);
        expect(holidays).toHaveLength(11);
        expect(holidays.every((holiday) => holiday.day.startsWith(String(year).padStart(4, '0')))).toBe(true);
        expect([...holidays].sort((a, b) => a.day.localeCompare(b.day))).toEqual(holidays);
        const find = (name: string) => holidays.find((holiday) => holiday.name === name)?.day ?? '';
        expect(weekday(find('Lundi de Pâques'))).toBe(1);
        expect(weekday(find('Ascension'))).toBe(4);
        expect(weekday(find('Lundi de Pentecôte'))).toBe(1);
      }),
    );
  });

  it('returns a fresh list that callers may change without harm', () => {
    frenchPublicHolidays(2026).pop();
    expect(frenchPublicHolidays(2026)).toHaveLength(11);
  });
});

describe('isPublicHoliday and isBusinessDay', () => {
  it('recognises holidays and names them', () => {
    expect(isPublicHoliday('2026-05-25')).toBe(true);
    expect(publicHolidayName('2026-05-25')).toBe('Lundi de Pentecôte');
    expect(isPublicHoliday('2026-05-26')).toBe(false);
    expect(publicHolidayName('2026-05-26')).toBeNull();
    expect(isPublicHoliday('2027-03-29')).toBe(true);
    expect(isPublicHoliday('2026-12-26')).toBe(false); // Alsace-Moselle only
  });

  it('treats weekends and holidays as non-business days', () => {
    expect(isBusinessDay('2026-10-14')).toBe(true); // Wednesday
    expect(isBusinessDay('2026-10-17')).toBe(false); // Saturday
    expect(isBusinessDay('2026-10-18')).toBe(false); // Sunday
    expect(isBusinessDay('2026-05-14')).toBe(false); // Ascension, a Thursday
    expect(isBusinessDay('2026-11-11')).toBe(false); // Armistice, a Wednesday
  });

  it('refuses an invalid day', () => {
    expect(() => isPublicHoliday('2026-02-30')).toThrow(DomainError);
  });
});
