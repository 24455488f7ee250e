// Family-file commands a desk sends (zod): creating a family, editing anything in it, issuing the access key
// of its web space. Field values are checked with the same core rules the desk's forms use (core/family).
import { z } from 'zod';
import {
  checkHousehold,
  checkPerson,
  CIVILITIES,
  CONTACT_MEANS,
  RESIDENCIES,
  SCHOOL_LEVELS,
  SEXES,
} from '../family/draft';
import type { FieldErrors, PersonRole } from '../family/draft';

const id = z.string().uuid();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Jour attendu au format AAAA-MM-JJ.');
const text = (max: number) => z.string().max(max).nullable();

const personShape = {
  civility: z.enum(CIVILITIES).nullable(),
  usageLastName: z.string().min(1).max(60),
  birthLastName: text(60),
  firstNames: z.string().min(1).max(60),
  birthDate: day.nullable(),
  birthCountry: text(120),
  birthDepartment: text(120),
  birthCommune: text(120),
  sex: z.enum(SEXES).nullable(),
  phone: text(20),
  mobile: text(20),
  email: text(254),
  preferredContact: z.enum(CONTACT_MEANS).nullable(),
  employerPhone: text(20),
  numero: text(120),
  voie: text(120),
  batiment: text(120),
  appartement: text(120),
  complement: text(120),
  postcode: text(12),
  city: text(120),
  country: text(120),
  schoolName: text(120),
  schoolLevel: z.enum(SCHOOL_LEVELS).nullable(),
  classLevel: text(120),
  doctorName: text(120),
  doctorPhone: text(20),
};

const householdShape = {
  numero: text(120),
  voie: text(120),
  batiment: text(120),
  appartement: text(120),
  complement: text(120),
  postcode: text(12),
  city: text(120),
  country: z.string().min(1).max(60),
  residency: z.enum(RESIDENCIES),
  paperlessInvoices: z.boolean(),
  familySituation: text(120),
  cafNumber: text(12),
  notes: text(2000),
};

function report(ctx: z.RefinementCtx, errors: FieldErrors, only?: ReadonlySet<string>): void {
  for (const [path, message] of Object.entries(errors)) {
    const field = path.split('.').at(-1) ?? path;
    if (only && !only.has(field)) continue;
    ctx.addIssue({ code: 'custom', message, path: [field] });
  }
}

/** A whole person, checked with the core rules for its role. */
function personSchema(role: PersonRole) {
  return z.object(personShape).superRefine((person, ctx) => {
    report(ctx, checkPerson(person, { role, path: 'p' }).errors);
  });
}

/** Some fields of a person (undefined = unchanged, null = cleared), each checked with the core rules. */
const personPatchSchema = z
  .object(personShape)
  .partial()
  .superRefine((patch, ctx) => {
    const given = new Set(Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined));
    const full = { usageLastName: 'X', firstNames: 'X', ...patch };
    report(ctx, checkPerson(full, { role: 'entourage', path: 'p' }).errors, given);
  });

const householdSchema = z.object(householdShape).superRefine((household, ctx) => {
  report(ctx, checkHousehold(household).errors);
});

const householdPatchSchema = z
  .object(householdShape)
  .partial()
  .superRefine((patch, ctx) => {
    const given = new Set(Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined));
    const full = { voie: 'X', postcode: '49170', city: 'X', ...patch };
    report(ctx, checkHousehold(full).errors, given);
  });

const relationship = z.string().trim().max(40).nullable();

const member = <S extends z.ZodTypeAny>(person: S) => z.object({ personId: id, person, relationship });

/**
 * household.create v1 — a new family file. The desk gives every id and a provisional code; the server gives
 * the family code (contested numbering) and re-checks duplicates: a possible duplicate the agent did not see
 * and confirm (`confirmedDuplicates`) rejects the command.
 */
export const householdCreateV1 = z.object({
  householdId: id,
  provisionalCode: z.string().min(3).max(40),
  household: householdSchema,
  titulaire: member(personSchema('titulaire')),
  coTitulaire: member(personSchema('co_titulaire')).nullable(),
  children: z.array(member(personSchema('enfant'))).max(12),
  /** Households the agent was shown as possible duplicates and chose to ignore. */
  confirmedDuplicates: z.array(id).max(50),
});
export type HouseholdCreateV1 = z.infer<typeof householdCreateV1>;

export const AUTHORISATION_KINDS = [
  'droit_image',
  'sortie_seul',
  'transport',
  'soins_urgence',
  'autre',
] as const;
export const HEALTH_NOTE_KINDS = ['allergie', 'pai', 'regime', 'traitement', 'autre'] as const;
export const QF_SOURCES = ['caf', 'msa', 'avis_imposition', 'autre'] as const;
export const ADDABLE_ROLES = ['co_titulaire', 'enfant', 'entourage'] as const;
export const REMOVABLE_ROLES = ['co_titulaire', 'entourage'] as const;

/** One edit of a family file. */
export const householdChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('household'), fields: householdPatchSchema }),
  z.object({ kind: z.literal('person'), personId: id, fields: personPatchSchema }),
  z.object({
    kind: z.literal('member.add'),
    personId: id,
    role: z.enum(ADDABLE_ROLES),
    person: z.object(personShape).superRefine((person, ctx) => {
      report(ctx, checkPerson(person, { role: 'entourage', path: 'p' }).errors);
    }),
    relationship,
    canPickUp: z.boolean(),
    emergencyContact: z.boolean(),
  }),
  z.object({
    kind: z.literal('member.update'),
    personId: id,
    relationship: relationship.optional(),
    canPickUp: z.boolean().optional(),
    emergencyContact: z.boolean().optional(),
  }),
  z.object({ kind: z.literal('member.remove'), personId: id }),
  z.object({
    kind: z.literal('authorisation.set'),
    authorisationId: id,
    personId: id,
    authorisation: z.enum(AUTHORISATION_KINDS),
    granted: z.boolean(),
    validFrom: day.nullable(),
    validTo: day.nullable(),
    details: text(500),
  }),
  z.object({
    kind: z.literal('health.set'),
    healthNoteId: id,
    personId: id,
    note: z.enum(HEALTH_NOTE_KINDS),
    label: z.string().trim().min(2).max(120),
    details: text(1000),
  }),
  z.object({ kind: z.literal('health.remove'), healthNoteId: id }),
  z.object({
    kind: z.literal('qf.add'),
    qfId: id,
    value: z.number().int().min(0).max(100_000),
    source: z.enum(QF_SOURCES),
    validFrom: day,
    validTo: day.nullable(),
  }),
]);
export type HouseholdChange = z.infer<typeof householdChange>;
export type HouseholdChangeKind = HouseholdChange['kind'];

/** household.update v1 — one edit of a family file (the audit trail keeps its before / after). */
export const householdUpdateV1 = z.object({ householdId: id, change: householdChange });
export type HouseholdUpdateV1 = z.infer<typeof householdUpdateV1>;

/**
 * household.issue_access_key v1 — the key printed on the letter that opens the family's web space. Only its
 * hash travels (the clear key exists on paper only); issuing one retires the family's unused keys.
 */
export const householdIssueAccessKeyV1 = z.object({
  keyId: id,
  householdId: id,
  keyHash: z.string().regex(/^[0-9a-f]{64}$/),
  keyHint: z.string().min(2).max(12),
  issuedAt: z.string().datetime(),
  expiresAt: z.string().datetime(),
});
export type HouseholdIssueAccessKeyV1 = z.infer<typeof householdIssueAccessKeyV1>;

export const FAMILY_COMMAND_SCHEMAS = {
  'household.create': { version: 1, schema: householdCreateV1 },
  'household.update': { version: 1, schema: householdUpdateV1 },
  'household.issue_access_key': { version: 1, schema: householdIssueAccessKeyV1 },
} as const;

export type FamilyCommandName = keyof typeof FAMILY_COMMAND_SCHEMAS;

export function isFamilyCommandName(value: string): value is FamilyCommandName {
  return Object.hasOwn(FAMILY_COMMAND_SCHEMAS, value);
}
