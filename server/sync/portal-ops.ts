/**
 * A parent's booking from the portal: the SAME booking.set_day command as a desk's,
 * with actor = parent (deadlines enforced, no override), recorded in applied_ops
 * with a NULL desk so a retry with the same Idempotency-Key is not applied twice.
 */
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { newId } from '../../core/ids';
import type { BookingSetDayV1 } from '../../core/sync/commands';
import type { OpResult } from '../../core/sync/messages';
import { bookingStatements } from '../../db/repositories/booking-decisions';
import { syncStatements } from '../../db/repositories/sync-server';
import { ChangeWriter, changeFeedOf } from './change-log';
import { findCommand } from './commands';
import type { CommandContext } from './commands';
import { payloadHash, recordOpResult, runCommand } from './op-runner';
import type { ErrorLogger } from './op-runner';

export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('Cette demande a déjà été envoyée avec un autre contenu : rechargez la page puis recommencez.');
  }
}

/** A UUID-shaped op id derived from the account and the client's Idempotency-Key. */
export function portalOpId(accountId: string, idempotencyKey: string): string {
  const hex = createHash('sha256').update(`portal|${accountId}|${idempotencyKey}`, 'utf8').digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface ParentBookingAnswer {
  outcome: OpResult['outcome'];
  code?: string;
  message?: string;
  /** The child's booking rows for that activity and day after the decision (any state). */
  bookings: Record<string, unknown>[];
}

export function bookForParent(
  database: { sqlite: BetterSqlite3.Database },
  parent: { accountId: string; householdId: string },
  payload: Omit<BookingSetDayV1, 'overrideReason'>,
  options: { idempotencyKey?: string; now?: Date; logError?: ErrorLogger } = {},
): ParentBookingAnswer {
  const { sqlite } = database;
  const definition = findCommand('booking.set_day', 1);
  if (!definition) throw new Error('booking.set_day v1 is not registered');
  const opId = options.idempotencyKey ? portalOpId(parent.accountId, options.idempotencyKey) : newId();
  const hash = payloadHash(definition.name, definition.version, payload);
  const now = options.now ?? new Date();
  const ctx: CommandContext = { sqlite, now, opId, changes: new ChangeWriter(sqlite, now.toISOString()) };
  const result = sqlite
    .transaction((): OpResult => {
      const known = syncStatements(sqlite).appliedOp(opId);
      if (known) {
        if (known.payload_hash !== hash) throw new IdempotencyKeyReusedError();
        return JSON.parse(known.result_json) as OpResult;
      }
      const decided = runCommand(
        ctx,
        definition,
        payload,
        { kind: 'parent', ...parent },
        options.logError ?? ((message, details) => console.error(`[portal] ${message}`, details)),
      );
      return recordOpResult(
        ctx,
        { opId, deskId: null, deskSeq: null, command: definition.name, payloadHash: hash },
        decided,
      );
    })
    .immediate();
  changeFeedOf(sqlite).publish(ctx.changes.rows);
  return {
    outcome: result.outcome,
    ...(result.code !== undefined ? { code: result.code } : {}),
    ...(result.message !== undefined ? { message: result.message } : {}),
    bookings: bookingStatements(sqlite).bookingsOfActivityDay(
      payload.personId,
      payload.day,
      payload.activityId,
    ),
  };
}
