import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysBetween, weekday } from '../../../../core/calendar/paris';
import {
  illustrativeSchoolHolidays,
  schoolHolidayOn,
  schoolYearOf,
} from '../../../../core/calendar/school-year';
import { dayArb } from '../arbitraries';

describe('schoolYearOf', () => {
  it('runs from 1 September to 31 August', () => {
    expect(schoolYearOf('2026-09-01')).toEqual({
      label: '2026-2027',
      start: '2026-09-01',
      end: '2027-08-31',
    });
    expect(schoolYearOf('2026-08-31')).toEqual({
      label: '2025-2026',
      start: '2025-09-01',
      end: '2026-08-31',
    });
    expect(schoolYearOf('2027-01-15').label).toBe('2026-2027');
    expect(schoolYearOf('2026-12-31').label).toBe('2026-2027');
  });

  it('always contains the day it was asked for', () => {
    fc.assert(
      fc.property(dayArb, (day) => {
        const year = schoolYearOf(day);
        expect(year.start <= day && day <= year.end).toBe(true);
        expect(year.label).toBe(`${year.start.slice(0, 4)}-${year.end.slice(0, 4)}`);
      }),
    );
  });
});

describe('illustrativeSchoolHolidays', () => {
  it('gives a zone-C-like calendar for 2026-2027', () => {
    expect(illustrativeSchoolHolidays(2026)).toEqual([
      { code: 'toussaint', label: 'Vacances de la Toussaint', start: '2026-10-17', end: '2026-11-01' },
      { code: 'noel', label: 'Vacances de Noël', start: '2026-12-19', end: '2027-01-03' },
      { code: 'hiver', label: "Vacances d'hiver", start: '2027-02-20', end: '2027-03-07' },
      { code: 'printemps', label: 'Vacances de printemps', start: '2027-04-17', end: '2027-05-02' },
      { code: 'ete', label: "Vacances d'été", start: '2027-07-03', end: '2027-08-31' },
    ]);
  });

  it('always gives five ordered periods inside the school year, from a Saturday, two weeks each but summer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2200 }), (startYear) => {
        const holidays = illustrativeSchoolHolidays(startYear);
        expect(holidays.map((holiday) => holiday.code)).toEqual([
          'toussaint',
          'noel',
          'hiver',
          'printemps',
          'ete',
        ]);
        expect(holidays[0]?.start > `${startYear}-09-01`).toBe(true);
        expect(holidays[4]?.end).toBe(`${startYear + 1}-08-31`);
        for (const [index, holiday] of holidays.entries()) {
          expect(weekday(holiday.start)).toBe(6);
          if (holiday.code !== 'ete') {
            expect(weekday(holiday.end)).toBe(7);
            expect(daysBetween(holiday.start, holiday.end)).toBe(15);
          }
          const next = holidays[index + 1];
          if (next) expect(holiday.end < next.start).toBe(true);
        }
        const toussaint = holidays[0];
        expect(
          toussaint && toussaint.start <= `${startYear}-11-01` && `${startYear}-10-31` <= toussaint.end,
        ).toBe(true);
      }),
    );
  });

  it('finds the period a day falls in', () => {
    const holidays = illustrativeSchoolHolidays(2026);
    expect(schoolHolidayOn('2026-10-20', holidays)?.code).toBe('toussaint');
    expect(schoolHolidayOn('2027-01-03', holidays)?.code).toBe('noel');
    expect(schoolHolidayOn('2027-01-04', holidays)).toBeNull();
  });
});
