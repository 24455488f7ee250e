// Planning commands a desk sends (inscriptions and absences): names, versions and payload schemas (zod).
// Merged into COMMAND_SCHEMAS (core/sync/commands.ts); the server validates every payload with these.
import { z } from 'zod';

const id = z.string().uuid();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Jour attendu au format AAAA-MM-JJ.');
const reason = z.string().trim().min(3).max(500);

/**
 * inscription.create v1 — an agent registers a child to an activity at a site for a period: validated at once
 * (with a logged reason when required documents are missing) or recorded as a request (demandée) waiting for
 * pieces. The id is chosen by the desk so bookings made right after (offline too) can point at it.
 */
export const inscriptionCreateV1 = z.object({
  inscriptionId: id,
  personId: id,
  activityId: id,
  siteId: id,
  periodId: id,
  status: z.enum(['validee', 'demandee']),
  overrideReason: reason.optional(),
});
export type InscriptionCreateV1 = z.infer<typeof inscriptionCreateV1>;

/** inscription.decide v1 — an agent validates or refuses an inscription request (status demandée). */
export const inscriptionDecideV1 = z.object({
  inscriptionId: id,
  decision: z.enum(['validee', 'refusee']),
  /** Required to refuse: told to the family. */
  reason: reason.optional(),
});
export type InscriptionDecideV1 = z.infer<typeof inscriptionDecideV1>;

/**
 * absence.record v1 — a child's absence over days. Bookings still in time are cancelled (places given back);
 * those past the deadline stay booked, and `chargeCancelled` (a justified absence) says they are not charged.
 */
export const absenceRecordV1 = z.object({
  absenceId: id,
  personId: id,
  from: day,
  to: day,
  comment: z.string().trim().max(500).optional(),
  justified: z.boolean(),
  chargeCancelled: z.boolean(),
  /** The justificatif: a document of the household already on file. */
  documentId: id.optional(),
});
export type AbsenceRecordV1 = z.infer<typeof absenceRecordV1>;

export const PLANNING_COMMAND_SCHEMAS = {
  'inscription.create': { version: 1, schema: inscriptionCreateV1 },
  'inscription.decide': { version: 1, schema: inscriptionDecideV1 },
  'absence.record': { version: 1, schema: absenceRecordV1 },
} as const;
