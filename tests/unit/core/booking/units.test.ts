import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALSH_KINDS } from '../../../../core/activities';
import type { ActivityKind } from '../../../../core/activities';
import { UNIT_CODES, UNITS_OFFERED, validateDayUnits } from '../../../../core/booking/units';
import type { UnitCode } from '../../../../core/booking/units';

const ALSH_UNITS: UnitCode[] = ['MATIN', 'REPAS_AV', 'REPAS_SV', 'APRES_MIDI'];

function codeOf(kind: ActivityKind, units: UnitCode[]): string {
  const result = validateDayUnits(kind, units);
  return result.ok ? `ok:${result.value}` : result.error.code;
}

describe('validateDayUnits for ALSH', () => {
  it.each(ALSH_KINDS)('accepts the four formulas of the guides for %s', (kind) => {
    expect(codeOf(kind, ['MATIN', 'REPAS_AV', 'APRES_MIDI'])).toBe('ok:journee_complete');
    expect(codeOf(kind, ['MATIN', 'REPAS_SV', 'APRES_MIDI'])).toBe('ok:journee_complete');
    expect(codeOf(kind, ['MATIN', 'REPAS_AV'])).toBe('ok:demi_journee_avec_repas');
    expect(codeOf(kind, ['APRES_MIDI', 'REPAS_SV'])).toBe('ok:demi_journee_avec_repas');
    expect(codeOf(kind, ['MATIN'])).toBe('ok:demi_journee_sans_repas');
    expect(codeOf(kind, ['APRES_MIDI'])).toBe('ok:demi_journee_sans_repas');
    expect(codeOf(kind, ['MATIN', 'APRES_MIDI'])).toBe('ok:journee_sans_repas');
  });

  it('treats an empty day as no booking', () => {
    expect(codeOf('alsh_mercredis', [])).toBe('ok:aucune');
  });

  it('refuses both meals on one day with a clear French message', () => {
    const result = validateDayUnits('alsh_petites_vacances', ['MATIN', 'REPAS_AV', 'REPAS_SV', 'APRES_MIDI']);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('UNITS_MEAL_EXCLUSIVE');
      expect(result.error.message).toBe(
        'Le repas avec viande et le repas sans viande ne peuvent pas être réservés le même jour.',
      );
    }
    expect(codeOf('alsh_mercredis', ['REPAS_AV', 'REPAS_SV'])).toBe('UNITS_MEAL_EXCLUSIVE');
  });

  it('refuses a meal alone', () => {
    expect(codeOf('alsh_grandes_vacances', ['REPAS_AV'])).toBe('UNITS_MEAL_ALONE');
    expect(codeOf('alsh_grandes_vacances', ['REPAS_SV'])).toBe('UNITS_MEAL_ALONE');
  });

  it('refuses units the ALSH does not offer, naming them in French', () => {
    const result = validateDayUnits('alsh_mercredis', ['MATIN', 'SOIR']);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('UNITS_NOT_OFFERED');
      expect(result.error.message).toContain('« Soir »');
      expect(result.error.message).toContain('ALSH mercredis');
    }
    expect(codeOf('alsh_mercredis', ['MATIN', 'REPAS', 'APRES_MIDI'])).toBe('UNITS_NOT_OFFERED');
  });

  it('refuses an unknown unit code coming from untyped input', () => {
    expect(codeOf('alsh_mercredis', ['MATIN', 'GOUTER' as UnitCode])).toBe('UNITS_UNKNOWN');
  });

  it('accepts exactly 10 of the 16 combinations of the four units', () => {
    const subsets = Array.from({ length: 16 }, (_, mask) => ALSH_UNITS.filter((_, bit) => mask & (1 << bit)));
    const valid = subsets.filter((units) => validateDayUnits('alsh_petites_vacances', units).ok);
    expect(valid).toHaveLength(10);
  });
});

describe('validateDayUnits properties', () => {
  const alshKind = fc.constantFrom(...ALSH_KINDS);
  const anyUnits = fc.array(fc.constantFrom(...UNIT_CODES), { maxLength: 8 });

  it('never accepts a day holding both meals', () => {
    fc.assert(
      fc.property(alshKind, anyUnits, (kind, units) => {
        expect(validateDayUnits(kind, [...units, 'REPAS_AV', 'REPAS_SV']).ok).toBe(false);
      }),
    );
  });

  it('always has a morning or an afternoon in a valid non-empty day', () => {
    fc.assert(
      fc.property(alshKind, anyUnits, (kind, units) => {
        if (units.length > 0 && validateDayUnits(kind, units).ok) {
          expect(units.includes('MATIN') || units.includes('APRES_MIDI')).toBe(true);
        }
      }),
    );
  });

  it('does not depend on order or duplicates', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ActivityKind>(...(Object.keys(UNITS_OFFERED) as ActivityKind[])),
        anyUnits,
        fc.func(fc.integer()),
        (kind, units, shuffleKey) => {
          const shuffled = [...units, ...units].sort((a, b) => shuffleKey(a) - shuffleKey(b));
          expect(codeOf(kind, shuffled)).toBe(codeOf(kind, units));
        },
      ),
    );
  });

  it('never accepts a unit outside those offered for the kind', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(UNITS_OFFERED) as ActivityKind[])),
        anyUnits,
        (kind, units) => {
          if (validateDayUnits(kind, units).ok) {
            expect(units.every((unit) => UNITS_OFFERED[kind].includes(unit))).toBe(true);
          }
        },
      ),
    );
  });
});

describe('validateDayUnits for other activities', () => {
  it('books the canteen by meal only', () => {
    expect(codeOf('restauration', ['REPAS'])).toBe('ok:repas');
    expect(codeOf('restauration', ['REPAS_AV'])).toBe('UNITS_NOT_OFFERED');
    expect(codeOf('restauration', ['MATIN'])).toBe('UNITS_NOT_OFFERED');
  });

  it('books the périscolaire morning and/or evening', () => {
    expect(codeOf('periscolaire', ['MATIN'])).toBe('ok:accueil_matin');
    expect(codeOf('periscolaire', ['SOIR'])).toBe('ok:accueil_soir');
    expect(codeOf('periscolaire', ['SOIR', 'MATIN'])).toBe('ok:accueil_matin_et_soir');
    expect(codeOf('periscolaire', ['APRES_MIDI'])).toBe('UNITS_NOT_OFFERED');
    expect(codeOf('periscolaire_matin', ['MATIN'])).toBe('ok:accueil_matin');
    expect(codeOf('periscolaire_matin', ['SOIR'])).toBe('UNITS_NOT_OFFERED');
    expect(codeOf('periscolaire_soir', ['SOIR'])).toBe('ok:accueil_soir');
  });

  it('books TAP as an afternoon and a séjour not by unit', () => {
    expect(codeOf('tap', ['APRES_MIDI'])).toBe('ok:tap');
    expect(codeOf('tap', ['MATIN'])).toBe('UNITS_NOT_OFFERED');
    expect(codeOf('sejour', [])).toBe('ok:aucune');
    expect(codeOf('sejour', ['MATIN'])).toBe('UNITS_NOT_OFFERED');
  });
});
