// What each child of the demo town asks for: inscriptions and, day by day, the
// units wished. A pure function of the child's own random stream, so it can be
// replayed: a first pass counts demand (to size capacities), a second books.
import type { AgeGroup, BookingSource, InscriptionStatus } from '../schema';
import type { ActivityKey, ActivityRef, PeriodRef, TownActivities, UnitRef } from './activities';
import type { SeedContext } from './context';
import type { ChildInfo, HouseholdInfo } from './households';
import { Rng } from './rng';

export interface InscriptionPlan {
  child: ChildInfo;
  household: HouseholdInfo;
  activity: ActivityRef;
  period: PeriodRef;
  status: InscriptionStatus;
  requestedMs: number;
  decidedMs: number | null;
}

export interface BatchPlan {
  child: ChildInfo;
  household: HouseholdInfo;
  activity: ActivityRef;
  period: PeriodRef;
  createdMs: number;
  source: BookingSource;
}

export interface DayPlan {
  child: ChildInfo;
  household: HouseholdInfo;
  activity: ActivityRef;
  dayIdx: number;
  units: UnitRef[];
  createdMs: number;
  source: BookingSource;
  cancelled: boolean;
  /** The inscription (pass 2) and the portal demande of the batch, if any. */
  inscriptionId: string | null;
  demandeId: string | null;
}

export interface PlanSink {
  /** A child likely to use the activity (sizes capacities before anything is booked). */
  potential(activity: ActivityRef, ageGroup: AgeGroup): void;
  /** Returns the inscription's id in the writing pass, null in the counting pass. */
  inscription(plan: InscriptionPlan): string | null;
  /** A set of days booked at once; returns the demande id of a portal batch (writing pass). */
  batch(plan: BatchPlan): string | null;
  day(plan: DayPlan): void;
  /** Present at the cantine on a day that was not booked (billed with a surcharge). */
  walkIn(child: ChildInfo, household: HouseholdInfo, activity: ActivityRef, dayIdx: number): void;
}

export interface PlanWindow {
  /** Calendar indices [from, to] in which cantine meals are booked. */
  cantine: readonly [number, number];
  /** Last calendar index up to which mercredis are booked. */
  mercredisUntil: number;
}

type Formula = 'journee' | 'matin_repas' | 'apres_midi_repas' | 'matin' | 'apres_midi' | 'journee_sans_repas';
const FORMULAS: readonly (readonly [Formula, number])[] = [
  ['journee', 62],
  ['matin_repas', 12],
  ['apres_midi_repas', 6],
  ['matin', 8],
  ['apres_midi', 6],
  ['journee_sans_repas', 6],
];

/** Probability that a child of each age group uses an activity. */
const PROPENSITY: Record<ActivityKey, Record<AgeGroup, number>> = {
  restauration: { maternelle: 0.55, elementaire: 0.68 },
  periMatin: { maternelle: 0.2, elementaire: 0.24 },
  periSoir: { maternelle: 0.3, elementaire: 0.36 },
  mercredis: { maternelle: 0.25, elementaire: 0.2 },
  petitesVacances: { maternelle: 0.3, elementaire: 0.38 },
  grandesVacances: { maternelle: 0.25, elementaire: 0.32 },
};

/** The demo households (index 0 and 1) use these activities for sure, by child position. */
const DEMO_USES: Record<number, Partial<Record<ActivityKey, readonly number[]>>> = {
  0: {
    restauration: [0, 1, 2],
    petitesVacances: [0, 1, 2],
    grandesVacances: [0, 1, 2],
    mercredis: [1, 2],
    periSoir: [2],
  },
  1: { restauration: [0, 1], petitesVacances: [0], grandesVacances: [0] },
};

export class BookingPlanner {
  private readonly seedBase: number;

  constructor(
    private readonly ctx: SeedContext,
    private readonly activities: TownActivities,
    private readonly window: PlanWindow,
  ) {
    this.seedBase = ctx.root.fork('booking-plan').u32();
  }

  /** Replays every decision of one child into `sink`. */
  planChild(household: HouseholdInfo, child: ChildInfo, position: number, sink: PlanSink): void {
    const rng = new Rng((this.seedBase + Math.imul(child.index + 1, 0x9e3779b1)) >>> 0);
    const a = this.activities.byKey;
    const demo = DEMO_USES[household.index];
    const uses = (key: ActivityKey): boolean => {
      const draw = rng.chance(PROPENSITY[key][child.ageGroup]);
      return demo ? (demo[key] ?? []).includes(position) : draw;
    };
    for (const key of ['restauration', 'periMatin', 'periSoir', 'mercredis'] as const) {
      if (uses(key)) this.annual(rng, household, child, a[key], sink, demo !== undefined);
    }
    for (const key of ['petitesVacances', 'grandesVacances'] as const) {
      if (uses(key)) this.holidays(rng, household, child, a[key], sink, demo !== undefined);
    }
  }

  private annual(
    rng: Rng,
    household: HouseholdInfo,
    child: ChildInfo,
    activity: ActivityRef,
    sink: PlanSink,
    demo: boolean,
  ): void {
    const ctx = this.ctx;
    const period = activity.periods[0];
    if (!period) return;
    sink.potential(activity, child.ageGroup);
    const roll = rng.float();
    const status: InscriptionStatus = demo || roll < 0.96 ? 'validee' : roll < 0.99 ? 'demandee' : 'refusee';
    let requestedMs = ctx.at(period.reinscriptionFrom, 9) + Math.floor(rng.float() * 45 * 86_400_000);
    let decidedMs: number | null = requestedMs + rng.int(1, 10) * 86_400_000;
    if (status === 'demandee') {
      // A late request, still waiting for an agent.
      requestedMs = ctx.nowMs - rng.int(1, 20) * 86_400_000 - rng.int(0, 8 * 3_600_000);
      decidedMs = null;
    }
    const inscriptionId = sink.inscription({
      child,
      household,
      activity,
      period,
      status,
      requestedMs,
      decidedMs,
    });
    if (status !== 'validee' || activity.key === 'periMatin' || activity.key === 'periSoir') return;

    const cal = ctx.calendar;
    const source: BookingSource = rng.chance(0.85) ? 'portal' : 'desk';
    if (activity.key === 'restauration') {
      const allDays = rng.chance(0.68);
      const pattern = new Set(allDays ? [1, 2, 4, 5] : rng.sample([1, 2, 4, 5], rng.int(2, 3)));
      const unit = activity.unit.REPAS!;
      const [from, to] = this.window.cantine;
      for (const dayIdx of period.openDays) {
        if (dayIdx < from || dayIdx > to) continue;
        const booked = pattern.has(cal.weekday[dayIdx]!) && rng.chance(0.96);
        if (!booked) {
          if (dayIdx < ctx.todayIndex && rng.chance(0.01)) sink.walkIn(child, household, activity, dayIdx);
          continue;
        }
        // Meals are booked month by month, around the 20th of the month before.
        const day = cal.days[dayIdx]!;
        const monthStart = `${day.slice(0, 8)}01`;
        const createdMs = Math.min(
          ctx.nowMs - 3_600_000,
          Math.max(
            ctx.at(period.opensOn, 9),
            ctx.at(ctx.addDays(monthStart, -11), 7) + rng.int(0, 6 * 86_400_000),
          ),
        );
        sink.day({
          child,
          household,
          activity,
          dayIdx,
          units: [unit],
          createdMs,
          source,
          cancelled: rng.chance(0.03),
          inscriptionId,
          demandeId: null,
        });
      }
      return;
    }
    // Mercredis: a weekly habit booked before the rentrée.
    const habit = rng.weighted(FORMULAS);
    const noMeatNow = child.noMeat || rng.chance(0.04);
    const createdMs = ctx.at(period.opensOn, 9) + Math.floor(rng.float() * 55 * 86_400_000);
    for (const dayIdx of period.openDays) {
      if (dayIdx > this.window.mercredisUntil) break;
      if (!rng.chance(0.82)) continue;
      const formula = rng.chance(0.88) ? habit : rng.weighted(FORMULAS);
      const units = alshUnits(activity, formula, noMeatNow);
      sink.day({
        child,
        household,
        activity,
        dayIdx,
        units,
        createdMs,
        source,
        cancelled: rng.chance(0.03),
        inscriptionId,
        demandeId: null,
      });
    }
  }

  private holidays(
    rng: Rng,
    household: HouseholdInfo,
    child: ChildInfo,
    activity: ActivityRef,
    sink: PlanSink,
    demo: boolean,
  ): void {
    const ctx = this.ctx;
    const cal = ctx.calendar;
    sink.potential(activity, child.ageGroup);
    const habit = rng.weighted(FORMULAS);
    const weekChance = activity.key === 'grandesVacances' ? 0.5 : 0.65;
    for (const period of activity.periods) {
      const wants = demo || rng.chance(0.85);
      const roll = rng.float();
      const requestFraction = rng.float();
      const batchFraction = rng.float() ** 1.6;
      const source: BookingSource = rng.chance(0.75) ? 'portal' : 'desk';
      if (!wants || period.reinscriptionFrom > ctx.today) continue;
      const from = ctx.at(period.reinscriptionFrom, 9);
      const to = Math.min(ctx.nowMs - 3_600_000, ctx.at(period.reinscriptionTo, 18));
      const requestedMs = from + Math.floor(requestFraction * Math.max(0, to - from));
      let status: InscriptionStatus = demo || roll < 0.94 ? 'validee' : roll < 0.97 ? 'demandee' : 'refusee';
      let decidedMs: number | null = requestedMs + (2 + (Math.floor(roll * 100) % 4)) * 86_400_000;
      if (decidedMs > ctx.nowMs) {
        status = 'demandee';
        decidedMs = null;
      }
      if (status === 'demandee') decidedMs = null;
      const inscriptionId = sink.inscription({
        child,
        household,
        activity,
        period,
        status,
        requestedMs,
        decidedMs,
      });
      if (status !== 'validee') continue;

      // Families book between the opening and the closing date, most of them early;
      // a batch dated after "now" has simply not been made yet.
      const opens = Math.max(ctx.at(period.opensOn, 9), decidedMs ?? 0);
      const closes = ctx.at(period.closesOn ?? period.start, 22);
      const createdMs = opens + Math.floor(batchFraction * Math.max(0, closes - opens));
      const draws = period.openDays.map(() => [rng.float(), rng.float(), rng.float(), rng.float()] as const);
      if (createdMs > ctx.nowMs) continue;
      const demandeId = sink.batch({ child, household, activity, period, createdMs, source });
      const noMeatNow = child.noMeat || rng.chance(0.04);
      let week = -1;
      let weekOn = false;
      for (const [n, dayIdx] of period.openDays.entries()) {
        const [w, d, f, c] = draws[n]!;
        const thisWeek = dayIdx - (cal.weekday[dayIdx]! - 1); // index of that week's Monday
        if (thisWeek !== week) {
          week = thisWeek;
          weekOn = demo ? true : w < weekChance;
        }
        if (!weekOn || d >= 0.85) continue;
        const formula = f < 0.85 ? habit : FORMULAS[Math.floor(((f - 0.85) / 0.15) * FORMULAS.length)]![0];
        const units = alshUnits(activity, formula, noMeatNow);
        sink.day({
          child,
          household,
          activity,
          dayIdx,
          units,
          createdMs,
          source,
          cancelled: c < 0.02,
          inscriptionId,
          demandeId,
        });
      }
    }
  }
}

function alshUnits(activity: ActivityRef, formula: Formula, noMeat: boolean): UnitRef[] {
  const u = activity.unit;
  const meal = noMeat ? u.REPAS_SV! : u.REPAS_AV!;
  switch (formula) {
    case 'journee':
      return [u.MATIN!, meal, u.APRES_MIDI!];
    case 'matin_repas':
      return [u.MATIN!, meal];
    case 'apres_midi_repas':
      return [meal, u.APRES_MIDI!];
    case 'matin':
      return [u.MATIN!];
    case 'apres_midi':
      return [u.APRES_MIDI!];
    case 'journee_sans_repas':
      return [u.MATIN!, u.APRES_MIDI!];
  }
}
