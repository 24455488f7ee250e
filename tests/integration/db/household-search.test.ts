/**
 * The family search index (FTS5, migration 0012): what it finds, in which order, and that its triggers keep it
 * right after every kind of write — repository writes without any refresh call, a desk applying pulled rows
 * (DeskRows, the generic upsert the replica uses), deletions, a moved membership — with FTS5's own
 * integrity check after each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../core/ids';
import { migrateToLatest } from '../../../db/migrate';
import { openDatabase } from '../../../db/open';
import type { OpenedDatabase } from '../../../db/open';
import { DeskRows } from '../../../db/repositories/desk-rows';
import {
  countHouseholds,
  rebuildHouseholdSearchIndex,
  searchHouseholds,
} from '../../../db/repositories/households';
import { NOW, insertHousehold } from './factories';

let opened: OpenedDatabase;
let becassines: { householdId: string; personIds: string[] };
let martin: { householdId: string; personIds: string[] };
let lemoine: { householdId: string; personIds: string[] };

async function codesFor(query: string): Promise<string[]> {
  return (await searchHouseholds(opened.db, { query })).map((h) => h.code);
}

/** FTS5's own check that the index matches its content table; throws SQLITE_CORRUPT_VTAB otherwise. */
function integrityCheck(): void {
  opened.sqlite.exec(`INSERT INTO household_search (household_search) VALUES ('integrity-check')`);
}

/** The documents as the triggers left them, then as a full rebuild computes them. */
function docsNow(): unknown[] {
  return opened.sqlite.prepare('SELECT * FROM household_search_docs ORDER BY docno').all();
}

beforeAll(async () => {
  opened = openDatabase(':memory:');
  await migrateToLatest(opened.db);
  becassines = await insertHousehold(opened.db, {
    code: 'F-000001',
    members: [
      {
        role: 'titulaire',
        person: {
          usage_last_name: 'Bécassines',
          first_names: 'Loïc François',
          mobile: '+33629140103',
          email: 'parent1@demo.fr',
        },
      },
      { role: 'co_titulaire', person: { usage_last_name: 'Bénard', first_names: 'Hélène' } },
      {
        role: 'enfant',
        person: { usage_last_name: 'Bécassines', first_names: 'Léa', birth_date: '2018-01-02' },
      },
      {
        role: 'enfant',
        person: { usage_last_name: 'Bécassines', first_names: 'Tom', birth_date: '2020-05-06' },
      },
      {
        role: 'entourage',
        relationship: 'grand-mère',
        person: { usage_last_name: 'Cœurdelion', first_names: 'Ægidia', phone: '+33563000011' },
      },
    ],
  });
  martin = await insertHousehold(opened.db, {
    code: 'F-000002',
    members: [
      {
        role: 'titulaire',
        person: { usage_last_name: 'Martin', first_names: 'Paul', mobile: '+33611223344' },
      },
      // A child named like the other family: that family's titulaire must come first.
      {
        role: 'enfant',
        person: { usage_last_name: 'Martin', first_names: 'Bécassine', birth_date: '2017-02-03' },
      },
    ],
  });
  lemoine = await insertHousehold(opened.db, {
    code: 'F-000003',
    members: [
      {
        role: 'titulaire',
        person: { usage_last_name: 'Lemoine', first_names: 'Zoé', email: 'zl.contact@example.fr' },
      },
      {
        role: 'enfant',
        person: { usage_last_name: 'Lemoine', first_names: 'Jules', birth_date: '2016-04-05' },
      },
    ],
  });
  await opened.db
    .insertInto('invoices')
    .values({
      id: newId(),
      number: '2610000123',
      household_id: lemoine.householdId,
      payer_person_id: lemoine.personIds[0] ?? '',
      label: 'Octobre 2026',
      month: '2026-10',
      status: 'non_reglee',
      created_at: NOW,
      updated_at: NOW,
    })
    .execute();
  await opened.db
    .insertInto('demandes')
    .values({
      id: newId(),
      number: 4711,
      household_id: martin.householdId,
      requester_person_id: null,
      requester_account_id: null,
      type: 'absence',
      subject: 'Absence',
      assigned_agent_id: null,
      decided_at: null,
      created_at: NOW,
      updated_at: NOW,
    })
    .execute();
});

afterAll(() => opened.close());

describe('family search', () => {
  it('finds "Bécassines" from "becassine", accent- and case-insensitive, as a prefix', async () => {
    for (const query of ['becassine', 'BÉCASSINE', 'Becas', 'bécassine']) {
      expect(await codesFor(query), query).toEqual(['F-000001', 'F-000002']);
    }
    // Whole words: "Bécassines" (family 1), not the child "Bécassine" (family 2).
    expect(await codesFor('becassines')).toEqual(['F-000001']);
  });

  it('puts families whose titulaire starts with the query first, then by who matched', async () => {
    // Titulaire "Bécassines Loïc" (F-000001) before the child "Martin Bécassine" (F-000002).
    expect(await codesFor('becassine')).toEqual(['F-000001', 'F-000002']);
    // Titulaire Martin first; nobody else.
    expect(await codesFor('martin')).toEqual(['F-000002']);
    expect(await codesFor('martin b')).toEqual(['F-000002']);
  });

  it("finds a family by any member's name: titulaire, co-titulaire, child, entourage", async () => {
    expect(await codesFor('loic francois')).toEqual(['F-000001']);
    expect(await codesFor('benard')).toEqual(['F-000001']);
    expect(await codesFor('helene')).toEqual(['F-000001']);
    expect(await codesFor('lea')).toEqual(['F-000001']);
    expect(await codesFor('coeurdelion')).toEqual(['F-000001']);
    expect(await codesFor('aegidia')).toEqual(['F-000001']);
    expect(await codesFor('jules')).toEqual(['F-000003']);
  });

  it('finds a phone number in any format: start, whole, international, last digits', async () => {
    for (const query of [
      '06 29 14 01 03',
      '0629140103',
      '06.29.14',
      '06-29',
      '+33 6 29 14 01 03',
      '+33629140103',
      '0033 6 29 14',
      '33629140103',
      '01 03',
      '140103',
    ]) {
      expect(await codesFor(query), query).toEqual(['F-000001']);
    }
    expect(await codesFor('05 63 00 00 11')).toEqual(['F-000001']); // the grandmother's landline
    expect(await codesFor('06 11 22')).toEqual(['F-000002']);
  });

  it('finds an e-mail, a family code, an invoice number, a demande number', async () => {
    expect(await codesFor('parent1@demo.fr')).toEqual(['F-000001']);
    expect(await codesFor('parent1')).toEqual(['F-000001']);
    expect(await codesFor('zl.contact@example.fr')).toEqual(['F-000003']);
    expect(await codesFor('zl.cont')).toEqual(['F-000003']);
    expect(await codesFor('zlcont')).toEqual(['F-000003']);
    // The domain is not indexed: "example" or "fr" would match every family.
    expect(await codesFor('example')).toEqual([]);
    expect(await codesFor('F-000003')).toEqual(['F-000003']);
    expect(await codesFor('f000003')).toEqual(['F-000003']);
    expect(await codesFor('000003')).toEqual(['F-000003']);
    expect(await codesFor('2610000123')).toEqual(['F-000003']);
    expect(await codesFor('26100001')).toEqual(['F-000003']);
    expect(await codesFor('4711')).toEqual(['F-000002']);
    expect(await codesFor('demande 4711')).toEqual(['F-000002']);
    expect(await codesFor('n° 4711')).toEqual(['F-000002']);
  });

  it('finds nothing for an unknown word, everything for an empty query, and counts like it lists', async () => {
    expect(await codesFor('inconnu')).toEqual([]);
    expect(await codesFor('becassine inconnu')).toEqual([]);
    expect(await codesFor('')).toEqual(['F-000001', 'F-000003', 'F-000002']);
    expect(await countHouseholds(opened.db, { query: 'becassine' })).toBe(2);
    expect(await countHouseholds(opened.db, { query: 'inconnu' })).toBe(0);
    expect(await countHouseholds(opened.db)).toBe(3);
  });

  it('pages with limit and offset in the same order', async () => {
    const all = await codesFor('b');
    expect(all.length).toBeGreaterThan(1);
    const pages = [];
    for (let offset = 0; offset < all.length; offset++) {
      pages.push(...(await searchHouseholds(opened.db, { query: 'b', limit: 1, offset })).map((h) => h.code));
    }
    expect(pages).toEqual(all);
  });

  it('takes FTS syntax in a query as plain words', async () => {
    for (const query of ['"', 'AND', 'becassine OR', 'NEAR(', '{names}:', '*', 'a:b', "l'abbé"]) {
      await expect(searchHouseholds(opened.db, { query }), query).resolves.toBeInstanceOf(Array);
    }
  });
});

describe('the index follows every write, in the same transaction', () => {
  it('finds a renamed child by the new name at once, without any refresh call', async () => {
    const tom = becassines.personIds[3] ?? '';
    await opened.db
      .updateTable('persons')
      .set({ first_names: 'Théodule', updated_at: NOW })
      .where('id', '=', tom)
      .execute();
    expect(await codesFor('theodule')).toEqual(['F-000001']);
    expect(await codesFor('tom')).toEqual([]);
    integrityCheck();
  });

  it('drops a rolled-back rename with the rest of the transaction', async () => {
    const failing = opened.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('persons')
        .set({ first_names: 'Rollbackine' })
        .where('id', '=', becassines.personIds[2] ?? '')
        .execute();
      throw new Error('abandon');
    });
    await expect(failing).rejects.toThrow('abandon');
    expect(await codesFor('rollbackine')).toEqual([]);
    expect(await codesFor('lea')).toEqual(['F-000001']);
    integrityCheck();
  });

  it('follows phones, e-mails and the household code', async () => {
    await opened.db
      .updateTable('persons')
      .set({ mobile: '+33700000042', email: 'nouvelle@adresse.fr' })
      .where('id', '=', lemoine.personIds[0] ?? '')
      .execute();
    expect(await codesFor('07 00 00 00 42')).toEqual(['F-000003']);
    expect(await codesFor('nouvelle@adresse')).toEqual(['F-000003']);
    expect(await codesFor('zl.contact@example.fr')).toEqual([]);
    await opened.db
      .updateTable('households')
      .set({ code: 'F-000103' })
      .where('id', '=', lemoine.householdId)
      .execute();
    expect(await codesFor('f000103')).toEqual(['F-000103']);
    expect(await codesFor('f000003')).toEqual([]);
    integrityCheck();
  });

  it('follows memberships: a person leaving, joining, changing role', async () => {
    const [paul, becassineMartin] = martin.personIds as [string, string];
    await opened.db
      .deleteFrom('household_members')
      .where('household_id', '=', martin.householdId)
      .where('person_id', '=', becassineMartin)
      .execute();
    expect(await codesFor('becassine')).toEqual(['F-000001']);
    await opened.db
      .insertInto('household_members')
      .values({
        household_id: lemoine.householdId,
        person_id: becassineMartin,
        role: 'entourage',
        created_at: NOW,
        updated_at: NOW,
      })
      .execute();
    expect(await codesFor('becassine')).toEqual(['F-000001', 'F-000103']);
    await opened.db
      .updateTable('household_members')
      .set({ role: 'enfant' })
      .where('household_id', '=', lemoine.householdId)
      .where('person_id', '=', becassineMartin)
      .execute();
    expect(await codesFor('becassine')).toEqual(['F-000001', 'F-000103']);
    // Paul stays findable in his own family.
    expect(await codesFor('paul')).toEqual(['F-000002']);
    expect(paul).not.toBe('');
    integrityCheck();
  });

  it("follows a desk applying the server's rows (generic upsert, and the replace path on a unique clash)", async () => {
    const rows = new DeskRows(opened.sqlite);
    const lea = becassines.personIds[2] ?? '';
    const person = rows.get('persons', [lea]);
    expect(person).toBeDefined();
    opened.sqlite.transaction(() => rows.upsert('persons', { ...person, first_names: 'Léopoldine' }))();
    expect(await codesFor('leopoldine')).toEqual(['F-000001']);
    expect(await codesFor('lea')).toEqual([]);

    // A pulled household that takes another one's code: INSERT OR REPLACE deletes the clashing row, which
    // fires no delete trigger.
    const local = newId();
    await opened.db
      .insertInto('households')
      .values({ id: local, code: 'F-000900', city: 'Avant', created_at: NOW, updated_at: NOW })
      .execute();
    const pulled = newId();
    opened.sqlite.transaction(() => {
      rows.upsert('households', {
        id: pulled,
        code: 'F-000900',
        city: 'Après',
        created_at: NOW,
        updated_at: NOW,
      });
    })();
    expect(opened.sqlite.prepare('SELECT id FROM households WHERE code = ?').pluck().all('F-000900')).toEqual(
      [pulled],
    );
    const found = await searchHouseholds(opened.db, { query: 'f000900' });
    expect(found.map((h) => [h.id, h.city])).toEqual([[pulled, 'Après']]);
    const keys = opened.sqlite
      .prepare('SELECT household_id FROM household_search_keys WHERE code = ?')
      .pluck();
    expect(keys.all('F-000900')).toEqual([pulled]);
    integrityCheck();
  });

  it('keeps the result line right: titulaire renamed, phone, city, children eldest first', async () => {
    const [titulaire] = martin.personIds as [string];
    await opened.db
      .updateTable('persons')
      .set({ usage_last_name: 'Martin-Bouvier', first_names: 'Paulin', mobile: null, phone: '+33555000001' })
      .where('id', '=', titulaire)
      .execute();
    await opened.db
      .updateTable('households')
      .set({ city: 'Albi' })
      .where('id', '=', martin.householdId)
      .execute();
    const child = (first: string, birth: string) => ({
      role: 'enfant' as const,
      person: { usage_last_name: 'Martin', first_names: first, birth_date: birth },
    });
    const added = await insertHousehold(opened.db, {
      code: 'F-000050',
      members: [
        { role: 'titulaire', person: { usage_last_name: 'Ordre', first_names: 'Aline' } },
        child('Cadette Marie', '2019-01-01'),
        child('Aînée', '2015-01-01'),
      ],
    });
    const [line] = await searchHouseholds(opened.db, { query: 'martin bouvier' });
    expect(line).toMatchObject({
      code: 'F-000002',
      titulaire: 'MARTIN-BOUVIER Paulin',
      city: 'Albi',
      phone: '+33555000001',
    });
    const [ordre] = await searchHouseholds(opened.db, { query: 'ordre' });
    expect(ordre).toMatchObject({ id: added.householdId, children: ['Aînée', 'Cadette'], coTitulaire: null });
    await opened.db
      .updateTable('persons')
      .set({ birth_date: '2010-01-01' })
      .where('id', '=', added.personIds[1] ?? '')
      .execute();
    expect((await searchHouseholds(opened.db, { query: 'ordre' }))[0]?.children).toEqual([
      'Cadette',
      'Aînée',
    ]);
    integrityCheck();
  });

  it('forgets a deleted household', async () => {
    const id = newId();
    await opened.db
      .insertInto('households')
      .values({ id, code: 'F-000777', created_at: NOW, updated_at: NOW })
      .execute();
    expect(await codesFor('f000777')).toEqual(['F-000777']);
    await opened.db.deleteFrom('households').where('id', '=', id).execute();
    expect(await codesFor('f000777')).toEqual([]);
    const keys = opened.sqlite
      .prepare('SELECT COUNT(*) FROM household_search_keys WHERE household_id = ?')
      .pluck();
    expect(keys.get(id)).toBe(0);
    integrityCheck();
  });

  it('holds exactly what a full rebuild computes', () => {
    const keys = (): unknown[] =>
      opened.sqlite
        .prepare('SELECT household_id, sort_name, code FROM household_search_keys ORDER BY household_id')
        .all();
    const docsByHousehold = (): unknown[] =>
      opened.sqlite
        .prepare(
          `SELECT k.household_id, d.docno & 7 AS role, d.names, d.email, d.phones, d.codes
             FROM household_search_docs d JOIN household_search_keys k ON k.hno = d.docno >> 3
            ORDER BY k.household_id, role`,
        )
        .all();
    const [keysBefore, docsBefore] = [keys(), docsByHousehold()];
    expect(docsNow().length).toBeGreaterThan(0);
    opened.sqlite.transaction(() => rebuildHouseholdSearchIndex(opened.sqlite))();
    expect(keys()).toEqual(keysBefore);
    expect(docsByHousehold()).toEqual(docsBefore);
    integrityCheck();
  });
});
