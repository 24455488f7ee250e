// Sizing the places of a capacity from the demand, and recording a justified absence.
import type { ActivityRef, UnitRef } from './activities';
import type { DayPlan } from './booking-plan';
import type { SeedContext } from './context';
import type { DemandeBook } from './demande-book';
import type { HouseholdInfo } from './households';
import type { TownPeople } from './town';

/**
 * Places per site, unit and age group, the same every day: a little above the
 * demand of an ordinary day, so the busiest days fill up and overflow to the
 * waiting list. The restaurant always has room. With nothing booked yet, sized
 * from how many children might come.
 */
export function sizePlaces(
  activity: ActivityRef,
  unit: UnitRef,
  demandByDay: number[],
  potential: number,
): number {
  const meal = unit.code === 'REPAS_SV';
  if (demandByDay.length === 0) {
    const share = activity.key === 'periMatin' || activity.key === 'periSoir' ? 0.8 : meal ? 0.08 : 0.5;
    return Math.max(meal ? 2 : 4, Math.ceil(potential * share));
  }
  const sorted = demandByDay.sort((x, y) => x - y);
  const max = sorted[sorted.length - 1]!;
  if (activity.key === 'restauration') return Math.ceil(max * 1.05) + 2;
  const q = sorted[Math.floor((sorted.length - 1) * 0.8)]!;
  return Math.max(meal ? 2 : 4, Math.min(max, Math.ceil(q * 1.04)));
}

export function recordAbsence(
  ctx: SeedContext,
  rng: { chance(p: number): boolean; int(a: number, b: number): number },
  demandes: DemandeBook,
  staff: TownPeople,
  h: HouseholdInfo,
  p: DayPlan,
  day: string,
  accountId: string | null,
): void {
  const createdMs = ctx.at(day, 7, rng.int(0, 59));
  const decidedMs = Math.min(ctx.nowMs - 60_000, ctx.at(ctx.addDays(day, 1), 10, rng.int(0, 120)));
  let demandeId: string | null = null;
  const comment = 'Enfant malade, certificat médical fourni.';
  if (accountId && rng.chance(0.6)) {
    demandeId = demandes.add({
      householdId: h.id,
      requesterPersonId: h.titulaireId,
      requesterAccountId: accountId,
      type: 'absence',
      subject: `Absence de ${p.child.firstName} le ${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`,
      payload: { enfant: p.child.firstName, du: day, au: day, motif: comment },
      assignedAgentId: staff.accueil.id,
      createdMs,
      then: [
        {
          status: 'traitee_positivement',
          actorKind: 'agent',
          actorId: staff.accueil.id,
          atMs: decidedMs,
          comment: 'Absence justifiée : réservation non facturée.',
        },
      ],
    }).id;
  }
  ctx.insert('absences', {
    id: ctx.id(),
    person_id: p.child.id,
    household_id: h.id,
    start_day: day,
    end_day: day,
    comment,
    justified: 1,
    charge_cancelled: 1,
    demande_id: demandeId,
    decided_by_agent_id: staff.accueil.id,
    decided_at: ctx.iso(decidedMs),
    created_at: ctx.iso(createdMs),
    updated_at: ctx.iso(decidedMs),
  });
}
