import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { MigrationError, SCHEMA_VERSION, appliedMigrations, migrateToLatest } from '../../../db/migrate';
import { migrations } from '../../../db/migrations';
import { openDatabase } from '../../../db/open';
import type { OpenedDatabase } from '../../../db/open';
import { ENUM_COLUMNS } from '../../../db/schema';
import type { Database } from '../../../db/schema';
import { CONTRACT, NOT_REPLICATED } from './schema-contract';

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}
interface ForeignKeyInfo {
  table: string;
  from: string;
  to: string;
}
interface IndexInfo {
  name: string;
  unique: number;
  origin: 'c' | 'u' | 'pk';
  partial: number;
}

let dir: string;
let opened: OpenedDatabase;
let sqlite: BetterSqlite3.Database;
let db: Kysely<Database>;
let firstRun: string[];

function columns(table: string): ColumnInfo[] {
  return sqlite.prepare(`select * from pragma_table_info(?)`).all(table) as ColumnInfo[];
}
function foreignKeys(table: string): ForeignKeyInfo[] {
  return sqlite.prepare(`select * from pragma_foreign_key_list(?)`).all(table) as ForeignKeyInfo[];
}
function indexList(table: string): IndexInfo[] {
  return sqlite.prepare(`select * from pragma_index_list(?)`).all(table) as IndexInfo[];
}
function indexColumns(index: string): string[] {
  return (
    sqlite.prepare(`select name from pragma_index_info(?) order by seqno`).all(index) as { name: string }[]
  ).map((r) => r.name);
}
/** Ordinary tables: virtual tables (FTS5) and their shadow tables are left out. */
function userTables(): string[] {
  return (
    sqlite
      .prepare(
        `select name from pragma_table_list where schema = 'main' and type = 'table' and name not like 'sqlite_%'
         order by name`,
      )
      .all() as { name: string }[]
  )
    .map((r) => r.name)
    .filter((name) => !name.startsWith('kysely_'));
}
function schemaSnapshot(): unknown[] {
  return sqlite.prepare(`select type, name, tbl_name, sql from sqlite_master order by type, name`).all();
}
const now = '2026-11-22T21:51:10.123Z';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-db-schema-'));
  opened = openDatabase(join(dir, 'store.sqlite'));
  ({ sqlite, db } = opened);
  firstRun = (await migrateToLatest(db)).applied;
});

afterAll(() => {
  opened.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migrating a fresh file database', () => {
  it('applies every migration in order, and the schema version counts them', async () => {
    expect(firstRun).toEqual(Object.keys(migrations).sort());
    expect(SCHEMA_VERSION).toBe(firstRun.length);
    expect(await appliedMigrations(db)).toEqual(firstRun);
  });

  it('runs in WAL mode with foreign keys enforced', () => {
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
  });

  it('changes nothing when migrated again', async () => {
    const before = schemaSnapshot();
    expect((await migrateToLatest(db)).applied).toEqual([]);
    expect(schemaSnapshot()).toEqual(before);
  });

  it('creates exactly the tables of the contract', () => {
    expect(userTables()).toEqual(Object.keys(CONTRACT).sort());
  });
});

describe.each(Object.entries(CONTRACT))('table %s', (table, contract) => {
  it('has its primary key', () => {
    const pk = columns(table)
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    expect(pk).toEqual(contract.pk);
  });

  it('declares exactly its foreign keys, to the right tables', () => {
    const actual = Object.fromEntries(
      foreignKeys(table).map((fk) => [fk.from, fk.to === 'id' ? fk.table : `${fk.table}.${fk.to}`]),
    );
    expect(actual).toEqual(contract.fks ?? {});
  });

  it('indexes every foreign key column (leading column of an index)', () => {
    const leading = new Set(indexList(table).map((ix) => indexColumns(ix.name)[0]));
    for (const fk of foreignKeys(table)) expect(leading, `${table}.${fk.from}`).toContain(fk.from);
  });

  it('has exactly its unique keys', () => {
    const uniques = indexList(table)
      .filter((ix) => ix.unique === 1 && ix.origin !== 'pk' && ix.partial === 0)
      .map((ix) => indexColumns(ix.name).join(','))
      .sort();
    expect(uniques).toEqual((contract.uniques ?? []).map((u) => u.join(',')).sort());
  });

  it('follows the column conventions', () => {
    const cols = columns(table);
    for (const c of cols) {
      const type = c.type.toLowerCase();
      if (c.name === 'id' || c.name.endsWith('_id')) expect(type, `${table}.${c.name}`).toBe('text');
      if (c.name.endsWith('_cents')) expect(type, `${table}.${c.name}`).toBe('integer');
      if (/(_at|_json|_day|_on)$/.test(c.name) || c.name === 'day')
        expect(type, `${table}.${c.name}`).toBe('text');
    }
    const updatedAt = cols.find((c) => c.name === 'updated_at');
    if (NOT_REPLICATED.has(table)) {
      expect(updatedAt).toBeUndefined();
    } else {
      expect(updatedAt, `${table}.updated_at`).toMatchObject({ notnull: 1 });
      expect(updatedAt?.type.toLowerCase()).toBe('text');
    }
  });
});

describe('enum CHECK constraints', () => {
  it('list exactly the values of db/schema/enums.ts', () => {
    const found: Record<string, Record<string, string[]>> = {};
    for (const table of userTables()) {
      const { sql } = sqlite.prepare(`select sql from sqlite_master where name = ?`).get(table) as {
        sql: string;
      };
      for (const match of sql.matchAll(/"(\w+)" in \(('[^)]*')\)/g)) {
        const values = [...(match[2] ?? '').matchAll(/'([^']*)'/g)].map((m) => m[1] ?? '');
        (found[table] ??= {})[match[1] ?? ''] = values;
      }
    }
    const expected = Object.fromEntries(
      Object.entries(ENUM_COLUMNS).map(([table, cols]) => [
        table,
        Object.fromEntries(Object.entries(cols).map(([col, values]) => [col, [...values]])),
      ]),
    );
    expect(found).toEqual(expected);
  });
});

describe('constraints are enforced', () => {
  function household(id: string, code: string): void {
    sqlite
      .prepare(`insert into households (id, code, created_at, updated_at) values (?, ?, ?, ?)`)
      .run(id, code, now, now);
  }
  function person(id: string, name: string): void {
    sqlite
      .prepare(
        `insert into persons (id, usage_last_name, first_names, created_at, updated_at) values (?, ?, ?, ?, ?)`,
      )
      .run(id, name, 'Test', now, now);
  }
  function site(id: string, kind = 'maternelle'): void {
    sqlite
      .prepare(`insert into sites (id, name, kind, created_at, updated_at) values (?, ?, ?, ?, ?)`)
      .run(id, `Site ${id}`, kind, now, now);
  }

  beforeAll(() => {
    household('h1', 'F-000001');
    person('p1', 'Lemoine');
    person('p2', 'Dupont');
    site('s1');
    sqlite
      .prepare(
        `insert into activities (id, code, name, kind, created_at, updated_at) values (?, ?, ?, ?, ?, ?)`,
      )
      .run('a1', 'ALSH-PV', 'ALSH petites vacances', 'alsh_petites_vacances', now, now);
    sqlite
      .prepare(
        `insert into units (id, activity_id, code, label, position, updated_at) values (?, ?, ?, ?, ?, ?)`,
      )
      .run('u1', 'a1', 'MATIN', 'Matin', 1, now);
  });

  it('refuses a membership pointing at an unknown household (foreign key)', () => {
    expect(() =>
      sqlite
        .prepare(
          `insert into household_members (household_id, person_id, role, created_at, updated_at) values (?, ?, ?, ?, ?)`,
        )
        .run('nope', 'p1', 'enfant', now, now),
    ).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }));
  });

  it('refuses negative places and negative taken (CHECK)', () => {
    const insert = sqlite.prepare(
      `insert into capacities (id, site_id, activity_id, unit_id, day, age_group, places, taken, updated_at)
       values (?, 's1', 'a1', 'u1', ?, 'maternelle', ?, ?, ?)`,
    );
    expect(() => insert.run('c1', '2026-10-19', -1, 0, now)).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }),
    );
    expect(() => insert.run('c2', '2026-10-20', 5, -1, now)).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }),
    );
    // taken above places is allowed by the schema (the server's guarded UPDATE prevents it).
    expect(() => insert.run('c3', '2026-10-21', 1, 2, now)).not.toThrow();
  });

  it('refuses a value outside an enum (CHECK)', () => {
    expect(() => site('s-bad', 'piscine')).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }),
    );
  });

  it('refuses a second titulaire in one household', () => {
    const insert = sqlite.prepare(
      `insert into household_members (household_id, person_id, role, created_at, updated_at) values ('h1', ?, ?, ?, ?)`,
    );
    insert.run('p1', 'titulaire', now, now);
    expect(() => insert.run('p2', 'titulaire', now, now)).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_UNIQUE' }),
    );
    expect(() => insert.run('p2', 'co_titulaire', now, now)).not.toThrow();
  });

  it('refuses a negative payment unless it reverses another one', () => {
    const insert = sqlite.prepare(
      `insert into payments (id, household_id, mode, amount_cents, received_at, reversal_of_payment_id, created_at, updated_at)
       values (?, 'h1', 'especes', ?, ?, ?, ?, ?)`,
    );
    insert.run('pay1', 2500, now, null, now, now);
    expect(() => insert.run('pay2', -2500, now, null, now, now)).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }),
    );
    expect(() => insert.run('pay3', -2500, now, 'pay1', now, now)).not.toThrow();
  });

  it('refuses an issued invoice without a number, and a document file in position 5', () => {
    expect(() =>
      sqlite
        .prepare(
          `insert into invoices (id, household_id, payer_person_id, label, month, status, created_at, updated_at)
           values ('i1', 'h1', 'p1', 'Octobre 2026', '2026-10', 'non_reglee', ?, ?)`,
        )
        .run(now, now),
    ).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }));
    sqlite
      .prepare(
        `insert into documents (id, household_id, space, qualification, title, created_at, created_by_kind, updated_at)
         values ('d1', 'h1', 'famille', 'certificat_medical', 'Certificat', ?, 'agent', ?)`,
      )
      .run(now, now);
    sqlite
      .prepare(`insert into blobs (hash, size, content_type, created_at) values (?, 3, 'application/pdf', ?)`)
      .run('a'.repeat(64), now);
    expect(() =>
      sqlite
        .prepare(
          `insert into document_files (id, document_id, blob_hash, filename, content_type, position, updated_at)
           values ('f5', 'd1', ?, 'x.pdf', 'application/pdf', 5, ?)`,
        )
        .run('a'.repeat(64), now),
    ).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }));
  });
});

describe('a failing migration', () => {
  it('throws a MigrationError and leaves nothing of its run applied', async () => {
    const broken = openDatabase(':memory:');
    try {
      const provider = {
        getMigrations: async () => ({
          ...migrations,
          '9999_broken': {
            up: async (kdb: Kysely<unknown>) => {
              await kdb.schema.createTable('half_built').addColumn('id', 'text').execute();
              throw new Error('boom');
            },
          },
        }),
      };
      const failure = await migrateToLatest(broken.db, provider).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(MigrationError);
      expect(failure).toMatchObject({
        code: 'DB_MIGRATION_FAILED',
        migrationName: '9999_broken',
        applied: [],
      });
      const tables = broken.sqlite
        .prepare(`select name from sqlite_master where name in ('half_built', 'households')`)
        .all();
      expect(tables).toEqual([]);
      // The real migrations still apply afterwards.
      expect((await migrateToLatest(broken.db)).applied).toHaveLength(SCHEMA_VERSION);
    } finally {
      broken.close();
    }
  });
});
