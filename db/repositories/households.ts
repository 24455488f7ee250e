/**
 * Households (foyers): search for the counter and the portal's agents, and the
 * family file (members, children with health and authorisations, QF history).
 * The search columns are derived: see ./household-search-text.ts.
 */
import { sql } from 'kysely';
import type { Expression, Kysely, SqlBool } from 'kysely';
import { digitsOnly, searchTokens } from '../../core/search';
import type { Database, MemberRole, Row } from '../schema';
import { phoneDigits } from './household-search-text';

export {
  householdSearchText,
  householdSortName,
  personSearchText,
  phoneDigits,
  refreshAllHouseholdsSearchText,
  refreshHouseholdSearchText,
  refreshHouseholdsSearchText,
} from './household-search-text';

/** One line of a search result. Names read "NOM Prénom". */
export interface HouseholdSummary {
  id: string;
  code: string;
  /** '' when the household has no titulaire yet. */
  titulaire: string;
  coTitulaire: string | null;
  /** Children's usual first names, eldest first. */
  children: string[];
  city: string | null;
  /** The titulaire's mobile, else phone. */
  phone: string | null;
  email: string | null;
}

export interface HouseholdSearch {
  query?: string;
  limit?: number;
  offset?: number;
}

export interface HouseholdMember {
  role: MemberRole;
  relationship: string | null;
  canPickUp: boolean;
  emergencyContact: boolean;
  person: Row<'persons'>;
}

export interface HouseholdChild extends HouseholdMember {
  healthNotes: Row<'health_notes'>[];
  authorisations: Row<'authorisations'>[];
  /** Adults related to the child (`related_person_id`), with parental authority or not. */
  relations: Row<'person_relations'>[];
}

export interface HouseholdFile {
  household: Row<'households'>;
  /** Every member, titulaire first, then co-titulaire, children, entourage. */
  members: HouseholdMember[];
  children: HouseholdChild[];
  /** Most recent first. */
  qfHistory: Row<'qf_records'>[];
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
/** A query of at least this many digits (once spaces, dots, dashes are dropped) is a phone or number search. */
const MIN_DIGITS_FOR_NUMBER_SEARCH = 4;

const ROLE_ORDER: Record<MemberRole, number> = { titulaire: 0, co_titulaire: 1, enfant: 2, entourage: 3 };

/** "LEMOINE-DÛPONT Bécassine": last name in capitals, then the usual (first) given name. */
export function displayName(person: Pick<Row<'persons'>, 'usage_last_name' | 'first_names'>): string {
  const first = usualFirstName(person.first_names);
  const last = person.usage_last_name.toLocaleUpperCase('fr-FR');
  return first === '' ? last : `${last} ${first}`;
}

function usualFirstName(firstNames: string): string {
  return firstNames.trim().split(/\s+/)[0] ?? '';
}

/**
 * The condition a household must meet for `query`, or undefined for "all".
 * Words match word prefixes of `search_text` (so "becas" finds "Bécassine");
 * a query that is a number (4+ digits) also matches anywhere inside a word
 * (the end of a phone number) and an invoice number exactly.
 * Words out of normalizeForSearch hold letters and digits only: no LIKE escaping needed.
 */
function matchCondition(query: string): Expression<SqlBool> | undefined {
  const trimmed = query.trim();
  const tokens = searchTokens(trimmed);
  if (tokens.length === 0) return undefined;

  const haystack = sql<string>`(' ' || ${sql.ref('households.search_text')})`;
  const wordMatch = sql.join(
    tokens.map((token) => sql`${haystack} like ${`% ${token}%`}`),
    sql` and `,
  );
  const alternatives = [sql`(${wordMatch})`];

  const compact = trimmed.replace(/[\s.\-/+]/g, '');
  if (/^\d+$/.test(compact) && compact.length >= MIN_DIGITS_FOR_NUMBER_SEARCH) {
    alternatives.push(sql`${sql.ref('households.search_text')} like ${`%${phoneDigits(compact)}%`}`);
    if (digitsOnly(compact) !== phoneDigits(compact)) {
      alternatives.push(sql`${sql.ref('households.search_text')} like ${`%${compact}%`}`);
    }
  }
  alternatives.push(
    sql`exists (select 1 from ${sql.table('invoices')} where ${sql.ref('invoices.household_id')} = ${sql.ref(
      'households.id',
    )} and ${sql.ref('invoices.number')} = ${trimmed})`,
  );
  return sql<SqlBool>`(${sql.join(alternatives, sql` or `)})`;
}

/** Households matching `query` (all when empty), ordered by titulaire name, then code. */
export async function searchHouseholds(
  db: Kysely<Database>,
  search: HouseholdSearch = {},
): Promise<HouseholdSummary[]> {
  const limit = Math.min(Math.max(Math.trunc(search.limit ?? DEFAULT_LIMIT), 0), MAX_LIMIT);
  const offset = Math.max(Math.trunc(search.offset ?? 0), 0);
  const condition = matchCondition(search.query ?? '');

  let page = db.selectFrom('households').select(['households.id', 'households.code', 'households.city']);
  if (condition !== undefined) page = page.where(condition);
  const households = await page
    .orderBy('households.sort_name')
    .orderBy('households.code')
    .limit(limit)
    .offset(offset)
    .execute();
  if (households.length === 0) return [];

  const members = await db
    .selectFrom('household_members as m')
    .innerJoin('persons as p', 'p.id', 'm.person_id')
    .select([
      'm.household_id',
      'm.role',
      'p.usage_last_name',
      'p.first_names',
      'p.phone',
      'p.mobile',
      'p.email',
      'p.birth_date',
    ])
    .where(
      'm.household_id',
      'in',
      households.map((h) => h.id),
    )
    .where('m.role', 'in', ['titulaire', 'co_titulaire', 'enfant'])
    .orderBy('m.household_id')
    .orderBy('p.birth_date')
    .orderBy('m.position')
    .execute();

  const byHousehold = groupBy(members, (m) => m.household_id);
  return households.map((household) => {
    const own = byHousehold.get(household.id) ?? [];
    const titulaire = own.find((m) => m.role === 'titulaire');
    const coTitulaire = own.find((m) => m.role === 'co_titulaire');
    return {
      id: household.id,
      code: household.code,
      titulaire: titulaire === undefined ? '' : displayName(titulaire),
      coTitulaire: coTitulaire === undefined ? null : displayName(coTitulaire),
      children: own.filter((m) => m.role === 'enfant').map((m) => usualFirstName(m.first_names)),
      city: household.city,
      phone: titulaire === undefined ? null : (titulaire.mobile ?? titulaire.phone),
      email: titulaire?.email ?? null,
    };
  });
}

/** How many households match `query` (all when empty). */
export async function countHouseholds(
  db: Kysely<Database>,
  search: Pick<HouseholdSearch, 'query'> = {},
): Promise<number> {
  const condition = matchCondition(search.query ?? '');
  let count = db.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('count'));
  if (condition !== undefined) count = count.where(condition);
  const row = await count.executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The family file: the household, its members, its children's details, its QF history; null if unknown. */
export async function getHouseholdFile(db: Kysely<Database>, id: string): Promise<HouseholdFile | null> {
  const household = await db.selectFrom('households').selectAll().where('id', '=', id).executeTakeFirst();
  if (household === undefined) return null;

  const rows = await db
    .selectFrom('household_members as m')
    .innerJoin('persons as p', 'p.id', 'm.person_id')
    .selectAll('p')
    .select([
      'm.role',
      'm.relationship',
      'm.can_pick_up',
      'm.emergency_contact',
      'm.position as member_position',
    ])
    .where('m.household_id', '=', id)
    .execute();

  const members: HouseholdMember[] = rows
    .map(({ role, relationship, can_pick_up, emergency_contact, member_position, ...person }) => ({
      order: [ROLE_ORDER[role], member_position, person.birth_date ?? '', person.id] as const,
      member: {
        role,
        relationship,
        canPickUp: can_pick_up === 1,
        emergencyContact: emergency_contact === 1,
        person,
      },
    }))
    .sort((a, b) => compareTuples(a.order, b.order))
    .map((entry) => entry.member);

  const childIds = members.filter((m) => m.role === 'enfant').map((m) => m.person.id);
  const [healthNotes, authorisations, relations, qfHistory] = await Promise.all([
    childIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('health_notes')
          .selectAll()
          .where('person_id', 'in', childIds)
          .orderBy('kind')
          .orderBy('label')
          .execute(),
    childIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('authorisations')
          .selectAll()
          .where('person_id', 'in', childIds)
          .orderBy('kind')
          .execute(),
    childIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('person_relations')
          .selectAll()
          .where('person_id', 'in', childIds)
          .orderBy('relation')
          .execute(),
    db
      .selectFrom('qf_records')
      .selectAll()
      .where('household_id', '=', id)
      .orderBy('valid_from', 'desc')
      .orderBy('created_at', 'desc')
      .execute(),
  ]);

  const notesByChild = groupBy(healthNotes, (n) => n.person_id);
  const authorisationsByChild = groupBy(authorisations, (a) => a.person_id);
  const relationsByChild = groupBy(relations, (r) => r.person_id);
  const children: HouseholdChild[] = members
    .filter((m) => m.role === 'enfant')
    .map((m) => ({
      ...m,
      healthNotes: notesByChild.get(m.person.id) ?? [],
      authorisations: authorisationsByChild.get(m.person.id) ?? [],
      relations: relationsByChild.get(m.person.id) ?? [],
    }));

  return { household, members, children, qfHistory };
}

function compareTuples(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (const [i, x] of a.entries()) {
    const y = b[i];
    if (y === undefined || x > y) return 1;
    if (x < y) return -1;
  }
  return a.length < b.length ? -1 : 0;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}
