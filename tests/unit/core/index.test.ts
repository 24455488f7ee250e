import { describe, expect, it } from 'vitest';
import * as core from '../../../core/index';

describe('core public API', () => {
  it('re-exports every module other folders code against', () => {
    const expected = [
      'DomainError',
      'ok',
      'err',
      'newId',
      'newIdAt',
      'formatEuros',
      'parseEuros',
      'sumCents',
      'ACTIVITY_KINDS',
      'ACTIVITY_KIND_LABELS',
      'parisDay',
      'startOfParisDay',
      'addDays',
      'weekday',
      'eachDay',
      'isValidDay',
      'formatDayFr',
      'formatShortFr',
      'frenchPublicHolidays',
      'isPublicHoliday',
      'schoolYearOf',
      'illustrativeSchoolHolidays',
      'UNIT_CODES',
      'validateDayUnits',
      'bookingDeadline',
      'canChangeBooking',
      'decideCapacity',
      'decideBooking',
      'findBracket',
      'lookupPrice',
      'validatePersonName',
      'validatePostcode',
      'validatePhone',
      'validateEmail',
      'validateIban',
      'validateBic',
      'validatePassword',
      'personNameSchema',
      'ibanSchema',
      'normalizeForSearch',
    ];
    const missing = expected.filter((name) => !(name in core));
    expect(missing).toEqual([]);
  });

  it('works end to end: a valid day booked before its deadline within capacity', () => {
    const units = core.validateDayUnits('alsh_mercredis', ['MATIN', 'REPAS_SV', 'APRES_MIDI']);
    const inTime = core.canChangeBooking(
      { kind: 'days_before', days: 2 },
      '2026-10-14',
      new Date('2026-10-10T10:00:00Z'),
    );
    const decision = core.decideCapacity({ capacity: 24, taken: 23, waitlistAllowed: true });
    expect([units.ok, inTime.ok, decision]).toEqual([true, true, 'confirmed']);
  });
});
