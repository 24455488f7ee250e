/**
 * Inscriptions: registering a child to an activity at a site (lieu) for a period. The rules an agent's
 * inscription (and a parent's request, once decided) must follow: the child's age group fits the site,
 * the period is not over, the child is not already registered, and the activity's required documents
 * (pièces justificatives) are on file — or the agent says why the inscription is validated without them.
 */
import { formatShortFr } from '../calendar/paris';
import type { IsoDay } from '../calendar/paris';
import { err, ok } from '../errors';
import type { Result } from '../errors';

export const AGE_GROUPS = ['maternelle', 'elementaire'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

export const AGE_GROUP_LABELS: Readonly<Record<AgeGroup, string>> = {
  maternelle: 'maternelle',
  elementaire: 'élémentaire',
};

export type InscriptionStatus = 'demandee' | 'validee' | 'refusee';

export const INSCRIPTION_STATUS_LABELS: Readonly<Record<InscriptionStatus, string>> = {
  demandee: 'Demandée',
  validee: 'Validée',
  refusee: 'Refusée',
};

/** Labels of the document qualifications an activity may require (as on the portal's « Qualification »). */
export const DOCUMENT_QUALIFICATION_LABELS: Readonly<Record<string, string>> = {
  attestation_caf: 'Attestation CAF',
  avis_imposition: "Avis d'imposition",
  justificatif_domicile: 'Justificatif de domicile',
  certificat_medical: 'Certificat médical',
  vaccinations: 'Carnet de vaccinations',
  justificatif_absence: "Justificatif d'absence",
  fiche_sanitaire: 'Fiche sanitaire',
  assurance: "Attestation d'assurance",
  scan: 'Document scanné',
};

export function qualificationLabel(code: string): string {
  return DOCUMENT_QUALIFICATION_LABELS[code] ?? code.replaceAll('_', ' ');
}

/** Youngest and oldest age (reached in the calendar year of the rentrée) an accueil de loisirs takes. */
export const MIN_AGE = 3;
export const MAX_AGE = 11;

export interface ChildFacts {
  /** "Léa" — for messages. */
  firstName: string;
  birthDate: IsoDay | null;
  /** From the school: decides the group when known. */
  schoolLevel: AgeGroup | null;
}

/**
 * The child's age group for the school year starting in `schoolYearStartYear` (September): the school's
 * level when recorded, else the age reached that calendar year (3–5 maternelle, 6 and over élémentaire).
 * A child too young (under 3) or too old (over 11) is refused.
 */
export function ageGroupFor(child: ChildFacts, schoolYearStartYear: number): Result<AgeGroup> {
  if (child.birthDate === null) {
    if (child.schoolLevel !== null) return ok(child.schoolLevel);
    return err(
      'AGE_UNKNOWN',
      `La date de naissance de ${child.firstName} n'est pas renseignée : complétez sa fiche avant de l'inscrire.`,
    );
  }
  const age = schoolYearStartYear - Number(child.birthDate.slice(0, 4));
  const born = formatShortFr(child.birthDate);
  if (age < MIN_AGE) {
    return err(
      'AGE_TOO_YOUNG',
      `${child.firstName} (né(e) le ${born}) est trop jeune : l'accueil commence l'année des ${MIN_AGE} ans.`,
      { age },
    );
  }
  if (age > MAX_AGE) {
    return err(
      'AGE_TOO_OLD',
      `${child.firstName} (né(e) le ${born}) a passé l'âge de l'accueil de loisirs (${MAX_AGE} ans au plus).`,
      { age },
    );
  }
  return ok(child.schoolLevel ?? (age <= 5 ? 'maternelle' : 'elementaire'));
}

/** The age groups a site takes, by its kind (a restaurant or another site takes every child). */
export function siteAgeGroups(siteKind: string): readonly AgeGroup[] {
  if (siteKind === 'maternelle') return ['maternelle'];
  if (siteKind === 'elementaire') return ['elementaire'];
  return AGE_GROUPS;
}

/** The September year a period belongs to (a period starting in January–August belongs to the year before). */
export function schoolYearStartOf(day: IsoDay): number {
  const year = Number(day.slice(0, 4));
  return Number(day.slice(5, 7)) >= 9 ? year : year - 1;
}

export interface InscriptionFacts {
  child: ChildFacts;
  activity: { name: string; requiredDocuments: readonly string[] };
  site: { name: string; kind: string };
  period: { label: string; start: IsoDay; end: IsoDay };
  /** Today (Paris) by the clock that decides. */
  today: IsoDay;
  /** Another inscription of the child to the same activity and period, not refused. */
  existing: { status: InscriptionStatus } | null;
  /** Qualifications of the documents on file for the household or the child, valid on the period's start. */
  documentsOnFile: readonly string[];
  /** The status asked: an agent validates at once, or records a request waiting for pieces. */
  status: 'validee' | 'demandee';
  /** Required to validate without every required document; logged. */
  overrideReason?: string | null;
}

export interface InscriptionCheck {
  ageGroup: AgeGroup;
  missingDocuments: string[];
  /** True when validated although documents are missing (the reason is logged). */
  documentsOverridden: boolean;
}

/** Checks an inscription an agent records; the error says what to fix, in French. */
export function checkInscription(facts: InscriptionFacts): Result<InscriptionCheck> {
  const { child, activity, site, period } = facts;
  if (period.end < facts.today) {
    return err(
      'PERIOD_OVER',
      `La période « ${period.label} » est terminée depuis le ${formatShortFr(period.end)}.`,
    );
  }
  const group = ageGroupFor(child, schoolYearStartOf(period.start));
  if (!group.ok) return group;
  const accepted = siteAgeGroups(site.kind);
  if (!accepted.includes(group.value)) {
    const takes = accepted.map((g) => AGE_GROUP_LABELS[g]).join(' et ');
    return err(
      'AGE_GROUP_MISMATCH',
      `${child.firstName} relève de l'accueil ${AGE_GROUP_LABELS[group.value]} : « ${site.name} » n'accueille que les enfants de ${takes}.`,
      { ageGroup: group.value },
    );
  }
  if (facts.existing) {
    return err(
      'INSCRIPTION_EXISTS',
      `${child.firstName} est déjà inscrit(e) à « ${activity.name} » pour « ${period.label} » (inscription ${facts.existing.status === 'validee' ? 'validée' : 'demandée'}).`,
    );
  }
  const onFile = new Set(facts.documentsOnFile);
  const missing = activity.requiredDocuments.filter((code) => !onFile.has(code));
  const reason = (facts.overrideReason ?? '').trim();
  if (facts.status === 'validee' && missing.length > 0 && reason === '') {
    return err(
      'INSCRIPTION_DOCUMENTS_MISSING',
      `Pièces manquantes pour valider l'inscription : ${missing.map(qualificationLabel).join(', ')}. Indiquez un motif pour valider quand même, ou enregistrez une inscription demandée.`,
      { missing },
    );
  }
  return ok({
    ageGroup: group.value,
    missingDocuments: missing,
    documentsOverridden: facts.status === 'validee' && missing.length > 0,
  });
}

/** Whether a decision on an inscription request is allowed (only a request still waiting is decided). */
export function checkInscriptionDecision(input: {
  current: InscriptionStatus;
  decision: 'validee' | 'refusee';
  reason?: string | null;
}): Result<true> {
  if (input.current !== 'demandee') {
    return err(
      'INSCRIPTION_ALREADY_DECIDED',
      `Cette inscription a déjà été ${input.current === 'validee' ? 'validée' : 'refusée'}.`,
    );
  }
  if (input.decision === 'refusee' && (input.reason ?? '').trim().length < 3) {
    return err(
      'INSCRIPTION_REFUSAL_REASON_REQUIRED',
      'Indiquez le motif du refus : il sera communiqué à la famille.',
    );
  }
  return ok(true);
}
