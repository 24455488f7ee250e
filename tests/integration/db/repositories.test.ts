import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../core/ids';
import { migrateToLatest } from '../../../db/migrate';
import { openDatabase } from '../../../db/open';
import type { OpenedDatabase } from '../../../db/open';
import { findAgentByLogin } from '../../../db/repositories/agents';
import {
  countHouseholds,
  getHouseholdFile,
  refreshHouseholdSearchText,
  searchHouseholds,
} from '../../../db/repositories/households';
import { getTown, listActivities, listPublications, listSites } from '../../../db/repositories/town';
import { NOW, insertHousehold } from './factories';

let opened: OpenedDatabase;
let lemoineDupont: { householdId: string; personIds: string[] };
let lemoine: { householdId: string; personIds: string[] };

beforeAll(async () => {
  opened = openDatabase(':memory:');
  await migrateToLatest(opened.db);
  lemoineDupont = await insertHousehold(opened.db, {
    code: 'F-000123',
    city: 'Parempuyre',
    members: [
      {
        role: 'titulaire',
        person: {
          usage_last_name: 'Lemoine-Dûpont',
          first_names: 'Bécassine Marie',
          mobile: '06 12 34 56 78',
          email: 'becassine.lemoine@example.fr',
        },
      },
      {
        role: 'co_titulaire',
        person: { usage_last_name: 'Lagaffe', first_names: 'Gaston', phone: '05 56 11 22 33' },
      },
      {
        role: 'enfant',
        person: { usage_last_name: 'Lagaffe', first_names: 'Anaïs', birth_date: '2017-03-02' },
      },
      {
        role: 'enfant',
        person: { usage_last_name: 'Lagaffe', first_names: 'Noé', birth_date: '2019-06-15' },
      },
      {
        role: 'entourage',
        relationship: 'voisine',
        person: { usage_last_name: 'Prunelle', first_names: 'Jeanne', phone: '05 56 99 99 99' },
      },
    ],
  });
  lemoine = await insertHousehold(opened.db, {
    code: 'F-000124',
    city: 'Castres',
    members: [
      {
        role: 'titulaire',
        person: { usage_last_name: 'Lemoine', first_names: 'Hervé', phone: '+33 5 63 00 00 00' },
      },
      {
        role: 'enfant',
        person: { usage_last_name: 'Lemoine', first_names: 'Zoé', birth_date: '2016-01-20' },
      },
    ],
  });
});

afterAll(() => opened.close());

async function codesFor(query: string): Promise<string[]> {
  return (await searchHouseholds(opened.db, { query })).map((h) => h.code);
}

describe('searchHouseholds', () => {
  it('finds "Bécassine Lemoine-Dûpont" from "becassine", whatever the accents and case', async () => {
    expect(await codesFor('becassine')).toEqual(['F-000123']);
    expect(await codesFor('BÉCASSINE')).toEqual(['F-000123']);
    expect(await codesFor('becas')).toEqual(['F-000123']);
    expect(await codesFor('dupont')).toEqual(['F-000123']);
    expect(await codesFor('lemoine dupont')).toEqual(['F-000123']);
  });

  it('lists every family sharing a name, ordered by titulaire', async () => {
    expect(await codesFor('lemoine')).toEqual(['F-000123', 'F-000124']);
  });

  it('finds a family from a child first name', async () => {
    expect(await codesFor('anais')).toEqual(['F-000123']);
    expect(await codesFor('zoe')).toEqual(['F-000124']);
  });

  it('finds a family from a phone number, however it is typed', async () => {
    expect(await codesFor('06 12 34 56 78')).toEqual(['F-000123']);
    expect(await codesFor('0612345678')).toEqual(['F-000123']);
    expect(await codesFor('+33 6 12 34 56 78')).toEqual(['F-000123']);
    expect(await codesFor('06.12.34.56.78')).toEqual(['F-000123']);
    expect(await codesFor('56 78')).toEqual(['F-000123']);
    expect(await codesFor('05 63 00 00 00')).toEqual(['F-000124']);
  });

  it('finds a family from its code', async () => {
    expect(await codesFor('F-000123')).toEqual(['F-000123']);
    expect(await codesFor('f000123')).toEqual(['F-000123']);
    expect(await codesFor('000124')).toEqual(['F-000124']);
  });

  it('finds a family from an e-mail', async () => {
    expect(await codesFor('becassine.lemoine@example.fr')).toEqual(['F-000123']);
  });

  it('finds a family from an invoice number', async () => {
    await opened.db
      .insertInto('invoices')
      .values({
        id: newId(),
        number: '2210002476',
        household_id: lemoine.householdId,
        payer_person_id: lemoine.personIds[0] ?? '',
        label: 'Octobre 2026',
        month: '2026-10',
        status: 'non_reglee',
        created_at: NOW,
        updated_at: NOW,
      })
      .execute();
    expect(await codesFor('2210002476')).toEqual(['F-000124']);
  });

  it('finds a family from its entourage too, but nothing from nothing', async () => {
    expect(await codesFor('prunelle')).toEqual(['F-000123']);
    expect(await codesFor('05 56 99 99 99')).toEqual(['F-000123']);
    expect(await codesFor('inconnu')).toEqual([]);
  });

  it('summarises a household for the result list', async () => {
    const [summary] = await searchHouseholds(opened.db, { query: 'becassine' });
    expect(summary).toEqual({
      id: lemoineDupont.householdId,
      code: 'F-000123',
      titulaire: 'LEMOINE-DÛPONT Bécassine',
      coTitulaire: 'LAGAFFE Gaston',
      children: ['Anaïs', 'Noé'],
      city: 'Parempuyre',
      phone: '06 12 34 56 78',
      email: 'becassine.lemoine@example.fr',
    });
  });

  it('pages through every household when the query is empty', async () => {
    expect(await codesFor('')).toEqual(['F-000123', 'F-000124']);
    expect((await searchHouseholds(opened.db, { limit: 1, offset: 1 })).map((h) => h.code)).toEqual([
      'F-000124',
    ]);
    expect(await countHouseholds(opened.db)).toBe(2);
    expect(await countHouseholds(opened.db, { query: 'zoe' })).toBe(1);
  });

  it('follows a change once the search text is refreshed', async () => {
    const childId = lemoine.personIds[1] ?? '';
    await opened.db
      .updateTable('persons')
      .set({ first_names: 'Zoélie', updated_at: NOW })
      .where('id', '=', childId)
      .execute();
    await refreshHouseholdSearchText(opened.db, lemoine.householdId);
    expect(await codesFor('zoelie')).toEqual(['F-000124']);
    const person = await opened.db
      .selectFrom('persons')
      .select('search_text')
      .where('id', '=', childId)
      .executeTakeFirstOrThrow();
    expect(person.search_text).toBe('lemoine zoelie');
  });
});

describe('getHouseholdFile', () => {
  it('returns the household, its members by role, its children and its QF history', async () => {
    const [titulaireId, , anaisId] = lemoineDupont.personIds;
    await opened.db
      .insertInto('health_notes')
      .values({ id: newId(), person_id: anaisId ?? '', kind: 'allergie', label: 'Arachide', updated_at: NOW })
      .execute();
    await opened.db
      .insertInto('person_relations')
      .values({
        id: newId(),
        person_id: anaisId ?? '',
        related_person_id: titulaireId ?? '',
        relation: 'mere',
        parental_authority: 1,
        updated_at: NOW,
      })
      .execute();
    for (const [value, validFrom] of [
      [612, '2025-01-01'],
      [734, '2026-01-01'],
    ] as const) {
      await opened.db
        .insertInto('qf_records')
        .values({
          id: newId(),
          household_id: lemoineDupont.householdId,
          value,
          source: 'caf',
          valid_from: validFrom,
          created_at: NOW,
          updated_at: NOW,
        })
        .execute();
    }

    const file = await getHouseholdFile(opened.db, lemoineDupont.householdId);
    expect(file?.household.code).toBe('F-000123');
    expect(file?.members.map((m) => [m.role, m.person.first_names])).toEqual([
      ['titulaire', 'Bécassine Marie'],
      ['co_titulaire', 'Gaston'],
      ['enfant', 'Anaïs'],
      ['enfant', 'Noé'],
      ['entourage', 'Jeanne'],
    ]);
    expect(file?.members[4]).toMatchObject({ relationship: 'voisine', canPickUp: false });
    expect(file?.children.map((c) => c.person.first_names)).toEqual(['Anaïs', 'Noé']);
    expect(file?.children[0]?.healthNotes.map((n) => n.label)).toEqual(['Arachide']);
    expect(file?.children[0]?.relations).toMatchObject([
      { related_person_id: titulaireId, parental_authority: 1 },
    ]);
    expect(file?.qfHistory.map((q) => q.value)).toEqual([734, 612]);
  });

  it('returns null for an unknown household', async () => {
    expect(await getHouseholdFile(opened.db, newId())).toBeNull();
  });
});

describe('town repository', () => {
  beforeAll(async () => {
    const db = opened.db;
    await db
      .insertInto('towns')
      .values({ id: newId(), name: 'Parempuyre', insee_code: '33312', created_at: NOW, updated_at: NOW })
      .execute();
    const siteId = newId();
    await db
      .insertInto('sites')
      .values([
        {
          id: siteId,
          name: 'ALSH Maternelle Libération',
          kind: 'maternelle',
          active: 1,
          created_at: NOW,
          updated_at: NOW,
        },
        { id: newId(), name: 'Ancienne école', kind: 'autre', active: 0, created_at: NOW, updated_at: NOW },
      ])
      .execute();
    const activityId = newId();
    await db
      .insertInto('activities')
      .values({
        id: activityId,
        code: 'ALSH-PV',
        name: 'ALSH petites vacances',
        kind: 'alsh_petites_vacances',
        created_at: NOW,
        updated_at: NOW,
      })
      .execute();
    await db
      .insertInto('activity_sites')
      .values({ activity_id: activityId, site_id: siteId, updated_at: NOW })
      .execute();
    await db
      .insertInto('units')
      .values([
        {
          id: newId(),
          activity_id: activityId,
          code: 'APRES_MIDI',
          label: 'Après-Midi',
          position: 4,
          updated_at: NOW,
        },
        { id: newId(), activity_id: activityId, code: 'MATIN', label: 'Matin', position: 1, updated_at: NOW },
      ])
      .execute();
    await db
      .insertInto('publications')
      .values([
        {
          id: newId(),
          kind: 'actualite',
          title: 'Inscriptions ALSH',
          body: '…',
          published_on: '2026-10-01',
          created_at: NOW,
          updated_at: NOW,
        },
        {
          id: newId(),
          kind: 'actualite',
          title: 'Menus de novembre',
          body: '…',
          published_on: '2026-11-01',
          created_at: NOW,
          updated_at: NOW,
        },
        {
          id: newId(),
          kind: 'actualite',
          title: 'Fête de l’été',
          body: '…',
          published_on: '2026-06-01',
          expires_on: '2026-07-01',
          created_at: NOW,
          updated_at: NOW,
        },
        {
          id: newId(),
          kind: 'info_pratique',
          title: 'Horaires',
          body: '…',
          published_on: '2026-01-01',
          created_at: NOW,
          updated_at: NOW,
        },
        {
          id: newId(),
          kind: 'actualite',
          title: 'Plus tard',
          body: '…',
          published_on: '2027-01-01',
          created_at: NOW,
          updated_at: NOW,
        },
      ])
      .execute();
    const agentId = newId();
    await db
      .insertInto('agents')
      .values({
        id: agentId,
        login: 'mdupuis',
        display_name: 'Martine Dupuis',
        password_hash: 'x',
        created_at: NOW,
        updated_at: NOW,
      })
      .execute();
    await db
      .insertInto('agent_roles')
      .values([
        { agent_id: agentId, role: 'regisseur', updated_at: NOW },
        { agent_id: agentId, role: 'accueil', updated_at: NOW },
      ])
      .execute();
  });

  it('gets the town and its active sites', async () => {
    expect((await getTown(opened.db))?.name).toBe('Parempuyre');
    expect((await listSites(opened.db)).map((s) => s.name)).toEqual(['ALSH Maternelle Libération']);
    expect(await listSites(opened.db, { includeInactive: true })).toHaveLength(2);
  });

  it('lists activities with their units in order', async () => {
    const [activity] = await listActivities(opened.db);
    expect(activity?.code).toBe('ALSH-PV');
    expect(activity?.units.map((u) => u.code)).toEqual(['MATIN', 'APRES_MIDI']);
    expect(activity?.siteIds).toHaveLength(1);
  });

  it('lists the publications online on a day, newest first', async () => {
    const news = await listPublications(opened.db, { kind: 'actualite', limit: 6, onDay: '2026-11-22' });
    expect(news.map((p) => p.title)).toEqual(['Menus de novembre', 'Inscriptions ALSH']);
    expect(
      await listPublications(opened.db, { kind: 'actualite', limit: 1, onDay: '2026-11-22' }),
    ).toHaveLength(1);
    expect((await listPublications(opened.db, { onDay: '2026-11-22' })).map((p) => p.title)).toContain(
      'Horaires',
    );
  });

  it('finds an agent by login with their roles', async () => {
    const agent = await findAgentByLogin(opened.db, 'mdupuis');
    expect(agent).toMatchObject({
      display_name: 'Martine Dupuis',
      active: 1,
      roles: ['accueil', 'regisseur'],
    });
    expect(await findAgentByLogin(opened.db, 'personne')).toBeNull();
  });
});
