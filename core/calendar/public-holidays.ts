/**
 * The 11 public holidays (jours fériés) of metropolitan France, and business days.
 * Alsace-Moselle's extra days (Vendredi saint, 26 décembre) are not included.
 */
import { DomainError } from '../errors';
import { addDays, assertDay, isWeekend } from './paris';
import type { IsoDay } from './paris';

export type PublicHoliday = { day: IsoDay; name: string };

const FIRST_GREGORIAN_YEAR = 1583;
const LAST_YEAR = 9999;

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_GREGORIAN_YEAR || year > LAST_YEAR) {
    throw new DomainError('INVALID_YEAR', `Année invalide : ${year}.`, { year });
  }
}

function isoDay(year: number, month: number, date: number): IsoDay {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
}

/** Easter Sunday (Gregorian calendar), by the anonymous "Meeus/Jones/Butcher" algorithm. */
export function easterSunday(year: number): IsoDay {
  assertYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDay(year, month, date);
}

/** The 11 metropolitan jours fériés of `year`, in calendar order. */
export function frenchPublicHolidays(year: number): PublicHoliday[] {
  const easter = easterSunday(year);
  const holidays: PublicHoliday[] = [
    { day: isoDay(year, 1, 1), name: "Jour de l'an" },
    { day: addDays(easter, 1), name: 'Lundi de Pâques' },
    { day: isoDay(year, 5, 1), name: 'Fête du Travail' },
    { day: isoDay(year, 5, 8), name: 'Victoire 1945' },
    { day: addDays(easter, 39), name: 'Ascension' },
    { day: addDays(easter, 50), name: 'Lundi de Pentecôte' },
    { day: isoDay(year, 7, 14), name: 'Fête nationale' },
    { day: isoDay(year, 8, 15), name: 'Assomption' },
    { day: isoDay(year, 11, 1), name: 'Toussaint' },
    { day: isoDay(year, 11, 11), name: 'Armistice 1918' },
    { day: isoDay(year, 12, 25), name: 'Noël' },
  ];
  return holidays.sort((left, right) => left.day.localeCompare(right.day));
}

// Pure cache: the same year always yields the same set.
const holidayNamesByYear = new Map<number, ReadonlyMap<IsoDay, string>>();

function holidayNames(year: number): ReadonlyMap<IsoDay, string> {
  let names = holidayNamesByYear.get(year);
  if (!names) {
    names = new Map(frenchPublicHolidays(year).map((holiday) => [holiday.day, holiday.name]));
    holidayNamesByYear.set(year, names);
  }
  return names;
}

export function isPublicHoliday(day: IsoDay): boolean {
  return publicHolidayName(day) !== null;
}

/** "Lundi de Pentecôte" for 2026-05-25; null on an ordinary day. */
export function publicHolidayName(day: IsoDay): string | null {
  assertDay(day);
  return holidayNames(Number(day.slice(0, 4))).get(day) ?? null;
}

/** Monday to Friday and not a public holiday. */
export function isBusinessDay(day: IsoDay): boolean {
  return !isWeekend(day) && !isPublicHoliday(day);
}
