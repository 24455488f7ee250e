import { describe, expect, it } from 'vitest';
import { checkAbsence, shortcutRange } from '../../../core/absences';
import {
  ageGroupFor,
  checkInscription,
  checkInscriptionDecision,
  schoolYearStartOf,
} from '../../../core/inscriptions';
import type { InscriptionFacts } from '../../../core/inscriptions';

const facts = (overrides: Partial<InscriptionFacts> = {}): InscriptionFacts => ({
  child: { firstName: 'Léa', birthDate: '2021-03-12', schoolLevel: null },
  activity: { name: 'ALSH Petites vacances', requiredDocuments: ['attestation_caf', 'vaccinations'] },
  site: { name: 'ALSH Maternelle Libération', kind: 'maternelle' },
  period: { label: "Vacances d'hiver 2027", start: '2027-02-08', end: '2027-02-19' },
  today: '2026-11-23',
  existing: null,
  documentsOnFile: ['attestation_caf', 'vaccinations'],
  status: 'validee',
  ...overrides,
});

describe('the age group of an inscription', () => {
  it('follows the age reached in the calendar year of the rentrée', () => {
    expect(ageGroupFor({ firstName: 'Léa', birthDate: '2021-12-31', schoolLevel: null }, 2026)).toEqual({
      ok: true,
      value: 'maternelle',
    });
    expect(ageGroupFor({ firstName: 'Tom', birthDate: '2020-01-01', schoolLevel: null }, 2026)).toEqual({
      ok: true,
      value: 'elementaire',
    });
    expect(schoolYearStartOf('2027-02-08')).toBe(2026);
    expect(schoolYearStartOf('2026-10-19')).toBe(2026);
  });

  it('refuses a child too young or too old, in French', () => {
    const young = ageGroupFor({ firstName: 'Nina', birthDate: '2024-05-01', schoolLevel: null }, 2026);
    expect(young.ok ? null : young.error.code).toBe('AGE_TOO_YOUNG');
    const old = ageGroupFor({ firstName: 'Hugo', birthDate: '2013-05-01', schoolLevel: null }, 2026);
    expect(old.ok ? null : old.error.message).toMatch(/passé l'âge/);
  });

  it('refuses a child of maternelle at a site of élémentaire', () => {
    const result = checkInscription(facts({ site: { name: 'ALSH Jean Jaurès', kind: 'elementaire' } }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('AGE_GROUP_MISMATCH');
      expect(result.error.message).toBe(
        "Léa relève de l'accueil maternelle : « ALSH Jean Jaurès » n'accueille que les enfants de élémentaire.",
      );
    }
  });

  it('takes the school’s level when recorded; a restaurant takes everyone', () => {
    const result = checkInscription(
      facts({
        child: { firstName: 'Léa', birthDate: '2021-03-12', schoolLevel: 'elementaire' },
        site: { name: 'Restaurant', kind: 'restaurant' },
      }),
    );
    expect(result).toMatchObject({ ok: true, value: { ageGroup: 'elementaire' } });
  });
});

describe('the other rules of an inscription', () => {
  it('asks a reason to validate without every required document, not to record a request', () => {
    const missing = checkInscription(facts({ documentsOnFile: ['attestation_caf'] }));
    expect(missing.ok ? null : missing.error.message).toMatch(/Pièces manquantes .*Carnet de vaccinations/);
    expect(checkInscription(facts({ documentsOnFile: [], status: 'demandee' }))).toMatchObject({
      ok: true,
      value: { missingDocuments: ['attestation_caf', 'vaccinations'], documentsOverridden: false },
    });
    expect(
      checkInscription(facts({ documentsOnFile: [], overrideReason: 'Pièces apportées demain' })),
    ).toMatchObject({
      ok: true,
      value: { documentsOverridden: true },
    });
  });

  it('refuses a period already over and a second inscription', () => {
    const over = checkInscription(facts({ today: '2027-03-01' }));
    expect(over.ok ? null : over.error.code).toBe('PERIOD_OVER');
    const twice = checkInscription(facts({ existing: { status: 'demandee' } }));
    expect(twice.ok ? null : twice.error.code).toBe('INSCRIPTION_EXISTS');
  });

  it('decides a request once, a refusal with its reason', () => {
    expect(checkInscriptionDecision({ current: 'demandee', decision: 'validee' }).ok).toBe(true);
    const noReason = checkInscriptionDecision({ current: 'demandee', decision: 'refusee' });
    expect(noReason.ok ? null : noReason.error.code).toBe('INSCRIPTION_REFUSAL_REASON_REQUIRED');
    const done = checkInscriptionDecision({ current: 'validee', decision: 'refusee', reason: 'Complet' });
    expect(done.ok ? null : done.error.code).toBe('INSCRIPTION_ALREADY_DECIDED');
  });
});

describe('absences', () => {
  it('turns the portal’s shortcuts into days (weeks from Monday)', () => {
    const today = '2026-11-25'; // mercredi
    expect(shortcutRange('aujourdhui', today)).toEqual({ from: today, to: today });
    expect(shortcutRange('hier', today)).toEqual({ from: '2026-11-24', to: '2026-11-24' });
    expect(shortcutRange('demain', today)).toEqual({ from: '2026-11-26', to: '2026-11-26' });
    expect(shortcutRange('cette_semaine', today)).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(shortcutRange('semaine_derniere', today)).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(shortcutRange('semaine_prochaine', today)).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(shortcutRange('ce_mois', today)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(shortcutRange('mois_dernier', today)).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(shortcutRange('mois_prochain', '2026-12-31')).toEqual({ from: '2027-01-01', to: '2027-01-31' });
    expect(shortcutRange('mois_prochain', '2027-01-31')).toEqual({ from: '2027-02-01', to: '2027-02-28' });
  });

  it('cancels a charge only for a justified absence, justified by a piece or a comment', () => {
    const base = { from: '2026-11-23', to: '2026-11-23', hasJustificatif: false, comment: null };
    const notJustified = checkAbsence({ ...base, justified: false, chargeCancelled: true });
    expect(notJustified.ok ? null : notJustified.error.code).toBe('ABSENCE_NOT_JUSTIFIED');
    const bare = checkAbsence({ ...base, justified: true, chargeCancelled: true });
    expect(bare.ok ? null : bare.error.code).toBe('ABSENCE_JUSTIFICATIF_REQUIRED');
    expect(checkAbsence({ ...base, justified: true, chargeCancelled: true, hasJustificatif: true }).ok).toBe(
      true,
    );
    const reversed = checkAbsence({ ...base, to: '2026-11-22', justified: false, chargeCancelled: false });
    expect(reversed.ok ? null : reversed.error.code).toBe('ABSENCE_DATES_INVALID');
  });
});
