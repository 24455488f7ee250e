/**
 * Calendar days and instants in Europe/Paris.
 *
 * A "day" is a calendar date as text `YYYY-MM-DD` (no time, no zone): what a
 * booking, an opening day or a holiday is about. An "instant" is a JS `Date`
 * (a point in UTC time): when something happened or a deadline falls. Day
 * arithmetic is done in UTC so DST never shifts it; instants are converted
 * through luxon with the Paris zone, so 00:00 is right on 29 March and
 * 25 October alike.
 */
import { DateTime } from 'luxon';
import { DomainError } from '../errors';

export const PARIS_ZONE = 'Europe/Paris';

/** A calendar day, `YYYY-MM-DD`. */
export type IsoDay = string;

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const WEEKDAY_NAMES_FR = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'] as const;
const MONTH_NAMES_FR = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
] as const;

const DAY_MS = 86_400_000;

/** Milliseconds of 00:00 UTC on `day`, or NaN when it is not a real `YYYY-MM-DD` date. */
function utcMs(text: string): number {
  if (!DAY_PATTERN.test(text)) return Number.NaN;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const date = Number(text.slice(8, 10));
  const ms = Date.UTC(year, month - 1, date);
  const check = new Date(ms);
  // Date.UTC rolls 31 April over to 1 May: a real date reads back the same.
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === date
    ? ms
    : Number.NaN;
}

/** Day arithmetic is hot (every booking check counts days): plain UTC milliseconds, no zone library. */
function dayMs(day: IsoDay): number {
  const ms = utcMs(day);
  if (Number.isNaN(ms)) throw new DomainError('INVALID_DAY', `Date invalide : « ${day} ».`, { day });
  return ms;
}

function dayOf(ms: number): IsoDay {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isValidDay(text: string): boolean {
  return !Number.isNaN(utcMs(text));
}

/** Throws a DomainError INVALID_DAY when `day` is not a real `YYYY-MM-DD` date. */
export function assertDay(day: string): void {
  if (!isValidDay(day)) throw new DomainError('INVALID_DAY', `Date invalide : « ${day} ».`, { day });
}

function utcDate(day: IsoDay): DateTime {
  assertDay(day);
  return DateTime.fromISO(day, { zone: 'utc' });
}

function toInstant(instant: Date | string): DateTime {
  const parsed =
    typeof instant === 'string'
      ? DateTime.fromISO(instant, { zone: 'utc' }) // no offset in the text means UTC
      : DateTime.fromJSDate(instant);
  if (!parsed.isValid) {
    throw new DomainError('INVALID_INSTANT', `Horodatage invalide : « ${String(instant)} ».`);
  }
  return parsed.setZone(PARIS_ZONE);
}

/** The calendar day in Paris at a given instant. */
export function parisDay(instant: Date | string): IsoDay {
  return toInstant(instant).toISODate() as IsoDay;
}

/** The instant of 00:00 in Paris on `day`. */
export function startOfParisDay(day: IsoDay): Date {
  return parisDateTime(day, 0, 0);
}

/**
 * The instant of `hour:minute` wall-clock time in Paris on `day`. A time that
 * does not exist (02:30 on the spring-forward day) moves forward by one hour;
 * an ambiguous one (02:30 on the fall-back day) is the first occurrence.
 */
export function parisDateTime(day: IsoDay, hour: number, minute = 0): Date {
  assertDay(day);
  if (
    !Number.isInteger(hour) ||
    hour < 0 ||
    hour > 23 ||
    !Number.isInteger(minute) ||
    minute < 0 ||
    minute > 59
  ) {
    throw new DomainError('INVALID_TIME', `Heure invalide : ${hour}:${minute}.`, { hour, minute });
  }
  const key = `${day}T${hour}:${minute}`;
  let ms = PARIS_INSTANTS.get(key);
  if (ms === undefined) {
    ms = DateTime.fromISO(day, { zone: PARIS_ZONE })
      .set({ hour, minute, second: 0, millisecond: 0 })
      .toMillis();
    if (PARIS_INSTANTS.size >= PARIS_INSTANTS_MAX) PARIS_INSTANTS.clear();
    PARIS_INSTANTS.set(key, ms);
  }
  return new Date(ms);
}

/**
 * Paris wall-clock times already converted (deadline checks ask for the same few days over and over: a zone
 * conversion costs ~0.1 ms, a lookup nothing). Bounded: cleared when full.
 */
const PARIS_INSTANTS = new Map<string, number>();
const PARIS_INSTANTS_MAX = 20_000;

export function addDays(day: IsoDay, n: number): IsoDay {
  return dayOf(dayMs(day) + n * DAY_MS);
}

/** Number of days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDay, to: IsoDay): number {
  return Math.round((dayMs(to) - dayMs(from)) / DAY_MS);
}

/** 1 = Monday … 7 = Sunday. */
export function weekday(day: IsoDay): number {
  const sundayZero = new Date(dayMs(day)).getUTCDay();
  return sundayZero === 0 ? 7 : sundayZero;
}

export function isWeekend(day: IsoDay): boolean {
  return weekday(day) >= 6;
}

/** Every day from `from` to `to`, both included; empty when `to` is before `from`. */
export function eachDay(from: IsoDay, to: IsoDay): IsoDay[] {
  const days: IsoDay[] = [];
  const count = daysBetween(from, to);
  for (let offset = 0; offset <= count; offset += 1) days.push(addDays(from, offset));
  return days;
}

/** "lundi 6 juillet 2026" (fixed French names, independent of the ICU build). */
export function formatDayFr(day: IsoDay): string {
  const date = utcDate(day);
  return `${WEEKDAY_NAMES_FR[date.weekday - 1]} ${date.day} ${MONTH_NAMES_FR[date.month - 1]} ${date.year}`;
}

/** "06/07/2026". */
export function formatShortFr(day: IsoDay): string {
  assertDay(day);
  const [year, month, date] = day.split('-');
  return `${date}/${month}/${year}`;
}

/** "00:00": the wall-clock time in Paris at an instant. */
export function formatTimeFr(instant: Date | string): string {
  return toInstant(instant).toFormat('HH:mm');
}

/** "20/11/2019 à 14:14" (as in "Dernière connexion le 20/11/2019 à 14:14"). */
export function formatShortDateTimeFr(instant: Date | string): string {
  return `${formatShortFr(parisDay(instant))} à ${formatTimeFr(instant)}`;
}

/** "lundi 12 octobre 2026 à 00:00". */
export function formatDateTimeFr(instant: Date | string): string {
  return `${formatDayFr(parisDay(instant))} à ${formatTimeFr(instant)}`;
}

/** Reads "06/07/2026" (or "6/7/2026") typed at the desk; null when it is not a real date. */
export function parseShortFr(text: string): IsoDay | null {
  const match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!match) return null;
  const [, date, month, year] = match as unknown as [string, string, string, string];
  const day = `${year}-${month.padStart(2, '0')}-${date.padStart(2, '0')}`;
  return isValidDay(day) ? day : null;
}
