/**
 * Booking units (what can be ticked for a child on a day) and the rules that
 * say which combinations make a valid day, per activity kind.
 *
 * ALSH (from the towns' guides): a day = matin + one repas + après-midi; a
 * half-day with meal = matin or après-midi + one repas; a half-day without meal
 * = matin or après-midi; a full day without meal = matin + après-midi. Repas-AV
 * and Repas-SV exclude each other; a meal alone is refused.
 */
import { ACTIVITY_KIND_LABELS, isAlshKind } from '../activities';
import type { ActivityKind } from '../activities';
import { err, ok } from '../errors';
import type { Result } from '../errors';

export const UNIT_CODES = ['MATIN', 'REPAS_AV', 'REPAS_SV', 'APRES_MIDI', 'REPAS', 'SOIR'] as const;

export type UnitCode = (typeof UNIT_CODES)[number];

/** Short labels, as on the booking grid. */
export const UNIT_LABELS: Readonly<Record<UnitCode, string>> = {
  MATIN: 'Matin',
  REPAS_AV: 'Repas-AV',
  REPAS_SV: 'Repas-SV',
  APRES_MIDI: 'Après-Midi',
  REPAS: 'Repas',
  SOIR: 'Soir',
};

/** Long labels, for recaps, invoices and messages. */
export const UNIT_LONG_LABELS: Readonly<Record<UnitCode, string>> = {
  MATIN: 'Matin',
  REPAS_AV: 'Repas avec viande',
  REPAS_SV: 'Repas sans viande',
  APRES_MIDI: 'Après-midi',
  REPAS: 'Repas',
  SOIR: 'Soir',
};

/**
 * Units offered per kind, in grid order. TAP is booked as an afternoon; a séjour
 * is booked as a whole (no daily units), so any unit is refused for it.
 */
export const UNITS_OFFERED: Readonly<Record<ActivityKind, readonly UnitCode[]>> = {
  alsh_petites_vacances: ['MATIN', 'REPAS_AV', 'REPAS_SV', 'APRES_MIDI'],
  alsh_grandes_vacances: ['MATIN', 'REPAS_AV', 'REPAS_SV', 'APRES_MIDI'],
  alsh_mercredis: ['MATIN', 'REPAS_AV', 'REPAS_SV', 'APRES_MIDI'],
  periscolaire: ['MATIN', 'SOIR'],
  periscolaire_matin: ['MATIN'],
  periscolaire_soir: ['SOIR'],
  restauration: ['REPAS'],
  tap: ['APRES_MIDI'],
  sejour: [],
};

export const DAY_FORMULAS = [
  'aucune',
  'journee_complete',
  'journee_sans_repas',
  'demi_journee_avec_repas',
  'demi_journee_sans_repas',
  'repas',
  'accueil_matin',
  'accueil_soir',
  'accueil_matin_et_soir',
  'tap',
] as const;

/** What a day's set of units amounts to. */
export type DayFormula = (typeof DAY_FORMULAS)[number];

export const DAY_FORMULA_LABELS: Readonly<Record<DayFormula, string>> = {
  aucune: 'Aucune réservation',
  journee_complete: 'Journée complète avec repas',
  journee_sans_repas: 'Journée complète sans repas',
  demi_journee_avec_repas: 'Demi-journée avec repas',
  demi_journee_sans_repas: 'Demi-journée sans repas',
  repas: 'Repas',
  accueil_matin: 'Accueil du matin',
  accueil_soir: 'Accueil du soir',
  accueil_matin_et_soir: 'Accueil du matin et du soir',
  tap: 'TAP',
};

export function isUnitCode(value: unknown): value is UnitCode {
  return typeof value === 'string' && (UNIT_CODES as readonly string[]).includes(value);
}

const quoted = (units: readonly string[]): string => units.map((unit) => `« ${unit} »`).join(', ');

/**
 * Checks one child's units for one day of an activity. Order and duplicates do
 * not matter; the empty set is valid and means "no booking" (formula `aucune`).
 */
export function validateDayUnits(activityKind: ActivityKind, units: readonly UnitCode[]): Result<DayFormula> {
  const unknown = units.filter((unit) => !isUnitCode(unit));
  if (unknown.length > 0) {
    return err('UNITS_UNKNOWN', `Unité inconnue : ${quoted(unknown)}.`, { units: unknown });
  }
  const chosen = new Set(units);
  const offered = UNITS_OFFERED[activityKind];
  const notOffered = [...chosen].filter((unit) => !offered.includes(unit));
  if (notOffered.length > 0) {
    const activity = ACTIVITY_KIND_LABELS[activityKind];
    const labels = quoted(notOffered.map((unit) => UNIT_LABELS[unit]));
    const message =
      notOffered.length === 1
        ? `L'unité ${labels} n'est pas proposée pour l'activité « ${activity} ».`
        : `Les unités ${labels} ne sont pas proposées pour l'activité « ${activity} ».`;
    return err('UNITS_NOT_OFFERED', message, { activityKind, units: notOffered });
  }
  if (chosen.size === 0) return ok('aucune');
  if (isAlshKind(activityKind)) return alshFormula(chosen);
  return otherFormula(activityKind, chosen);
}

function alshFormula(chosen: ReadonlySet<UnitCode>): Result<DayFormula> {
  const morning = chosen.has('MATIN');
  const afternoon = chosen.has('APRES_MIDI');
  const withMeat = chosen.has('REPAS_AV');
  const withoutMeat = chosen.has('REPAS_SV');
  if (withMeat && withoutMeat) {
    return err(
      'UNITS_MEAL_EXCLUSIVE',
      'Le repas avec viande et le repas sans viande ne peuvent pas être réservés le même jour.',
    );
  }
  const meal = withMeat || withoutMeat;
  if (meal && !morning && !afternoon) {
    return err(
      'UNITS_MEAL_ALONE',
      "Un repas ne peut pas être réservé seul : cochez aussi le matin ou l'après-midi.",
    );
  }
  if (morning && afternoon) return ok(meal ? 'journee_complete' : 'journee_sans_repas');
  return ok(meal ? 'demi_journee_avec_repas' : 'demi_journee_sans_repas');
}

/** Non-ALSH kinds: the set is non-empty and only holds offered units. */
function otherFormula(activityKind: ActivityKind, chosen: ReadonlySet<UnitCode>): Result<DayFormula> {
  if (activityKind === 'restauration') return ok('repas');
  if (activityKind === 'tap') return ok('tap');
  if (chosen.has('MATIN') && chosen.has('SOIR')) return ok('accueil_matin_et_soir');
  return ok(chosen.has('MATIN') ? 'accueil_matin' : 'accueil_soir');
}
