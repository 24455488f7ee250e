import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDayUnits } from '../../../core/booking/units';
import type { UnitCode } from '../../../core/booking/units';
import { openDatabase } from '../../../db/open';
import type { OpenedDatabase } from '../../../db/open';
import { refreshAllHouseholdsSearchText, searchHouseholds } from '../../../db/repositories/households';
import type { ActivityKind } from '../../../db/schema';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDatabaseFile, verifyPassword } from '../../../db/seed';
import type { DemoTownSummary } from '../../../db/seed';

const FAMILIES = 300;
const TODAY = '2026-11-23';
/** Kysely's own bookkeeping (migration times) is not part of the town. */
const NOT_TOWN_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

let dir: string;
let first: { file: string; summary: DemoTownSummary };
let town: OpenedDatabase;
let sqlite: BetterSqlite3.Database;

async function seed(name: string, seedNumber: number) {
  const file = path.join(dir, `${name}.sqlite`);
  const summary = await seedDatabaseFile(file, { families: FAMILIES, seed: seedNumber, today: TODAY });
  return { file, summary };
}

/** SHA-256 over every table's rows, each table ordered by its primary key. */
function dumpHash(file: string): string {
  const { sqlite: db, close } = openDatabase(file, { readonly: true });
  try {
    const hash = createHash('sha256');
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[];
    for (const { name } of tables) {
      if (NOT_TOWN_TABLES.has(name)) continue;
      const columns = db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; pk: number }[];
      const key = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
      const orderBy = (key.length > 0 ? key : columns).map((c) => `"${c.name}"`).join(', ');
      hash.update(`\n#${name}\n`);
      for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY ${orderBy}`).raw().iterate()) {
        hash.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v)));
        hash.update('\n');
      }
    }
    return hash.digest('hex');
  } finally {
    close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gf-seed-test-'));
  first = await seed('first', 42);
  town = openDatabase(first.file);
  sqlite = town.sqlite;
});

afterAll(async () => {
  await town?.db.destroy();
  town?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo town generator', () => {
  it('gives byte-identical data for the same seed and today, and different data for another seed', async () => {
    const again = await seed('again', 42);
    const other = await seed('other', 43);
    const reference = dumpHash(first.file);
    expect(dumpHash(again.file)).toBe(reference);
    expect(again.summary.counts).toEqual(first.summary.counts);
    expect(dumpHash(other.file)).not.toBe(reference);
  });

  it('refuses to overwrite a non-empty database without force', async () => {
    await expect(seedDatabaseFile(first.file, { families: 2, seed: 1, today: TODAY })).rejects.toMatchObject({
      code: 'SEED_DATABASE_EXISTS',
    });
  });

  it('has the requested households, each with a titulaire and children of 3 to 11', () => {
    const count = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n;
    expect(count('SELECT COUNT(*) AS n FROM households')).toBe(FAMILIES);
    expect(
      count("SELECT COUNT(DISTINCT household_id) AS n FROM household_members WHERE role = 'titulaire'"),
    ).toBe(FAMILIES);
    expect(count("SELECT COUNT(*) AS n FROM household_members WHERE role = 'enfant'")).toBeGreaterThanOrEqual(
      FAMILIES,
    );
    expect(
      count(
        `SELECT COUNT(*) AS n FROM persons p JOIN household_members m ON m.person_id = p.id
         WHERE m.role = 'enfant' AND (p.birth_date > '2023-12-31' OR p.birth_date < '2015-01-01' OR p.school_level IS NULL)`,
      ),
    ).toBe(0);
    expect(count("SELECT COUNT(*) AS n FROM bookings WHERE state = 'reservee'")).toBeGreaterThan(
      FAMILIES * 20,
    );
    expect(count('SELECT COUNT(*) AS n FROM invoices')).toBeGreaterThan(FAMILIES / 2);
    expect(count('SELECT COUNT(*) AS n FROM demandes')).toBeGreaterThan(FAMILIES / 2);
  });

  it('books only children with a validated inscription to that activity, at its site, on an opening day', () => {
    const wrong = sqlite
      .prepare(
        `SELECT COUNT(*) AS n FROM bookings b
         LEFT JOIN inscriptions i ON i.id = b.inscription_id
         LEFT JOIN opening_days o ON o.period_id = i.period_id AND o.site_id = b.site_id AND o.day = b.day
         WHERE i.id IS NULL OR i.status <> 'validee' OR i.person_id <> b.person_id
            OR i.activity_id <> b.activity_id OR i.site_id <> b.site_id OR o.id IS NULL`,
      )
      .get() as { n: number };
    expect(wrong.n).toBe(0);
  });

  it('never gives more places than a capacity has, and counts every reserved booking in it', () => {
    const mismatches = sqlite
      .prepare(
        `SELECT c.id, c.places, c.taken, COUNT(b.id) AS reserved
         FROM capacities c
         LEFT JOIN bookings b ON b.site_id = c.site_id AND b.unit_id = c.unit_id AND b.day = c.day
              AND b.age_group = c.age_group AND b.state = 'reservee'
         GROUP BY c.id HAVING reserved <> c.taken OR c.taken > c.places`,
      )
      .all();
    expect(mismatches).toEqual([]);
    const uncovered = sqlite
      .prepare(
        `SELECT COUNT(*) AS n FROM bookings b LEFT JOIN capacities c ON c.site_id = b.site_id
           AND c.unit_id = b.unit_id AND c.day = b.day AND c.age_group = b.age_group WHERE c.id IS NULL`,
      )
      .get() as { n: number };
    expect(uncovered.n).toBe(0);
    const waiting = sqlite.prepare("SELECT COUNT(*) AS n FROM bookings WHERE state = 'en_attente'").get() as {
      n: number;
    };
    expect(waiting.n).toBeGreaterThan(0);
  });

  it('books ALSH days that respect the unit rules (a meal never alone, AV or SV)', () => {
    const days = sqlite
      .prepare(
        `SELECT a.kind, b.person_id, b.day, b.state, group_concat(u.code) AS units
         FROM bookings b JOIN activities a ON a.id = b.activity_id JOIN units u ON u.id = b.unit_id
         WHERE a.kind LIKE 'alsh_%' GROUP BY a.kind, b.person_id, b.day, b.state`,
      )
      .all() as { kind: ActivityKind; person_id: string; day: string; state: string; units: string }[];
    expect(days.length).toBeGreaterThan(100);
    const invalid = days.filter((d) => !validateDayUnits(d.kind, d.units.split(',') as UnitCode[]).ok);
    expect(invalid).toEqual([]);
  });

  it('numbers invoices and demandes without gaps, as the counters say', () => {
    const counter = (name: string) =>
      (sqlite.prepare('SELECT value FROM counters WHERE name = ?').get(name) as { value: number }).value;
    const invoices = sqlite.prepare('SELECT number FROM invoices ORDER BY number').all() as {
      number: string;
    }[];
    const sequence = invoices.map((i) => Number(i.number.slice(4))).sort((a, b) => a - b);
    expect(sequence).toEqual(sequence.map((_, i) => i + 1));
    expect(counter('invoice')).toBe(invoices.length);
    const demandes = sqlite.prepare('SELECT number FROM demandes ORDER BY number').all() as {
      number: number;
    }[];
    expect(demandes.map((d) => d.number)).toEqual(demandes.map((_, i) => i + 1));
    expect(counter('demande')).toBe(demandes.length);
    const totals = sqlite
      .prepare(
        `SELECT COUNT(*) AS n FROM invoices i WHERE total_cents <> (SELECT SUM(amount_cents) FROM invoice_lines l WHERE l.invoice_id = i.id)
           OR paid_cents <> (SELECT COALESCE(SUM(amount_cents), 0) FROM payment_allocations a WHERE a.invoice_id = i.id)`,
      )
      .get() as { n: number };
    expect(totals.n).toBe(0);
  });

  it('has nothing happening after "today"', () => {
    const now = new Date('2026-11-23T07:00:00.000Z').toISOString();
    const late = sqlite
      .prepare(
        `SELECT (SELECT COUNT(*) FROM bookings WHERE created_at > @now OR updated_at > @now)
              + (SELECT COUNT(*) FROM attendance WHERE day >= '2026-11-23' OR recorded_at > @now)
              + (SELECT COUNT(*) FROM payments WHERE received_at > @now)
              + (SELECT COUNT(*) FROM demande_events WHERE at > @now) AS n`,
      )
      .get({ now }) as { n: number };
    expect(late.n).toBe(0);
  });

  it('finds the Bécassines family from "becassine", with search columns as the repository computes them', async () => {
    const found = await searchHouseholds(town.db, { query: 'becassine' });
    expect(found.some((h) => h.titulaire.startsWith('BÉCASSINES'))).toBe(true);
    const before = sqlite.prepare('SELECT id, search_text, sort_name FROM households ORDER BY id').all();
    const persons = sqlite.prepare('SELECT id, search_text FROM persons ORDER BY id').all();
    await refreshAllHouseholdsSearchText(town.db);
    expect(sqlite.prepare('SELECT id, search_text, sort_name FROM households ORDER BY id').all()).toEqual(
      before,
    );
    expect(sqlite.prepare('SELECT id, search_text FROM persons ORDER BY id').all()).toEqual(persons);
  });

  it('lets the demo agents and parents log in with the demo password', async () => {
    for (const login of DEMO_LOGINS) {
      const row =
        login.app === 'desk'
          ? (sqlite
              .prepare(
                'SELECT a.password_hash, r.role FROM agents a JOIN agent_roles r ON r.agent_id = a.id WHERE a.login = ?',
              )
              .get(login.login) as { password_hash: string; role: string } | undefined)
          : (sqlite
              .prepare(
                "SELECT password_hash, 'parent' AS role FROM citizen_accounts WHERE login = ? AND status = 'actif' AND household_id IS NOT NULL",
              )
              .get(login.login) as { password_hash: string; role: string } | undefined);
      expect(row, login.login).toBeDefined();
      expect(row!.role).toBe(login.role);
      expect(await verifyPassword(DEMO_PASSWORD, row!.password_hash)).toBe(true);
      expect(await verifyPassword('demo2026!', row!.password_hash)).toBe(false);
    }
    const desk = sqlite.prepare('SELECT name FROM desks WHERE receipt_prefix = ?').get('HV1') as {
      name: string;
    };
    expect(desk.name).toBe('Accueil Hôtel de Ville');
  });

  it('leaves no dangling foreign key', () => {
    expect(sqlite.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
  });
});
