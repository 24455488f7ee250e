// Desk backend handlers for the planning commands of the contract: the booking grid (read, and a validated
// grid written as one booking.set_day op per child-day in one transaction), inscriptions and absences.
import { parisDay } from '../../../core/calendar/paris';
import { DomainError } from '../../../core/errors';
import { newId } from '../../../core/ids';
import {
  ageGroupFor,
  checkInscription,
  qualificationLabel,
  schoolYearStartOf,
  siteAgeGroups,
} from '../../../core/inscriptions';
import type { AgeGroup } from '../../../core/inscriptions';
import type { UnitCode } from '../../../core/booking/units';
import { loadBookingGrid } from '../../../db/repositories/booking-grid';
import {
  absenceBookings,
  loadInscriptionFacts,
  planningStatements,
  requiredDocumentsOf,
} from '../../../db/repositories/planning';
import type {
  AbsenceBookingRow,
  AbsenceListRow,
  CatalogActivityRow,
  CatalogPeriodRow,
  CatalogSiteRow,
  ChildRow,
  DocumentRow,
  InscriptionListRow,
} from '../../../db/repositories/planning';
import type { BookingStateDto, BookingUnitState } from '../../contract';
import type {
  AbsenceBookingItem,
  CatalogActivity,
  PlanningApi,
  PlanningChild,
  PlanningHousehold,
} from '../../contract/planning';
import type { DeskStore } from '../desk-store';
import type { FeatureHandlers, HandlerDeps } from '../handler-deps';

/** At most this many child-days in one validated grid (two months for four siblings). */
const MAX_SET_DAYS = 400;

export function createPlanningHandlers(deps: HandlerDeps): FeatureHandlers<PlanningApi> {
  const { session, changed, now } = deps;
  return {
    'booking/grid': async (args) => loadBookingGrid(session().store.sqlite, args, now()),

    'booking/set-days': async ({ activityId, items, overrideReason }) => {
      if (items.length === 0) return { written: 0, days: [] };
      if (items.length > MAX_SET_DAYS) {
        throw new DomainError('TOO_MANY_DAYS', `Au plus ${MAX_SET_DAYS} jours par validation.`);
      }
      const { store, commands } = session();
      const reason = overrideReason?.trim() ? overrideReason.trim() : undefined;
      const writes = store.transaction(() =>
        items.map((item) =>
          commands.setDay({
            personId: item.personId,
            activityId,
            siteId: item.siteId,
            day: item.day,
            units: item.units,
            ...(reason === undefined ? {} : { overrideReason: reason }),
          }),
        ),
      );
      const written = writes.filter((w) => w !== null).length;
      if (written > 0) changed(true);
      const live = new Set(store.outbox.live().map((op) => op.op_id));
      const units = new Map(store.bookings.units(activityId).map((u) => [u.id, u.code as UnitCode]));
      return {
        written,
        days: items.map((item, i) => ({
          personId: item.personId,
          day: item.day,
          opId: writes[i]?.opId ?? null,
          units: store.bookings
            .bookingsOfDay(item.personId, activityId, item.day)
            .filter((b) => units.has(b.unit_id))
            .map((b): BookingUnitState => ({
              unit: units.get(b.unit_id) as UnitCode,
              state: b.state as BookingStateDto,
              pending: b.origin_op_id !== null && live.has(b.origin_op_id),
            })),
        })),
      };
    },

    'planning/household': async ({ householdId }) => household(session().store, householdId, now()),

    'planning/catalog': async () => catalog(session().store, parisDay(now())),

    'inscription/check': async (args) => {
      const { store } = session();
      const loaded = loadInscriptionFacts(store.sqlite, { ...args, status: 'demandee' }, parisDay(now()));
      if (!('facts' in loaded)) return { ageGroup: null, missingDocuments: [], problem: problemOf(loaded) };
      const { facts } = loaded;
      const onFile = new Set(facts.documentsOnFile);
      const missingDocuments = facts.activity.requiredDocuments
        .filter((code) => !onFile.has(code))
        .map((code) => ({ code, label: qualificationLabel(code) }));
      const check = checkInscription(facts);
      const group = ageGroupFor(facts.child, schoolYearStartOf(facts.period.start));
      return {
        ageGroup: check.ok ? check.value.ageGroup : group.ok ? group.value : null,
        missingDocuments,
        problem: check.ok ? null : problemOf(check.error),
      };
    },

    'inscription/create': async (args) => {
      const { commands } = session();
      const write = commands.planning('inscription.create', {
        inscriptionId: newId(),
        personId: args.personId,
        activityId: args.activityId,
        siteId: args.siteId,
        periodId: args.periodId,
        status: args.status,
        ...(args.overrideReason?.trim() ? { overrideReason: args.overrideReason.trim() } : {}),
      });
      changed(true);
      const { store } = session();
      const loaded = loadInscriptionFacts(store.sqlite, { ...args, status: 'demandee' }, parisDay(now()));
      const onFile = 'facts' in loaded ? new Set(loaded.facts.documentsOnFile) : new Set<string>();
      const required = 'facts' in loaded ? loaded.facts.activity.requiredDocuments : [];
      return {
        opId: write.opId,
        inscriptionId: write.payload.inscriptionId,
        missingDocuments: required.filter((code) => !onFile.has(code)),
      };
    },

    'inscription/decide': async ({ inscriptionId, decision, reason }) => {
      const write = session().commands.planning('inscription.decide', {
        inscriptionId,
        decision,
        ...(reason?.trim() ? { reason: reason.trim() } : {}),
      });
      changed(true);
      return { opId: write.opId };
    },

    'absence/preview': async ({ personId, from, to }) => {
      const { cancel, keep } = absenceBookings(session().store.sqlite, personId, from, to, now());
      return { cancelled: byDay(cancel), kept: byDay(keep) };
    },

    'absence/record': async (args) => {
      const { store, commands } = session();
      const { cancel, keep } = absenceBookings(store.sqlite, args.personId, args.from, args.to, now());
      const write = commands.planning('absence.record', {
        absenceId: newId(),
        personId: args.personId,
        from: args.from,
        to: args.to,
        justified: args.justified,
        chargeCancelled: args.chargeCancelled,
        ...(args.comment?.trim() ? { comment: args.comment.trim() } : {}),
        ...(args.documentId ? { documentId: args.documentId } : {}),
      });
      changed(true);
      return {
        opId: write.opId,
        absenceId: write.payload.absenceId,
        cancelled: byDay(cancel).length,
        kept: byDay(keep).length,
      };
    },
  };
}

function problemOf(error: DomainError): { code: string; message: string } {
  return { code: error.code, message: error.message };
}

/** Bookings grouped by day and activity, units in order. */
function byDay(rows: readonly AbsenceBookingRow[]): AbsenceBookingItem[] {
  const items = new Map<string, AbsenceBookingItem>();
  for (const row of rows) {
    const key = `${row.day}|${row.activity_id}`;
    const item = items.get(key) ?? { day: row.day, activityName: row.activity_name, units: [] };
    item.units.push(row.unit_code as UnitCode);
    items.set(key, item);
  }
  return [...items.values()];
}

/** Ids the desk's undecided planning ops wrote (inscriptions, decisions, absences) for the household. */
function pendingIds(store: DeskStore, householdId: string): Set<string> {
  const ids = new Set<string>();
  const rows = planningStatements(store.sqlite).liveOpPayloads.all(householdId) as {
    command: string;
    payload_json: string;
  }[];
  for (const row of rows) {
    const payload = JSON.parse(row.payload_json) as { inscriptionId?: string; absenceId?: string };
    if (payload.inscriptionId) ids.add(payload.inscriptionId);
    if (payload.absenceId) ids.add(payload.absenceId);
  }
  return ids;
}

function household(store: DeskStore, householdId: string, now: Date): PlanningHousehold {
  const q = planningStatements(store.sqlite);
  const found = q.household.get(householdId) as { id: string; code: string } | undefined;
  if (!found) throw new DomainError('HOUSEHOLD_NOT_FOUND', 'Famille introuvable sur ce poste.');
  const pending = pendingIds(store, householdId);
  const inscriptions = q.inscriptionsOfHousehold.all(householdId) as InscriptionListRow[];
  const absences = q.absencesOfHousehold.all(householdId) as AbsenceListRow[];
  const children = (q.children.all(householdId) as ChildRow[]).map((c): PlanningChild => ({
    id: c.id,
    firstName: c.first_names,
    lastName: c.usage_last_name,
    birthDate: c.birth_date,
    schoolLevel: c.school_level,
    classLevel: c.class_level,
    noMeat: c.no_meat === 1,
    inscriptions: inscriptions
      .filter((i) => i.person_id === c.id)
      .map((i) => ({
        id: i.id,
        activityId: i.activity_id,
        activityName: i.activity_name,
        activityKind: i.activity_kind,
        siteId: i.site_id,
        siteName: i.site_name,
        periodId: i.period_id,
        periodLabel: i.period_label,
        start: i.start_day,
        end: i.end_day,
        ageGroup: i.age_group,
        status: i.status,
        fromPortal: i.demande_id !== null,
        requestedAt: i.requested_at,
        decidedAt: i.decided_at,
        refusalReason: i.refusal_reason,
        pending: pending.has(i.id),
      })),
    absences: absences
      .filter((a) => a.person_id === c.id)
      .map((a) => ({
        id: a.id,
        from: a.start_day,
        to: a.end_day,
        comment: a.comment,
        justified: a.justified === 1,
        chargeCancelled: a.charge_cancelled === 1,
        documentTitle: a.document_title,
        createdAt: a.created_at,
        pending: pending.has(a.id),
      })),
  }));
  const documents = (q.documentsOfHousehold.all(householdId) as DocumentRow[]).map((d) => ({
    id: d.id,
    title: d.title,
    qualification: d.qualification,
    qualificationLabel: qualificationLabel(d.qualification),
    personId: d.person_id,
    validUntil: d.valid_until,
  }));
  return { householdId, code: found.code, children, documents, today: parisDay(now) };
}

function catalog(store: DeskStore, today: string): CatalogActivity[] {
  const q = planningStatements(store.sqlite);
  const sites = q.catalogSites.all() as CatalogSiteRow[];
  const periods = q.catalogPeriods.all(today) as CatalogPeriodRow[];
  return (q.catalogActivities.all() as CatalogActivityRow[]).map((a) => ({
    id: a.id,
    name: a.name,
    kind: a.kind,
    requiredDocuments: requiredDocumentsOf(a).map((code) => ({ code, label: qualificationLabel(code) })),
    sites: sites
      .filter((s) => s.activity_id === a.id)
      .map((s) => ({
        id: s.id,
        name: s.name,
        kind: s.kind,
        ageGroups: [...siteAgeGroups(s.kind)] as AgeGroup[],
      })),
    periods: periods
      .filter((p) => p.activity_id === a.id)
      .map((p) => ({ id: p.id, label: p.label, start: p.start_day, end: p.end_day })),
  }));
}
