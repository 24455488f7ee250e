// Inscriptions, bookings, capacities, attendance and absences of the demo town.
// Two passes over the same plan (booking-plan.ts): the first counts what families
// ask for each (site, unit, day, age group) and sizes the places so that the town
// is busy, the second books in order — a day whose units do not all fit goes to
// the waiting list (or is refused once past) — and never exceeds a capacity.
import type { AgeGroup, AttendanceStatus, BookingState } from '../schema';
import type { TownAccounts } from './accounts';
import type { ActivityRef, TownActivities, UnitRef } from './activities';
import { BookingPlanner } from './booking-plan';
import type { DayPlan, InscriptionPlan, PlanSink } from './booking-plan';
import type { SeedContext } from './context';
import type { DemandeBook, DemandeDraft } from './demande-book';
import type { HouseholdInfo } from './households';
import { recordAbsence, sizePlaces } from './capacity-and-absences';
import { planWindow } from './months';
import type { BillingMonth } from './months';
import type { TownPeople } from './town';

export interface BillItem {
  month: string;
  childId: string;
  childName: string;
  activity: ActivityRef;
  priceCode: string;
  unit: UnitRef | null;
  quantity: number;
}

/** Household index → what it consumed in the billed months. */
export type Bills = Map<number, Map<string, BillItem>>;

const AG: Record<AgeGroup, number> = { maternelle: 0, elementaire: 1 };
const AGE_GROUPS: readonly AgeGroup[] = ['maternelle', 'elementaire'];
const DAY_MS = 86_400_000;

export function seedBookings(
  ctx: SeedContext,
  activities: TownActivities,
  households: readonly HouseholdInfo[],
  staff: TownPeople,
  accounts: TownAccounts,
  demandes: DemandeBook,
  months: readonly BillingMonth[],
): Bills {
  const cal = ctx.calendar;
  const ndays = cal.days.length;
  const cellOf = (slot: number, ag: number, day: number) => (slot * 2 + ag) * ndays + day;
  const demand = new Int32Array(activities.unitCount * 2 * ndays);
  const taken = new Int32Array(activities.unitCount * 2 * ndays);
  const places = new Int32Array(activities.unitCount * 2);
  const potential = new Map<string, number>();
  const planner = new BookingPlanner(ctx, activities, planWindow(ctx, months));
  const everyChild = (sink: PlanSink) => {
    for (const h of households)
      for (const [position, c] of h.children.entries()) planner.planChild(h, c, position, sink);
  };

  // Pass 1: demand.
  everyChild({
    potential: (a, ag) => potential.set(`${a.key}|${ag}`, (potential.get(`${a.key}|${ag}`) ?? 0) + 1),
    inscription: () => null,
    batch: () => null,
    day: (p) => {
      if (p.cancelled) return;
      const ag = AG[p.child.ageGroup];
      for (const u of p.units) demand[cellOf(u.slot, ag, p.dayIdx)]! += 1;
    },
    walkIn: () => undefined,
  });
  for (const a of activities.list) {
    for (const ageGroup of AGE_GROUPS) {
      const ag = AG[ageGroup];
      for (const u of a.units) {
        const values: number[] = [];
        for (const p of a.periods)
          for (const d of p.openDays)
            if (demand[cellOf(u.slot, ag, d)]! > 0) values.push(demand[cellOf(u.slot, ag, d)]!);
        places[u.slot * 2 + ag] = sizePlaces(a, u, values, potential.get(`${a.key}|${ageGroup}`) ?? 0);
      }
    }
  }

  // Pass 2: write.
  const att = ctx.root.fork('attendance');
  const monthSet = new Set(months.map((m) => m.month));
  const bills: Bills = new Map();
  const shared = new Map<string, DemandeDraft>();
  const insertBooking = ctx.inserter('bookings', [
    'id',
    'person_id',
    'household_id',
    'inscription_id',
    'activity_id',
    'site_id',
    'unit_id',
    'day',
    'age_group',
    'state',
    'source',
    'demande_id',
    'origin_op_id',
    'reason',
    'created_at',
    'updated_at',
  ]);
  const insertAttendance = ctx.inserter('attendance', [
    'id',
    'person_id',
    'booking_id',
    'site_id',
    'unit_id',
    'day',
    'status',
    'comment',
    'recorded_by_agent_id',
    'recorded_at',
    'updated_at',
  ]);

  const bill = (
    h: HouseholdInfo,
    p: { child: DayPlan['child']; activity: ActivityRef },
    day: string,
    priceCode: string,
    unit: UnitRef | null,
  ) => {
    const month = day.slice(0, 7);
    if (!monthSet.has(month)) return;
    let items = bills.get(h.index);
    if (!items) bills.set(h.index, (items = new Map()));
    const key = `${month}|${p.child.id}|${p.activity.code}|${priceCode}`;
    const item = items.get(key);
    if (item) item.quantity++;
    else
      items.set(key, {
        month,
        childId: p.child.id,
        childName: p.child.firstName,
        activity: p.activity,
        priceCode,
        unit,
        quantity: 1,
      });
  };

  const inscriptionDemande = (plan: InscriptionPlan, accountId: string): string => {
    const { household: h, period, activity, status } = plan;
    const annual = period.holiday === null;
    const key = `${h.index}|${annual ? 'annual' : period.id}|${status}`;
    let draft = shared.get(key);
    if (!draft) {
      const decided = plan.decidedMs;
      const agentId = decided === null ? null : staff.accueil.id;
      draft = demandes.add({
        householdId: h.id,
        requesterPersonId: h.titulaireId,
        requesterAccountId: accountId,
        type: 'inscription',
        subject: annual
          ? `Réinscription ${ctx.schoolYear.label} (restauration, accueil périscolaire, mercredis)`
          : `Inscription ${activity.name} — ${period.label}`,
        payload: { inscriptions: [] },
        assignedAgentId: agentId,
        createdMs: plan.requestedMs,
        then:
          decided === null
            ? []
            : [
                status === 'refusee'
                  ? {
                      status: 'refusee',
                      actorKind: 'agent',
                      actorId: agentId,
                      atMs: decided,
                      comment: 'Dossier incomplet : attestation CAF manquante.',
                    }
                  : {
                      status: 'traitee_positivement',
                      actorKind: 'agent',
                      actorId: agentId,
                      atMs: decided,
                      comment: 'Inscription validée.',
                    },
              ],
      });
      shared.set(key, draft);
    }
    (draft.payload.inscriptions as unknown[]).push({
      enfant: plan.child.firstName,
      activite: activity.name,
      periode: period.label,
    });
    return draft.id;
  };

  everyChild({
    potential: () => undefined,
    inscription: (plan) => {
      const id = ctx.id();
      const accountId = accounts.byHousehold.get(plan.household.index) ?? null;
      const demandeId = accountId ? inscriptionDemande(plan, accountId) : null;
      const decided = plan.decidedMs === null ? null : ctx.iso(plan.decidedMs);
      ctx.insert('inscriptions', {
        id,
        person_id: plan.child.id,
        household_id: plan.household.id,
        activity_id: plan.activity.id,
        site_id: plan.activity.site[plan.child.ageGroup].id,
        period_id: plan.period.id,
        age_group: plan.child.ageGroup,
        status: plan.status,
        demande_id: demandeId,
        requested_at: ctx.iso(plan.requestedMs),
        decided_at: decided,
        decided_by_agent_id: decided === null ? null : staff.accueil.id,
        refusal_reason: plan.status === 'refusee' ? 'Dossier incomplet : attestation CAF manquante.' : null,
        updated_at: decided ?? ctx.iso(plan.requestedMs),
      });
      return id;
    },
    batch: (plan) => {
      const accountId = accounts.byHousehold.get(plan.household.index);
      if (!accountId || plan.source !== 'portal') return null;
      const key = `${plan.household.index}|${plan.period.id}|resa`;
      let draft = shared.get(key);
      if (!draft) {
        draft = demandes.add({
          householdId: plan.household.id,
          requesterPersonId: plan.household.titulaireId,
          requesterAccountId: accountId,
          type: 'reservation',
          subject: `Réservations ${plan.activity.name} — ${plan.period.label}`,
          payload: { enfants: [] },
          assignedAgentId: null,
          createdMs: plan.createdMs,
          then: [
            {
              status: 'traitee_positivement',
              actorKind: 'systeme',
              actorId: null,
              atMs: Math.min(plan.createdMs + 60_000, ctx.nowMs),
              comment: 'Réservations enregistrées automatiquement.',
            },
          ],
        });
        shared.set(key, draft);
      }
      (draft.payload.enfants as unknown[]).push(plan.child.firstName);
      return draft.id;
    },
    day: (p) => {
      const h = p.household;
      const hasAccount = accounts.byHousehold.has(h.index);
      const day = cal.days[p.dayIdx]!;
      const ag = AG[p.child.ageGroup];
      const siteId = p.activity.site[p.child.ageGroup].id;
      const created = ctx.iso(p.createdMs);
      let state: BookingState = 'reservee';
      let reason: string | null = null;
      let updated = created;
      if (p.cancelled) {
        state = 'annulee';
        reason = 'Annulée par la famille';
        const cancelMs = Math.min(
          p.createdMs + att.int(1, 4) * DAY_MS,
          ctx.nowMs - 60_000,
          ctx.dayStartMs(day) - 3 * DAY_MS,
        );
        updated = ctx.iso(Math.max(p.createdMs, cancelMs));
      } else if (p.units.every((u) => taken[cellOf(u.slot, ag, p.dayIdx)]! < places[u.slot * 2 + ag]!)) {
        for (const u of p.units) taken[cellOf(u.slot, ag, p.dayIdx)]! += 1;
      } else if (p.dayIdx >= ctx.todayIndex && p.activity.key !== 'restauration') {
        state = 'en_attente';
        reason = "Liste d'attente : plus de place disponible ce jour-là";
      } else {
        state = 'refusee';
        reason = 'Plus de place disponible ce jour-là';
        updated = ctx.iso(Math.min(p.createdMs + DAY_MS, ctx.nowMs - 60_000));
      }
      const source = hasAccount ? p.source : 'desk';
      const ids: string[] = [];
      for (const u of p.units) {
        const id = ctx.id();
        ids.push(id);
        insertBooking([
          id,
          p.child.id,
          h.id,
          p.inscriptionId,
          p.activity.id,
          siteId,
          u.id,
          day,
          p.child.ageGroup,
          state,
          source,
          p.demandeId,
          null,
          reason,
          created,
          updated,
        ]);
      }
      if (state !== 'reservee' || p.dayIdx >= ctx.todayIndex) return;

      // Pointage of a past day, and what it costs.
      const r = att.float();
      const status: AttendanceStatus =
        r < 0.03 ? 'absent_justifie' : r < 0.06 ? 'absent_non_justifie' : 'present';
      const late = r >= 0.06 && r < 0.075 && p.units.some((u) => u.code === 'APRES_MIDI');
      const recorded = ctx.iso(ctx.at(day, 18, att.int(0, 50)));
      if (status === 'absent_justifie')
        recordAbsence(
          ctx,
          att,
          demandes,
          staff,
          h,
          p,
          day,
          hasAccount ? accounts.byHousehold.get(h.index)! : null,
        );
      for (const [i, u] of p.units.entries()) {
        const unitStatus: AttendanceStatus = late && u.code === 'APRES_MIDI' ? 'retard' : status;
        const comment = unitStatus === 'retard' ? 'Parents arrivés après la fermeture (18 h 40)' : null;
        insertAttendance([
          ctx.id(),
          p.child.id,
          ids[i],
          siteId,
          u.id,
          day,
          unitStatus,
          comment,
          staff.accueil.id,
          recorded,
          recorded,
        ]);
        if (status !== 'absent_justifie') bill(h, p, day, u.code, u);
      }
      if (late) bill(h, p, day, 'AMENDE_RETARD', null);
    },
    walkIn: (child, h, activity, dayIdx) => {
      const day = cal.days[dayIdx]!;
      const unit = activity.unit.REPAS!;
      const recorded = ctx.iso(ctx.at(day, 14, att.int(0, 30)));
      insertAttendance([
        ctx.id(),
        child.id,
        null,
        activity.site[child.ageGroup].id,
        unit.id,
        day,
        'present_sans_reservation',
        'Repas pris sans réservation',
        staff.accueil.id,
        recorded,
        recorded,
      ]);
      bill(h, { child, activity }, day, 'REPAS_NON_RESERVE', unit);
    },
  });

  // Capacities, with what the bookings above took.
  const capacityUpdated = ctx.iso(Date.UTC(ctx.startYear, 5, 25, 9));
  for (const a of activities.list) {
    for (const ageGroup of AGE_GROUPS) {
      const ag = AG[ageGroup];
      const siteId = a.site[ageGroup].id;
      for (const p of a.periods) {
        for (const d of p.openDays) {
          for (const u of a.units) {
            ctx.insert('capacities', {
              id: ctx.id(),
              site_id: siteId,
              activity_id: a.id,
              unit_id: u.id,
              day: cal.days[d]!,
              age_group: ageGroup,
              places: places[u.slot * 2 + ag]!,
              taken: taken[cellOf(u.slot, ag, d)]!,
              updated_at: capacityUpdated,
            });
          }
        }
      }
    }
  }
  return bills;
}
