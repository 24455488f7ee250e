// Commands a desk (or the portal, through the server) sends: names, versions and payload schemas (zod).
// The server validates every payload with these schemas before running a command.
import { z } from 'zod';
import { UNIT_CODES } from '../booking/units';
import { FAMILY_COMMAND_SCHEMAS } from './commands-family';
import { PLANNING_COMMAND_SCHEMAS } from './commands-planning';
import { AGENT_COMMAND_SCHEMAS } from './commands-agent';
import { DEMANDE_COMMAND_SCHEMAS } from './commands-demandes';
import { DOCUMENT_COMMAND_SCHEMAS } from './commands-documents';

const id = z.string().uuid();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Jour attendu au format AAAA-MM-JJ.');

/**
 * booking.set_day v1 — the units a child should have for one activity on one day (the desired set, not a diff):
 * units not listed are cancelled, listed ones are booked. Contested: places are decided by the server only.
 */
export const bookingSetDayV1 = z.object({
  personId: id,
  activityId: id,
  siteId: id,
  day,
  units: z.array(z.enum(UNIT_CODES)).max(4),
  /** Required when an agent books or cancels past the deadline: logged in the audit trail. */
  overrideReason: z.string().trim().min(3).max(500).optional(),
});
export type BookingSetDayV1 = z.infer<typeof bookingSetDayV1>;

export const PAYMENT_MODES = ['especes', 'cheque', 'carte', 'cesu', 'ancv'] as const;
export type DeskPaymentMode = (typeof PAYMENT_MODES)[number];

/**
 * payment.record v1 — money received at the counter. A fact: never rejected once well-formed; the receipt number
 * was assigned by the desk (desk prefix + gapless per-desk sequence). Allocations beyond what an invoice still owes
 * become the household's credit.
 */
export const paymentRecordV1 = z.object({
  paymentId: id,
  householdId: id,
  mode: z.enum(PAYMENT_MODES),
  amountCents: z.number().int().positive(),
  receivedAt: z.string().datetime(),
  receiptNumber: z.string().min(3).max(40),
  allocations: z.array(z.object({ invoiceId: id, amountCents: z.number().int().positive() })).max(50),
  bank: z.string().max(80).optional(),
  chequeNumber: z.string().max(40).optional(),
  tpeReference: z.string().max(80).optional(),
});
export type PaymentRecordV1 = z.infer<typeof paymentRecordV1>;

/** payment.reverse v1 — a correction: a negative payment cancelling a recorded one (never a deletion). */
export const paymentReverseV1 = z.object({
  reversalId: id,
  paymentId: id,
  reason: z.string().trim().min(3).max(500),
  receivedAt: z.string().datetime(),
  receiptNumber: z.string().min(3).max(40),
});
export type PaymentReverseV1 = z.infer<typeof paymentReverseV1>;

export const COMMAND_SCHEMAS = {
  'booking.set_day': { version: 1, schema: bookingSetDayV1 },
  'payment.record': { version: 1, schema: paymentRecordV1 },
  'payment.reverse': { version: 1, schema: paymentReverseV1 },
  ...PLANNING_COMMAND_SCHEMAS,
  ...AGENT_COMMAND_SCHEMAS,
  ...DEMANDE_COMMAND_SCHEMAS,
  ...DOCUMENT_COMMAND_SCHEMAS,
  ...FAMILY_COMMAND_SCHEMAS,
} as const;

export type CommandName = keyof typeof COMMAND_SCHEMAS;
export type CommandPayload<N extends CommandName> = z.infer<(typeof COMMAND_SCHEMAS)[N]['schema']>;

export function isCommandName(value: string): value is CommandName {
  return Object.hasOwn(COMMAND_SCHEMAS, value);
}
