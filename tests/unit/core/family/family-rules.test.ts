import { describe, expect, it } from 'vitest';
import { formatAge } from '../../../../core/family/age';
import {
  accessKeyFromRandom,
  accessKeyHint,
  familyCodeNumber,
  formatFamilyCode,
  isProvisionalFamilyCode,
  normalizeAccessKey,
  provisionalFamilyCode,
} from '../../../../core/family/codes';
import { checkFamily, checkHousehold, checkPerson, firstErrorSentence } from '../../../../core/family/draft';
import { duplicateKeys, matchDuplicates } from '../../../../core/family/duplicates';
import { familyFlags } from '../../../../core/family/flags';
import { planQfInsert, qfOn } from '../../../../core/family/qf';
import { householdCreateV1 } from '../../../../core/sync/commands-family';

describe('family drafts', () => {
  it('normalises what the agent typed: names, E.164 phones, lower-case e-mail, postcode without spaces', () => {
    const person = checkPerson(
      {
        civility: 'mme',
        usageLastName: '  Le  Gall ',
        firstNames: 'Anne’Sophie',
        mobile: '06.12.34.56.78',
        email: ' Anne@Exemple.FR ',
        postcode: '49 170',
      },
      { role: 'titulaire', path: 't' },
    );
    expect(person.errors).toEqual({});
    expect(person.value).toMatchObject({
      usageLastName: 'Le Gall',
      firstNames: "Anne'Sophie",
      mobile: '+33612345678',
      email: 'anne@exemple.fr',
      postcode: '49170',
    });
  });

  it('gives one French message per field, naming whose field in a family', () => {
    const { errors } = checkFamily({
      household: { voie: 'rue des Lilas', postcode: '4917', city: 'Angers' },
      titulaire: { person: { usageLastName: 'Dupont', firstNames: 'Marc', mobile: '06 12' } },
      children: [{ person: { usageLastName: 'Dupont', firstNames: 'Léa' } }],
    });
    expect(errors).toEqual({
      'household.postcode': 'Le code postal doit comporter 5 chiffres.',
      'titulaire.civility': 'La civilité est obligatoire.',
      'titulaire.mobile': expect.stringMatching(/^Le numéro de téléphone n'est pas valide/),
      'children.0.birthDate': "La date de naissance de l'enfant est obligatoire.",
    });
    expect(firstErrorSentence({ 'titulaire.mobile': errors['titulaire.mobile']! })).toMatch(
      /^Titulaire — Mobile : Le numéro/,
    );
    expect(firstErrorSentence({ 'children.1.firstNames': 'Le prénom est obligatoire.' })).toBe(
      'Enfant 2 — Le prénom est obligatoire.',
    );
  });

  it('asks the titulaire for one contact mean, and a child born in the past', () => {
    const titulaire = checkPerson(
      { civility: 'm', usageLastName: 'A', firstNames: 'B' },
      { role: 'titulaire', path: 't' },
    );
    expect(titulaire.errors['t.mobile']).toMatch(/au moins un moyen de contact/);
    const child = checkPerson(
      { usageLastName: 'A', firstNames: 'B', birthDate: '2099-01-01' },
      { role: 'enfant', path: 'c', today: '2026-11-23' },
    );
    expect(child.errors['c.birthDate']).toBe('La date de naissance ne peut pas être dans le futur.');
  });

  it('checks a French postcode only for an address in France', () => {
    expect(
      checkHousehold({ voie: 'Rue', postcode: '1000', city: 'Bruxelles', country: 'Belgique' }).errors,
    ).toEqual({});
    expect(
      checkHousehold({ voie: 'Rue', postcode: '00100', city: 'X' }).errors['household.postcode'],
    ).toMatch(/aucun département/);
  });

  it('refuses in the command schema what the form refuses (the server checks the same rules)', () => {
    const person = {
      civility: 'm' as const,
      usageLastName: 'Dupont',
      birthLastName: null,
      firstNames: 'Marc',
      birthDate: null,
      birthCountry: null,
      birthDepartment: null,
      birthCommune: null,
      sex: null,
      phone: null,
      mobile: '+33612345678',
      email: null,
      preferredContact: null,
      employerPhone: null,
      numero: null,
      voie: null,
      batiment: null,
      appartement: null,
      complement: null,
      postcode: null,
      city: null,
      country: null,
      schoolName: null,
      schoolLevel: null,
      classLevel: null,
      doctorName: null,
      doctorPhone: null,
    };
    const payload = {
      householdId: '01a01dc1-0000-7000-8000-000000000001',
      provisionalCode: 'P-HV1-0001',
      household: {
        numero: null,
        voie: 'rue des Lilas',
        batiment: null,
        appartement: null,
        complement: null,
        postcode: '49170',
        city: 'Angers',
        country: 'France',
        residency: 'resident' as const,
        paperlessInvoices: false,
        familySituation: null,
        cafNumber: null,
        notes: null,
      },
      titulaire: { personId: '01a01dc1-0000-7000-8000-000000000002', person, relationship: null },
      coTitulaire: null,
      children: [],
      confirmedDuplicates: [],
    };
    expect(householdCreateV1.safeParse(payload).success).toBe(true);
    const bad = householdCreateV1.safeParse({
      ...payload,
      titulaire: { ...payload.titulaire, person: { ...person, mobile: '0612' } },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/numéro de téléphone/);
  });
});

describe('duplicates', () => {
  const keys = duplicateKeys({
    adults: [{ email: 'Hélène@Orange.fr' }],
    children: [{ usageLastName: 'BECASSINES', firstNames: 'lea marie', birthDate: '2020-11-12' }],
  });

  it('match a child by usual first name, last name and birth date, ignoring accents and case', () => {
    const found = matchDuplicates(keys, [
      {
        householdId: 'h1',
        role: 'enfant',
        usageLastName: 'Bécassines',
        birthLastName: null,
        firstNames: 'Léa',
        birthDate: '2020-11-12',
        email: null,
      },
      {
        householdId: 'h2',
        role: 'enfant',
        usageLastName: 'Bécassines',
        birthLastName: null,
        firstNames: 'Léa',
        birthDate: '2020-11-13',
        email: null,
      },
      {
        householdId: 'h3',
        role: 'enfant',
        usageLastName: 'Martin',
        birthLastName: 'Bécassines',
        firstNames: 'Lea',
        birthDate: '2020-11-12',
        email: null,
      },
    ]);
    expect([...found.keys()]).toEqual(['h1', 'h3']);
  });

  it('match an e-mail of a member or of a web account, and ignore the family itself', () => {
    const found = matchDuplicates(
      keys,
      [
        {
          householdId: 'h4',
          role: 'titulaire',
          usageLastName: 'X',
          birthLastName: null,
          firstNames: 'Y',
          birthDate: null,
          email: 'helene@orange.fr',
        },
      ],
      [
        { householdId: 'h5', email: 'HELENE@orange.fr' },
        { householdId: null, email: 'helene@orange.fr' },
      ],
      'h5',
    );
    expect([...found.entries()]).toEqual([
      ['h4', [{ kind: 'email', email: 'helene@orange.fr', who: 'membre' }]],
    ]);
  });
});

describe('codes and keys', () => {
  it('numbers families F-000123 and tells provisional codes apart', () => {
    expect(formatFamilyCode(123)).toBe('F-000123');
    expect(familyCodeNumber('F-000123')).toBe(123);
    expect(familyCodeNumber('P-HV1-0001')).toBeNull();
    expect(provisionalFamilyCode('HV1', 7)).toBe('P-HV1-0007');
    expect(isProvisionalFamilyCode('P-HV1-0007')).toBe(true);
    expect(isProvisionalFamilyCode('F-000001')).toBe(false);
  });

  it('draws keys shaped like the towns’ letters, compared without spaces or case', () => {
    const key = accessKeyFromRandom(new Uint8Array([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5, 30]));
    expect(key).toMatch(/^[1-9]\d{4}-[A-Z2-9]{7}$/);
    expect(key).toBe('11234-ABCDEF9');
    expect(normalizeAccessKey(' 11234-abcdef9 ')).toBe(key);
    expect(accessKeyHint(key)).toBe('…CDEF9');
  });
});

describe('QF history', () => {
  const records = [
    { id: 'a', validFrom: '2025-01-01', validTo: '2025-12-31' },
    { id: 'b', validFrom: '2026-01-01', validTo: null },
  ];

  it('closes the running record the day before a new one starts', () => {
    expect(planQfInsert(records, '2026-09-01', null)).toEqual({
      ok: true,
      close: [{ id: 'b', validTo: '2026-08-31' }],
    });
    expect(qfOn(records, '2026-03-01')?.id).toBe('b');
    expect(qfOn(records, '2024-03-01')).toBeNull();
  });

  it('refuses a record that does not come after the others', () => {
    expect(planQfInsert(records, '2026-01-01', null)).toMatchObject({ ok: false, code: 'QF_OVERLAP' });
  });
});

describe('ages and flags', () => {
  it('says ages as the file shows them', () => {
    expect(formatAge('2020-11-24', '2026-11-23')).toBe('5 ans');
    expect(formatAge('2020-11-23', '2026-11-23')).toBe('6 ans');
    expect(formatAge('2025-05-01', '2026-11-23')).toBe('18 mois');
    expect(formatAge(null, '2026-11-23')).toBe('');
  });

  it('puts an unpaid balance, a PAI and a missing QF first', () => {
    const flags = familyFlags({
      codeProvisional: false,
      pendingOps: 0,
      balanceCents: 4_250,
      qfValid: false,
      pai: ['Léa'],
      allergies: [],
      piecesMissing: 1,
      piecesExpired: 0,
      piecesExpiring: 0,
      openDemandes: 0,
      unreadMessages: 0,
      titulaireReachable: true,
      webAccount: true,
    });
    expect(flags.map((f) => f.code)).toEqual(['UNPAID', 'PAI', 'NO_QF', 'PIECES_MISSING']);
    expect(flags[0]!.label.replace(/\u202f|\u00a0/g, ' ')).toBe('Reste à payer : 42,50 €');
  });
});
