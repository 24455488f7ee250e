/**
 * The family search index: FTS5 over every member of every household (titulaire, co-titulaire, children,
 * entourage) and every household's own codes, kept up to date by triggers.
 *
 * - `household_search_keys`: one row per household, `hno` a small integer key (INTEGER PRIMARY KEY: stable
 *   across VACUUM, unlike an implicit rowid), with what a result line needs: copies of `sort_name`, `code`,
 *   `city` and a JSON `summary` (titulaire, co-titulaire, children; see SUMMARY). A page of results then
 *   reads one compact row per household.
 * - `household_search_docs`: one document per household × role, `docno = hno * 8 + role code`
 *   (1 titulaire, 2 co-titulaire, 3 children, 4 the household itself, 5 entourage), so that a search reads
 *   the household and who matched from the FTS rowid alone. Columns: `names` (usage and birth last names,
 *   first names), `email` (local parts: see EMAIL_WORDS), `phones` (phone and mobile as digits in national
 *   form, "+33 6 12…" → "0612345678", each followed by its reverse behind an "r", "r8765432160": the last
 *   digits of a number become a prefix search), `codes` (household code as written and without its dash,
 *   CAF number; role 4 only).
 * - `household_search`: FTS5 with external content `household_search_docs`, tokenizer
 *   `unicode61 remove_diacritics 2` (case- and accent-insensitive: "becassine" finds "Bécassines"), prefix
 *   indexes for 1–4 characters (search as you type), `detail=column` (no phrase queries needed).
 * - Views `household_search_source` (the documents) and `household_search_summaries` (city and summary of a
 *   key row), computed from the base tables; triggers on households,
 *   persons and household_members recompute a household's documents inside the writing statement, whoever
 *   writes (server commands, a desk applying pulled rows or undoing its optimistic effects, imports, the
 *   sqlite3 shell): only built-in SQL functions are used. Triggers on the documents maintain the FTS index.
 *
 * Derived data, never replicated: the server and each desk maintain their own (a snapshot carries it).
 * Invoice and demande numbers are looked up through their own unique indexes, not indexed here.
 * SQLite only (FTS5): a PostgreSQL port needs its own variant (tsvector).
 */
import { PostgresAdapter, sql } from 'kysely';
import type { MigrationDb } from './helpers';

/** Role → the low 3 bits of `docno`. */
const ROLE_CODES = [
  ['titulaire', 1],
  ['co_titulaire', 2],
  ['enfant', 3],
  ['foyer', 4],
  ['entourage', 5],
] as const;
const FOYER = 4;

/** Digits of a phone column: the usual separators removed (phones are stored E.164: "+33612345678"). */
function strippedPhone(column: string): string {
  let expr = `coalesce(${column}, '')`;
  for (const separator of [
    `' '`,
    `'.'`,
    `'-'`,
    `'+'`,
    `'('`,
    `')'`,
    `'/'`,
    'char(160)',
    'char(8239)',
    'char(9)',
  ]) {
    expr = `replace(${expr}, ${separator}, '')`;
  }
  return expr;
}

/** `column` (digits) in national form: "33612345678" and "0033612345678" → "0612345678". */
function nationalPhone(column: string): string {
  return `CASE WHEN ${column} LIKE '0033%' AND length(${column}) = 13 THEN '0' || substr(${column}, 5)
    WHEN ${column} LIKE '33%' AND length(${column}) = 11 THEN '0' || substr(${column}, 3)
    ELSE ${column} END`;
}

/** `column` reversed (numbers longer than 20 characters keep their last 20). */
function reversed(column: string): string {
  return Array.from({ length: 20 }, (_, i) => `substr(${column}, ${20 - i}, 1)`).join(' || ');
}

/** Ligatures the unicode61 tokenizer does not spell out (core/search normalizeForSearch does). */
function spelledOut(expr: string): string {
  let out = expr;
  for (const [from, to] of [
    ['œ', 'oe'],
    ['Œ', 'OE'],
    ['æ', 'ae'],
    ['Æ', 'AE'],
    ['ß', 'ss'],
  ] as const) {
    out = `replace(${out}, '${from}', '${to}')`;
  }
  return out;
}

/**
 * What is indexed of an e-mail: its local part as words and as one word without separators
 * ("jean.dupont@…" → "jean.dupont jeandupont"), so that typing it from its start finds it. The domain is
 * left out: "gmail", "fr", "com" would match half the town.
 */
const EMAIL_LOCAL = `CASE WHEN instr(p.email, '@') > 0 THEN substr(p.email, 1, instr(p.email, '@') - 1) ELSE p.email END`;
const EMAIL_WORDS = `${EMAIL_LOCAL} || ' ' || replace(replace(replace(replace(${EMAIL_LOCAL}, '.', ''), '_', ''), '-', ''), '+', '')`;

/** The members of household `k` with role `r` (joined to their person `p`). */
const MEMBERS = `household_members m JOIN persons p ON p.id = m.person_id
                  WHERE m.household_id = k.household_id AND m.role = r.role`;

/**
 * Each member's phones once, in national form (`national.value`); json_each evaluates every
 * normalisation step once per phone.
 */
const PHONES = `household_members m JOIN persons p ON p.id = m.person_id,
        json_each(json_array(${strippedPhone('p.phone')}, ${strippedPhone('p.mobile')})) AS raw,
        json_each(json_array(${nationalPhone('raw.value')})) AS national
  WHERE m.household_id = k.household_id AND m.role = r.role AND national.value <> ''`;

const ROLES = ROLE_CODES.map(([role, code]) => `SELECT '${role}' AS role, ${code} AS code`).join(
  ' UNION ALL ',
);

const SOURCE_VIEW = `
  CREATE VIEW household_search_source AS
  SELECT k.hno * 8 + r.code AS docno,
         k.household_id AS household_id,
         r.code AS role_code,
         coalesce((SELECT group_concat(${spelledOut(
           `p.usage_last_name || ' ' || coalesce(p.birth_last_name, '') || ' ' || p.first_names`,
         )}, ' ') FROM ${MEMBERS}), '') AS names,
         coalesce((SELECT group_concat(${EMAIL_WORDS}, ' ') FROM ${MEMBERS} AND p.email IS NOT NULL), '') AS email,
         coalesce((SELECT group_concat(national.value || ' r' || ${reversed('national.value')}, ' ')
                     FROM ${PHONES}), '') AS phones,
         CASE r.code WHEN ${FOYER} THEN coalesce((
           SELECT h.code || ' ' || replace(h.code, '-', '') || ' ' || coalesce(h.caf_number, '')
             FROM households h WHERE h.id = k.household_id), '') ELSE '' END AS codes
    FROM household_search_keys k CROSS JOIN (${ROLES}) AS r
   WHERE r.code = ${FOYER}
      OR EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = k.household_id AND m.role = r.role)`;

const TEXT_COLUMNS = ['names', 'email', 'phones', 'codes'] as const;
const DOC_COLUMNS = `docno, ${TEXT_COLUMNS.join(', ')}`;

const ROLE_OF_CODE = `CASE c.value ${ROLE_CODES.map(([role, code]) => `WHEN ${code} THEN '${role}'`).join(' ')} END`;
/** The members of household `k` holding `role` (joined to their person `p`). */
const OF_ROLE = (role: string) => `household_members m JOIN persons p ON p.id = m.person_id
   WHERE m.household_id = k.household_id AND m.role = '${role}'`;

/**
 * What a result line shows, as JSON, so that a page of results reads one row per household:
 * `t` titulaire [usage_last_name, first_names, mobile, phone, email], `c` co-titulaire [usage_last_name,
 * first_names] (null when none), `k` children's first_names, eldest first (birth date, then position).
 */
const SUMMARY = `json_object(
    't', json((SELECT json_array(p.usage_last_name, p.first_names, p.mobile, p.phone, p.email) FROM ${OF_ROLE('titulaire')}
               ORDER BY p.birth_date, m.position LIMIT 1)),
    'c', json((SELECT json_array(p.usage_last_name, p.first_names) FROM ${OF_ROLE('co_titulaire')}
               ORDER BY p.birth_date, m.position LIMIT 1)),
    'k', json((SELECT json_group_array(p.first_names ORDER BY p.birth_date, m.position, p.id) FROM ${OF_ROLE('enfant')})))`;

const SUMMARY_VIEW = `
  CREATE VIEW household_search_summaries AS
  SELECT k.hno AS hno, (SELECT h.city FROM households h WHERE h.id = k.household_id) AS city, ${SUMMARY} AS summary
    FROM household_search_keys k`;

/** Recomputes city and summary of key rows (add a WHERE clause to restrict it). */
const UPDATE_SUMMARIES = `UPDATE household_search_keys SET (city, summary) =
    (SELECT s.city, s.summary FROM household_search_summaries s WHERE s.hno = household_search_keys.hno)`;

/**
 * Recomputes the documents of the households matching `households` (an SQL condition on
 * `household_id`): documents of roles no member holds any more are deleted, the others upserted; the
 * household's key row (city, summary) follows.
 */
const refresh = (households: string): string => `
  DELETE FROM household_search_docs
   WHERE docno IN (
     SELECT k.hno * 8 + c.value FROM household_search_keys k, json_each('[1,2,3,5]') c
      WHERE k.household_id ${households}
        AND NOT EXISTS (SELECT 1 FROM household_members m
                         WHERE m.household_id = k.household_id AND m.role = ${ROLE_OF_CODE}));
  INSERT INTO household_search_docs (${DOC_COLUMNS})
    SELECT ${DOC_COLUMNS} FROM household_search_source WHERE household_id ${households}
    ON CONFLICT (docno) DO UPDATE SET ${TEXT_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')};
  ${UPDATE_SUMMARIES} WHERE household_id ${households};`;

const changed = (columns: readonly string[]): string =>
  columns.map((c) => `old.${c} IS NOT new.${c}`).join(' OR ');

/** Person columns indexed or shown in a result line (birth_date orders the children). */
const PERSON_COLUMNS = [
  'usage_last_name',
  'birth_last_name',
  'first_names',
  'email',
  'phone',
  'mobile',
  'birth_date',
];
const OF_PERSON = (person: string) =>
  `IN (SELECT household_id FROM household_members WHERE person_id = ${person})`;

const TRIGGERS: readonly string[] = [
  // Documents → FTS index (external content: a delete must give back the values indexed).
  `CREATE TRIGGER household_search_docs_ai AFTER INSERT ON household_search_docs BEGIN
     INSERT INTO household_search (rowid, ${TEXT_COLUMNS.join(', ')})
       VALUES (new.docno, ${TEXT_COLUMNS.map((c) => `new.${c}`).join(', ')});
   END`,
  `CREATE TRIGGER household_search_docs_ad AFTER DELETE ON household_search_docs BEGIN
     INSERT INTO household_search (household_search, rowid, ${TEXT_COLUMNS.join(', ')})
       VALUES ('delete', old.docno, ${TEXT_COLUMNS.map((c) => `old.${c}`).join(', ')});
   END`,
  `CREATE TRIGGER household_search_docs_au AFTER UPDATE ON household_search_docs
   WHEN ${changed(['docno', ...TEXT_COLUMNS])} BEGIN
     INSERT INTO household_search (household_search, rowid, ${TEXT_COLUMNS.join(', ')})
       VALUES ('delete', old.docno, ${TEXT_COLUMNS.map((c) => `old.${c}`).join(', ')});
     INSERT INTO household_search (rowid, ${TEXT_COLUMNS.join(', ')})
       VALUES (new.docno, ${TEXT_COLUMNS.map((c) => `new.${c}`).join(', ')});
   END`,
  // Households: their key (an INSERT OR REPLACE keeps it), then all their documents. A REPLACE clashing
  // on the code deletes another household without firing its delete trigger: its key and documents
  // (the only other key with this code, codes being unique) go here.
  `CREATE TRIGGER household_search_households_ai AFTER INSERT ON households BEGIN
     DELETE FROM household_search_docs
      WHERE docno BETWEEN (SELECT hno * 8 FROM household_search_keys WHERE code = new.code AND household_id <> new.id)
                      AND (SELECT hno * 8 + 7 FROM household_search_keys WHERE code = new.code AND household_id <> new.id);
     DELETE FROM household_search_keys WHERE code = new.code AND household_id <> new.id;
     INSERT INTO household_search_keys (household_id, sort_name, code) VALUES (new.id, new.sort_name, new.code)
       ON CONFLICT (household_id) DO UPDATE SET sort_name = excluded.sort_name, code = excluded.code;
     ${refresh('= new.id')}
   END`,
  `CREATE TRIGGER household_search_households_au AFTER UPDATE OF code, caf_number, sort_name, city ON households
   WHEN ${changed(['code', 'caf_number', 'sort_name', 'city'])} BEGIN
     UPDATE household_search_keys SET sort_name = new.sort_name, code = new.code WHERE household_id = new.id;
     ${refresh('= new.id')}
   END`,
  `CREATE TRIGGER household_search_households_ad AFTER DELETE ON households BEGIN
     DELETE FROM household_search_docs
      WHERE docno BETWEEN (SELECT hno * 8 FROM household_search_keys WHERE household_id = old.id)
                      AND (SELECT hno * 8 + 7 FROM household_search_keys WHERE household_id = old.id);
     DELETE FROM household_search_keys WHERE household_id = old.id;
   END`,
  // Memberships: the household's documents (both households when a membership moves).
  `CREATE TRIGGER household_search_members_ai AFTER INSERT ON household_members BEGIN
     ${refresh('= new.household_id')}
   END`,
  `CREATE TRIGGER household_search_members_au
   AFTER UPDATE OF household_id, person_id, role, position ON household_members
   WHEN ${changed(['household_id', 'person_id', 'role', 'position'])} BEGIN
     ${refresh('IN (old.household_id, new.household_id)')}
   END`,
  `CREATE TRIGGER household_search_members_ad AFTER DELETE ON household_members BEGIN
     ${refresh('= old.household_id')}
   END`,
  // Persons: the documents of every household they belong to. (An INSERT OR REPLACE of a person fires
  // the insert trigger only: it refreshes the same way.)
  `CREATE TRIGGER household_search_persons_ai AFTER INSERT ON persons BEGIN
     ${refresh(OF_PERSON('new.id'))}
   END`,
  `CREATE TRIGGER household_search_persons_ad AFTER DELETE ON persons BEGIN
     ${refresh(OF_PERSON('old.id'))}
   END`,
  `CREATE TRIGGER household_search_persons_au AFTER UPDATE OF ${PERSON_COLUMNS.join(', ')} ON persons
   WHEN ${changed(PERSON_COLUMNS)} BEGIN
     ${refresh(OF_PERSON('new.id'))}
   END`,
];

export async function up(db: MigrationDb): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    throw new Error('0012_household_search_index: FTS5 is SQLite only; write the PostgreSQL variant.');
  }
  await db.schema
    .createTable('household_search_keys')
    .addColumn('hno', 'integer', (c) => c.primaryKey().notNull())
    .addColumn('household_id', 'text', (c) => c.notNull().unique())
    .addColumn('sort_name', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('city', 'text')
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createIndex('household_search_keys_sort_name_code_idx')
    .on('household_search_keys')
    .columns(['sort_name', 'code'])
    .execute();
  await db.schema
    .createIndex('household_search_keys_code_idx')
    .on('household_search_keys')
    .column('code')
    .execute();
  await db.schema
    .createTable('household_search_docs')
    .addColumn('docno', 'integer', (c) => c.primaryKey().notNull())
    .addColumn('names', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('phones', 'text', (c) => c.notNull())
    .addColumn('codes', 'text', (c) => c.notNull())
    .execute();
  await sql
    .raw(
      `CREATE VIRTUAL TABLE household_search USING fts5(${TEXT_COLUMNS.join(', ')},
         content = 'household_search_docs', content_rowid = 'docno',
         tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4', detail = column)`,
    )
    .execute(db);
  await sql.raw(SOURCE_VIEW).execute(db);
  await sql.raw(SUMMARY_VIEW).execute(db);
  // Existing data first (no trigger yet), then the FTS index in one pass, then the triggers.
  await sql
    .raw(
      `INSERT INTO household_search_keys (household_id, sort_name, code, city)
         SELECT id, sort_name, code, city FROM households ORDER BY sort_name, code`,
    )
    .execute(db);
  await sql
    .raw(
      `INSERT INTO household_search_docs (${DOC_COLUMNS}) SELECT ${DOC_COLUMNS} FROM household_search_source`,
    )
    .execute(db);
  await sql.raw(UPDATE_SUMMARIES).execute(db);
  await sql.raw(`INSERT INTO household_search (household_search) VALUES ('rebuild')`).execute(db);
  for (const trigger of TRIGGERS) await sql.raw(trigger).execute(db);
}
