import { describe, expect, it } from 'vitest';
import {
  applyPeriodicity,
  changesForSibling,
  estimateCents,
  expandPeriodicity,
  fullDayUnits,
  gridChanges,
  tickAll,
  tickUnit,
  untickAll,
  weekStarts,
} from '../../../../core/booking/grid';
import type { BookingGridData, GridDay, GridUnit } from '../../../../core/booking/grid';
import { buildGridDays } from '../../../../core/booking/grid-build';
import type { GridFacts } from '../../../../core/booking/grid-build';
import type { UnitCode } from '../../../../core/booking/units';

const ALSH: GridUnit[] = [
  { code: 'MATIN', label: 'Matin' },
  { code: 'REPAS_AV', label: 'Repas-AV' },
  { code: 'REPAS_SV', label: 'Repas-SV' },
  { code: 'APRES_MIDI', label: 'Après-Midi' },
];
const UNIT_IDS = ALSH.map((u) => ({ ...u, id: `u-${u.code}` }));

/** Toussaint 2026: lundi 19 → dimanche 1er novembre; every weekday open except the closed Friday 23. */
function facts(overrides: Partial<GridFacts> = {}): GridFacts {
  const opening = new Map<string, string>();
  for (const day of [
    '2026-10-19',
    '2026-10-20',
    '2026-10-21',
    '2026-10-22',
    '2026-10-23',
    '2026-10-26',
    '2026-10-27',
    '2026-10-28',
    '2026-10-29',
    '2026-10-30',
  ])
    opening.set(day, 'p1');
  return {
    from: '2026-10-19',
    to: '2026-11-01',
    units: UNIT_IDS,
    openingDays: opening,
    inscribedPeriods: new Set(['p1']),
    closures: [{ start: '2026-10-23', end: '2026-10-23', label: 'Journée pédagogique' }],
    rule: { kind: 'days_before', days: 21 },
    now: new Date('2026-09-20T10:00:00Z'),
    capacities: UNIT_IDS.map((u) => ({ unitId: u.id, day: '2026-10-19', places: 10, taken: 9 })),
    pendingTaken: [{ unitId: 'u-MATIN', day: '2026-10-19', count: 1 }],
    bookings: [
      { unitId: 'u-MATIN', day: '2026-10-20', state: 'reservee', pending: false, reason: null },
      { unitId: 'u-APRES_MIDI', day: '2026-10-20', state: 'reservee', pending: false, reason: null },
    ],
    ...overrides,
  };
}

function grid(days: GridDay[]): BookingGridData {
  return {
    personId: 'child',
    childName: 'Léa DUPONT',
    activity: { id: 'a', name: 'ALSH Petites vacances', kind: 'alsh_petites_vacances' },
    site: { id: 's', name: 'ALSH Jean Jaurès' },
    from: '2026-10-19',
    to: '2026-11-01',
    ageGroup: 'elementaire',
    inscriptions: [],
    units: ALSH,
    days,
    deadlineRule: null,
    waitlistAllowed: true,
    unitPrices: { MATIN: 540, APRES_MIDI: 540, REPAS_AV: 310, REPAS_SV: 310 },
    priceBasis: null,
    now: '2026-09-20T10:00:00Z',
  };
}

describe('building the grid days', () => {
  const days = buildGridDays(facts());
  const day = (d: string) => days.find((x) => x.day === d)!;

  it('has one day per calendar day and one cell per unit', () => {
    expect(days).toHaveLength(14);
    expect(day('2026-10-19').cells.map((c) => c.unit)).toEqual([
      'MATIN',
      'REPAS_AV',
      'REPAS_SV',
      'APRES_MIDI',
    ]);
  });

  it('greys closures, weekends and days outside the child’s inscription, with why', () => {
    expect(day('2026-10-23')).toMatchObject({ open: false, closedReason: 'Journée pédagogique' });
    expect(day('2026-10-24')).toMatchObject({ open: false, closedReason: 'Week-end' });
    const notInscribed = buildGridDays(facts({ inscribedPeriods: new Set() }));
    expect(notInscribed[0]).toMatchObject({ open: false, closedReason: 'Hors inscription' });
  });

  it('greys a public holiday even when the site listed it as an opening day', () => {
    const opening = new Map([['2026-11-11', 'p1']]);
    const [armistice] = buildGridDays(facts({ from: '2026-11-11', to: '2026-11-11', openingDays: opening }));
    expect(armistice).toMatchObject({ open: false, closedReason: 'Jour férié : Armistice 1918' });
  });

  it('counts this desk’s undecided bookings as taken places', () => {
    const cells = day('2026-10-19').cells;
    expect(cells.find((c) => c.unit === 'MATIN')).toMatchObject({ places: 10, placesLeft: 0 });
    expect(cells.find((c) => c.unit === 'APRES_MIDI')).toMatchObject({ places: 10, placesLeft: 1 });
    expect(day('2026-10-20').cells[0]).toMatchObject({ places: null, placesLeft: null });
  });

  it('marks the deadline: 21 days before, judged at now', () => {
    const later = buildGridDays(facts({ now: new Date('2026-10-05T10:00:00Z') }));
    expect(later.find((d) => d.day === '2026-10-19')!.deadlinePassed).toBe(true);
    expect(later.find((d) => d.day === '2026-10-27')!.deadlinePassed).toBe(false);
    expect(day('2026-10-19').deadline).toBe('2026-09-27T22:00:00.000Z');
  });
});

describe('ticking units', () => {
  const tick = (current: UnitCode[], unit: UnitCode, checked: boolean) =>
    tickUnit('alsh_petites_vacances', current, unit, checked, ALSH);

  it('refuses a meal alone', () => {
    const result = tick([], 'REPAS_AV', true);
    expect(result.accepted).toBe(false);
    expect(result.units).toEqual([]);
    expect(result.notice).toMatch(/seul/);
  });

  it('swaps the meal with meat for the one without (they exclude each other)', () => {
    const result = tick(['MATIN', 'REPAS_AV'], 'REPAS_SV', true);
    expect(result).toMatchObject({ accepted: true, units: ['MATIN', 'REPAS_SV'] });
    expect(result.notice).toMatch(/s’excluent/);
  });

  it('drops the meal with the last half-day', () => {
    const result = tick(['MATIN', 'REPAS_AV'], 'MATIN', false);
    expect(result).toMatchObject({ accepted: true, units: [] });
  });

  it('keeps grid order', () => {
    expect(tick(['APRES_MIDI'], 'MATIN', true).units).toEqual(['MATIN', 'APRES_MIDI']);
  });

  it('ticks one meal for a full day, the one without meat for a child who eats none', () => {
    expect(fullDayUnits('alsh_petites_vacances', ALSH)).toEqual(['MATIN', 'REPAS_AV', 'APRES_MIDI']);
    expect(fullDayUnits('alsh_petites_vacances', ALSH, { noMeat: true })).toEqual([
      'MATIN',
      'REPAS_SV',
      'APRES_MIDI',
    ]);
    expect(fullDayUnits('restauration', [{ code: 'REPAS', label: 'Repas' }])).toEqual(['REPAS']);
  });
});

describe('Tout cocher, Tout décocher and the périodicité', () => {
  const data = grid(buildGridDays(facts()));

  it('Tout cocher ticks a valid full day on every open day in time, not the closures', () => {
    const result = tickAll(data, {}, { from: data.from, to: data.to });
    expect(Object.keys(result.selection).sort()).toEqual([
      '2026-10-19',
      '2026-10-20',
      '2026-10-21',
      '2026-10-22',
      '2026-10-26',
      '2026-10-27',
      '2026-10-28',
      '2026-10-29',
      '2026-10-30',
    ]);
    expect(result.selection['2026-10-21']).toEqual(['MATIN', 'REPAS_AV', 'APRES_MIDI']);
    expect(result.selection['2026-10-23']).toBeUndefined();
  });

  it('leaves the days past the deadline to the agent, listing them', () => {
    const late = grid(buildGridDays(facts({ now: new Date('2026-10-05T10:00:00Z') })));
    const result = tickAll(late, {}, { from: late.from, to: late.to });
    expect(result.selection['2026-10-26']).toBeUndefined();
    expect(result.selection['2026-10-27']).toEqual(['MATIN', 'REPAS_AV', 'APRES_MIDI']);
    expect(result.skipped.map((s) => s.reason)).toContain('Délai dépassé');
  });

  it('Tout décocher cancels what was booked', () => {
    const result = untickAll(data, {}, { from: '2026-10-19', to: '2026-10-25' });
    expect(result.changed).toEqual(['2026-10-20']);
    expect(gridChanges(data, result.selection)).toEqual([
      expect.objectContaining({
        day: '2026-10-20',
        before: ['MATIN', 'APRES_MIDI'],
        after: [],
        removed: ['MATIN', 'APRES_MIDI'],
      }),
    ]);
  });

  it('expands a périodicité to the chosen weekdays of the range', () => {
    expect(expandPeriodicity({ weekdays: [1, 3], from: '2026-10-19', to: '2026-11-01' })).toEqual([
      '2026-10-19',
      '2026-10-21',
      '2026-10-26',
      '2026-10-28',
    ]);
    expect(expandPeriodicity({ weekdays: [1], from: '2026-10-20', to: '2026-10-19' })).toEqual([]);
  });

  it('applies a périodicité Monday to Friday of one week, skipping the closed Friday', () => {
    const result = applyPeriodicity(
      data,
      {},
      {
        weekdays: [1, 2, 3, 4, 5],
        from: '2026-10-19',
        to: '2026-10-25',
        units: ['MATIN', 'APRES_MIDI'],
      },
    );
    expect(result.changed).toEqual(['2026-10-19', '2026-10-21', '2026-10-22']);
    expect(result.skipped).toEqual([{ day: '2026-10-23', reason: 'Journée pédagogique' }]);
  });

  it('refuses a périodicité with a meal alone', () => {
    const result = applyPeriodicity(
      data,
      {},
      { weekdays: [1], from: data.from, to: data.to, units: ['REPAS_AV'] },
    );
    expect(result.changed).toEqual([]);
    expect(result.skipped[0]?.reason).toMatch(/seul/);
  });
});

describe('the récapitulatif', () => {
  const data = grid(buildGridDays(facts()));

  it('lists the days changed, the units added and removed, and the full ones', () => {
    const changes = gridChanges(data, {
      '2026-10-19': ['MATIN', 'APRES_MIDI'],
      '2026-10-20': ['MATIN', 'APRES_MIDI'],
      '2026-10-21': ['MATIN'],
    });
    expect(changes.map((c) => c.day)).toEqual(['2026-10-19', '2026-10-21']);
    expect(changes[0]).toMatchObject({ added: ['MATIN', 'APRES_MIDI'], full: ['MATIN'], late: false });
    expect(changes[1]!.full).toEqual(['MATIN']);
    expect(estimateCents(changes, data.unitPrices)).toBe(3 * 540);
  });

  it('applies the same days to a sibling where they can be booked', () => {
    const changes = gridChanges(data, { '2026-10-19': ['MATIN'], '2026-10-21': ['MATIN'] });
    const siblingDays = buildGridDays(
      facts({ closures: [{ start: '2026-10-21', end: '2026-10-21', label: 'Sortie' }] }),
    );
    const applied = changesForSibling(changes, grid(siblingDays), { agent: false });
    expect(applied.selection).toEqual({ '2026-10-19': ['MATIN'] });
    expect(applied.skipped).toEqual([{ day: '2026-10-21', reason: 'Sortie' }]);
  });

  it('lays weeks out from their Monday', () => {
    expect(weekStarts('2026-10-21', '2026-11-01')).toEqual(['2026-10-19', '2026-10-26']);
  });
});
