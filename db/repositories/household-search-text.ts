/**
 * The derived search data of households and persons.
 *
 * The family search itself reads the FTS5 index of migration 0012 (`household_search`, with
 * `household_search_keys` / `household_search_docs`): SQLite triggers on households, persons and
 * household_members keep it right in the writing transaction, on the server and on every desk (pulled rows
 * included), without any call from the code. `rebuildHouseholdSearchIndex` recomputes it in one pass (after
 * a bulk load that ran without the triggers).
 *
 * The columns below are derived too, computed here in TypeScript:
 * `households.search_text`: the distinct normalised words (core/search
 * normalizeForSearch) of the household code, the CAF number, and, for its
 * titulaire, co-titulaire and children: usage and birth last names, first names,
 * e-mail, and phones as digits in national form ("+33 6 12…" → "0612…").
 * `households.sort_name`: the titulaire's normalised "nom prénoms", for ordering (search results included).
 * `persons.search_text`: the same words for one person.
 *
 * Whoever inserts or updates a household, a person, or a household_members row
 * calls `refreshHouseholdSearchText(db, householdId)` in the same transaction
 * (for a person, once per household they belong to). The columns are derived:
 * any replica may recompute them; `updated_at` is not touched.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { digitsOnly, normalizeForSearch, searchTokens } from '../../core/search';
import type { Database, MemberRole, Row } from '../schema';

type PersonWords = Pick<
  Row<'persons'>,
  'usage_last_name' | 'birth_last_name' | 'first_names' | 'email' | 'phone' | 'mobile'
>;

const SEARCHED_ROLES: readonly MemberRole[] = ['titulaire', 'co_titulaire', 'enfant'];

/** Phone digits in national form: "+33 6 12 34 56 78" and "0033 6…" → "0612345678". */
export function phoneDigits(text: string): string {
  const digits = digitsOnly(text);
  if (digits.startsWith('0033') && digits.length === 13) return `0${digits.slice(4)}`;
  if (digits.startsWith('33') && digits.length === 11) return `0${digits.slice(2)}`;
  return digits;
}

function personWords(person: PersonWords): string[] {
  const words = searchTokens(
    [person.usage_last_name, person.birth_last_name ?? '', person.first_names, person.email ?? ''].join(' '),
  );
  for (const phone of [person.phone, person.mobile]) {
    const digits = phone === null ? '' : phoneDigits(phone);
    if (digits !== '') words.push(digits);
  }
  return words;
}

function joinDistinct(words: Iterable<string>): string {
  return [...new Set(words)].join(' ');
}

/** The search text of one person (also stored in `persons.search_text`). */
export function personSearchText(person: PersonWords): string {
  return joinDistinct(personWords(person));
}

/** The search text of a household, from its code, CAF number and searched members. */
export function householdSearchText(
  household: Pick<Row<'households'>, 'code' | 'caf_number'>,
  members: ReadonlyArray<PersonWords & { role: MemberRole }>,
): string {
  // "F-000123" → "f", "000123" and "f000123", so the code is found typed either way.
  const words = [...searchTokens(household.code), normalizeForSearch(household.code).replace(/ /g, '')];
  if (household.caf_number) words.push(...searchTokens(household.caf_number));
  for (const member of members) {
    if (SEARCHED_ROLES.includes(member.role)) words.push(...personWords(member));
  }
  return joinDistinct(words);
}

/** "lemoine dupont becassine": the titulaire's normalised names, for ordering. */
export function householdSortName(
  household: Pick<Row<'households'>, 'code'>,
  members: ReadonlyArray<Pick<Row<'persons'>, 'usage_last_name' | 'first_names'> & { role: MemberRole }>,
): string {
  const head = members.find((m) => m.role === 'titulaire') ?? members.find((m) => m.role === 'co_titulaire');
  return head === undefined
    ? normalizeForSearch(household.code)
    : normalizeForSearch(`${head.usage_last_name} ${head.first_names}`);
}

const CHUNK = 500;

/**
 * Recomputes the derived search columns of the given households and of all
 * their members. Runs a handful of queries per 500 households; call it inside
 * the writing transaction.
 */
export async function refreshHouseholdsSearchText(
  db: Kysely<Database>,
  householdIds: readonly string[],
): Promise<void> {
  for (let start = 0; start < householdIds.length; start += CHUNK) {
    const ids = [...new Set(householdIds.slice(start, start + CHUNK))];
    const households = await db
      .selectFrom('households')
      .select(['id', 'code', 'caf_number', 'search_text', 'sort_name'])
      .where('id', 'in', ids)
      .execute();
    if (households.length === 0) continue;
    const members = await db
      .selectFrom('household_members as m')
      .innerJoin('persons as p', 'p.id', 'm.person_id')
      .select([
        'm.household_id',
        'm.role',
        'm.position',
        'p.id as person_id',
        'p.usage_last_name',
        'p.birth_last_name',
        'p.first_names',
        'p.email',
        'p.phone',
        'p.mobile',
        'p.search_text',
      ])
      .where('m.household_id', 'in', ids)
      .orderBy('m.household_id')
      .orderBy('m.position')
      .orderBy('p.id')
      .execute();

    const byHousehold = new Map<string, typeof members>();
    for (const member of members) {
      const list = byHousehold.get(member.household_id);
      if (list === undefined) byHousehold.set(member.household_id, [member]);
      else list.push(member);
    }
    const personsDone = new Set<string>();
    for (const member of members) {
      if (personsDone.has(member.person_id)) continue;
      personsDone.add(member.person_id);
      const text = personSearchText(member);
      if (text !== member.search_text) {
        await db
          .updateTable('persons')
          .set({ search_text: text })
          .where('id', '=', member.person_id)
          .execute();
      }
    }
    for (const household of households) {
      const own = byHousehold.get(household.id) ?? [];
      const searchText = householdSearchText(household, own);
      const sortName = householdSortName(household, own);
      if (searchText !== household.search_text || sortName !== household.sort_name) {
        await db
          .updateTable('households')
          .set({ search_text: searchText, sort_name: sortName })
          .where('id', '=', household.id)
          .execute();
      }
    }
  }
}

/** Recomputes the search columns of one household and its members (see the module comment). */
export async function refreshHouseholdSearchText(db: Kysely<Database>, householdId: string): Promise<void> {
  await refreshHouseholdsSearchText(db, [householdId]);
}

/** Recomputes every household's search columns (after a bulk import or a snapshot). */
export async function refreshAllHouseholdsSearchText(db: Kysely<Database>): Promise<void> {
  const rows = await db.selectFrom('households').select('id').orderBy('id').execute();
  await refreshHouseholdsSearchText(
    db,
    rows.map((r) => r.id),
  );
}

/**
 * Recomputes the whole family search index (migration 0012) from the base tables, in the caller's
 * transaction: correct whether its triggers are in place (they then follow each step) or not (a bulk load
 * dropped them: the final FTS `rebuild` catches up). Keys are renumbered in titulaire-name order.
 */
export function rebuildHouseholdSearchIndex(sqlite: BetterSqlite3.Database): void {
  sqlite.exec(`
    DELETE FROM household_search_docs;
    DELETE FROM household_search_keys;
    INSERT INTO household_search_keys (household_id, sort_name, code)
      SELECT id, sort_name, code FROM households ORDER BY sort_name, code;
    UPDATE household_search_keys SET (city, summary) =
      (SELECT s.city, s.summary FROM household_search_summaries s WHERE s.hno = household_search_keys.hno);
    INSERT INTO household_search_docs (docno, names, email, phones, codes)
      SELECT docno, names, email, phones, codes FROM household_search_source;
    INSERT INTO household_search (household_search) VALUES ('rebuild');
  `);
}
