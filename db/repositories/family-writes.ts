/**
 * SQL of the family-file commands (household.create / update / issue_access_key), as synchronous
 * better-sqlite3 statements run inside the caller's transaction, on a desk's replica and on the server alike.
 *
 * Every write goes through a RowSink: `before` lets the desk capture its undo record, `after` lets the server
 * append its change row. Rows touched are reported by table and primary key (composite keys in key order).
 * The derived search columns (households.search_text / sort_name, persons.search_text) are refreshed here
 * after each command with the same functions as the async `refreshHouseholdSearchText`.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { HouseholdFields, PersonFields } from '../../core/family/draft';
import { familyCodeNumber, formatFamilyCode } from '../../core/family/codes';
import type { CandidatePerson } from '../../core/family/duplicates';
import type { MemberRole, Row } from '../schema';
import { householdSearchText, householdSortName, personSearchText } from './household-search-text';
import { preparedFor } from './sync-server';

export interface RowSink {
  /** Before a row is inserted, updated or deleted. */
  before(table: string, key: readonly string[]): void;
  /** After it was written. */
  after(table: string, key: readonly string[], op: 'upsert' | 'delete'): void;
}

/** camelCase field → `persons` column. */
export const PERSON_COLUMNS: Readonly<Record<keyof PersonFields, keyof Row<'persons'>>> = {
  civility: 'civility',
  usageLastName: 'usage_last_name',
  birthLastName: 'birth_last_name',
  firstNames: 'first_names',
  birthDate: 'birth_date',
  birthCountry: 'birth_country',
  birthDepartment: 'birth_department',
  birthCommune: 'birth_commune',
  sex: 'sex',
  phone: 'phone',
  mobile: 'mobile',
  email: 'email',
  preferredContact: 'preferred_contact',
  employerPhone: 'employer_phone',
  numero: 'numero',
  voie: 'voie',
  batiment: 'batiment',
  appartement: 'appartement',
  complement: 'complement',
  postcode: 'postcode',
  city: 'city',
  country: 'country',
  schoolName: 'school_name',
  schoolLevel: 'school_level',
  classLevel: 'class_level',
  doctorName: 'doctor_name',
  doctorPhone: 'doctor_phone',
};

/** camelCase field → `households` column. */
export const HOUSEHOLD_COLUMNS: Readonly<Record<keyof HouseholdFields, keyof Row<'households'>>> = {
  numero: 'numero',
  voie: 'voie',
  batiment: 'batiment',
  appartement: 'appartement',
  complement: 'complement',
  postcode: 'postcode',
  city: 'city',
  country: 'country',
  residency: 'residency',
  paperlessInvoices: 'paperless_invoices',
  familySituation: 'family_situation',
  cafNumber: 'caf_number',
  notes: 'notes',
};

type SqlValue = string | number | null;
type FieldValue = string | number | boolean | null;

const toSql = (value: FieldValue | undefined): SqlValue =>
  value === undefined ? null : typeof value === 'boolean' ? (value ? 1 : 0) : value;

const statements = preparedFor((sqlite) => {
  const p = (sql: string): BetterSqlite3.Statement => sqlite.prepare(sql);
  return {
    household: p('SELECT * FROM households WHERE id = ?'),
    householdByCode: p('SELECT id FROM households WHERE code = ?'),
    person: p('SELECT * FROM persons WHERE id = ?'),
    member: p('SELECT * FROM household_members WHERE household_id = ? AND person_id = ?'),
    membersWithPersons: p(
      `SELECT m.role, m.position, p.id AS person_id, p.usage_last_name, p.birth_last_name, p.first_names, p.email,
              p.phone, p.mobile, p.search_text
         FROM household_members m JOIN persons p ON p.id = m.person_id
        WHERE m.household_id = ? ORDER BY m.position, p.id`,
    ),
    householdsOfPerson: p('SELECT household_id FROM household_members WHERE person_id = ?').pluck(),
    nextPosition: p(
      'SELECT COALESCE(MAX(position), -1) + 1 FROM household_members WHERE household_id = ? AND role = ?',
    ).pluck(),
    roleHolder: p('SELECT person_id FROM household_members WHERE household_id = ? AND role = ?').pluck(),
    setPersonSearch: p('UPDATE persons SET search_text = ? WHERE id = ?'),
    setHouseholdSearch: p('UPDATE households SET search_text = ?, sort_name = ? WHERE id = ?'),
    insertMember: p(
      `INSERT INTO household_members (household_id, person_id, role, relationship, can_pick_up, emergency_contact,
         position, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateMember: p(
      `UPDATE household_members SET relationship = ?, can_pick_up = ?, emergency_contact = ?, updated_at = ?
        WHERE household_id = ? AND person_id = ?`,
    ),
    deleteMember: p('DELETE FROM household_members WHERE household_id = ? AND person_id = ?'),
    authorisation: p('SELECT * FROM authorisations WHERE id = ?'),
    authorisationOf: p('SELECT * FROM authorisations WHERE person_id = ? AND kind = ? ORDER BY id LIMIT 1'),
    upsertAuthorisation: p(
      `INSERT INTO authorisations (id, person_id, kind, granted, valid_from, valid_to, details, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET granted = excluded.granted, valid_from = excluded.valid_from,
         valid_to = excluded.valid_to, details = excluded.details, updated_at = excluded.updated_at`,
    ),
    healthNote: p('SELECT * FROM health_notes WHERE id = ?'),
    upsertHealthNote: p(
      `INSERT INTO health_notes (id, person_id, kind, label, details, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, label = excluded.label, details = excluded.details,
         updated_at = excluded.updated_at`,
    ),
    deleteHealthNote: p('DELETE FROM health_notes WHERE id = ?'),
    qfRecord: p('SELECT * FROM qf_records WHERE id = ?'),
    qfOfHousehold: p('SELECT * FROM qf_records WHERE household_id = ? ORDER BY valid_from'),
    insertQf: p(
      `INSERT INTO qf_records (id, household_id, value, source, valid_from, valid_to, document_id, created_at,
         updated_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
    ),
    closeQf: p('UPDATE qf_records SET valid_to = ?, updated_at = ? WHERE id = ?'),
    counter: p('SELECT value FROM counters WHERE name = ?').pluck(),
    setCounter: p(
      'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    ),
    maxFamilyCode: p(
      "SELECT MAX(CAST(substr(code, 3) AS INTEGER)) FROM households WHERE code GLOB 'F-[0-9][0-9][0-9][0-9][0-9][0-9]*'",
    ).pluck(),
    openAccessKeys: p(
      `SELECT id FROM household_access_keys
        WHERE household_id = ? AND used_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
    ).pluck(),
    expireAccessKey: p('UPDATE household_access_keys SET expires_at = ?, updated_at = ? WHERE id = ?'),
    insertAccessKey: p(
      `INSERT INTO household_access_keys (id, household_id, key_hash, key_hint, issued_at, expires_at, used_at,
         used_by_account_id, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?)`,
    ),
    accessKey: p('SELECT id FROM household_access_keys WHERE id = ?'),
    childrenBornOn: p(
      `SELECT m.household_id AS householdId, m.role, p.usage_last_name AS usageLastName,
              p.birth_last_name AS birthLastName, p.first_names AS firstNames, p.birth_date AS birthDate,
              p.email
         FROM persons p JOIN household_members m ON m.person_id = p.id
        WHERE p.birth_date = ? AND m.role = 'enfant'`,
    ),
    adultsWithEmail: p(
      `SELECT m.household_id AS householdId, m.role, p.usage_last_name AS usageLastName,
              p.birth_last_name AS birthLastName, p.first_names AS firstNames, p.birth_date AS birthDate,
              p.email
         FROM persons p JOIN household_members m ON m.person_id = p.id
        WHERE lower(p.email) = ?`,
    ),
    accountsWithEmail: p(
      'SELECT household_id AS householdId, email FROM citizen_accounts WHERE lower(email) = ?',
    ),
  };
});

/** Field-level difference of one row: only the fields that changed. */
export interface FieldDiff {
  before: Record<string, FieldValue>;
  after: Record<string, FieldValue>;
}

function diffOf<K extends string>(
  current: Record<string, unknown>,
  patch: Partial<Record<K, FieldValue>>,
  columns: Readonly<Record<K, string>>,
): { diff: FieldDiff; sets: [string, SqlValue][] } {
  const diff: FieldDiff = { before: {}, after: {} };
  const sets: [string, SqlValue][] = [];
  for (const [field, value] of Object.entries(patch) as [K, FieldValue | undefined][]) {
    if (value === undefined) continue;
    const column = columns[field];
    const next = toSql(value);
    const prior = (current[column] ?? null) as SqlValue;
    if (prior === next) continue;
    sets.push([column, next]);
    diff.before[field] = typeof value === 'boolean' ? prior === 1 : prior;
    diff.after[field] = value;
  }
  return { diff, sets };
}

export class FamilyWrites {
  private readonly s: ReturnType<typeof statements>;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly sink: RowSink,
    /** The instant stamped on rows (`created_at`, `updated_at`). */
    readonly at: string,
  ) {
    this.s = statements(sqlite);
  }

  household(id: string): Row<'households'> | undefined {
    return this.s.household.get(id) as Row<'households'> | undefined;
  }

  householdIdByCode(code: string): string | undefined {
    return (this.s.householdByCode.get(code) as { id: string } | undefined)?.id;
  }

  person(id: string): Row<'persons'> | undefined {
    return this.s.person.get(id) as Row<'persons'> | undefined;
  }

  member(householdId: string, personId: string): Row<'household_members'> | undefined {
    return this.s.member.get(householdId, personId) as Row<'household_members'> | undefined;
  }

  roleHolder(householdId: string, role: MemberRole): string | undefined {
    return this.s.roleHolder.get(householdId, role) as string | undefined;
  }

  authorisation(id: string): Row<'authorisations'> | undefined {
    return this.s.authorisation.get(id) as Row<'authorisations'> | undefined;
  }

  /** The person's existing authorisation of this kind (one per kind and child, whatever its id). */
  authorisationOf(personId: string, kind: string): Row<'authorisations'> | undefined {
    return this.s.authorisationOf.get(personId, kind) as Row<'authorisations'> | undefined;
  }

  healthNote(id: string): Row<'health_notes'> | undefined {
    return this.s.healthNote.get(id) as Row<'health_notes'> | undefined;
  }

  qfRecord(id: string): Row<'qf_records'> | undefined {
    return this.s.qfRecord.get(id) as Row<'qf_records'> | undefined;
  }

  qfRecords(householdId: string): Row<'qf_records'>[] {
    return this.s.qfOfHousehold.all(householdId) as Row<'qf_records'>[];
  }

  insertHousehold(id: string, code: string, fields: HouseholdFields): void {
    const columns = ['id', 'code', ...Object.values(HOUSEHOLD_COLUMNS), 'created_at', 'updated_at'];
    const values: SqlValue[] = [
      id,
      code,
      ...(Object.keys(HOUSEHOLD_COLUMNS) as (keyof HouseholdFields)[]).map((f) => toSql(fields[f])),
      this.at,
      this.at,
    ];
    this.sink.before('households', [id]);
    this.sqlite
      .prepare(`INSERT INTO households (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
      .run(...values);
    this.sink.after('households', [id], 'upsert');
  }

  /** Applies the given fields (undefined = unchanged); returns what changed. */
  updateHousehold(id: string, patch: Partial<HouseholdFields>): FieldDiff {
    const current = this.household(id);
    if (!current) return { before: {}, after: {} };
    const { diff, sets } = diffOf(current, patch, HOUSEHOLD_COLUMNS);
    if (sets.length > 0) {
      this.sink.before('households', [id]);
      this.sqlite
        .prepare(
          `UPDATE households SET ${sets.map(([c]) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`,
        )
        .run(...sets.map(([, v]) => v), this.at, id);
      this.sink.after('households', [id], 'upsert');
    }
    return diff;
  }

  insertPerson(id: string, fields: PersonFields): void {
    const columns = ['id', ...Object.values(PERSON_COLUMNS), 'created_at', 'updated_at'];
    const values: SqlValue[] = [
      id,
      ...(Object.keys(PERSON_COLUMNS) as (keyof PersonFields)[]).map((f) => toSql(fields[f])),
      this.at,
      this.at,
    ];
    this.sink.before('persons', [id]);
    this.sqlite
      .prepare(`INSERT INTO persons (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
      .run(...values);
    this.sink.after('persons', [id], 'upsert');
  }

  updatePerson(id: string, patch: Partial<PersonFields>): FieldDiff {
    const current = this.person(id);
    if (!current) return { before: {}, after: {} };
    const { diff, sets } = diffOf(current, patch, PERSON_COLUMNS);
    if (sets.length > 0) {
      this.sink.before('persons', [id]);
      this.sqlite
        .prepare(
          `UPDATE persons SET ${sets.map(([c]) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`,
        )
        .run(...sets.map(([, v]) => v), this.at, id);
      this.sink.after('persons', [id], 'upsert');
    }
    return diff;
  }

  insertMember(
    householdId: string,
    personId: string,
    role: MemberRole,
    link: { relationship: string | null; canPickUp: boolean; emergencyContact: boolean },
  ): void {
    const position = this.s.nextPosition.get(householdId, role) as number;
    this.sink.before('household_members', [householdId, personId]);
    this.s.insertMember.run(
      householdId,
      personId,
      role,
      link.relationship,
      link.canPickUp ? 1 : 0,
      link.emergencyContact ? 1 : 0,
      position,
      this.at,
      this.at,
    );
    this.sink.after('household_members', [householdId, personId], 'upsert');
  }

  updateMember(
    householdId: string,
    personId: string,
    link: { relationship?: string | null; canPickUp?: boolean; emergencyContact?: boolean },
  ): FieldDiff {
    const current = this.member(householdId, personId);
    if (!current) return { before: {}, after: {} };
    const { diff, sets } = diffOf(current, link, {
      relationship: 'relationship',
      canPickUp: 'can_pick_up',
      emergencyContact: 'emergency_contact',
    });
    if (sets.length > 0) {
      const next = { ...current, ...Object.fromEntries(sets) } as Row<'household_members'>;
      this.sink.before('household_members', [householdId, personId]);
      this.s.updateMember.run(
        next.relationship,
        next.can_pick_up,
        next.emergency_contact,
        this.at,
        householdId,
        personId,
      );
      this.sink.after('household_members', [householdId, personId], 'upsert');
    }
    return diff;
  }

  deleteMember(householdId: string, personId: string): void {
    this.sink.before('household_members', [householdId, personId]);
    this.s.deleteMember.run(householdId, personId);
    this.sink.after('household_members', [householdId, personId], 'delete');
  }

  upsertAuthorisation(row: Omit<Row<'authorisations'>, 'updated_at'>): void {
    this.sink.before('authorisations', [row.id]);
    this.s.upsertAuthorisation.run(
      row.id,
      row.person_id,
      row.kind,
      row.granted,
      row.valid_from,
      row.valid_to,
      row.details,
      this.at,
    );
    this.sink.after('authorisations', [row.id], 'upsert');
  }

  upsertHealthNote(row: Omit<Row<'health_notes'>, 'updated_at'>): void {
    this.sink.before('health_notes', [row.id]);
    this.s.upsertHealthNote.run(row.id, row.person_id, row.kind, row.label, row.details, this.at);
    this.sink.after('health_notes', [row.id], 'upsert');
  }

  deleteHealthNote(id: string): void {
    this.sink.before('health_notes', [id]);
    this.s.deleteHealthNote.run(id);
    this.sink.after('health_notes', [id], 'delete');
  }

  insertQf(
    row: Pick<Row<'qf_records'>, 'id' | 'household_id' | 'value' | 'source' | 'valid_from' | 'valid_to'>,
  ): void {
    this.sink.before('qf_records', [row.id]);
    this.s.insertQf.run(
      row.id,
      row.household_id,
      row.value,
      row.source,
      row.valid_from,
      row.valid_to,
      this.at,
      this.at,
    );
    this.sink.after('qf_records', [row.id], 'upsert');
  }

  closeQf(id: string, validTo: string): void {
    this.sink.before('qf_records', [id]);
    this.s.closeQf.run(validTo, this.at, id);
    this.sink.after('qf_records', [id], 'upsert');
  }

  /**
   * The next family code from the server's counter 'household' (first use: after the highest "F-nnnnnn"
   * already given), skipping a code already taken (an imported file). Server only.
   */
  nextFamilyCode(): string {
    const stored = this.s.counter.get('household') as number | undefined;
    let n = stored ?? (this.s.maxFamilyCode.get() as number | null) ?? 0;
    let code: string;
    do {
      n += 1;
      code = formatFamilyCode(n);
    } while (this.householdIdByCode(code) !== undefined);
    this.sink.before('counters', ['household']);
    this.s.setCounter.run('household', n);
    this.sink.after('counters', ['household'], 'upsert');
    return code;
  }

  /** True when `code` could only come from the server's numbering. */
  static isServerCode(code: string): boolean {
    return familyCodeNumber(code) !== null;
  }

  accessKeyExists(id: string): boolean {
    return this.s.accessKey.get(id) !== undefined;
  }

  /** Retires the household's unused, unexpired keys (expires_at = `at`); returns how many. Server only. */
  retireAccessKeys(householdId: string, at: string): number {
    const ids = this.s.openAccessKeys.all(householdId, at) as string[];
    for (const id of ids) {
      this.sink.before('household_access_keys', [id]);
      this.s.expireAccessKey.run(at, this.at, id);
      this.sink.after('household_access_keys', [id], 'upsert');
    }
    return ids.length;
  }

  insertAccessKey(key: {
    id: string;
    householdId: string;
    keyHash: string;
    keyHint: string;
    issuedAt: string;
    expiresAt: string;
  }): void {
    this.sink.before('household_access_keys', [key.id]);
    this.s.insertAccessKey.run(
      key.id,
      key.householdId,
      key.keyHash,
      key.keyHint,
      key.issuedAt,
      key.expiresAt,
      this.at,
    );
    this.sink.after('household_access_keys', [key.id], 'upsert');
  }

  /**
   * Recomputes the derived search columns of the household and of its members (and of the other households
   * of `alsoPersons`), writing only what changed. Call after the command's other writes.
   */
  refreshSearchText(householdId: string, alsoPersons: readonly string[] = []): void {
    const households = new Set([householdId]);
    for (const personId of alsoPersons)
      for (const other of this.s.householdsOfPerson.all(personId) as string[]) households.add(other);
    const done = new Set<string>();
    for (const id of households) {
      const household = this.household(id);
      if (!household) continue;
      const members = this.s.membersWithPersons.all(id) as (Pick<
        Row<'persons'>,
        'usage_last_name' | 'birth_last_name' | 'first_names' | 'email' | 'phone' | 'mobile' | 'search_text'
      > & { role: MemberRole; person_id: string })[];
      for (const member of members) {
        if (done.has(member.person_id)) continue;
        done.add(member.person_id);
        const text = personSearchText(member);
        if (text === member.search_text) continue;
        this.sink.before('persons', [member.person_id]);
        this.s.setPersonSearch.run(text, member.person_id);
        this.sink.after('persons', [member.person_id], 'upsert');
      }
      const searchText = householdSearchText(household, members);
      const sortName = householdSortName(household, members);
      if (searchText === household.search_text && sortName === household.sort_name) continue;
      this.sink.before('households', [id]);
      this.s.setHouseholdSearch.run(searchText, sortName, id);
      this.sink.after('households', [id], 'upsert');
    }
  }
}

/** Persons of other households that may make a new family a duplicate (children by birth date, adults by e-mail). */
export function duplicateCandidates(
  sqlite: BetterSqlite3.Database,
  keys: { childBirthDates: readonly string[]; emails: readonly string[] },
): { persons: CandidatePerson[]; accounts: { householdId: string | null; email: string }[] } {
  const s = statements(sqlite);
  const persons: CandidatePerson[] = [];
  for (const day of new Set(keys.childBirthDates))
    persons.push(...(s.childrenBornOn.all(day) as CandidatePerson[]));
  const accounts: { householdId: string | null; email: string }[] = [];
  for (const email of new Set(keys.emails)) {
    persons.push(...(s.adultsWithEmail.all(email) as CandidatePerson[]));
    accounts.push(...(s.accountsWithEmail.all(email) as { householdId: string | null; email: string }[]));
  }
  return { persons, accounts };
}
