/**
 * The values of every enum column, as stored (French domain words, snake_case
 * ASCII). The migrations spell the same lists in their CHECK constraints;
 * tests/integration/db/schema.test.ts proves both agree.
 */

export const SITE_KINDS = ['maternelle', 'elementaire', 'restaurant', 'autre'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export const RESIDENCIES = ['resident', 'exterieur'] as const;
export type Residency = (typeof RESIDENCIES)[number];

export const CIVILITIES = ['m', 'mme'] as const;
export type Civility = (typeof CIVILITIES)[number];

export const SEXES = ['f', 'm'] as const;
export type Sex = (typeof SEXES)[number];

export const CONTACT_MEANS = ['telephone', 'mobile', 'email', 'courrier'] as const;
export type ContactMean = (typeof CONTACT_MEANS)[number];

export const AGE_GROUPS = ['maternelle', 'elementaire'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

export const MEMBER_ROLES = ['titulaire', 'co_titulaire', 'enfant', 'entourage'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const AUTHORISATION_KINDS = [
  'droit_image',
  'sortie_seul',
  'transport',
  'soins_urgence',
  'autre',
] as const;
export type AuthorisationKind = (typeof AUTHORISATION_KINDS)[number];

export const HEALTH_NOTE_KINDS = ['allergie', 'pai', 'regime', 'traitement', 'autre'] as const;
export type HealthNoteKind = (typeof HEALTH_NOTE_KINDS)[number];

export const QF_SOURCES = ['caf', 'msa', 'avis_imposition', 'autre'] as const;
export type QfSource = (typeof QF_SOURCES)[number];

export const CITIZEN_ACCOUNT_STATUSES = ['en_attente_activation', 'actif', 'desactive'] as const;
export type CitizenAccountStatus = (typeof CITIZEN_ACCOUNT_STATUSES)[number];

export const AGENT_ROLES = ['accueil', 'regisseur', 'administrateur'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export const ACTIVITY_KINDS = [
  'alsh_petites_vacances',
  'alsh_grandes_vacances',
  'alsh_mercredis',
  'periscolaire_matin',
  'periscolaire_soir',
  'restauration',
  'tap',
  'sejour',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const UNIT_CODES = ['MATIN', 'REPAS_AV', 'REPAS_SV', 'APRES_MIDI', 'REPAS', 'SOIR'] as const;
export type UnitCode = (typeof UNIT_CODES)[number];

export const UNIT_RULE_KINDS = ['excludes', 'requires_any', 'not_alone'] as const;
export type UnitRuleKind = (typeof UNIT_RULE_KINDS)[number];

export const INSCRIPTION_STATUSES = ['demandee', 'validee', 'refusee'] as const;
export type InscriptionStatus = (typeof INSCRIPTION_STATUSES)[number];

export const BOOKING_STATES = ['reservee', 'en_attente', 'refusee', 'annulee'] as const;
export type BookingState = (typeof BOOKING_STATES)[number];

export const BOOKING_SOURCES = ['desk', 'portal', 'import'] as const;
export type BookingSource = (typeof BOOKING_SOURCES)[number];

export const ATTENDANCE_STATUSES = [
  'present',
  'absent_justifie',
  'absent_non_justifie',
  'present_sans_reservation',
  'retard',
] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

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
export type DemandeType = (typeof DEMANDE_TYPES)[number];

export const DEMANDE_STATUSES = ['en_attente', 'en_cours', 'traitee_positivement', 'refusee'] as const;
export type DemandeStatus = (typeof DEMANDE_STATUSES)[number];

export const ACTOR_KINDS = ['citoyen', 'agent', 'systeme'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export const MESSAGE_AUTHOR_KINDS = ['citoyen', 'agent'] as const;
export type MessageAuthorKind = (typeof MESSAGE_AUTHOR_KINDS)[number];

export const DOCUMENT_SPACES = ['famille', 'prive_citoyen', 'mairie'] as const;
export type DocumentSpace = (typeof DOCUMENT_SPACES)[number];

export const INVOICE_STATUSES = [
  'brouillon',
  'non_reglee',
  'partiellement_reglee',
  'reglee',
  'annulee',
] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const PAYMENT_MODES = [
  'especes',
  'cheque',
  'carte',
  'cesu',
  'ancv',
  'en_ligne',
  'prelevement',
] as const;
export type PaymentMode = (typeof PAYMENT_MODES)[number];

export const SEPA_MANDATE_STATUSES = ['actif', 'revoque'] as const;
export type SepaMandateStatus = (typeof SEPA_MANDATE_STATUSES)[number];

export const PUBLICATION_KINDS = ['actualite', 'info_pratique'] as const;
export type PublicationKind = (typeof PUBLICATION_KINDS)[number];

export const TOWN_DOCUMENT_CATEGORIES = [
  'tarifs',
  'reglement',
  'fiche_inscription',
  'menu',
  'autre',
] as const;
export type TownDocumentCategory = (typeof TOWN_DOCUMENT_CATEGORIES)[number];

export const OUTBOX_STATUSES = ['pending', 'sent', 'accepted', 'rejected', 'waitlisted'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const CHANGE_OPS = ['upsert', 'delete'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

/** Every enum column: table → column → allowed values (used by the schema test). */
export const ENUM_COLUMNS = {
  sites: { kind: SITE_KINDS },
  households: { residency: RESIDENCIES },
  persons: {
    civility: CIVILITIES,
    sex: SEXES,
    preferred_contact: CONTACT_MEANS,
    school_level: AGE_GROUPS,
  },
  household_members: { role: MEMBER_ROLES },
  authorisations: { kind: AUTHORISATION_KINDS },
  health_notes: { kind: HEALTH_NOTE_KINDS },
  qf_records: { source: QF_SOURCES },
  citizen_accounts: { status: CITIZEN_ACCOUNT_STATUSES },
  agent_roles: { role: AGENT_ROLES },
  activities: { kind: ACTIVITY_KINDS },
  units: { code: UNIT_CODES },
  unit_rules: { kind: UNIT_RULE_KINDS },
  capacities: { age_group: AGE_GROUPS },
  inscriptions: { age_group: AGE_GROUPS, status: INSCRIPTION_STATUSES },
  bookings: { age_group: AGE_GROUPS, state: BOOKING_STATES, source: BOOKING_SOURCES },
  attendance: { status: ATTENDANCE_STATUSES },
  demandes: { type: DEMANDE_TYPES, status: DEMANDE_STATUSES },
  demande_events: { status: DEMANDE_STATUSES, actor_kind: ACTOR_KINDS },
  messages: { author_kind: MESSAGE_AUTHOR_KINDS },
  documents: { space: DOCUMENT_SPACES, created_by_kind: ACTOR_KINDS },
  tariff_prices: { residency: RESIDENCIES },
  invoices: { status: INVOICE_STATUSES },
  payments: { mode: PAYMENT_MODES },
  sepa_mandates: { status: SEPA_MANDATE_STATUSES },
  publications: { kind: PUBLICATION_KINDS },
  town_documents: { category: TOWN_DOCUMENT_CATEGORIES },
  outbox: { status: OUTBOX_STATUSES },
  change_log: { op: CHANGE_OPS },
} as const satisfies Record<string, Record<string, readonly string[]>>;
