/**
 * Quotient familial history. Records are dated (valid_from … valid_to, NULL = open-ended); a new record
 * starting on day D closes the one running on D (its valid_to becomes D − 1). A record that would start on
 * or before a later record's start is refused: history is entered in order.
 */
import { addDays } from '../calendar/paris';

export interface QfPeriod {
  id: string;
  validFrom: string;
  validTo: string | null;
}

export type QfInsertPlan =
  { ok: true; close: { id: string; validTo: string }[] } | { ok: false; code: 'QF_OVERLAP'; message: string };

/** What adding a record valid from `validFrom` (to `validTo`) does to the existing ones. */
export function planQfInsert(
  existing: readonly QfPeriod[],
  validFrom: string,
  validTo: string | null,
): QfInsertPlan {
  if (validTo !== null && validTo < validFrom)
    return {
      ok: false,
      code: 'QF_OVERLAP',
      message: 'La fin de validité du QF ne peut pas précéder son début.',
    };
  const later = existing.find((r) => r.validFrom >= validFrom);
  if (later)
    return {
      ok: false,
      code: 'QF_OVERLAP',
      message: `Un QF est déjà enregistré à partir du ${later.validFrom.split('-').reverse().join('/')} : modifiez l'historique dans l'ordre.`,
    };
  const close = existing
    .filter((r) => r.validFrom < validFrom && (r.validTo === null || r.validTo >= validFrom))
    .map((r) => ({ id: r.id, validTo: addDays(validFrom, -1) }));
  return { ok: true, close };
}

/** The record valid on `day`, if any (latest start first). */
export function qfOn<T extends QfPeriod>(records: readonly T[], day: string): T | null {
  return (
    [...records]
      .sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))
      .find((r) => r.validFrom <= day && (r.validTo === null || r.validTo >= day)) ?? null
  );
}
