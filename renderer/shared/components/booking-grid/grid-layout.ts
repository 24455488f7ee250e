// Layout helpers of the booking grid (pure): visible weeks and months, ISO week numbers, short labels.
import { addDays, weekday } from '../../../../core/calendar/paris';
import type { BookingGridData, GridDay } from '../../../../core/booking/grid';
import { isEditable, weekDays, weekStarts } from '../../../../core/booking/grid';

export type GridView = 'week' | 'month';

/** The ISO 8601 week number of a day. */
export function isoWeek(day: string): number {
  const thursday = addDays(day, 4 - weekday(day));
  const year = thursday.slice(0, 4);
  const jan1 = `${year}-01-01`;
  const offset = Math.round(
    (Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${jan1}T00:00:00Z`)) / 86_400_000,
  );
  return Math.floor(offset / 7) + 1;
}

/** "19/10". */
export function shortDay(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}`;
}

/** "19/10/2020". */
export function frenchDay(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
}

const monthFormatter = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "Octobre 2020". */
export function monthLabel(month: string): string {
  const label = monthFormatter.format(new Date(`${month}-01T12:00:00Z`));
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export function monthEnd(month: string): string {
  const next = addDays(`${month}-28`, 4);
  return addDays(`${next.slice(0, 7)}-01`, -1);
}

/** The range a view shows around its cursor (a Monday, or a month 'YYYY-MM'), within the data's range. */
export function visibleRange(
  data: BookingGridData,
  view: GridView,
  cursor: string,
): { from: string; to: string } {
  const [start, end] =
    view === 'week'
      ? [cursor, addDays(cursor, 6)]
      : [`${cursor.slice(0, 7)}-01`, monthEnd(cursor.slice(0, 7))];
  return { from: start < data.from ? data.from : start, to: end > data.to ? data.to : end };
}

/** The weeks (Mondays) a view shows. */
export function visibleWeeks(data: BookingGridData, view: GridView, cursor: string): string[][] {
  const range = visibleRange(data, view, cursor);
  return weekStarts(range.from, range.to).map(weekDays);
}

/** Where a view opens: the first day one may change, else the first open day, else the range's start. */
export function initialCursor(data: BookingGridData, view: GridView, agent: boolean): string {
  const first: GridDay | undefined =
    data.days.find((d) => d.open && isEditable(d, { agent: false })) ??
    data.days.find((d) => isEditable(d, { agent })) ??
    data.days.find((d) => d.open);
  const day = first?.day ?? data.from;
  return view === 'week' ? addDays(day, 1 - weekday(day)) : day.slice(0, 7);
}

/** The cursor moved by one step (a week or a month) forward or back. */
export function moveCursor(view: GridView, cursor: string, step: 1 | -1): string {
  if (view === 'week') return addDays(cursor, 7 * step);
  const month = `${cursor.slice(0, 7)}-01`;
  return (step === 1 ? addDays(monthEnd(cursor.slice(0, 7)), 1) : addDays(month, -1)).slice(0, 7);
}

/** Converts a cursor between views (keeps the same place in time). */
export function cursorFor(view: GridView, cursor: string): string {
  if (view === 'month') return cursor.slice(0, 7);
  const day = cursor.length === 7 ? `${cursor}-01` : cursor;
  return addDays(day, 1 - weekday(day));
}
