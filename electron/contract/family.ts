// Desk contract, family commands: argument and result types shared by the backend and renderer/desk.
import type {
  Civility,
  ContactMean,
  FamilyDraft,
  HouseholdDraft,
  PersonDraft,
  Residency,
  SchoolLevel,
  Sex,
} from '../../core/family/draft';
import type { FamilyFlag } from '../../core/family/flags';
import type { DuplicateReason } from '../../core/family/duplicates';

export type {
  FamilyDraft,
  HouseholdDraft,
  PersonDraft,
  MemberDraft,
  FieldErrors,
} from '../../core/family/draft';

export type MemberRoleDto = 'titulaire' | 'co_titulaire' | 'enfant' | 'entourage';
export type AuthorisationKindDto = 'droit_image' | 'sortie_seul' | 'transport' | 'soins_urgence' | 'autre';
export type HealthNoteKindDto = 'allergie' | 'pai' | 'regime' | 'traitement' | 'autre';
export type QfSourceDto = 'caf' | 'msa' | 'avis_imposition' | 'autre';

export interface PhoneDto {
  /** E.164, as stored. */
  e164: string;
  /** "06 12 34 56 78". */
  display: string;
}

/** A member of the family (titulaire, co-titulaire, child or entourage) with everything the file shows. */
export interface FamilyPersonDto {
  id: string;
  role: MemberRoleDto;
  /** 'mère', 'grand-père', 'nounou'… */
  relationship: string | null;
  /** Autorisé(e) à récupérer l'enfant. */
  canPickUp: boolean;
  /** À prévenir en cas d'urgence. */
  emergencyContact: boolean;
  /** "BÉCASSINES Loïc". */
  displayName: string;
  civility: Civility | null;
  usageLastName: string;
  birthLastName: string | null;
  firstNames: string;
  birthDate: string | null;
  /** "8 ans", "18 mois"; '' when the date is unknown. */
  age: string;
  birthCountry: string | null;
  birthDepartment: string | null;
  birthCommune: string | null;
  sex: Sex | null;
  phone: PhoneDto | null;
  mobile: PhoneDto | null;
  employerPhone: PhoneDto | null;
  email: string | null;
  preferredContact: ContactMean | null;
  /** The person's own address when it differs from the household's (separated parents…). */
  ownAddress: string[] | null;
  numero: string | null;
  voie: string | null;
  batiment: string | null;
  appartement: string | null;
  complement: string | null;
  postcode: string | null;
  city: string | null;
  country: string | null;
  schoolName: string | null;
  schoolLevel: SchoolLevel | null;
  classLevel: string | null;
  doctorName: string | null;
  doctorPhone: PhoneDto | null;
}

export interface AuthorisationDto {
  /** Null when the family never said (shown as « non renseigné »). */
  id: string | null;
  kind: AuthorisationKindDto;
  label: string;
  granted: boolean;
  validFrom: string | null;
  validTo: string | null;
  details: string | null;
}

export interface HealthNoteDto {
  id: string;
  kind: HealthNoteKindDto;
  kindLabel: string;
  label: string;
  details: string | null;
}

export interface ChildDto extends FamilyPersonDto {
  healthNotes: HealthNoteDto[];
  /** The main kinds (droit à l'image, sortie seul, transport, soins d'urgence) always, then any other. */
  authorisations: AuthorisationDto[];
  /** Adults related to the child ("mère — autorité parentale"). */
  parents: { personId: string; name: string; relation: string; parentalAuthority: boolean }[];
}

export interface QfDto {
  id: string;
  value: number;
  source: QfSourceDto;
  sourceLabel: string;
  validFrom: string;
  validTo: string | null;
  /** Valid today. */
  current: boolean;
}

export interface InscriptionDto {
  id: string;
  personId: string;
  childName: string;
  activity: string;
  site: string;
  period: string;
  startDay: string;
  endDay: string;
  status: 'demandee' | 'validee' | 'refusee';
  statusLabel: string;
  /** The period has ended. */
  past: boolean;
}

export interface FamilyFileDto {
  id: string;
  /** "F-000123", or the desk's provisional code ("P-HV1-0007") until the server has numbered the family. */
  code: string;
  codeProvisional: boolean;
  /** Local edits of this family the server has not decided yet. */
  pendingOps: number;
  createdAt: string;
  updatedAt: string;
  household: {
    numero: string | null;
    voie: string | null;
    batiment: string | null;
    appartement: string | null;
    complement: string | null;
    postcode: string | null;
    city: string | null;
    country: string;
    residency: Residency;
    paperlessInvoices: boolean;
    familySituation: string | null;
    cafNumber: string | null;
    notes: string | null;
    /** Printable address lines. */
    address: string[];
  };
  titulaire: FamilyPersonDto | null;
  coTitulaire: FamilyPersonDto | null;
  children: ChildDto[];
  entourage: FamilyPersonDto[];
  qf: { current: QfDto | null; history: QfDto[] };
  inscriptions: InscriptionDto[];
  balance: { openCents: number; openInvoices: number; creditCents: number; balanceCents: number };
  documents: { total: number; expired: number; expiringSoon: number; missing: string[] };
  demandes: { open: number; total: number };
  messages: { threads: number; unread: number };
  webAccount: { status: string; lastLoginAt: string | null } | null;
  lastAccessKey: { issuedAt: string; keyHint: string; expiresAt: string | null } | null;
  flags: FamilyFlag[];
}

export interface PossibleDuplicateDto {
  householdId: string;
  code: string;
  titulaire: string;
  city: string | null;
  reasons: DuplicateReason[];
  /** The reasons in French ("même enfant : Léa BÉCASSINES, né(e) le 12/11/2020"). */
  reasonTexts: string[];
}

/** One edit of a family file; ids of new rows are given by the backend when omitted. */
export type FamilyChangeInput =
  | { kind: 'household'; fields: HouseholdDraft }
  | { kind: 'person'; personId: string; fields: Partial<PersonDraft> }
  | {
      kind: 'member.add';
      role: 'co_titulaire' | 'enfant' | 'entourage';
      person: PersonDraft;
      relationship: string | null;
      canPickUp: boolean;
      emergencyContact: boolean;
    }
  | {
      kind: 'member.update';
      personId: string;
      relationship?: string | null;
      canPickUp?: boolean;
      emergencyContact?: boolean;
    }
  | { kind: 'member.remove'; personId: string }
  | {
      kind: 'authorisation.set';
      authorisationId?: string;
      personId: string;
      authorisation: AuthorisationKindDto;
      granted: boolean;
      validFrom: string | null;
      validTo: string | null;
      details: string | null;
    }
  | {
      kind: 'health.set';
      healthNoteId?: string;
      personId: string;
      note: HealthNoteKindDto;
      label: string;
      details: string | null;
    }
  | { kind: 'health.remove'; healthNoteId: string }
  | { kind: 'qf.add'; value: number; source: QfSourceDto; validFrom: string; validTo: string | null };

export interface FamilyCreateResult {
  householdId: string;
  /** Shown until the server gives the family code at the next sync. */
  provisionalCode: string;
  opId: string;
}

export interface FamilyUpdateResult {
  /** Null when the edit changed nothing (no command recorded). */
  opId: string | null;
  family: FamilyFileDto;
}

export interface AccessLetterResult {
  /** The letter as a PDF, base64: the only place the clear key ever appears. */
  pdfBase64: string;
  fileName: string;
  /** The family code printed as identifiant. */
  identifiant: string;
  /** "…QBHES": enough to tell this key from another. */
  keyHint: string;
  expiresAt: string;
  opId: string;
}

export interface FamilyApi {
  /** The family file on one screen. */
  'family/get': { args: { id: string }; result: FamilyFileDto };
  /** Possible duplicates of a family being created (same child name + birth date, same e-mail). */
  'family/check-duplicates': { args: { draft: FamilyDraft }; result: PossibleDuplicateDto[] };
  /** Creates a family (synced command household.create); duplicates must have been confirmed by the agent. */
  'family/create': {
    args: { draft: FamilyDraft; confirmedDuplicates: string[] };
    result: FamilyCreateResult;
  };
  /** One edit of a family file (synced command household.update, with history). */
  'family/update': { args: { householdId: string; change: FamilyChangeInput }; result: FamilyUpdateResult };
  /** Issues a new single-use access key and returns the letter to print (PDF). */
  'family/access-letter': { args: { householdId: string }; result: AccessLetterResult };
}

export const FAMILY_COMMANDS = [
  'family/get',
  'family/check-duplicates',
  'family/create',
  'family/update',
  'family/access-letter',
] as const satisfies readonly (keyof FamilyApi)[];
