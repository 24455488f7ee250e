// A child's authorisations and health notes, and a household's QF records.
import type { QfSource } from '../schema';
import type { SeedContext } from './context';
import type { HouseholdPlan } from './household-plans';
import type { ChildInfo } from './households';
import { ALLERGIES } from './names';
import type { Rng } from './rng';

/** Authorisations and health notes of one child. */
export function seedChildCare(
  ctx: SeedContext,
  rng: Rng,
  personId: string,
  child: ChildInfo,
  level: number,
  at: string,
  forcePai: boolean,
): void {
  const schoolStart = `${ctx.startYear}-09-01`;
  const schoolEnd = `${ctx.startYear + 1}-08-31`;
  const authorisation = (
    kind: 'droit_image' | 'sortie_seul' | 'transport' | 'soins_urgence',
    granted: boolean,
    details: string | null,
  ) =>
    ctx.insert('authorisations', {
      id: ctx.id(),
      person_id: personId,
      kind,
      granted: granted ? 1 : 0,
      valid_from: schoolStart,
      valid_to: schoolEnd,
      details,
      updated_at: at,
    });
  authorisation('droit_image', rng.chance(0.85), null);
  authorisation('soins_urgence', rng.chance(0.98), null);
  authorisation('transport', rng.chance(0.6), 'Sorties en car et en minibus de la commune');
  if (level >= 6)
    authorisation('sortie_seul', rng.chance(0.35), 'Peut quitter seul(e) l’accueil du soir à 18 h');

  const note = (kind: 'allergie' | 'pai' | 'regime' | 'traitement', label: string, details: string | null) =>
    ctx.insert('health_notes', { id: ctx.id(), person_id: personId, kind, label, details, updated_at: at });
  if (child.noMeat)
    note('regime', 'Repas sans viande', 'Repas-SV à l’ALSH ; pas de porc ni de viande à la cantine.');
  if (forcePai || rng.chance(0.08)) {
    const allergen = forcePai ? 'arachide' : rng.pick(ALLERGIES);
    note('allergie', `Allergie : ${allergen}`, rng.chance(0.5) ? 'Éviction stricte.' : null);
    if (forcePai || rng.chance(0.35)) {
      note(
        'pai',
        `PAI allergie ${allergen}`,
        'Trousse d’urgence (adrénaline auto-injectable) dans le sac de l’enfant.',
      );
    }
  }
  if (rng.chance(0.02)) note('traitement', 'Asthme', 'Ventoline en cas de crise, dans le sac.');
}

/** QF records by calendar year (CAF updates each January). Returns year → value. */
export function seedQf(
  ctx: SeedContext,
  rng: Rng,
  householdId: string,
  status: HouseholdPlan['qf'],
  source: QfSource,
  calendarYear: number,
): Map<number, number> {
  const byYear = new Map<number, number>();
  if (status === 'absent') return byYear;
  const base = Math.round(Math.exp(rng.float() * 1.9 + 5.8)); // ~330 … 2 200 €
  const years = status === 'valide' ? [calendarYear - 1, calendarYear] : [calendarYear - 1];
  for (const year of years) {
    const value = year === calendarYear ? Math.round(base * (0.9 + rng.float() * 0.2)) : base;
    const created = Math.min(ctx.nowMs - 86_400_000, Date.UTC(year, 0, rng.int(5, 40), 9));
    const at = ctx.iso(created);
    ctx.insert('qf_records', {
      id: ctx.id(),
      household_id: householdId,
      value,
      source,
      valid_from: `${year}-01-01`,
      valid_to: `${year}-12-31`,
      document_id: null,
      created_at: at,
      updated_at: at,
    });
    byYear.set(year, value);
  }
  return byYear;
}
