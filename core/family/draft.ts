/**
 * What an agent types to create or edit a family (titulaire, co-titulaire, children, entourage, address,
 * contact means), checked field by field with the French rules of core/validation. Every check returns the
 * normalised value (names trimmed, phones in E.164, e-mail in lower case, postcode without spaces) and, per
 * field path, the French message to show next to the field. The wizard, the desk backend and the server
 * (through the zod command schemas built on the same validators) refuse the same input the same way.
 */
import { isValidDay } from '../calendar/paris';
import { validateEmail } from '../validation/email';
import { validatePersonName } from '../validation/names';
import { validatePhone } from '../validation/phone';
import { validatePostcode } from '../validation/postcode';

export const CIVILITIES = ['m', 'mme'] as const;
export type Civility = (typeof CIVILITIES)[number];
export const SEXES = ['f', 'm'] as const;
export type Sex = (typeof SEXES)[number];
export const CONTACT_MEANS = ['telephone', 'mobile', 'email', 'courrier'] as const;
export type ContactMean = (typeof CONTACT_MEANS)[number];
export const SCHOOL_LEVELS = ['maternelle', 'elementaire'] as const;
export type SchoolLevel = (typeof SCHOOL_LEVELS)[number];
export const RESIDENCIES = ['resident', 'exterieur'] as const;
export type Residency = (typeof RESIDENCIES)[number];

/** A person's fields as stored (camelCase of `persons` columns); null = empty. */
export interface PersonFields {
  civility: Civility | null;
  usageLastName: string;
  birthLastName: string | null;
  firstNames: string;
  birthDate: string | null;
  birthCountry: string | null;
  birthDepartment: string | null;
  birthCommune: string | null;
  sex: Sex | null;
  phone: string | null;
  mobile: string | null;
  email: string | null;
  preferredContact: ContactMean | null;
  employerPhone: string | null;
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
  doctorPhone: string | null;
}

/** The household's own fields (camelCase of `households` columns). */
export interface HouseholdFields {
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
}

/** What a form sends: any field may be missing or an empty string. */
export type PersonDraft = Partial<{ [K in keyof PersonFields]: PersonFields[K] | '' }> & {
  usageLastName: string;
  firstNames: string;
};
export type HouseholdDraft = Partial<{ [K in keyof HouseholdFields]: HouseholdFields[K] | '' }>;

export interface MemberDraft {
  person: PersonDraft;
  /** 'mère', 'père', 'fille', 'grand-mère', 'nounou'… as said at the counter. */
  relationship?: string | null;
}

/** The family wizard's result: identité, adresse, moyens de contact, enfants. */
export interface FamilyDraft {
  household: HouseholdDraft;
  titulaire: MemberDraft;
  coTitulaire?: MemberDraft | null;
  children: MemberDraft[];
}

/** Field path ('titulaire.mobile', 'children.1.birthDate', 'household.postcode') → French message. */
export type FieldErrors = Record<string, string>;

export interface Checked<T> {
  value: T;
  errors: FieldErrors;
}

export const PERSON_FIELD_LABELS: Readonly<Record<keyof PersonFields, string>> = {
  civility: 'Civilité',
  usageLastName: 'Nom usuel',
  birthLastName: 'Nom de naissance',
  firstNames: 'Prénom(s)',
  birthDate: 'Date de naissance',
  birthCountry: 'Pays de naissance',
  birthDepartment: 'Département de naissance',
  birthCommune: 'Commune de naissance',
  sex: 'Sexe',
  phone: 'Téléphone',
  mobile: 'Mobile',
  email: 'Courriel',
  preferredContact: 'Moyen de contact préféré',
  employerPhone: 'Téléphone professionnel',
  numero: 'Numéro',
  voie: 'Nom de la voie',
  batiment: 'Bâtiment',
  appartement: 'Appartement',
  complement: 'Complément',
  postcode: 'Code postal',
  city: 'Ville',
  country: 'Pays',
  schoolName: 'École',
  schoolLevel: 'Niveau scolaire',
  classLevel: 'Classe',
  doctorName: 'Médecin traitant',
  doctorPhone: 'Téléphone du médecin',
};

export const HOUSEHOLD_FIELD_LABELS: Readonly<Record<keyof HouseholdFields, string>> = {
  numero: 'Numéro',
  voie: 'Nom de la voie',
  batiment: 'Bâtiment',
  appartement: 'Appartement',
  complement: 'Complément',
  postcode: 'Code postal',
  city: 'Ville',
  country: 'Pays',
  residency: 'Résidence',
  paperlessInvoices: 'Facture en ligne',
  familySituation: 'Situation familiale',
  cafNumber: 'N° allocataire CAF',
  notes: 'Notes',
};

const TEXT_MAX = 120;
const FREE_TEXT_PERSON_FIELDS = [
  'birthCountry',
  'birthDepartment',
  'birthCommune',
  'numero',
  'voie',
  'batiment',
  'appartement',
  'complement',
  'city',
  'country',
  'schoolName',
  'classLevel',
  'doctorName',
] as const;
const FREE_TEXT_HOUSEHOLD_FIELDS = [
  'numero',
  'voie',
  'batiment',
  'appartement',
  'complement',
  'city',
  'familySituation',
  'cafNumber',
] as const;

/** Trimmed text, or null when empty. */
export function blankToNull(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? null : trimmed;
}

/** True when the country means France (empty counts as France: the desk's default). */
export function isFrance(country: string | null | undefined): boolean {
  const c = blankToNull(country);
  return c === null || /^france$/i.test(c.normalize('NFKD').replace(/\p{M}/gu, ''));
}

function oneOf<T extends string>(
  value: string | null | undefined,
  allowed: readonly T[],
  label: string,
  path: string,
  errors: FieldErrors,
): T | null {
  const v = blankToNull(value);
  if (v === null) return null;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  errors[path] = `${label} : valeur non reconnue.`;
  return null;
}

function freeText(
  value: string | null | undefined,
  label: string,
  path: string,
  errors: FieldErrors,
  max = TEXT_MAX,
): string | null {
  const v = blankToNull(value);
  if (v !== null && [...v].length > max) errors[path] = `${label} ne peut pas dépasser ${max} caractères.`;
  return v;
}

function phoneField(value: string | null | undefined, path: string, errors: FieldErrors): string | null {
  const v = blankToNull(value);
  if (v === null) return null;
  const phone = validatePhone(v);
  if (phone.ok) return phone.value.e164;
  errors[path] = phone.error.message;
  return null;
}

function postcodeField(
  value: string | null | undefined,
  country: string | null | undefined,
  path: string,
  errors: FieldErrors,
): string | null {
  const v = blankToNull(value);
  if (v === null) return null;
  if (!isFrance(country)) return freeText(v, 'Le code postal', path, errors, 12);
  const postcode = validatePostcode(v);
  if (postcode.ok) return postcode.value;
  errors[path] = postcode.error.message;
  return null;
}

function dayField(
  value: string | null | undefined,
  label: string,
  path: string,
  errors: FieldErrors,
  today?: string,
): string | null {
  const v = blankToNull(value);
  if (v === null) return null;
  if (!isValidDay(v)) {
    errors[path] = `${label} n'est pas une date valide (JJ/MM/AAAA).`;
    return null;
  }
  if (today !== undefined && v > today) {
    errors[path] = `${label} ne peut pas être dans le futur.`;
    return null;
  }
  if (v < '1900-01-01') {
    errors[path] = `${label} est trop ancienne.`;
    return null;
  }
  return v;
}

function nameField(
  value: string | null | undefined,
  label: string,
  path: string,
  errors: FieldErrors,
  required: boolean,
): string | null {
  const v = blankToNull(value);
  if (v === null) {
    if (required) errors[path] = `${label} est obligatoire.`;
    return null;
  }
  const name = validatePersonName(v, label);
  if (name.ok) return name.value;
  errors[path] = name.error.message;
  return null;
}

export type PersonRole = 'titulaire' | 'co_titulaire' | 'enfant' | 'entourage';

export interface PersonCheckOptions {
  role: PersonRole;
  /** 'titulaire', 'children.0'…: prefix of the error paths. */
  path: string;
  /** Today in Paris: a birth date cannot be later. */
  today?: string;
}

/**
 * Checks one person's fields. Required: nom usuel and prénom(s); for the titulaire also the civilité and one
 * contact mean (téléphone, mobile or courriel); for a child the date of birth.
 */
export function checkPerson(draft: PersonDraft, options: PersonCheckOptions): Checked<PersonFields> {
  const errors: FieldErrors = {};
  const at = (field: keyof PersonFields): string => `${options.path}.${field}`;
  const value: PersonFields = {
    civility: oneOf(draft.civility, CIVILITIES, 'La civilité', at('civility'), errors),
    usageLastName: nameField(draft.usageLastName, 'Le nom usuel', at('usageLastName'), errors, true) ?? '',
    birthLastName: nameField(draft.birthLastName, 'Le nom de naissance', at('birthLastName'), errors, false),
    firstNames: nameField(draft.firstNames, 'Le prénom', at('firstNames'), errors, true) ?? '',
    birthDate: dayField(draft.birthDate, 'La date de naissance', at('birthDate'), errors, options.today),
    birthCountry: null,
    birthDepartment: null,
    birthCommune: null,
    sex: oneOf(draft.sex, SEXES, 'Le sexe', at('sex'), errors),
    phone: phoneField(draft.phone, at('phone'), errors),
    mobile: phoneField(draft.mobile, at('mobile'), errors),
    email: null,
    preferredContact: oneOf(
      draft.preferredContact,
      CONTACT_MEANS,
      'Le moyen de contact préféré',
      at('preferredContact'),
      errors,
    ),
    employerPhone: phoneField(draft.employerPhone, at('employerPhone'), errors),
    numero: null,
    voie: null,
    batiment: null,
    appartement: null,
    complement: null,
    postcode: postcodeField(draft.postcode, draft.country, at('postcode'), errors),
    city: null,
    country: null,
    schoolName: null,
    schoolLevel: oneOf(draft.schoolLevel, SCHOOL_LEVELS, 'Le niveau scolaire', at('schoolLevel'), errors),
    classLevel: null,
    doctorName: null,
    doctorPhone: phoneField(draft.doctorPhone, at('doctorPhone'), errors),
  };
  for (const field of FREE_TEXT_PERSON_FIELDS) {
    value[field] = freeText(draft[field], PERSON_FIELD_LABELS[field], at(field), errors);
  }
  const email = blankToNull(draft.email);
  if (email !== null) {
    const checked = validateEmail(email);
    if (checked.ok) value.email = checked.value;
    else errors[at('email')] = checked.error.message;
  }
  if (options.role === 'titulaire') {
    if (value.civility === null && errors[at('civility')] === undefined)
      errors[at('civility')] = 'La civilité est obligatoire.';
    const anyContact = [draft.phone, draft.mobile, draft.email].some((v) => blankToNull(v) !== null);
    if (!anyContact)
      errors[at('mobile')] =
        'Indiquez au moins un moyen de contact du titulaire : téléphone, mobile ou courriel.';
  }
  if (options.role === 'enfant' && value.birthDate === null && errors[at('birthDate')] === undefined)
    errors[at('birthDate')] = "La date de naissance de l'enfant est obligatoire.";
  if (value.preferredContact !== null) {
    const needed: Record<ContactMean, keyof PersonFields | null> = {
      telephone: 'phone',
      mobile: 'mobile',
      email: 'email',
      courrier: null,
    };
    const field = needed[value.preferredContact];
    if (field !== null && value[field] === null && errors[at(field)] === undefined)
      errors[at('preferredContact')] =
        `Le moyen de contact préféré (${PERSON_FIELD_LABELS[field].toLowerCase()}) n'est pas renseigné.`;
  }
  return { value, errors };
}

/** Checks the household's address and settings. Required: nom de la voie, code postal, ville. */
export function checkHousehold(draft: HouseholdDraft, path = 'household'): Checked<HouseholdFields> {
  const errors: FieldErrors = {};
  const at = (field: keyof HouseholdFields): string => `${path}.${field}`;
  const country = blankToNull(draft.country) ?? 'France';
  const value: HouseholdFields = {
    numero: null,
    voie: null,
    batiment: null,
    appartement: null,
    complement: null,
    postcode: postcodeField(draft.postcode, country, at('postcode'), errors),
    city: null,
    country: freeText(country, 'Le pays', at('country'), errors, 60) ?? 'France',
    residency: oneOf(draft.residency, RESIDENCIES, 'La résidence', at('residency'), errors) ?? 'resident',
    paperlessInvoices: draft.paperlessInvoices === true,
    familySituation: null,
    cafNumber: null,
    notes: freeText(draft.notes, 'Les notes', at('notes'), errors, 2000),
  };
  for (const field of FREE_TEXT_HOUSEHOLD_FIELDS) {
    value[field] = freeText(draft[field], HOUSEHOLD_FIELD_LABELS[field], at(field), errors);
  }
  if (value.cafNumber !== null && !/^[0-9A-Za-z]{4,12}$/.test(value.cafNumber))
    errors[at('cafNumber')] = 'Le n° allocataire CAF comporte de 4 à 12 chiffres ou lettres.';
  for (const field of ['voie', 'postcode', 'city'] as const) {
    if (blankToNull(draft[field]) === null)
      errors[at(field)] = `${HOUSEHOLD_FIELD_LABELS[field]} : champ obligatoire.`;
  }
  return { value, errors };
}

export interface CheckedMember {
  person: PersonFields;
  relationship: string | null;
}

export interface CheckedFamily {
  household: HouseholdFields;
  titulaire: CheckedMember;
  coTitulaire: CheckedMember | null;
  children: CheckedMember[];
}

function checkMember(draft: MemberDraft, options: PersonCheckOptions, errors: FieldErrors): CheckedMember {
  const checked = checkPerson(draft.person, options);
  Object.assign(errors, checked.errors);
  return {
    person: checked.value,
    relationship: freeText(
      draft.relationship,
      'Le lien de parenté',
      `${options.path}.relationship`,
      errors,
      40,
    ),
  };
}

/** Checks a whole family draft (the wizard's steps): at least the titulaire, the address and one child or none. */
export function checkFamily(draft: FamilyDraft, today?: string): Checked<CheckedFamily> {
  const errors: FieldErrors = {};
  const household = checkHousehold(draft.household);
  Object.assign(errors, household.errors);
  const titulaire = checkMember(draft.titulaire, { role: 'titulaire', path: 'titulaire', today }, errors);
  const coTitulaire = draft.coTitulaire
    ? checkMember(draft.coTitulaire, { role: 'co_titulaire', path: 'coTitulaire', today }, errors)
    : null;
  const children = draft.children.map((child, i) =>
    checkMember(child, { role: 'enfant', path: `children.${i}`, today }, errors),
  );
  if (children.length > 12) errors.children = 'Pas plus de 12 enfants par famille.';
  return { value: { household: household.value, titulaire, coTitulaire, children }, errors };
}

/** "Titulaire", "Co-titulaire", "Enfant 2" for an error path; null for the household and single-person forms. */
function whoOf(path: string): string | null {
  const [head, index] = path.split('.');
  if (head === 'titulaire') return 'Titulaire';
  if (head === 'coTitulaire') return 'Co-titulaire';
  if (head === 'children' && index !== undefined && /^\d+$/.test(index)) return `Enfant ${Number(index) + 1}`;
  return null;
}

/**
 * The first error as one French sentence naming its field, and whose field when the form holds several people:
 * "Titulaire — Mobile : Le numéro de téléphone n'est pas valide…", "Le code postal doit comporter 5 chiffres."
 * (no label when the message already starts with it).
 */
export function firstErrorSentence(errors: FieldErrors): string | null {
  const [path, message] = Object.entries(errors)[0] ?? [];
  if (path === undefined || message === undefined) return null;
  const field = path.split('.').at(-1) ?? '';
  const label =
    (PERSON_FIELD_LABELS as Record<string, string>)[field] ??
    (HOUSEHOLD_FIELD_LABELS as Record<string, string>)[field];
  const bare = (text: string): string =>
    text
      .toLowerCase()
      .replace(/\(.*?\)/g, '')
      .replace(/^(le |la |les |l'|l’)/, '')
      .trim();
  const sentence = label && !bare(message).startsWith(bare(label)) ? `${label} : ${message}` : message;
  const who = whoOf(path);
  return who ? `${who} — ${sentence}` : sentence;
}
