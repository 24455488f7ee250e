// Form state of the family screens: every field as a string ('' = empty) so Vuetify inputs bind directly,
// turned into the core drafts the rules check (core/family/draft.ts) and back from the file's DTOs.
import type { FamilyPersonDto, HouseholdDraft, PersonDraft } from '../../../../electron/contract';
import type { HouseholdFields, PersonFields } from '../../../../core/family/draft';
import { formatShortFr, isValidDay, parseShortFr } from '../../../../core/calendar/paris';

/** "17/05/1986" (what the agent types) → "1986-05-17"; anything else is left for the rules to refuse. */
export function dayFromFr(text: string): string {
  const trimmed = text.trim();
  return parseShortFr(trimmed) ?? trimmed;
}

/** "1986-05-17" → "17/05/1986". */
export function dayToFr(day: string | null | undefined): string {
  return day && isValidDay(day) ? formatShortFr(day) : (day ?? '');
}

export type PersonForm = { [K in keyof PersonFields]: string };
export type HouseholdForm = { [K in keyof Omit<HouseholdFields, 'paperlessInvoices'>]: string } & {
  paperlessInvoices: boolean;
};

const PERSON_KEYS: (keyof PersonFields)[] = [
  'civility',
  'usageLastName',
  'birthLastName',
  'firstNames',
  'birthDate',
  'birthCountry',
  'birthDepartment',
  'birthCommune',
  'sex',
  'phone',
  'mobile',
  'email',
  'preferredContact',
  'employerPhone',
  'numero',
  'voie',
  'batiment',
  'appartement',
  'complement',
  'postcode',
  'city',
  'country',
  'schoolName',
  'schoolLevel',
  'classLevel',
  'doctorName',
  'doctorPhone',
];

export function emptyPerson(init: Partial<PersonForm> = {}): PersonForm {
  return { ...(Object.fromEntries(PERSON_KEYS.map((k) => [k, ''])) as PersonForm), ...init };
}

export function emptyHousehold(): HouseholdForm {
  return {
    numero: '',
    voie: '',
    batiment: '',
    appartement: '',
    complement: '',
    postcode: '',
    city: '',
    country: 'France',
    residency: 'resident',
    familySituation: '',
    cafNumber: '',
    notes: '',
    paperlessInvoices: false,
  };
}

/** The form as the rules read it (blank strings are empty). */
export function personDraft(form: PersonForm): PersonDraft {
  const draft = Object.fromEntries(
    Object.entries(form).map(([k, v]) => [k, (v as string | null) ?? '']),
  ) as PersonForm;
  if (draft.birthDate !== undefined) draft.birthDate = dayFromFr(draft.birthDate);
  return draft as PersonDraft;
}

export function householdDraft(form: HouseholdForm): HouseholdDraft {
  const draft = Object.fromEntries(
    Object.entries(form).map(([k, v]) => [k, (v as string | boolean | null) ?? '']),
  ) as HouseholdForm;
  return draft as HouseholdDraft;
}

/** Only the fields that differ from `before` (what an edit sends). */
export function changedFields<T extends Record<string, string | boolean>>(before: T, after: T): Partial<T> {
  const changed: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[])
    if (after[key] !== before[key]) changed[key] = after[key];
  return changed;
}

export function personFormOf(p: FamilyPersonDto): PersonForm {
  const text = (v: string | null | undefined): string => v ?? '';
  return {
    civility: text(p.civility),
    usageLastName: p.usageLastName,
    birthLastName: text(p.birthLastName),
    firstNames: p.firstNames,
    birthDate: dayToFr(p.birthDate),
    birthCountry: text(p.birthCountry),
    birthDepartment: text(p.birthDepartment),
    birthCommune: text(p.birthCommune),
    sex: text(p.sex),
    phone: p.phone?.display ?? '',
    mobile: p.mobile?.display ?? '',
    email: text(p.email),
    preferredContact: text(p.preferredContact),
    employerPhone: p.employerPhone?.display ?? '',
    numero: text(p.numero),
    voie: text(p.voie),
    batiment: text(p.batiment),
    appartement: text(p.appartement),
    complement: text(p.complement),
    postcode: text(p.postcode),
    city: text(p.city),
    country: text(p.country),
    schoolName: text(p.schoolName),
    schoolLevel: text(p.schoolLevel),
    classLevel: text(p.classLevel),
    doctorName: text(p.doctorName),
    doctorPhone: p.doctorPhone?.display ?? '',
  };
}

/** Errors of one form, keyed by field: `errors['titulaire.mobile']` → `fieldErrors(errors, 'titulaire').mobile`. */
export function fieldErrors(errors: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) {
    if (path.startsWith(`${prefix}.`)) out[path.slice(prefix.length + 1)] = message;
  }
  return out;
}

export const CLASS_LEVELS = ['TPS', 'PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2'] as const;
