/**
 * Demandes (what parents ask from the portal): the French words for their types and states, the service that
 * answers each type, and the rule of a decision (accepter → traitée positivement, refuser → refusée).
 */

export const DEMANDE_TYPES = [
  'inscription',
  'reservation',
  'absence',
  'coordonnees',
  'qf',
  'prelevement',
  'facture_en_ligne',
  'document',
  'autre',
] as const;
export type DemandeTypeCode = (typeof DEMANDE_TYPES)[number];

export const DEMANDE_TYPE_LABELS: Readonly<Record<DemandeTypeCode, string>> = {
  inscription: 'Inscription',
  reservation: 'Réservation',
  absence: 'Absence',
  coordonnees: 'Changement de coordonnées',
  qf: 'Quotient familial',
  prelevement: 'Prélèvement automatique',
  facture_en_ligne: 'Facture en ligne',
  document: 'Document',
  autre: 'Autre démarche',
};

export const DEMANDE_STATUSES = ['en_attente', 'en_cours', 'traitee_positivement', 'refusee'] as const;
export type DemandeStatusCode = (typeof DEMANDE_STATUSES)[number];

/** As the seeds' portal shows them ("Traité positivement"). */
export const DEMANDE_STATUS_LABELS: Readonly<Record<DemandeStatusCode, string>> = {
  en_attente: 'En attente',
  en_cours: 'En cours',
  traitee_positivement: 'Traitée positivement',
  refusee: 'Refusée',
};

/** Still waiting for an agent. */
export const OPEN_DEMANDE_STATUSES: readonly DemandeStatusCode[] = ['en_attente', 'en_cours'];

export function isOpenDemande(status: string): boolean {
  return (OPEN_DEMANDE_STATUSES as readonly string[]).includes(status);
}

export const DEMANDE_DECISIONS = ['accepter', 'refuser'] as const;
export type DemandeDecision = (typeof DEMANDE_DECISIONS)[number];

export function statusAfterDecision(decision: DemandeDecision): DemandeStatusCode {
  return decision === 'accepter' ? 'traitee_positivement' : 'refusee';
}

/** Which service answers a type of demande (message threads' `service`). */
export function serviceOfDemande(type: string): 'enfance' | 'restauration' | 'regie' {
  if (type === 'prelevement' || type === 'facture_en_ligne' || type === 'qf') return 'regie';
  return 'enfance';
}

export const SERVICE_LABELS: Readonly<Record<string, string>> = {
  enfance: 'Pôle Enfance Jeunesse',
  restauration: 'Restauration scolaire',
  regie: 'Régie unique',
};

/** "DEMANDE N° 24" style reference; "demande non numérotée" before the server numbered it. */
export function demandeReference(number: number | null): string {
  return number === null ? 'demande non numérotée' : `demande N° ${number}`;
}
