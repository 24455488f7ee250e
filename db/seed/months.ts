// The months the demo town has already been billed for, and the booking windows
// that follow from "today".
import type { PlanWindow } from './booking-plan';
import type { SeedContext } from './context';

const MONTHS_FR = [
  'Janvier',
  'Février',
  'Mars',
  'Avril',
  'Mai',
  'Juin',
  'Juillet',
  'Août',
  'Septembre',
  'Octobre',
  'Novembre',
  'Décembre',
] as const;

export interface BillingMonth {
  /** 'YYYY-MM' */
  month: string;
  /** 'Octobre 2026' */
  label: string;
  issuedOn: string;
  dueOn: string;
}

function monthShift(yearMonth: string, n: number): string {
  const y = Number(yearMonth.slice(0, 4));
  const m = Number(yearMonth.slice(5, 7)) - 1 + n;
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  return `${year}-${String(month + 1).padStart(2, '0')}`;
}

function lastDayOf(yearMonth: string): string {
  const y = Number(yearMonth.slice(0, 4));
  const m = Number(yearMonth.slice(5, 7));
  return `${yearMonth}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

function nextBusinessDay(ctx: SeedContext, day: string): string {
  let d = day;
  while (!ctx.isBusinessDay(d)) d = ctx.addDays(d, 1);
  return d;
}

/**
 * The (at most) two last months already invoiced on `today`: a month is invoiced
 * on the first business day from the 5th of the next month. Only months of the
 * current school year count (earlier ones have no bookings in the demo town).
 */
export function billingMonths(ctx: SeedContext): BillingMonth[] {
  const current = ctx.today.slice(0, 7);
  const out: BillingMonth[] = [];
  for (const k of [3, 2, 1]) {
    const month = monthShift(current, -k);
    if (`${month}-01` < ctx.schoolYear.start) continue;
    const issuedOn = nextBusinessDay(ctx, `${monthShift(month, 1)}-05`);
    if (issuedOn > ctx.today) continue;
    const label = `${MONTHS_FR[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
    out.push({ month, label, issuedOn, dueOn: nextBusinessDay(ctx, ctx.addDays(issuedOn, 20)) });
  }
  return out.slice(-2);
}

/**
 * Meals are booked month by month: from the first billed month (or two months
 * back) to the end of the current month. Mercredis are booked up to two months ahead.
 */
export function planWindow(ctx: SeedContext, months: readonly BillingMonth[]): PlanWindow {
  const current = ctx.today.slice(0, 7);
  const candidates = [`${monthShift(current, -2)}-01`, ...months.map((m) => `${m.month}-01`)].sort();
  const index = (day: string, fallback: number) => ctx.calendar.index.get(day) ?? fallback;
  const last = ctx.calendar.days.length - 1;
  const clamp = (day: string) =>
    day < ctx.schoolYear.start ? 0 : day > ctx.schoolYear.end ? last : index(day, 0);
  return {
    cantine: [clamp(candidates[0]!), clamp(lastDayOf(current))],
    mercredisUntil: clamp(lastDayOf(monthShift(current, 2))),
  };
}
