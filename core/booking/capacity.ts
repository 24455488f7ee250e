/**
 * Capacity decisions: whoever books (parent online, agent at a desk, a desk
 * syncing after being offline), a unit of a day is never confirmed beyond its
 * places. A request of several places is all-or-nothing.
 */
import { DomainError, err, ok } from '../errors';
import type { Result } from '../errors';

export type CapacityDecision = 'confirmed' | 'waitlisted' | 'refused';

export type CapacityInput = {
  /** Places offered for this lieu × day × unit × age group. */
  capacity: number;
  /** Places already confirmed. */
  taken: number;
  /** Places asked now; default 1. */
  requested?: number;
  waitlistAllowed: boolean;
};

function assertCount(name: string, value: number, minimum: number): void {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new DomainError('INVALID_CAPACITY_INPUT', `Valeur invalide pour ${name} : ${value}.`, {
      [name]: value,
    });
  }
}

/** Places still free (0 when already full or oversubscribed by a past override). */
export function remainingPlaces(capacity: number, taken: number): number {
  assertCount('capacity', capacity, 0);
  assertCount('taken', taken, 0);
  return Math.max(0, capacity - taken);
}

export function decideCapacity({
  capacity,
  taken,
  requested = 1,
  waitlistAllowed,
}: CapacityInput): CapacityDecision {
  assertCount('requested', requested, 1);
  if (requested <= remainingPlaces(capacity, taken)) return 'confirmed';
  return waitlistAllowed ? 'waitlisted' : 'refused';
}

export type BookingDecision =
  { status: 'confirmed'; remainingAfter: number } | { status: 'waitlisted'; waitlistPosition: number };

/**
 * Like `decideCapacity`, as a Result: confirmed (with the places left after it),
 * waitlisted (with the position in the queue), or CAPACITY_FULL with a French
 * message naming what is full (`what`, e.g. "le mercredi 14 octobre 2026 (Matin)").
 */
export function decideBooking(
  input: CapacityInput & { alreadyWaiting?: number; what?: string },
): Result<BookingDecision> {
  const requested = input.requested ?? 1;
  const decision = decideCapacity(input);
  const remaining = remainingPlaces(input.capacity, input.taken);
  if (decision === 'confirmed') return ok({ status: 'confirmed', remainingAfter: remaining - requested });
  if (decision === 'waitlisted') {
    const alreadyWaiting = input.alreadyWaiting ?? 0;
    assertCount('alreadyWaiting', alreadyWaiting, 0);
    return ok({ status: 'waitlisted', waitlistPosition: alreadyWaiting + 1 });
  }
  const subject = input.what ? ` pour ${input.what}` : '';
  const left =
    remaining === 0
      ? 'complet'
      : `${remaining} place${remaining > 1 ? 's' : ''} restante${remaining > 1 ? 's' : ''}`;
  return err('CAPACITY_FULL', `Plus assez de places disponibles${subject} : ${left}.`, {
    capacity: input.capacity,
    taken: input.taken,
    requested,
  });
}

export type WaitingRequest = { id: string; requested: number };

/**
 * When places free up: the waiting requests to confirm now, in strict
 * first-come order — the queue stops at the first request that does not fit,
 * so a later small request never jumps ahead of an earlier large one.
 */
export function promoteFromWaitlist(
  capacity: number,
  taken: number,
  queue: readonly WaitingRequest[],
): string[] {
  let free = remainingPlaces(capacity, taken);
  const promoted: string[] = [];
  for (const request of queue) {
    assertCount('requested', request.requested, 1);
    if (request.requested > free) break;
    free -= request.requested;
    promoted.push(request.id);
  }
  return promoted;
}
