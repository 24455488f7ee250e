/** French labels of the family file's coded values (shared by the desk's screens, its letters and the portal). */

export const AUTHORISATION_LABELS = {
  droit_image: "Droit à l'image",
  sortie_seul: 'Autorisé(e) à partir seul(e)',
  transport: 'Transport (sorties en car)',
  soins_urgence: "Soins d'urgence",
  autre: 'Autre autorisation',
} as const;
export type AuthorisationKind = keyof typeof AUTHORISATION_LABELS;
/** The authorisations every child's file shows, granted or not. */
export const MAIN_AUTHORISATIONS: readonly AuthorisationKind[] = [
  'droit_image',
  'sortie_seul',
  'transport',
  'soins_urgence',
];

export const HEALTH_NOTE_LABELS = {
  allergie: 'Allergie',
  pai: 'PAI',
  regime: 'Régime alimentaire',
  traitement: 'Traitement',
  autre: 'Autre',
} as const;
export type HealthNoteKind = keyof typeof HEALTH_NOTE_LABELS;

export const QF_SOURCE_LABELS = {
  caf: 'CAF',
  msa: 'MSA',
  avis_imposition: "Avis d'imposition",
  autre: 'Autre',
} as const;

export const INSCRIPTION_STATUS_LABELS = {
  demandee: 'Demandée',
  validee: 'Validée',
  refusee: 'Refusée',
} as const;

export const ROLE_LABELS = {
  titulaire: 'Titulaire',
  co_titulaire: 'Co-titulaire',
  enfant: 'Enfant',
  entourage: 'Entourage',
} as const;

export const CIVILITY_LABELS = { m: 'Monsieur', mme: 'Madame' } as const;
export const CONTACT_MEAN_LABELS = {
  telephone: 'Téléphone',
  mobile: 'Mobile',
  email: 'Courriel',
  courrier: 'Courrier',
} as const;
export const SCHOOL_LEVEL_LABELS = { maternelle: 'Maternelle', elementaire: 'Élémentaire' } as const;
export const RESIDENCY_LABELS = { resident: 'Résident(e) de la commune', exterieur: 'Extérieur(e)' } as const;

/** Postal address lines in the order of French envelopes: building, "11 rue des Bécassines", complement, "49170 VILLE", country. */
export function addressLines(a: {
  numero: string | null;
  voie: string | null;
  batiment: string | null;
  appartement: string | null;
  complement: string | null;
  postcode: string | null;
  city: string | null;
  country: string | null;
}): string[] {
  const building = [a.batiment ? `Bât. ${a.batiment}` : '', a.appartement ? `Appt ${a.appartement}` : '']
    .filter(Boolean)
    .join(' — ');
  const country = a.country && !/^france$/i.test(a.country.trim()) ? a.country.toUpperCase() : '';
  return [
    building,
    [a.numero, a.voie].filter(Boolean).join(' '),
    a.complement ?? '',
    [a.postcode, a.city?.toUpperCase()].filter(Boolean).join(' '),
    country,
  ].filter((line) => line !== '');
}
