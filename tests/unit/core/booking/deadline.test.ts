import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, parisDay, startOfParisDay } from '../../../../core/calendar/paris';
import { isPublicHoliday } from '../../../../core/calendar/public-holidays';
import {
  bookingDeadline,
  canChangeBooking,
  checkBookingChange,
  deadlineRuleFromJson,
  describeDeadlineRule,
} from '../../../../core/booking/deadline';
import type { DeadlineRule } from '../../../../core/booking/deadline';
import { DomainError } from '../../../../core/errors';
import { dayArb } from '../arbitraries';

const iso = (date: Date): string => date.toISOString();
const FORTY_EIGHT_HOURS: DeadlineRule = { kind: 'days_before', days: 2 };
const FORTY_EIGHT_BUSINESS_HOURS: DeadlineRule = {
  kind: 'days_before',
  days: 2,
  countBusinessDaysOnly: true,
};

describe('bookingDeadline with days_before', () => {
  it('closes a Wednesday at 00:00 two days before ("48 h", mercredis and cantine)', () => {
    expect(iso(bookingDeadline(FORTY_EIGHT_HOURS, '2026-10-14'))).toBe('2026-10-11T22:00:00.000Z'); // lundi 12, 00:00 CEST
  });

  it('closes a Monday on the previous Thursday 00:00 when only business days count', () => {
    expect(iso(bookingDeadline(FORTY_EIGHT_BUSINESS_HOURS, '2026-10-19'))).toBe('2026-10-14T22:00:00.000Z');
    expect(iso(bookingDeadline(FORTY_EIGHT_HOURS, '2026-10-19'))).toBe('2026-10-16T22:00:00.000Z'); // samedi 17
  });

  it('skips public holidays when counting business days', () => {
    // Monday 18 May 2026: Friday 15 counts, Ascension (Thursday 14) does not, Wednesday 13 counts.
    expect(iso(bookingDeadline(FORTY_EIGHT_BUSINESS_HOURS, '2026-05-18'))).toBe('2026-05-12T22:00:00.000Z');
    // Tuesday 26 May 2026, one business day: Monday 25 is the lundi de Pentecôte, so Friday 22.
    const oneBusinessDay: DeadlineRule = { kind: 'days_before', days: 1, countBusinessDaysOnly: true };
    expect(iso(bookingDeadline(oneBusinessDay, '2026-05-26'))).toBe('2026-05-21T22:00:00.000Z');
  });

  it('uses the cut-off hour in Paris time (7 days before, 10:00)', () => {
    const rule: DeadlineRule = { kind: 'days_before', days: 7, hour: 10 };
    expect(iso(bookingDeadline(rule, '2026-10-22'))).toBe('2026-10-15T08:00:00.000Z');
    expect(iso(bookingDeadline(rule, '2026-11-05'))).toBe('2026-10-29T09:00:00.000Z'); // winter time by then
  });

  it('keeps 00:00 Paris across the DST changes of 29 March and 25 October 2026', () => {
    expect(iso(bookingDeadline(FORTY_EIGHT_HOURS, '2026-03-30'))).toBe('2026-03-27T23:00:00.000Z'); // sam. 28, CET
    expect(iso(bookingDeadline(FORTY_EIGHT_HOURS, '2026-03-31'))).toBe('2026-03-28T23:00:00.000Z'); // dim. 29, CET
    expect(iso(bookingDeadline(FORTY_EIGHT_HOURS, '2026-04-01'))).toBe('2026-03-29T22:00:00.000Z'); // lun. 30, CEST
    expect(iso(bookingDeadline({ kind: 'days_before', days: 1 }, '2026-10-26'))).toBe(
      '2026-10-24T22:00:00.000Z',
    );
    expect(iso(bookingDeadline({ kind: 'days_before', days: 1 }, '2026-10-27'))).toBe(
      '2026-10-25T23:00:00.000Z',
    );
  });

  it('allows the same day at a given hour with days: 0', () => {
    expect(iso(bookingDeadline({ kind: 'days_before', days: 0, hour: 9 }, '2026-10-14'))).toBe(
      '2026-10-14T07:00:00.000Z',
    );
  });
});

describe('bookingDeadline with hours_before', () => {
  it('counts real elapsed hours, so it differs by one hour from days_before across DST', () => {
    expect(iso(bookingDeadline({ kind: 'hours_before', hours: 48 }, '2026-10-14'))).toBe(
      '2026-10-11T22:00:00.000Z',
    );
    expect(iso(bookingDeadline({ kind: 'hours_before', hours: 48 }, '2026-03-30'))).toBe(
      '2026-03-27T22:00:00.000Z',
    );
    expect(iso(bookingDeadline({ kind: 'hours_before', hours: 24 }, '2026-10-26'))).toBe(
      '2026-10-24T23:00:00.000Z',
    );
  });
});

describe('bookingDeadline with fixed_date', () => {
  const untilOctober11: DeadlineRule = { kind: 'fixed_date', lastDay: '2020-10-11' };

  it('keeps bookings open through the last day ("jusqu\'au 11 octobre 2020")', () => {
    expect(iso(bookingDeadline(untilOctober11, '2020-10-19'))).toBe('2020-10-11T22:00:00.000Z');
    expect(iso(bookingDeadline(untilOctober11, '2020-11-02'))).toBe('2020-10-11T22:00:00.000Z');
  });

  it('never leaves a day open once it has begun', () => {
    expect(iso(bookingDeadline({ kind: 'fixed_date', lastDay: '2020-10-31' }, '2020-10-20'))).toBe(
      iso(startOfParisDay('2020-10-20')),
    );
  });
});

describe('canChangeBooking', () => {
  it('is open until the last millisecond before the deadline, closed from it', () => {
    expect(canChangeBooking(FORTY_EIGHT_HOURS, '2026-10-14', new Date('2026-10-11T21:59:59.999Z'))).toEqual({
      ok: true,
      value: true,
    });
    const closed = canChangeBooking(FORTY_EIGHT_HOURS, '2026-10-14', new Date('2026-10-11T22:00:00.000Z'));
    expect(closed.ok).toBe(false);
    if (!closed.ok) {
      expect(closed.error.code).toBe('BOOKING_DEADLINE_PASSED');
      expect(closed.error.message).toBe(
        'Les réservations pour le mercredi 14 octobre 2026 sont closes depuis le lundi 12 octobre 2026 à 00:00.',
      );
      expect(closed.error.details).toMatchObject({ day: '2026-10-14', deadline: '2026-10-11T22:00:00.000Z' });
    }
  });

  it('names the last open day for a fixed date', () => {
    const closed = canChangeBooking(
      { kind: 'fixed_date', lastDay: '2020-10-11' },
      '2020-10-19',
      new Date('2020-10-12T08:00:00Z'),
    );
    expect(closed.ok).toBe(false);
    if (!closed.ok) {
      expect(closed.error.message).toBe(
        "Les réservations pour le lundi 19 octobre 2020 étaient possibles jusqu'au dimanche 11 octobre 2020 inclus.",
      );
    }
  });

  it('is open exactly when now is before the deadline', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -10 * 86_400_000, max: 10 * 86_400_000 }), (day, offset) => {
        const deadline = bookingDeadline(FORTY_EIGHT_BUSINESS_HOURS, day);
        const now = new Date(deadline.getTime() + offset);
        expect(canChangeBooking(FORTY_EIGHT_BUSINESS_HOURS, day, now).ok).toBe(offset < 0);
      }),
    );
  });
});

describe('checkBookingChange', () => {
  const late = new Date('2026-10-13T08:00:00Z');

  it('holds parents to the deadline', () => {
    const result = checkBookingChange({
      rule: FORTY_EIGHT_HOURS,
      day: '2026-10-14',
      now: late,
      actor: 'parent',
      overrideReason: 'x',
    });
    expect(result.ok ? 'ok' : result.error.code).toBe('BOOKING_DEADLINE_PASSED');
  });

  it('lets an agent change a closed day only with a reason, and says it was late', () => {
    const noReason = checkBookingChange({
      rule: FORTY_EIGHT_HOURS,
      day: '2026-10-14',
      now: late,
      actor: 'agent',
      overrideReason: '  ',
    });
    expect(noReason.ok ? 'ok' : noReason.error.code).toBe('BOOKING_OVERRIDE_REASON_REQUIRED');
    expect(
      checkBookingChange({
        rule: FORTY_EIGHT_HOURS,
        day: '2026-10-14',
        now: late,
        actor: 'agent',
        overrideReason: 'Certificat médical',
      }),
    ).toEqual({ ok: true, value: { late: true } });
  });

  it('reports an in-time change as not late for anyone', () => {
    const early = new Date('2026-10-01T08:00:00Z');
    expect(
      checkBookingChange({ rule: FORTY_EIGHT_HOURS, day: '2026-10-14', now: early, actor: 'parent' }),
    ).toEqual({
      ok: true,
      value: { late: false },
    });
  });
});

describe('deadline rule properties', () => {
  const daysBeforeRule = fc.record({
    kind: fc.constant('days_before' as const),
    days: fc.integer({ min: 1, max: 30 }),
    hour: fc.integer({ min: 0, max: 23 }),
    countBusinessDaysOnly: fc.boolean(),
  });
  const anyRule: fc.Arbitrary<DeadlineRule> = fc.oneof(
    daysBeforeRule,
    fc.record({ kind: fc.constant('hours_before' as const), hours: fc.integer({ min: 0, max: 24 * 30 }) }),
    fc.record({ kind: fc.constant('fixed_date' as const), lastDay: dayArb }),
  );

  it('closes strictly before the day starts when days_before is at least 1', () => {
    fc.assert(
      fc.property(daysBeforeRule, dayArb, (rule, day) => {
        expect(bookingDeadline(rule, day).getTime()).toBeLessThan(startOfParisDay(day).getTime());
      }),
    );
  });

  it('never closes a later day before an earlier one', () => {
    fc.assert(
      fc.property(anyRule, dayArb, fc.integer({ min: 0, max: 60 }), (rule, day, gap) => {
        expect(bookingDeadline(rule, day).getTime()).toBeLessThanOrEqual(
          bookingDeadline(rule, addDays(day, gap)).getTime(),
        );
      }),
    );
  });

  it('reaches a weekday that is not a public holiday when counting business days back', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 1, max: 10 }), (day, days) => {
        const deadline = bookingDeadline({ kind: 'days_before', days, countBusinessDaysOnly: true }, day);
        const weekdayInParis = new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Europe/Paris',
          weekday: 'short',
        }).format(deadline);
        expect(['Sat', 'Sun']).not.toContain(weekdayInParis);
        expect(isPublicHoliday(parisDay(deadline))).toBe(false);
      }),
    );
  });
});

describe('invalid rules and description', () => {
  it('refuses malformed rules as programming errors', () => {
    expect(() => bookingDeadline({ kind: 'days_before', days: -1 }, '2026-10-14')).toThrow(DomainError);
    expect(() => bookingDeadline({ kind: 'days_before', days: 2, hour: 24 }, '2026-10-14')).toThrow(
      DomainError,
    );
    expect(() => bookingDeadline({ kind: 'fixed_date', lastDay: '11/10/2020' }, '2026-10-14')).toThrow(
      DomainError,
    );
    expect(() => bookingDeadline(FORTY_EIGHT_HOURS, '2026-02-30')).toThrow(DomainError);
  });

  it('describes each rule in one French sentence', () => {
    expect(describeDeadlineRule({ kind: 'fixed_date', lastDay: '2020-10-11' })).toBe(
      "Réservations et annulations possibles jusqu'au 11/10/2020 inclus.",
    );
    expect(describeDeadlineRule(FORTY_EIGHT_BUSINESS_HOURS)).toBe(
      'Réservations et annulations closes 2 jours ouvrés avant le jour concerné, à 00:00.',
    );
    expect(describeDeadlineRule({ kind: 'days_before', days: 7, hour: 10 })).toBe(
      'Réservations et annulations closes 7 jours avant le jour concerné, à 10:00.',
    );
    expect(describeDeadlineRule({ kind: 'hours_before', hours: 48 })).toBe(
      'Réservations et annulations closes 48 h avant le début du jour concerné.',
    );
  });
});

describe('deadlineRuleFromJson', () => {
  it('reads an activity setting once: null for {}, the same frozen rule for the same text', () => {
    expect(deadlineRuleFromJson('{}', 'Cantine')).toBeNull();
    const json = '{"kind":"days_before","days":2,"countBusinessDaysOnly":true}';
    const rule = deadlineRuleFromJson(json, 'Mercredis');
    expect(rule).toEqual(FORTY_EIGHT_BUSINESS_HOURS);
    expect(deadlineRuleFromJson(json, 'Mercredis')).toBe(rule);
    expect(Object.isFrozen(rule)).toBe(true);
  });

  it('refuses a malformed setting with a French message naming the activity', () => {
    const read = () => deadlineRuleFromJson('{"kind":"days_before","days":-1}', 'ALSH été');
    expect(read).toThrow(DomainError);
    expect(read).toThrow('Délai de réservation mal configuré pour « ALSH été ».');
  });
});
