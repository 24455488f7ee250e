/**
 * Households (foyers): search for the counter and the portal's agents, and the
 * family file (members, children with health and authorisations, QF history).
 * The search columns are derived: see ./household-search-text.ts.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { FAMILY_CODE_PREFIX } from '../../core/family/codes';
import { digitsOnly, normalizeForSearch, searchTokens } from '../../core/search';
import type { Database, MemberRole, Row } from '../schema';
import { phoneDigits } from './household-search-text';

export {
  householdSearchText,
  householdSortName,
  personSearchText,
  phoneDigits,
  rebuildHouseholdSearchIndex,
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
/** At most this many words of a query are searched (the rest only narrows what is already narrow). */
const MAX_WORDS = 8;
/** A number query of at least this many digits also matches the end of a phone number. */
const MIN_DIGITS_FOR_PHONE_END = 4;
/** An invoice number is matched by its start from this many digits on (before: exactly). */
const MIN_DIGITS_FOR_INVOICE_PREFIX = 8;

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

/** What a query asks for, once parsed (see `parseQuery`). */
interface ParsedQuery {
  /** FTS5 MATCH expression over `household_search`. */
  match: string;
  /** The query normalised ("lemoine b"): the titulaire's `sort_name` starting with it ranks first. */
  normalized: string;
  /** The query without separators ("f000123"): a household code equal to it ranks first. */
  compact: string;
  /** Invoice number to look up exactly (the query as typed, and its digits). */
  invoiceNumbers: string[];
  /** Invoice numbers starting with these digits (a long enough number). */
  invoicePrefix: string | null;
  /** Demande number ("24", "demande 24", "n° 24"). */
  demandeNumber: number | null;
  /** A family code or its start ("F-0001", "f0001", "F 000123" → "F-0001…"): looked up by code alone. */
  codePrefix: string | null;
}

const quoted = (term: string): string => `"${term}"*`;

/** Reverses a string of digits. */
const reverse = (digits: string): string => [...digits].reverse().join('');

/**
 * Parses what an agent typed. Every word is a prefix of a word of the members of one role (names, e-mail
 * local parts, phone digits) or of the household's codes: "becas", "lemoine b", "06123", "f000123",
 * "jean.dup", "jean.dupont@exa" (the domain is not searched).
 * A query made of digits and separators is also a phone number however it is typed ("06 12 34",
 * "+33 6 12…", "0033 6…": its start, or its last digits), a household code's digits, an invoice number
 * (exactly, or its start from 8 digits on) or a demande number.
 * Words out of normalizeForSearch hold letters and digits only: quoting them is all FTS5 needs.
 */
function parseQuery(query: string): ParsedQuery | null {
  const trimmed = query.trim();
  // An e-mail address is indexed without its domain (see migration 0012): search its local part.
  const at = trimmed.indexOf('@');
  const searched = at >= 0 ? trimmed.slice(0, at) : trimmed;
  const words = searchTokens(searched).slice(0, MAX_WORDS);
  if (words.length === 0) return null;
  const normalized = normalizeForSearch(trimmed);
  const compact = normalized.replace(/ /g, '');
  const alternatives = [`{names email phones codes} : (${words.map(quoted).join(' AND ')})`];
  if (at >= 0 || /[._]/.test(searched)) {
    // "jean.dup" is also the start of the e-mail "jean.dupont@…", indexed as "jeandupont" too.
    alternatives.push(`{email} : ${quoted(words.join(''))}`);
  }

  const numberish = /^[\d\s.\-/+()]+$/.test(trimmed);
  const digits = digitsOnly(trimmed);
  let invoicePrefix: string | null = null;
  let demandeNumber: number | null = null;
  if (numberish && digits.length > 0) {
    const international = /^\s*(\+|00)/.test(trimmed);
    // "+33 6 12" → "0612", "0033 6 12" → "0612"; "33612345678" (a whole number without its +) → "0612345678".
    const national = !international
      ? phoneDigits(digits)
      : digits.startsWith('0033')
        ? `0${digits.slice(4)}`
        : digits.startsWith('33')
          ? `0${digits.slice(2)}`
          : digits;
    const starts = [...new Set([national, digits])].map(quoted);
    alternatives.push(`{phones codes} : (${starts.join(' OR ')})`);
    if (!international && digits.length >= MIN_DIGITS_FOR_PHONE_END) {
      // The end of a number: its digits reversed, behind the "r" marking reversed numbers.
      alternatives.push(`{phones} : ${quoted(`r${reverse(digits)}`)}`);
    }
    if (digits.length >= MIN_DIGITS_FOR_INVOICE_PREFIX) invoicePrefix = digits;
    if (!international && /^[1-9]\d{0,8}$/.test(digits)) demandeNumber = Number(digits);
  } else {
    const demande = /^(?:demande\s*)?(?:n\s*°|n°|no\.?|#)?\s*([1-9]\d{0,8})$/i.exec(trimmed);
    if (demande?.[1] !== undefined && /\D/.test(trimmed)) demandeNumber = Number(demande[1]);
  }
  const code = /^f\s*-?\s*(\d+)$/i.exec(trimmed);
  return {
    codePrefix: code?.[1] === undefined ? null : `${FAMILY_CODE_PREFIX}${code[1]}`,
    match: alternatives.map((a) => `(${a})`).join(' OR '),
    normalized,
    compact,
    invoiceNumbers: [...new Set([trimmed, digits].filter((n) => n !== ''))],
    invoicePrefix,
    demandeNumber,
  };
}

/**
 * The households matching a parsed query (`hno`, see migration 0012) with their rank, lower first:
 * 0 an exact invoice or demande number, 1 titulaire, 2 co-titulaire, 3 child, 4 household code or CAF
 * number, or an invoice number's start, 5 entourage. The FTS rowid is `hno * 8 + role code`: the household
 * and who matched come from the index alone.
 */
function hits(q: ParsedQuery) {
  const parts = [
    sql`SELECT rowid >> 3 AS hno, rowid & 7 AS rank FROM household_search WHERE household_search MATCH ${q.match}`,
    sql`SELECT k.hno, 0 FROM invoices i CROSS JOIN household_search_keys k ON k.household_id = i.household_id
         WHERE i.number IN (${sql.join(q.invoiceNumbers)})`,
  ];
  if (q.invoicePrefix !== null) {
    // A range on the unique index; digits sort before ':' (the character after '9').
    parts.push(
      sql`SELECT k.hno, 4 FROM invoices i CROSS JOIN household_search_keys k ON k.household_id = i.household_id
           WHERE i.number > ${q.invoicePrefix} AND i.number < ${`${q.invoicePrefix}:`}`,
    );
  }
  if (q.demandeNumber !== null) {
    parts.push(
      sql`SELECT k.hno, 0 FROM demandes d CROSS JOIN household_search_keys k ON k.household_id = d.household_id
           WHERE d.number = ${q.demandeNumber}`,
    );
  }
  return sql`SELECT hno, MIN(rank) AS rank FROM (${sql.join(parts, sql` UNION ALL `)}) GROUP BY hno`;
}

/** Upper bound of the strings starting with `prefix` (U+10FFFF sorts after every other character). */
const prefixEnd = (prefix: string): string => `${prefix}\u{10FFFF}`;

/** A result line as `household_search_keys` holds it (see migration 0012). */
interface Listed {
  household_id: string;
  code: string;
  city: string | null;
  summary: string;
}

/** `household_search_keys.summary`, parsed. */
interface StoredSummary {
  /** [usage_last_name, first_names, mobile, phone, email] */
  t: [string, string, string | null, string | null, string | null] | null;
  /** [usage_last_name, first_names] */
  c: [string, string] | null;
  /** first_names, eldest first */
  k: string[] | null;
}

function toSummary(row: Listed): HouseholdSummary {
  const { t, c, k } = JSON.parse(row.summary) as Partial<StoredSummary>;
  const name = (last: string, first: string) => displayName({ usage_last_name: last, first_names: first });
  return {
    id: row.household_id,
    code: row.code,
    titulaire: t ? name(t[0], t[1]) : '',
    coTitulaire: c ? name(c[0], c[1]) : null,
    children: (k ?? []).map(usualFirstName),
    city: row.city,
    phone: t ? (t[2] ?? t[3]) : null,
    email: t ? t[4] : null,
  };
}

const LISTED = ['household_id', 'code', 'city', 'summary'] as const;

/**
 * Households matching `query` (all when empty). With a query: families whose titulaire's name starts
 * with it, and exact household code / invoice / demande numbers, first; then by who matched (titulaire,
 * co-titulaire, child, household numbers, entourage); each group by titulaire name, then code.
 * A family code or its start ("F-000123", "f0001") lists the households whose code starts with it, by code.
 * Without a query: every household by titulaire name, then code.
 * Words are looked up in the FTS5 index `household_search`; a result line is read from
 * `household_search_keys` (migration 0012, kept by triggers).
 */
export async function searchHouseholds(
  db: Kysely<Database>,
  search: HouseholdSearch = {},
): Promise<HouseholdSummary[]> {
  const limit = Math.min(Math.max(Math.trunc(search.limit ?? DEFAULT_LIMIT), 0), MAX_LIMIT);
  const offset = Math.max(Math.trunc(search.offset ?? 0), 0);
  if (limit === 0) return [];
  const parsed = parseQuery(search.query ?? '');

  let rows: Listed[];
  if (parsed === null) {
    rows = await db
      .selectFrom('household_search_keys')
      .select(LISTED)
      .orderBy('sort_name')
      .orderBy('code')
      .limit(limit)
      .offset(offset)
      .execute();
  } else if (parsed.codePrefix !== null) {
    rows = await db
      .selectFrom('household_search_keys')
      .select(LISTED)
      .where('code', '>=', parsed.codePrefix)
      .where('code', '<', prefixEnd(parsed.codePrefix))
      .orderBy('code')
      .limit(limit)
      .offset(offset)
      .execute();
  } else {
    rows = await titulairePrefixPage(db, parsed, limit, offset);
    if (rows.length < limit) rows = await rankedPage(db, parsed, limit, offset);
  }
  return rows.map(toSummary);
}

/**
 * The first group of a name query (titulaires whose name starts with it) straight from the
 * (sort_name, code) index: when it fills the page, the full ranking is not needed. Queries with digits may
 * also match codes and numbers exactly (same group): they always take the full ranking.
 */
async function titulairePrefixPage(
  db: Kysely<Database>,
  parsed: ParsedQuery,
  limit: number,
  offset: number,
): Promise<Listed[]> {
  if (/\d/.test(parsed.normalized)) return [];
  return db
    .selectFrom('household_search_keys')
    .select(LISTED)
    .where('sort_name', '>=', parsed.normalized)
    .where('sort_name', '<', prefixEnd(parsed.normalized))
    .orderBy('sort_name')
    .orderBy('code')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** One page of every match, ranked (see `searchHouseholds`). */
async function rankedPage(
  db: Kysely<Database>,
  parsed: ParsedQuery,
  limit: number,
  offset: number,
): Promise<Listed[]> {
  const { rows } = await sql<Listed>`
    SELECT k.household_id, k.code, k.city, k.summary
      FROM (${hits(parsed)}) AS hit CROSS JOIN household_search_keys k ON k.hno = hit.hno
     ORDER BY CASE WHEN substr(k.sort_name, 1, ${parsed.normalized.length}) = ${parsed.normalized} THEN 0
                   WHEN lower(replace(k.code, '-', '')) = ${parsed.compact} THEN 0
                   ELSE hit.rank END,
              k.sort_name, k.code
     LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return rows;
}

/** How many households match `query` (all when empty). */
export async function countHouseholds(
  db: Kysely<Database>,
  search: Pick<HouseholdSearch, 'query'> = {},
): Promise<number> {
  const parsed = parseQuery(search.query ?? '');
  if (parsed === null) {
    const row = await db
      .selectFrom('households')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
  if (parsed.codePrefix !== null) {
    const row = await db
      .selectFrom('household_search_keys')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('code', '>=', parsed.codePrefix)
      .where('code', '<', prefixEnd(parsed.codePrefix))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
  const { rows } = await sql<{ count: number }>`SELECT COUNT(*) AS count FROM (${hits(parsed)})`.execute(db);
  return Number(rows[0]?.count ?? 0);
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
