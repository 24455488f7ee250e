/**
 * School years (1 September → 31 August) and an illustrative school-holiday calendar.
 */
import { addDays, assertDay, weekday } from './paris';
import type { IsoDay } from './paris';

export type SchoolYear = { label: string; start: IsoDay; end: IsoDay };

export type SchoolHolidayCode = 'toussaint' | 'noel' | 'hiver' | 'printemps' | 'ete';

/** `start` is the first day without class (a Saturday), `end` the last one (a Sunday, or 31 August). */
export type SchoolHoliday = { code: SchoolHolidayCode; label: string; start: IsoDay; end: IsoDay };

/** The school year containing `day`: 2026-09-01 … 2027-08-31 is "2026-2027". */
export function schoolYearOf(day: IsoDay): SchoolYear {
  assertDay(day);
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return schoolYearStartingIn(month >= 9 ? year : year - 1);
}

export function schoolYearStartingIn(startYear: number): SchoolYear {
  return {
    label: `${startYear}-${startYear + 1}`,
    start: `${startYear}-09-01`,
    end: `${startYear + 1}-08-31`,
  };
}

/** The Saturday on or before `day`. */
function saturdayOnOrBefore(day: IsoDay): IsoDay {
  return addDays(day, -((weekday(day) + 1) % 7));
}

/** The Sunday on or after `day`. */
function sundayOnOrAfter(day: IsoDay): IsoDay {
  return addDays(day, (7 - weekday(day)) % 7);
}

/**
 * ILLUSTRATIVE school holidays for the school year starting in September of
 * `schoolYearStartYear`: a deterministic pattern that resembles a zone-C
 * calendar, for demo data and tests only. These are NOT the official dates
 * (published each year by the Ministère de l'Éducation nationale per zone):
 * a real town imports or types its own calendar.
 *
 * Pattern (each period runs from a Saturday to the Sunday before classes resume):
 * - Toussaint: 16 days ending on the Sunday on or after 31 October;
 * - Noël: 16 days from the Saturday on or before 20 December;
 * - hiver: 16 days from the Saturday on or before 21 February;
 * - printemps: 16 days from the Saturday on or before 18 April;
 * - été: from the Saturday on or before 4 July to 31 August.
 */
export function illustrativeSchoolHolidays(schoolYearStartYear: number): SchoolHoliday[] {
  const autumnYear = schoolYearStartYear;
  const springYear = schoolYearStartYear + 1;
  const toussaintEnd = sundayOnOrAfter(`${autumnYear}-10-31`);
  const twoWeeksFrom = (start: IsoDay): IsoDay => addDays(start, 15);
  const noelStart = saturdayOnOrBefore(`${autumnYear}-12-20`);
  const hiverStart = saturdayOnOrBefore(`${springYear}-02-21`);
  const printempsStart = saturdayOnOrBefore(`${springYear}-04-18`);
  return [
    {
      code: 'toussaint',
      label: 'Vacances de la Toussaint',
      start: addDays(toussaintEnd, -15),
      end: toussaintEnd,
    },
    { code: 'noel', label: 'Vacances de Noël', start: noelStart, end: twoWeeksFrom(noelStart) },
    { code: 'hiver', label: "Vacances d'hiver", start: hiverStart, end: twoWeeksFrom(hiverStart) },
    {
      code: 'printemps',
      label: 'Vacances de printemps',
      start: printempsStart,
      end: twoWeeksFrom(printempsStart),
    },
    {
      code: 'ete',
      label: "Vacances d'été",
      start: saturdayOnOrBefore(`${springYear}-07-04`),
      end: `${springYear}-08-31`,
    },
  ];
}

/** The holiday period containing `day` in `holidays`, or null. */
export function schoolHolidayOn(day: IsoDay, holidays: readonly SchoolHoliday[]): SchoolHoliday | null {
  assertDay(day);
  return holidays.find((holiday) => holiday.start <= day && day <= holiday.end) ?? null;
}
