// The journal de caisse of one desk: its receipts issued in a time window (void ones included), with the payment
// each one is for, the family, the agent and whether the server has acknowledged it; and what the numbering
// check needs from the other days (core/cash-journal.ts).
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database, PaymentMode } from '../schema';
import { displayName } from './households';

export interface CashJournalRow {
  receiptId: string;
  number: string;
  issuedAt: string;
  /** Set on a void receipt: why the server refused the payment it was printed for. */
  voidReason: string | null;
  paymentId: string | null;
  mode: PaymentMode | null;
  amountCents: number | null;
  reversalOfPaymentId: string | null;
  household: { id: string; code: string; titulaire: string } | null;
  agentName: string | null;
  /** Status of the desk command that wrote the payment (null once the row came from the server alone). */
  outboxStatus: string | null;
}

export interface DeskReceiptPrefix {
  deskId: string;
  name: string;
  receiptPrefix: string;
}

export async function getDeskReceiptPrefix(
  db: Kysely<Database>,
  deskId: string,
): Promise<DeskReceiptPrefix | null> {
  const desk = await db
    .selectFrom('desks')
    .select(['id', 'name', 'receipt_prefix'])
    .where('id', '=', deskId)
    .executeTakeFirst();
  return desk ? { deskId: desk.id, name: desk.name, receiptPrefix: desk.receipt_prefix } : null;
}

/** The desk's receipts issued in [fromIso, toIso) (the caller orders them by sequence). */
export async function listDeskReceipts(
  db: Kysely<Database>,
  deskId: string,
  fromIso: string,
  toIso: string,
): Promise<CashJournalRow[]> {
  const rows = await db
    .selectFrom('receipts as r')
    .leftJoin('payments as p', 'p.id', 'r.payment_id')
    .leftJoin('households as h', 'h.id', 'p.household_id')
    .leftJoin('household_members as m', (join) =>
      join.onRef('m.household_id', '=', 'h.id').on('m.role', '=', 'titulaire'),
    )
    .leftJoin('persons as t', 't.id', 'm.person_id')
    .leftJoin('agents as a', 'a.id', 'p.agent_id')
    .leftJoin('outbox as o', 'o.op_id', 'p.origin_op_id')
    .select([
      'r.id as receipt_id',
      'r.number',
      'r.issued_at',
      'r.void_reason',
      'p.id as payment_id',
      'p.mode',
      'p.amount_cents',
      'p.reversal_of_payment_id',
      'h.id as household_id',
      'h.code as household_code',
      't.first_names',
      't.usage_last_name',
      'a.display_name as agent_name',
      'o.status as outbox_status',
    ])
    .where('r.desk_id', '=', deskId)
    .where('r.issued_at', '>=', fromIso)
    .where('r.issued_at', '<', toIso)
    .orderBy('r.number')
    .execute();
  return rows.map((r) => ({
    receiptId: r.receipt_id,
    number: r.number,
    issuedAt: r.issued_at,
    voidReason: r.void_reason,
    paymentId: r.payment_id,
    mode: r.mode,
    amountCents: r.amount_cents,
    reversalOfPaymentId: r.reversal_of_payment_id,
    household:
      r.household_id !== null && r.household_code !== null
        ? {
            id: r.household_id,
            code: r.household_code,
            titulaire:
              r.usage_last_name !== null
                ? displayName({ first_names: r.first_names ?? '', usage_last_name: r.usage_last_name })
                : '',
          }
        : null,
    agentName: r.agent_name,
    outboxStatus: r.outbox_status,
  }));
}

/** `CAST(substr(number, …))` of the desk's receipts: their sequence (a `~k` suffix stops the cast). */
function sequenceOf(prefix: string) {
  return sql<number>`CAST(substr(r.number, ${prefix.length + 2}) AS INTEGER)`;
}

function ofPrefix(prefix: string) {
  return sql<boolean>`substr(r.number, 1, ${prefix.length + 1}) = ${`${prefix}-`}`;
}

/** The desk's highest receipt sequence issued before `beforeIso` (0 for none). */
export async function previousReceiptSequence(
  db: Kysely<Database>,
  desk: DeskReceiptPrefix,
  beforeIso: string,
): Promise<number> {
  const row = await db
    .selectFrom('receipts as r')
    .select(sql<number | null>`MAX(${sequenceOf(desk.receiptPrefix)})`.as('sequence'))
    .where('r.desk_id', '=', desk.deskId)
    .where('r.issued_at', '<', beforeIso)
    .where(ofPrefix(desk.receiptPrefix))
    .executeTakeFirst();
  return row?.sequence ?? 0;
}

/** Sequences up to `upTo` the desk issued at or after `fromIso` (a later day, or a desk clock set back). */
export async function laterReceiptSequences(
  db: Kysely<Database>,
  desk: DeskReceiptPrefix,
  fromIso: string,
  upTo: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('receipts as r')
    .select(sequenceOf(desk.receiptPrefix).as('sequence'))
    .where('r.desk_id', '=', desk.deskId)
    .where('r.issued_at', '>=', fromIso)
    .where(ofPrefix(desk.receiptPrefix))
    .where(sequenceOf(desk.receiptPrefix), '<=', upTo)
    .execute();
  return rows.map((r) => r.sequence);
}
