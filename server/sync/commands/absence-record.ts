/**
 * absence.record v1 — a child's absence over days, recorded by an agent. Judged by the server's clock: the
 * child's bookings still in time are cancelled (their places given back); those past the deadline stay booked
 * and are not charged when the agent cancelled the charge of a justified absence (`charge_cancelled`).
 */
import { checkAbsence } from '../../../core/absences';
import type { AbsenceRecordV1 } from '../../../core/sync/commands-planning';
import { bookingStatements } from '../../../db/repositories/booking-decisions';
import { absenceBookings, insertAbsence, planningStatements } from '../../../db/repositories/planning';
import { auditCommand } from './audit';
import { accepted, rejected } from './context';
import type { CommandHandler } from './context';

export const recordAbsence: CommandHandler<AbsenceRecordV1> = (ctx, payload, actor) => {
  const q = planningStatements(ctx.sqlite);
  if (q.absence.get(payload.absenceId)) {
    return accepted(ctx, {
      code: 'ABSENCE_ALREADY_RECORDED',
      message: 'Cette absence était déjà enregistrée.',
    });
  }
  const householdId = q.childHousehold.get(payload.personId) as string | undefined;
  if (!householdId) return rejected('PERSON_NOT_FOUND', 'Enfant introuvable dans une famille.');
  if (payload.documentId !== undefined) {
    const document = q.document.get(payload.documentId) as
      { household_id: string | null; space: string } | undefined;
    if (!document || document.household_id !== householdId || document.space === 'prive_citoyen') {
      return rejected(
        'DOCUMENT_NOT_FOUND',
        "Le justificatif choisi n'est pas dans le dossier de cette famille.",
      );
    }
  }
  const check = checkAbsence({
    from: payload.from,
    to: payload.to,
    justified: payload.justified,
    chargeCancelled: payload.chargeCancelled,
    hasJustificatif: payload.documentId !== undefined,
    comment: payload.comment ?? null,
  });
  if (!check.ok) return rejected(check.error.code, check.error.message);

  const at = ctx.changes.at;
  const agentId = actor.kind === 'agent' ? actor.agentId : null;
  const { cancel, keep } = absenceBookings(ctx.sqlite, payload.personId, payload.from, payload.to, ctx.now);
  const bookings = bookingStatements(ctx.sqlite);
  const reason = `Absence signalée${payload.comment ? ` : ${payload.comment}` : ''}`.slice(0, 500);
  const capacityRows = new Set<string>();
  for (const booking of cancel) {
    bookings.cancel(booking.id, 'desk', ctx.opId, reason, at);
    ctx.changes.upsert('bookings', booking.id);
    if (booking.state !== 'reservee') continue;
    const released = bookings.releasePlace(
      { siteId: booking.site_id, unitId: booking.unit_id, day: booking.day, ageGroup: booking.age_group },
      at,
    );
    if (released) capacityRows.add(released);
  }
  for (const id of capacityRows) ctx.changes.upsert('capacities', id, null);
  insertAbsence(ctx.sqlite, {
    id: payload.absenceId,
    personId: payload.personId,
    householdId,
    from: payload.from,
    to: payload.to,
    comment: payload.comment ?? null,
    justified: check.value.justified,
    chargeCancelled: check.value.chargeCancelled,
    documentId: payload.documentId ?? null,
    agentId,
    at,
  });
  ctx.changes.upsert('absences', payload.absenceId);
  auditCommand(ctx, actor, {
    action: 'absence.record',
    householdId,
    entity: 'absences',
    entityId: payload.absenceId,
    reason: payload.comment ?? null,
    details: {
      personId: payload.personId,
      from: payload.from,
      to: payload.to,
      justified: check.value.justified,
      chargeCancelled: check.value.chargeCancelled,
      cancelledBookings: cancel.length,
      keptBookings: keep.length,
    },
  });
  return accepted(ctx);
};
