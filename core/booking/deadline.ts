/**
 * Booking deadlines (délais): until when a parent may book or cancel a day.
 *
 * Semantics (all wall-clock times are Europe/Paris):
 * - `fixed_date`: changes are open through `lastDay` inclusive ("réservations
 *   possibles jusqu'au 11 octobre"), i.e. closed from 00:00 the next day — and
 *   never later than 00:00 on the booked day itself.
 * - `days_before`: count `days` days back from the booked day (only Monday–Friday
 *   days that are not public holidays when `countBusinessDaysOnly`); closed from
 *   `hour`:00 (default 0) on the day reached. "48 h" for mercredi 14 octobre 2026
 *   = { days: 2 } → closed from lundi 12 octobre 00:00; for a Monday with
 *   countBusinessDaysOnly → closed from the previous Thursday 00:00 (Friday and
 *   Thursday are the two days counted).
 * - `hours_before`: closed `hours` real elapsed hours before 00:00 of the booked
 *   day. Across a DST change this differs from `days_before` by one hour: 48 h
 *   before lundi 30 mars 2026 is vendredi 27 mars 23:00, not samedi 00:00.
 * A change is allowed while `now` is strictly before the deadline instant.
 */
import { z } from 'zod';
import {
  addDays,
  assertDay,
  formatDateTimeFr,
  formatDayFr,
  formatShortFr,
  isValidDay,
  parisDateTime,
  startOfParisDay,
} from '../calendar/paris';
import type { IsoDay } from '../calendar/paris';
import { isBusinessDay } from '../calendar/public-holidays';
import { DomainError, err, ok } from '../errors';
import type { Result } from '../errors';

export type DeadlineRule =
  | { kind: 'fixed_date'; lastDay: string }
  | {
      kind: 'days_before';
      days: number;
      /** Cut-off hour, Paris wall clock, 0–23; default 0. */
      hour?: number;
      countBusinessDaysOnly?: boolean;
    }
  | { kind: 'hours_before'; hours: number };

/** The same shape as a zod schema, for settings stored as JSON. */
export const deadlineRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed_date'), lastDay: z.string().refine(isValidDay, 'Date invalide.') }),
  z.object({
    kind: z.literal('days_before'),
    days: z.number().int().min(0).max(366),
    hour: z.number().int().min(0).max(23).optional(),
    countBusinessDaysOnly: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('hours_before'),
    hours: z
      .number()
      .int()
      .min(0)
      .max(24 * 366),
  }),
]);

/** Rules already checked (every rule read through `deadlineRuleFromJson` is): no schema run per booking. */
const CHECKED_RULES = new WeakSet<DeadlineRule>();
const RULES_BY_JSON = new Map<string, DeadlineRule | null>();

/**
 * An activity's `deadline_json` as a rule; null when none is set (`{}`). Parsed and checked once per distinct
 * text (a town has a handful), then shared frozen. Throws DEADLINE_RULE_INVALID naming the activity.
 */
export function deadlineRuleFromJson(json: string, activityName: string): DeadlineRule | null {
  const known = RULES_BY_JSON.get(json);
  if (known !== undefined) return known;
  const raw: unknown = JSON.parse(json);
  let rule: DeadlineRule | null = null;
  if (!(raw !== null && typeof raw === 'object' && Object.keys(raw).length === 0)) {
    const parsed = deadlineRuleSchema.safeParse(raw);
    if (!parsed.success) {
      throw new DomainError(
        'DEADLINE_RULE_INVALID',
        `Délai de réservation mal configuré pour « ${activityName} ».`,
      );
    }
    rule = Object.freeze(parsed.data);
    CHECKED_RULES.add(rule);
  }
  if (RULES_BY_JSON.size < 1_000) RULES_BY_JSON.set(json, rule);
  return rule;
}

function assertRule(rule: DeadlineRule): void {
  if (CHECKED_RULES.has(rule)) return;
  if (!deadlineRuleSchema.safeParse(rule).success) {
    throw new DomainError('INVALID_DEADLINE_RULE', 'Règle de délai de réservation invalide.', { rule });
  }
}

/** The day reached when counting `days` days back from `day`. */
function countBack(day: IsoDay, days: number, businessDaysOnly: boolean): IsoDay {
  if (!businessDaysOnly) return addDays(day, -days);
  let cursor = day;
  for (let counted = 0; counted < days;) {
    cursor = addDays(cursor, -1);
    if (isBusinessDay(cursor)) counted += 1;
  }
  return cursor;
}

/** The instant from which booking or cancelling `day` is closed to parents. */
export function bookingDeadline(rule: DeadlineRule, day: IsoDay): Date {
  assertRule(rule);
  assertDay(day);
  switch (rule.kind) {
    case 'fixed_date': {
      const afterLastDay = startOfParisDay(addDays(rule.lastDay, 1));
      const dayStart = startOfParisDay(day);
      return afterLastDay < dayStart ? afterLastDay : dayStart;
    }
    case 'days_before':
      return parisDateTime(countBack(day, rule.days, rule.countBusinessDaysOnly ?? false), rule.hour ?? 0);
    case 'hours_before':
      return new Date(startOfParisDay(day).getTime() - rule.hours * 3_600_000);
  }
}

/** Ok while `now` is strictly before the deadline; BOOKING_DEADLINE_PASSED otherwise. */
export function canChangeBooking(rule: DeadlineRule, day: IsoDay, now: Date): Result<true> {
  const deadline = bookingDeadline(rule, day);
  if (now.getTime() < deadline.getTime()) return ok(true);
  const details = { day, deadline: deadline.toISOString() };
  if (
    rule.kind === 'fixed_date' &&
    deadline.getTime() === startOfParisDay(addDays(rule.lastDay, 1)).getTime()
  ) {
    return err(
      'BOOKING_DEADLINE_PASSED',
      `Les réservations pour le ${formatDayFr(day)} étaient possibles jusqu'au ${formatDayFr(rule.lastDay)} inclus.`,
      details,
    );
  }
  return err(
    'BOOKING_DEADLINE_PASSED',
    `Les réservations pour le ${formatDayFr(day)} sont closes depuis le ${formatDateTimeFr(deadline)}.`,
    details,
  );
}

export type BookingActor = 'parent' | 'agent';

/**
 * Parents are bound by the deadline. An agent at the desk may change a booking
 * after it, but only with a reason (logged by the caller); `late` tells whether
 * the deadline was overridden.
 */
export function checkBookingChange(input: {
  rule: DeadlineRule;
  day: IsoDay;
  now: Date;
  actor: BookingActor;
  overrideReason?: string;
}): Result<{ late: boolean }> {
  const inTime = canChangeBooking(input.rule, input.day, input.now);
  if (inTime.ok) return ok({ late: false });
  if (input.actor === 'parent') return inTime;
  if ((input.overrideReason ?? '').trim() === '') {
    return err(
      'BOOKING_OVERRIDE_REASON_REQUIRED',
      `Le délai est dépassé pour le ${formatDayFr(input.day)} : indiquez le motif de cette modification hors délai.`,
      { day: input.day },
    );
  }
  return ok({ late: true });
}

/** One French sentence describing the rule, for help texts. */
export function describeDeadlineRule(rule: DeadlineRule): string {
  assertRule(rule);
  switch (rule.kind) {
    case 'fixed_date':
      return `Réservations et annulations possibles jusqu'au ${formatShortFr(rule.lastDay)} inclus.`;
    case 'days_before': {
      const at = `à ${String(rule.hour ?? 0).padStart(2, '0')}:00`;
      if (rule.days === 0) return `Réservations et annulations closes le jour même ${at}.`;
      const plural = rule.days > 1 ? 's' : '';
      const unit = rule.countBusinessDaysOnly ? `jour${plural} ouvré${plural}` : `jour${plural}`;
      return `Réservations et annulations closes ${rule.days} ${unit} avant le jour concerné, ${at}.`;
    }
    case 'hours_before':
      return `Réservations et annulations closes ${rule.hours} h avant le début du jour concerné.`;
  }
}
