// What can be booked in the demo town: activities, units and their rules,
// periods over the school year with their opening days, the Christmas closure,
// and dated tariff grids by QF bracket.
import type { DeadlineRule } from '../../core/booking/deadline';
import type { SchoolHolidayCode } from '../../core/calendar/school-year';
import { UNIT_LABELS, UNITS_OFFERED } from '../../core/booking/units';
import type { UnitCode } from '../../core/booking/units';
import type { ActivityKind, AgeGroup } from '../schema';
import type { SeedContext } from './context';
import { QF_BRACKETS, pricesFor, seedTariffs } from './tariffs';
import type { PriceRef } from './tariffs';
import type { SiteRef, TownSites } from './town';

export type ActivityKey =
  'mercredis' | 'petitesVacances' | 'grandesVacances' | 'restauration' | 'periMatin' | 'periSoir';

export interface UnitRef {
  id: string;
  code: UnitCode;
  label: string;
  /** Index among every unit of the town (capacity cells are addressed by it). */
  slot: number;
}

export interface PeriodRef {
  id: string;
  label: string;
  start: string;
  end: string;
  opensOn: string;
  closesOn: string | null;
  reinscriptionFrom: string;
  reinscriptionTo: string;
  /** Calendar indices of the opening days. */
  openDays: number[];
  holiday: SchoolHolidayCode | null;
}

export interface ActivityRef {
  key: ActivityKey;
  id: string;
  code: string;
  name: string;
  kind: ActivityKind;
  position: number;
  units: UnitRef[];
  unit: Partial<Record<UnitCode, UnitRef>>;
  periods: PeriodRef[];
  site: Record<AgeGroup, SiteRef>;
  /** Prices of the current school year's grid, by price code. */
  prices: Map<string, PriceRef>;
}

export interface TownActivities {
  byKey: Record<ActivityKey, ActivityRef>;
  list: ActivityRef[];
  unitCount: number;
  /** QF brackets shared by every grid: [qfMin, qfMax]. */
  brackets: readonly (readonly [number, number | null])[];
}

const times = (start: string | null, end: string | null) => ({ start, end });
const UNIT_TIMES: Record<UnitCode, { start: string | null; end: string | null }> = {
  MATIN: times('08:30', '12:00'),
  REPAS_AV: times(null, null),
  REPAS_SV: times(null, null),
  APRES_MIDI: times('13:30', '17:30'),
  REPAS: times(null, null),
  SOIR: times('16:30', '18:30'),
};

interface ActivitySpec {
  key: ActivityKey;
  code: string;
  name: string;
  kind: ActivityKind;
  description: string;
  deadline: DeadlineRule;
  sites: 'alsh' | 'restaurant';
}

const SPECS: readonly ActivitySpec[] = [
  {
    key: 'petitesVacances',
    code: 'ALSH_PV',
    name: 'ALSH Petites vacances',
    kind: 'alsh_petites_vacances',
    description:
      "Accueil de loisirs pendant les vacances de la Toussaint, de Noël, d'hiver et de printemps. Réservations possibles jusqu'à la date fixée pour chaque période (environ trois semaines avant).",
    deadline: { kind: 'days_before', days: 21 },
    sites: 'alsh',
  },
  {
    key: 'grandesVacances',
    code: 'ALSH_GV',
    name: 'ALSH Grandes vacances',
    kind: 'alsh_grandes_vacances',
    description: "Accueil de loisirs de juillet et d'août. Réservations selon le calendrier établi.",
    deadline: { kind: 'days_before', days: 21 },
    sites: 'alsh',
  },
  {
    key: 'mercredis',
    code: 'ALSH_MER',
    name: 'ALSH Mercredis',
    kind: 'alsh_mercredis',
    description: 'Accueil de loisirs du mercredi en période scolaire. Réservations au plus tard 48 h avant.',
    deadline: { kind: 'hours_before', hours: 48 },
    sites: 'alsh',
  },
  {
    key: 'restauration',
    code: 'RESTAURATION',
    name: 'Restauration scolaire',
    kind: 'restauration',
    description:
      'Repas du midi les lundis, mardis, jeudis et vendredis. Réservations au plus tard 48 h avant.',
    deadline: { kind: 'hours_before', hours: 48 },
    sites: 'restaurant',
  },
  {
    key: 'periMatin',
    code: 'PERI_MATIN',
    name: 'Accueil périscolaire du matin',
    kind: 'periscolaire_matin',
    description: 'De 7 h 30 à 8 h 30, avant la classe. Réservations 7 jours avant.',
    deadline: { kind: 'days_before', days: 7 },
    sites: 'alsh',
  },
  {
    key: 'periSoir',
    code: 'PERI_SOIR',
    name: 'Accueil périscolaire du soir',
    kind: 'periscolaire_soir',
    description: 'De 16 h 30 à 18 h 30, après la classe. Réservations 7 jours avant.',
    deadline: { kind: 'days_before', days: 7 },
    sites: 'alsh',
  },
];

/** First and last day of the Christmas closure of the ALSH (fermeture annuelle). */
export function christmasClosure(startYear: number): { start: string; end: string } {
  return { start: `${startYear}-12-24`, end: `${startYear + 1}-01-01` };
}

export function seedActivities(ctx: SeedContext, sites: TownSites): TownActivities {
  const created = Date.UTC(ctx.startYear - 1, 4, 2, 8, 0, 0);
  const createdIso = ctx.iso(created);
  const yearUpdated = ctx.iso(Date.UTC(ctx.startYear, 4, 10, 9, 0, 0));
  const cal = ctx.calendar;
  const closure = christmasClosure(ctx.startYear);
  const summer = ctx.holidays.find((h) => h.code === 'ete');
  const lastSchoolDay = summer ? summer.start : ctx.schoolYear.end;

  const isTermDay = (i: number) =>
    cal.weekday[i]! <= 5 &&
    cal.holiday[i] === null &&
    cal.publicHoliday[i] === 0 &&
    cal.days[i]! < lastSchoolDay;
  const termDays = (weekdays: readonly number[]) =>
    cal.days.map((_, i) => i).filter((i) => isTermDay(i) && weekdays.includes(cal.weekday[i]!));

  const list: ActivityRef[] = [];
  let slot = 0;
  for (const [position, spec] of SPECS.entries()) {
    const id = ctx.id();
    ctx.insert('activities', {
      id,
      code: spec.code,
      name: spec.name,
      kind: spec.kind,
      description: spec.description,
      deadline_json: JSON.stringify(spec.deadline),
      waitlist_allowed: spec.kind === 'restauration' ? 0 : 1,
      required_documents_json: JSON.stringify(
        spec.sites === 'alsh' ? ['attestation_caf', 'vaccinations'] : ['attestation_caf'],
      ),
      position,
      active: 1,
      created_at: createdIso,
      updated_at: createdIso,
    });
    const site: Record<AgeGroup, SiteRef> =
      spec.sites === 'restaurant'
        ? { maternelle: sites.restaurant, elementaire: sites.restaurant }
        : { maternelle: sites.maternelle, elementaire: sites.elementaire };
    const siteList = [...new Set([site.maternelle, site.elementaire])];
    for (const s of siteList)
      ctx.insert('activity_sites', { activity_id: id, site_id: s.id, updated_at: createdIso });

    const units: UnitRef[] = [];
    const unit: Partial<Record<UnitCode, UnitRef>> = {};
    for (const [unitPosition, code] of UNITS_OFFERED[spec.kind].entries()) {
      const ref: UnitRef = { id: ctx.id(), code, label: UNIT_LABELS[code], slot: slot++ };
      ctx.insert('units', {
        id: ref.id,
        activity_id: id,
        code,
        label: ref.label,
        position: unitPosition,
        start_time: spec.kind === 'periscolaire_matin' ? '07:30' : UNIT_TIMES[code].start,
        end_time: spec.kind === 'periscolaire_matin' ? '08:30' : UNIT_TIMES[code].end,
        updated_at: createdIso,
      });
      units.push(ref);
      unit[code] = ref;
    }
    if (unit.REPAS_AV && unit.REPAS_SV && unit.MATIN && unit.APRES_MIDI) {
      const rule = (kind: 'excludes' | 'requires_any', of: UnitRef, others: UnitRef[]) =>
        ctx.insert('unit_rules', {
          id: ctx.id(),
          activity_id: id,
          kind,
          unit_id: of.id,
          other_unit_ids_json: JSON.stringify(others.map((o) => o.id)),
          updated_at: createdIso,
        });
      rule('excludes', unit.REPAS_AV, [unit.REPAS_SV]);
      rule('excludes', unit.REPAS_SV, [unit.REPAS_AV]);
      rule('requires_any', unit.REPAS_AV, [unit.MATIN, unit.APRES_MIDI]);
      rule('requires_any', unit.REPAS_SV, [unit.MATIN, unit.APRES_MIDI]);
    }

    const periods: PeriodRef[] = [];
    const addPeriod = (p: Omit<PeriodRef, 'id' | 'start' | 'end'>) => {
      if (p.openDays.length === 0) return;
      const ref: PeriodRef = {
        ...p,
        id: ctx.id(),
        start: cal.days[p.openDays[0]!]!,
        end: cal.days[p.openDays[p.openDays.length - 1]!]!,
      };
      ctx.insert('periods', {
        id: ref.id,
        activity_id: id,
        label: ref.label,
        start_day: ref.start,
        end_day: ref.end,
        booking_opens_on: ref.opensOn,
        booking_closes_on: ref.closesOn,
        reinscription_from: ref.reinscriptionFrom,
        reinscription_to: ref.reinscriptionTo,
        updated_at: yearUpdated,
      });
      for (const s of siteList) {
        for (const i of ref.openDays) {
          ctx.insert('opening_days', {
            id: ctx.id(),
            period_id: ref.id,
            site_id: s.id,
            day: cal.days[i]!,
            updated_at: yearUpdated,
          });
        }
      }
      periods.push(ref);
    };

    const annual = (openDays: number[]) =>
      addPeriod({
        label: `Année scolaire ${ctx.schoolYear.label}`,
        opensOn: `${ctx.startYear}-07-01`,
        closesOn: null,
        reinscriptionFrom: `${ctx.startYear}-05-15`,
        reinscriptionTo: `${ctx.startYear}-06-30`,
        openDays,
        holiday: null,
      });
    if (
      spec.kind === 'restauration' ||
      spec.kind === 'periscolaire_matin' ||
      spec.kind === 'periscolaire_soir'
    ) {
      annual(termDays([1, 2, 4, 5]));
    } else if (spec.kind === 'alsh_mercredis') {
      annual(termDays([3]));
    } else {
      const codes: SchoolHolidayCode[] =
        spec.kind === 'alsh_grandes_vacances' ? ['ete'] : ['toussaint', 'noel', 'hiver', 'printemps'];
      for (const holiday of ctx.holidays.filter((h) => codes.includes(h.code))) {
        const openDays: number[] = [];
        for (let i = cal.index.get(holiday.start)!; i <= cal.index.get(holiday.end)!; i++) {
          const day = cal.days[i]!;
          const closed = holiday.code === 'noel' && day >= closure.start && day <= closure.end;
          if (cal.weekday[i]! <= 5 && cal.publicHoliday[i] === 0 && !closed) openDays.push(i);
        }
        // Booking closes on the Sunday three weeks before the holiday (a fixed date,
        // as "réservations possibles jusqu'au 11 octobre"); it opens three weeks earlier.
        const closesOn = ctx.addDays(holiday.start, -20);
        const opensOn = ctx.addDays(holiday.start, -41);
        const year =
          holiday.code === 'toussaint' || holiday.code === 'noel' ? ctx.startYear : ctx.startYear + 1;
        addPeriod({
          label: holiday.code === 'ete' ? `Grandes vacances ${year}` : `${holiday.label} ${year}`,
          opensOn,
          closesOn,
          reinscriptionFrom: ctx.addDays(opensOn, -14),
          reinscriptionTo: closesOn,
          openDays,
          holiday: holiday.code,
        });
      }
    }

    const prices = pricesFor(spec.kind);
    seedTariffs(ctx, id, spec.name, prices);
    list.push({
      key: spec.key,
      id,
      code: spec.code,
      name: spec.name,
      kind: spec.kind,
      position,
      units,
      unit,
      periods,
      site,
      prices,
    });
  }

  const alshPv = list.find((a) => a.key === 'petitesVacances')!;
  ctx.insert('closures', {
    id: ctx.id(),
    site_id: null,
    activity_id: alshPv.id,
    start_day: closure.start,
    end_day: closure.end,
    label: 'Fermeture annuelle des accueils de loisirs',
    updated_at: yearUpdated,
  });

  const byKey = Object.fromEntries(list.map((a) => [a.key, a])) as Record<ActivityKey, ActivityRef>;
  return { byKey, list, unitCount: slot, brackets: QF_BRACKETS };
}
