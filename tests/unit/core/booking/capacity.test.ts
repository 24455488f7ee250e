import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideBooking,
  decideCapacity,
  promoteFromWaitlist,
  remainingPlaces,
} from '../../../../core/booking/capacity';
import { DomainError } from '../../../../core/errors';

describe('decideCapacity', () => {
  it('confirms while places remain, including the last one', () => {
    expect(decideCapacity({ capacity: 24, taken: 0, waitlistAllowed: false })).toBe('confirmed');
    expect(decideCapacity({ capacity: 24, taken: 23, waitlistAllowed: false })).toBe('confirmed');
    expect(decideCapacity({ capacity: 24, taken: 22, requested: 2, waitlistAllowed: false })).toBe(
      'confirmed',
    );
  });

  it('waitlists or refuses once full, depending on the activity', () => {
    expect(decideCapacity({ capacity: 24, taken: 24, waitlistAllowed: true })).toBe('waitlisted');
    expect(decideCapacity({ capacity: 24, taken: 24, waitlistAllowed: false })).toBe('refused');
    expect(decideCapacity({ capacity: 0, taken: 0, waitlistAllowed: false })).toBe('refused');
  });

  it('grants a request of several places all or nothing', () => {
    expect(decideCapacity({ capacity: 24, taken: 23, requested: 2, waitlistAllowed: false })).toBe('refused');
  });

  it('stays closed when an agent override left it oversubscribed', () => {
    expect(remainingPlaces(10, 12)).toBe(0);
    expect(decideCapacity({ capacity: 10, taken: 12, waitlistAllowed: false })).toBe('refused');
  });

  it('refuses nonsense input as a programming error', () => {
    expect(() => decideCapacity({ capacity: -1, taken: 0, waitlistAllowed: false })).toThrow(DomainError);
    expect(() => decideCapacity({ capacity: 5, taken: 0.5, waitlistAllowed: false })).toThrow(DomainError);
    expect(() => decideCapacity({ capacity: 5, taken: 0, requested: 0, waitlistAllowed: false })).toThrow(
      DomainError,
    );
  });

  const counts = fc.record({
    capacity: fc.integer({ min: 0, max: 60 }),
    taken: fc.integer({ min: 0, max: 80 }),
    requested: fc.integer({ min: 1, max: 5 }),
    waitlistAllowed: fc.boolean(),
  });

  it('never confirms when taken + requested exceeds capacity, and always does otherwise', () => {
    fc.assert(
      fc.property(counts, (input) => {
        const confirmed = decideCapacity(input) === 'confirmed';
        expect(confirmed).toBe(input.taken + input.requested <= input.capacity);
      }),
    );
  });

  it('keeps the total confirmed within capacity over any sequence of requests', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.record({ requested: fc.integer({ min: 1, max: 4 }), waitlistAllowed: fc.boolean() })),
        (capacity, requests) => {
          let taken = 0;
          for (const request of requests) {
            if (decideCapacity({ capacity, taken, ...request }) === 'confirmed') taken += request.requested;
            expect(taken).toBeLessThanOrEqual(capacity);
          }
        },
      ),
    );
  });
});

describe('decideBooking', () => {
  it('tells the places left after a confirmation', () => {
    expect(decideBooking({ capacity: 12, taken: 10, requested: 1, waitlistAllowed: false })).toEqual({
      ok: true,
      value: { status: 'confirmed', remainingAfter: 1 },
    });
  });

  it('gives the position on the waiting list', () => {
    expect(decideBooking({ capacity: 12, taken: 12, waitlistAllowed: true, alreadyWaiting: 3 })).toEqual({
      ok: true,
      value: { status: 'waitlisted', waitlistPosition: 4 },
    });
  });

  it('refuses with CAPACITY_FULL naming what is full', () => {
    const result = decideBooking({
      capacity: 12,
      taken: 11,
      requested: 2,
      waitlistAllowed: false,
      what: 'le mercredi 14 octobre 2026 (Matin)',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('CAPACITY_FULL');
      expect(result.error.message).toBe(
        'Plus assez de places disponibles pour le mercredi 14 octobre 2026 (Matin) : 1 place restante.',
      );
    }
  });
});

describe('promoteFromWaitlist', () => {
  it('confirms waiting requests in arrival order while they fit', () => {
    const queue = [
      { id: 'a', requested: 1 },
      { id: 'b', requested: 1 },
      { id: 'c', requested: 1 },
    ];
    expect(promoteFromWaitlist(10, 8, queue)).toEqual(['a', 'b']);
    expect(promoteFromWaitlist(10, 10, queue)).toEqual([]);
  });

  it('never lets a later small request jump an earlier large one', () => {
    const queue = [
      { id: 'siblings', requested: 2 },
      { id: 'single', requested: 1 },
    ];
    expect(promoteFromWaitlist(10, 9, queue)).toEqual([]);
  });

  it('never promotes beyond capacity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.integer({ min: 1, max: 4 })),
        (capacity, taken, sizes) => {
          const queue = sizes.map((requested, index) => ({ id: String(index), requested }));
          const promoted = promoteFromWaitlist(capacity, taken, queue);
          const added = promoted.reduce((total, id) => total + (queue[Number(id)]?.requested ?? 0), 0);
          expect(added).toBeLessThanOrEqual(Math.max(0, capacity - taken));
          expect(promoted).toEqual(queue.slice(0, promoted.length).map((request) => request.id));
        },
      ),
    );
  });
});
