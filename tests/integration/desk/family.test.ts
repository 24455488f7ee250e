// The family file at the desk against the real server: a family created offline is pending under a provisional
// code until the server numbers it; duplicates are caught at the desk and again by the server; French rules
// refuse bad input field by field; every edit is a synced command with its before / after in the audit trail;
// the access letter carries the identifiant and a single-use key whose hash only reaches the server.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../../../db/open';
import type { OpenedDatabase } from '../../../db/open';
import { accessKeyHash } from '../../../db/seed';
import { buildServer } from '../../../server/app';
import { issueDeskToken } from '../../../server/auth/desk-tokens';
import type { DeskBackend } from '../../../electron/backend/desk-backend';
import { hashAccessKey } from '../../../electron/backend/sync/household-commands';
import type { FamilyDraft } from '../../../electron/contract';
import { TownFiles, addDesk, call, refusal, startDesk } from '../desk-sync/fixtures';
import { Network } from '../desk-sync/network';

const files = new TownFiles();
let database: OpenedDatabase;
let server: FastifyInstance;
let url: string;
const desks: DeskBackend[] = [];

beforeAll(async () => {
  await files.seed(30);
});
afterAll(() => files.dispose());

beforeEach(async () => {
  database = openDatabase(files.serverCopy());
  server = await buildServer({ database });
  url = await server.listen({ host: '127.0.0.1', port: 0 });
});

afterEach(async () => {
  for (const desk of desks.splice(0)) desk.close();
  await server.close();
  database.close();
});

async function newDesk(name: string): Promise<{ desk: DeskBackend; network: Network }> {
  const deskId = addDesk(database.sqlite, `Poste ${name}`, name.toUpperCase());
  const network = new Network();
  const desk = await startDesk({
    dbPath: files.path(name),
    serverUrl: url,
    deskToken: issueDeskToken(database.sqlite, deskId),
    fetch: network.fetch,
    sync: { events: false },
  });
  desks.push(desk);
  return { desk, network };
}

function draft(
  overrides: { lastName?: string; email?: string; childFirst?: string; birth?: string } = {},
): FamilyDraft {
  const lastName = overrides.lastName ?? 'Quénéhervé';
  return {
    household: {
      numero: '14',
      voie: 'boulevard Jacques Duclos',
      postcode: '49170',
      city: 'Saint-Aubin-sur-Loire',
    },
    titulaire: {
      person: {
        civility: 'm',
        usageLastName: lastName,
        firstNames: 'Jacques',
        birthCountry: 'France',
        birthCommune: 'Bayonne',
        mobile: '06 34 25 86 15',
        email: overrides.email ?? 'jacques.quenecherve@exemple.fr',
        preferredContact: 'email',
      },
      relationship: 'père',
    },
    coTitulaire: {
      person: { civility: 'mme', usageLastName: lastName, firstNames: 'Nathalie' },
      relationship: 'mère',
    },
    children: [
      {
        person: {
          usageLastName: lastName,
          firstNames: overrides.childFirst ?? 'Charlotte',
          birthDate: overrides.birth ?? '2018-03-14',
          sex: 'f',
          schoolName: 'École élémentaire Jean Jaurès',
          schoolLevel: 'elementaire',
          classLevel: 'CE2',
        },
        relationship: 'fille',
      },
    ],
  };
}

function serverRow<T>(sql: string, ...params: unknown[]): T | undefined {
  return database.sqlite.prepare(sql).get(...params) as T | undefined;
}

describe('creating a family', () => {
  it('is pending under a provisional code offline, then gets its family code from the server', async () => {
    const { desk, network } = await newDesk('fam1');
    const maxBefore = serverRow<{ n: number }>(
      "SELECT MAX(CAST(substr(code, 3) AS INTEGER)) AS n FROM households WHERE code LIKE 'F-%'",
    )!.n;
    network.goOffline();

    const created = await call(desk, 'family/create', { draft: draft(), confirmedDuplicates: [] });
    expect(created.provisionalCode).toMatch(/^P-FAM1-\d{4}$/);
    const pending = await call(desk, 'family/get', { id: created.householdId });
    expect(pending.code).toBe(created.provisionalCode);
    expect(pending.codeProvisional).toBe(true);
    expect(pending.pendingOps).toBe(1);
    expect(pending.flags.map((f) => f.code)).toContain('CODE_PROVISIONAL');
    expect(pending.titulaire?.mobile).toEqual({ e164: '+33634258615', display: '06 34 25 86 15' });
    expect(pending.children.map((c) => [c.firstNames, c.classLevel, c.age])).toEqual([
      ['Charlotte', 'CE2', expect.stringMatching(/ans$/)],
    ]);
    // The desk's search finds it by a child's name typed without accents.
    const found = await call(desk, 'family/search', { query: 'queneherve charlotte' });
    expect(found.map((f) => f.id)).toContain(created.householdId);
    expect(serverRow('SELECT 1 FROM households WHERE id = ?', created.householdId)).toBeUndefined();

    network.goOnline();
    await call(desk, 'sync/now', undefined);
    const synced = await call(desk, 'family/get', { id: created.householdId });
    expect(synced.code).toBe(`F-${String(maxBefore + 1).padStart(6, '0')}`);
    expect(synced.codeProvisional).toBe(false);
    expect(synced.pendingOps).toBe(0);
    expect(
      serverRow<{ code: string }>('SELECT code FROM households WHERE id = ?', created.householdId)?.code,
    ).toBe(synced.code);
    const audit = serverRow<{ details_json: string }>(
      "SELECT details_json FROM audit_log WHERE action = 'household.create' AND household_id = ?",
      created.householdId,
    );
    expect(JSON.parse(audit!.details_json)).toMatchObject({
      code: synced.code,
      provisionalCode: created.provisionalCode,
    });
    // The server keeps the search columns too (the portal's agents and the next snapshot use them).
    expect(
      serverRow<{ search_text: string }>(
        'SELECT search_text FROM households WHERE id = ?',
        created.householdId,
      )?.search_text,
    ).toContain('charlotte');
  });

  it('finds duplicates by child name and birth date (accents and case ignored) and by e-mail', async () => {
    const { desk } = await newDesk('fam2');
    const child = serverRow<{
      household_id: string;
      usage_last_name: string;
      first_names: string;
      birth_date: string;
    }>(
      `SELECT m.household_id, p.usage_last_name, p.first_names, p.birth_date FROM persons p
         JOIN household_members m ON m.person_id = p.id WHERE m.role = 'enfant' AND p.usage_last_name = 'Bécassines'
        ORDER BY p.birth_date LIMIT 1`,
    )!;
    const sameChild = draft({
      lastName: 'BECASSINES',
      childFirst: child.first_names.split(' ')[0]!.toLowerCase(),
      birth: child.birth_date,
      email: 'autre.adresse@exemple.fr',
    });
    const byChild = await call(desk, 'family/check-duplicates', { draft: sameChild });
    expect(byChild.map((d) => d.householdId)).toEqual([child.household_id]);
    expect(byChild[0]!.reasons[0]).toMatchObject({ kind: 'child', birthDate: child.birth_date });
    expect(byChild[0]!.reasonTexts[0]).toMatch(/^même enfant : /);

    const byEmail = await call(desk, 'family/check-duplicates', {
      draft: draft({ email: 'PARENT1@demo.fr' }),
    });
    expect(byEmail.map((d) => d.householdId)).toEqual([child.household_id]);
    expect(byEmail[0]!.reasons.map((r) => r.kind)).toContain('email');
    expect(await call(desk, 'family/check-duplicates', { draft: draft() })).toEqual([]);

    const refused = await refusal(desk, 'family/create', { draft: sameChild, confirmedDuplicates: [] });
    expect(refused.code).toBe('HOUSEHOLD_DUPLICATE');
    expect(refused.message).toMatch(/ressemble à un dossier existant/);
    const created = await call(desk, 'family/create', {
      draft: sameChild,
      confirmedDuplicates: [child.household_id],
    });
    await call(desk, 'sync/now', undefined);
    expect((await call(desk, 'family/get', { id: created.householdId })).codeProvisional).toBe(false);
  });

  it('lets the server refuse the same family created at two desks offline (listed in À traiter)', async () => {
    const a = await newDesk('fama');
    const b = await newDesk('famb');
    a.network.goOffline();
    b.network.goOffline();
    const first = await call(a.desk, 'family/create', { draft: draft(), confirmedDuplicates: [] });
    const second = await call(b.desk, 'family/create', {
      draft: draft({ email: 'n.quenecherve@exemple.fr' }),
      confirmedDuplicates: [],
    });
    a.network.goOnline();
    b.network.goOnline();
    await call(a.desk, 'sync/now', undefined);
    await call(b.desk, 'sync/now', undefined);
    expect((await call(a.desk, 'family/get', { id: first.householdId })).codeProvisional).toBe(false);
    expect((await refusal(b.desk, 'family/get', { id: second.householdId })).code).toBe(
      'HOUSEHOLD_NOT_FOUND',
    );
    const toHandle = await call(b.desk, 'sync/to-handle', undefined);
    expect(toHandle).toHaveLength(1);
    expect(toHandle[0]).toMatchObject({
      command: 'household.create',
      outcome: 'rejected',
      code: 'HOUSEHOLD_DUPLICATE',
    });
    expect(toHandle[0]!.asked).toMatch(/^Création de la famille QUÉNÉHERVÉ Jacques/);
  });

  it('refuses a bad postcode and a bad phone with French messages', async () => {
    const { desk } = await newDesk('fam3');
    const badPostcode = draft();
    badPostcode.household.postcode = '4917';
    const postcode = await refusal(desk, 'family/create', { draft: badPostcode, confirmedDuplicates: [] });
    expect(postcode).toEqual({
      code: 'FAMILY_INVALID',
      message: 'Le code postal doit comporter 5 chiffres.',
    });

    const badPhone = draft();
    badPhone.titulaire.person.mobile = '06 12';
    const phone = await refusal(desk, 'family/create', { draft: badPhone, confirmedDuplicates: [] });
    expect(phone.code).toBe('FAMILY_INVALID');
    expect(phone.message).toMatch(/^Titulaire — Mobile : Le numéro de téléphone n'est pas valide/);

    const noName = draft();
    noName.children[0]!.person.firstNames = '';
    expect((await refusal(desk, 'family/create', { draft: noName, confirmedDuplicates: [] })).message).toBe(
      'Enfant 1 — Le prénom est obligatoire.',
    );

    const created = await call(desk, 'family/create', { draft: draft(), confirmedDuplicates: [] });
    const file = await call(desk, 'family/get', { id: created.householdId });
    const edit = await refusal(desk, 'family/update', {
      householdId: created.householdId,
      change: { kind: 'person', personId: file.titulaire!.id, fields: { phone: '12' } },
    });
    expect(edit.message).toMatch(/^Téléphone : Le numéro de téléphone n'est pas valide/);
    const edit2 = await refusal(desk, 'family/update', {
      householdId: created.householdId,
      change: { kind: 'household', fields: { postcode: '00100' } },
    });
    expect(edit2.message).toBe('Le code postal « 00100 » ne correspond à aucun département français.');
    expect((await call(desk, 'sync/status', undefined)).pending).toBe(1);
  });
});

describe('editing a family file', () => {
  it('records each edit as a command whose audit row keeps before and after', async () => {
    const { desk } = await newDesk('fam4');
    const created = await call(desk, 'family/create', { draft: draft(), confirmedDuplicates: [] });
    await call(desk, 'sync/now', undefined);
    const id = created.householdId;
    const file = await call(desk, 'family/get', { id });
    const child = file.children[0]!;

    const moved = await call(desk, 'family/update', {
      householdId: id,
      change: {
        kind: 'household',
        fields: { numero: '3', voie: 'rue des Lilas', postcode: '49 290', city: 'Chalonnes-sur-Loire' },
      },
    });
    expect(moved.opId).not.toBeNull();
    expect(moved.family.household.address).toEqual(['3 rue des Lilas', '49290 CHALONNES-SUR-LOIRE']);
    expect(moved.family.pendingOps).toBe(1);
    const same = await call(desk, 'family/update', {
      householdId: id,
      change: { kind: 'household', fields: { city: 'Chalonnes-sur-Loire' } },
    });
    expect(same.opId).toBeNull();

    await call(desk, 'family/update', {
      householdId: id,
      change: { kind: 'person', personId: file.titulaire!.id, fields: { mobile: '07 11 22 33 44' } },
    });
    await call(desk, 'family/update', {
      householdId: id,
      change: {
        kind: 'member.add',
        role: 'entourage',
        person: { usageLastName: 'Morvan', firstNames: 'Yvette', mobile: '06 98 76 54 32' },
        relationship: 'grand-mère',
        canPickUp: true,
        emergencyContact: true,
      },
    });
    await call(desk, 'family/update', {
      householdId: id,
      change: {
        kind: 'authorisation.set',
        personId: child.id,
        authorisation: 'droit_image',
        granted: true,
        validFrom: null,
        validTo: null,
        details: null,
      },
    });
    await call(desk, 'family/update', {
      householdId: id,
      change: {
        kind: 'health.set',
        personId: child.id,
        note: 'pai',
        label: 'PAI allergie arachide',
        details: 'Trousse au bureau',
      },
    });
    await call(desk, 'family/update', {
      householdId: id,
      change: { kind: 'qf.add', value: 812, source: 'caf', validFrom: '2026-01-01', validTo: null },
    });
    const notRemovable = await refusal(desk, 'family/update', {
      householdId: id,
      change: { kind: 'member.remove', personId: file.titulaire!.id },
    });
    expect(notRemovable).toEqual({
      code: 'MEMBER_NOT_REMOVABLE',
      message: 'Le titulaire ne peut pas être retiré de la famille.',
    });

    const local = await call(desk, 'family/get', { id });
    expect(local.pendingOps).toBe(6);
    expect(
      local.entourage.map((e) => [e.displayName, e.relationship, e.canPickUp, e.emergencyContact]),
    ).toEqual([['MORVAN Yvette', 'grand-mère', true, true]]);
    expect(local.children[0]!.authorisations.find((a) => a.kind === 'droit_image')?.granted).toBe(true);
    expect(local.flags.map((f) => f.code)).toEqual(expect.arrayContaining(['PENDING', 'PAI']));

    await call(desk, 'sync/now', undefined);
    const synced = await call(desk, 'family/get', { id });
    expect(synced.pendingOps).toBe(0);
    expect(synced.titulaire?.mobile?.e164).toBe('+33711223344');
    expect(synced.qf.current).toMatchObject({ value: 812, source: 'caf', current: true });
    expect(synced.children[0]!.healthNotes.map((n) => n.label)).toEqual(['PAI allergie arachide']);

    const trail = database.sqlite
      .prepare(
        "SELECT details_json FROM audit_log WHERE household_id = ? AND action = 'household.update' ORDER BY at, id",
      )
      .all(id) as { details_json: string }[];
    const details = trail.map((t) => JSON.parse(t.details_json) as Record<string, unknown>);
    expect(details.map((d) => d.change)).toEqual([
      'household',
      'person',
      'member.add',
      'authorisation.set',
      'health.set',
      'qf.add',
    ]);
    expect(details[0]).toMatchObject({
      before: {
        numero: '14',
        voie: 'boulevard Jacques Duclos',
        postcode: '49170',
        city: 'Saint-Aubin-sur-Loire',
      },
      after: { numero: '3', voie: 'rue des Lilas', postcode: '49290', city: 'Chalonnes-sur-Loire' },
    });
    expect(details[1]).toMatchObject({
      before: { mobile: '+33634258615' },
      after: { mobile: '+33711223344' },
    });
    // The desk holds the server's audit rows once synced (the history tab reads them).
    const deskTrail = desk
      .session()
      .store.sqlite.prepare(
        "SELECT COUNT(*) FROM audit_log WHERE household_id = ? AND action LIKE 'household.%'",
      )
      .pluck()
      .get(id);
    expect(deskTrail).toBe(7);
  });
});

describe('the access letter', () => {
  it('prints the identifiant and a single-use key whose hash only reaches the server', async () => {
    const { desk } = await newDesk('fam5');
    const created = await call(desk, 'family/create', { draft: draft(), confirmedDuplicates: [] });
    const early = await refusal(desk, 'family/access-letter', { householdId: created.householdId });
    expect(early.code).toBe('FAMILY_CODE_PROVISIONAL');
    await call(desk, 'sync/now', undefined);

    const letter = await call(desk, 'family/access-letter', { householdId: created.householdId });
    const pdf = Buffer.from(letter.pdfBase64, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/desk-family-access-letter.pdf', pdf);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');
    expect(letter.identifiant).toMatch(/^F-\d{6}$/);
    expect(text).toContain(letter.identifiant);
    const key = /Clé Espace Citoyens Enfance\s+(\d{5}-[A-Z0-9]{7})/.exec(text)?.[1];
    expect(key).toBeDefined();
    expect(letter.keyHint).toBe(`…${key!.slice(-5)}`);
    expect(text).toContain('Monsieur Jacques QUÉNÉHERVÉ');
    expect(JSON.stringify(letter)).not.toContain(key!);
    // Neither the outbox nor the replica holds the clear key.
    const outbox = desk
      .session()
      .store.sqlite.prepare('SELECT payload_json FROM outbox')
      .pluck()
      .all() as string[];
    expect(outbox.join('\n')).not.toContain(key!);

    await call(desk, 'sync/now', undefined);
    const stored = serverRow<{
      key_hash: string;
      key_hint: string;
      used_at: string | null;
      expires_at: string;
    }>(
      'SELECT key_hash, key_hint, used_at, expires_at FROM household_access_keys WHERE household_id = ?',
      created.householdId,
    )!;
    expect(stored.key_hash).toBe(accessKeyHash(key!));
    expect(stored.key_hash).toBe(hashAccessKey(key!.toLowerCase()));
    expect(stored).toMatchObject({ key_hint: letter.keyHint, used_at: null, expires_at: letter.expiresAt });
    expect(
      desk.session().store.sqlite.prepare('SELECT COUNT(*) FROM household_access_keys').pluck().get(),
    ).toBe(0);

    // A second letter retires the first key (single use: only the newest works).
    const again = await call(desk, 'family/access-letter', { householdId: created.householdId });
    await call(desk, 'sync/now', undefined);
    const keys = database.sqlite
      .prepare(
        'SELECT key_hint, expires_at FROM household_access_keys WHERE household_id = ? ORDER BY issued_at',
      )
      .all(created.householdId) as { key_hint: string; expires_at: string }[];
    expect(keys).toHaveLength(2);
    expect(keys[0]!.expires_at < keys[1]!.expires_at).toBe(true);
    expect(keys[1]!.key_hint).toBe(again.keyHint);
    const file = await call(desk, 'family/get', { id: created.householdId });
    expect(file.lastAccessKey?.keyHint).toBe(again.keyHint);
  });
});
