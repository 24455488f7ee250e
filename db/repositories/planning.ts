/**
 * Inscriptions and absences (planning): what the desk's family tab lists (children, their inscriptions and
 * absences, the household's documents), the activity catalogue an agent registers a child to, and the reads
 * and writes the commands `inscription.create`, `inscription.decide` and `absence.record` share on the desk
 * and on the server. Synchronous better-sqlite3 statements, prepared once per connection.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { canChangeBooking } from '../../core/booking/deadline';
import type { DeadlineRule } from '../../core/booking/deadline';
import { DomainError } from '../../core/errors';
import type { AgeGroup, InscriptionFacts, InscriptionStatus } from '../../core/inscriptions';
import { deadlineRuleOf } from './booking-grid';
import { preparedFor } from './sync-server';

export interface ChildRow {
  id: string;
  first_names: string;
  usage_last_name: string;
  birth_date: string | null;
  school_level: AgeGroup | null;
  class_level: string | null;
  no_meat: number;
}

export interface InscriptionListRow {
  id: string;
  person_id: string;
  activity_id: string;
  activity_name: string;
  activity_kind: string;
  site_id: string;
  site_name: string;
  period_id: string;
  period_label: string;
  start_day: string;
  end_day: string;
  age_group: AgeGroup;
  status: InscriptionStatus;
  demande_id: string | null;
  requested_at: string;
  decided_at: string | null;
  refusal_reason: string | null;
}

export interface AbsenceListRow {
  id: string;
  person_id: string;
  start_day: string;
  end_day: string;
  comment: string | null;
  justified: number;
  charge_cancelled: number;
  document_id: string | null;
  document_title: string | null;
  created_at: string;
}

export interface CatalogActivityRow {
  id: string;
  name: string;
  kind: string;
  required_documents_json: string;
}

export interface CatalogSiteRow {
  activity_id: string;
  id: string;
  name: string;
  kind: string;
}

export interface CatalogPeriodRow {
  id: string;
  activity_id: string;
  label: string;
  start_day: string;
  end_day: string;
}

export interface DocumentRow {
  id: string;
  person_id: string | null;
  qualification: string;
  title: string;
  valid_until: string | null;
  created_at: string;
}

export interface InscriptionWrite {
  id: string;
  personId: string;
  householdId: string;
  activityId: string;
  siteId: string;
  periodId: string;
  ageGroup: AgeGroup;
  status: 'validee' | 'demandee';
  requestedAt: string;
  decidedAt: string | null;
  decidedByAgentId: string | null;
  at: string;
}

export interface AbsenceWrite {
  id: string;
  personId: string;
  householdId: string;
  from: string;
  to: string;
  comment: string | null;
  justified: boolean;
  chargeCancelled: boolean;
  documentId: string | null;
  agentId: string | null;
  at: string;
}

/** A child's active booking on a day of an absence, with what decides whether it can still be cancelled. */
export interface AbsenceBookingRow {
  id: string;
  day: string;
  state: 'reservee' | 'en_attente';
  activity_id: string;
  activity_name: string;
  deadline_json: string;
  site_id: string;
  unit_id: string;
  unit_code: string;
  age_group: AgeGroup;
  household_id: string;
}

export const planningStatements = preparedFor((sqlite) => {
  const p = (sql: string): BetterSqlite3.Statement => sqlite.prepare(sql);
  return {
    household: p('SELECT id, code FROM households WHERE id = ?'),
    children: p(
      `SELECT p.id, p.first_names, p.usage_last_name, p.birth_date, p.school_level, p.class_level,
              EXISTS (SELECT 1 FROM health_notes n WHERE n.person_id = p.id AND n.kind = 'regime'
                        AND n.label LIKE '%sans viande%') AS no_meat
         FROM household_members m JOIN persons p ON p.id = m.person_id
        WHERE m.household_id = ? AND m.role = 'enfant'
        ORDER BY m.position, p.birth_date, p.id`,
    ),
    inscriptionsOfHousehold: p(
      `SELECT i.id, i.person_id, i.activity_id, a.name AS activity_name, a.kind AS activity_kind,
              i.site_id, s.name AS site_name, i.period_id, pe.label AS period_label, pe.start_day, pe.end_day,
              i.age_group, i.status, i.demande_id, i.requested_at, i.decided_at, i.refusal_reason
         FROM inscriptions i JOIN activities a ON a.id = i.activity_id JOIN sites s ON s.id = i.site_id
         JOIN periods pe ON pe.id = i.period_id
        WHERE i.household_id = ?
        ORDER BY pe.start_day, a.position, i.id`,
    ),
    absencesOfHousehold: p(
      `SELECT ab.id, ab.person_id, ab.start_day, ab.end_day, ab.comment, ab.justified, ab.charge_cancelled,
              ab.document_id, d.title AS document_title, ab.created_at
         FROM absences ab LEFT JOIN documents d ON d.id = ab.document_id
        WHERE ab.household_id = ?
        ORDER BY ab.start_day DESC, ab.id DESC`,
    ),
    documentsOfHousehold: p(
      `SELECT id, person_id, qualification, title, valid_until, created_at FROM documents
        WHERE household_id = ? AND space = 'famille' ORDER BY created_at DESC, id`,
    ),
    documentsOnFile: p(
      `SELECT DISTINCT qualification FROM documents
        WHERE household_id = ? AND space = 'famille' AND (person_id IS NULL OR person_id = ?)
          AND (valid_until IS NULL OR valid_until >= ?)`,
    ).pluck(),
    document: p('SELECT id, household_id, space, title FROM documents WHERE id = ?'),
    catalogActivities: p(
      `SELECT id, name, kind, required_documents_json FROM activities WHERE active = 1 ORDER BY position, name`,
    ),
    catalogSites: p(
      `SELECT x.activity_id, s.id, s.name, s.kind FROM activity_sites x JOIN sites s ON s.id = x.site_id
        WHERE s.active = 1 ORDER BY s.name`,
    ),
    catalogPeriods: p(
      `SELECT id, activity_id, label, start_day, end_day FROM periods WHERE end_day >= ? ORDER BY start_day, id`,
    ),
    person: p('SELECT id, first_names, usage_last_name, birth_date, school_level FROM persons WHERE id = ?'),
    childHousehold: p(
      `SELECT household_id FROM household_members WHERE person_id = ? AND role = 'enfant'
        ORDER BY household_id LIMIT 1`,
    ).pluck(),
    activity: p('SELECT id, name, kind, required_documents_json FROM activities WHERE id = ?'),
    site: p('SELECT id, name, kind FROM sites WHERE id = ?'),
    activitySite: p('SELECT 1 FROM activity_sites WHERE activity_id = ? AND site_id = ?').pluck(),
    period: p('SELECT id, activity_id, label, start_day, end_day FROM periods WHERE id = ?'),
    inscription: p('SELECT * FROM inscriptions WHERE id = ?'),
    existingInscription: p(
      `SELECT id, status FROM inscriptions
        WHERE person_id = ? AND activity_id = ? AND period_id = ? AND status <> 'refusee'
        ORDER BY id LIMIT 1`,
    ),
    insertInscription: p(
      `INSERT INTO inscriptions (id, person_id, household_id, activity_id, site_id, period_id, age_group, status,
         demande_id, requested_at, decided_at, decided_by_agent_id, refusal_reason, updated_at)
       VALUES (@id, @personId, @householdId, @activityId, @siteId, @periodId, @ageGroup, @status,
         NULL, @requestedAt, @decidedAt, @decidedByAgentId, NULL, @at)`,
    ),
    decideInscription: p(
      `UPDATE inscriptions SET status = ?, decided_at = ?, decided_by_agent_id = ?, refusal_reason = ?, updated_at = ?
        WHERE id = ?`,
    ),
    absence: p('SELECT * FROM absences WHERE id = ?'),
    insertAbsence: p(
      `INSERT INTO absences (id, person_id, household_id, start_day, end_day, comment, justified, charge_cancelled,
         demande_id, decided_by_agent_id, decided_at, created_at, updated_at, document_id)
       VALUES (@id, @personId, @householdId, @from, @to, @comment, @justified, @chargeCancelled,
         NULL, @agentId, @at, @at, @at, @documentId)`,
    ),
    activeBookingsBetween: p(
      `SELECT b.id, b.day, b.state, b.activity_id, a.name AS activity_name, a.deadline_json, b.site_id, b.unit_id,
              u.code AS unit_code, b.age_group, b.household_id
         FROM bookings b JOIN activities a ON a.id = b.activity_id JOIN units u ON u.id = b.unit_id
        WHERE b.person_id = ? AND b.day BETWEEN ? AND ? AND b.state IN ('reservee', 'en_attente')
        ORDER BY b.day, a.position, u.position`,
    ),
    liveOpPayloads: p(
      `SELECT command, payload_json FROM outbox
        WHERE settled_at IS NULL AND household_id = ? AND command IN (${["'inscription.create'", "'inscription.decide'", "'absence.record'"].join(', ')})`,
    ),
  };
});

export type PlanningStatements = ReturnType<typeof planningStatements>;

export function insertInscription(sqlite: BetterSqlite3.Database, row: InscriptionWrite): void {
  planningStatements(sqlite).insertInscription.run(row);
}

export function insertAbsence(sqlite: BetterSqlite3.Database, row: AbsenceWrite): void {
  planningStatements(sqlite).insertAbsence.run({
    ...row,
    justified: row.justified ? 1 : 0,
    chargeCancelled: row.chargeCancelled ? 1 : 0,
  });
}

/** What an inscription is checked against (core `checkInscription`), read from the store. */
export function loadInscriptionFacts(
  sqlite: BetterSqlite3.Database,
  input: {
    personId: string;
    activityId: string;
    siteId: string;
    periodId: string;
    status: 'validee' | 'demandee';
    overrideReason?: string | undefined;
  },
  today: string,
): { facts: InscriptionFacts; householdId: string } | DomainError {
  const q = planningStatements(sqlite);
  const person = q.person.get(input.personId) as
    | {
        id: string;
        first_names: string;
        usage_last_name: string;
        birth_date: string | null;
        school_level: AgeGroup | null;
      }
    | undefined;
  const householdId = q.childHousehold.get(input.personId) as string | undefined;
  if (!person || !householdId)
    return new DomainError('PERSON_NOT_FOUND', 'Enfant introuvable dans une famille.');
  const activity = q.activity.get(input.activityId) as CatalogActivityRow | undefined;
  if (!activity) return new DomainError('ACTIVITY_NOT_FOUND', "Cette activité n'existe pas ou plus.");
  const site = q.site.get(input.siteId) as { id: string; name: string; kind: string } | undefined;
  if (!site || q.activitySite.get(activity.id, site.id) === undefined) {
    return new DomainError('SITE_NOT_OFFERED', `Ce lieu ne propose pas « ${activity.name} ».`);
  }
  const period = q.period.get(input.periodId) as CatalogPeriodRow | undefined;
  if (!period || period.activity_id !== activity.id) {
    return new DomainError('PERIOD_NOT_FOUND', `Cette période n'existe pas pour « ${activity.name} ».`);
  }
  const existing = q.existingInscription.get(person.id, activity.id, period.id) as
    { id: string; status: InscriptionStatus } | undefined;
  const firstName = person.first_names.split(' ')[0] ?? person.first_names;
  return {
    householdId,
    facts: {
      child: { firstName, birthDate: person.birth_date, schoolLevel: person.school_level },
      activity: { name: activity.name, requiredDocuments: parseCodes(activity.required_documents_json) },
      site: { name: site.name, kind: site.kind },
      period: { label: period.label, start: period.start_day, end: period.end_day },
      today,
      existing: existing ? { status: existing.status } : null,
      documentsOnFile: q.documentsOnFile.all(householdId, person.id, period.start_day) as string[],
      status: input.status,
      overrideReason: input.overrideReason ?? null,
    },
  };
}

function parseCodes(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The activity's required documents (qualification codes). */
export function requiredDocumentsOf(activity: { required_documents_json: string }): string[] {
  return parseCodes(activity.required_documents_json);
}

/**
 * What an absence does to the child's active bookings between two days, judged at `now`: those still in time
 * are cancelled; those past the deadline stay (their charge follows the absence's decision).
 */
export function absenceBookings(
  sqlite: BetterSqlite3.Database,
  personId: string,
  from: string,
  to: string,
  now: Date,
): { cancel: AbsenceBookingRow[]; keep: AbsenceBookingRow[] } {
  const rows = planningStatements(sqlite).activeBookingsBetween.all(
    personId,
    from,
    to,
  ) as AbsenceBookingRow[];
  const cancel: AbsenceBookingRow[] = [];
  const keep: AbsenceBookingRow[] = [];
  const rules = new Map<string, DeadlineRule | null>();
  for (const row of rows) {
    let rule = rules.get(row.activity_id);
    if (rule === undefined) {
      rule = deadlineRuleOf({ name: row.activity_name, deadline_json: row.deadline_json });
      rules.set(row.activity_id, rule);
    }
    if (rule === null || canChangeBooking(rule, row.day, now).ok) cancel.push(row);
    else keep.push(row);
  }
  return { cancel, keep };
}
