// The random actions of the sync property test (property.test.ts): what 2–3 desks and a parent may do, with
// fast-check weights (bookings and payments most often; crashes, reversals and change-log compactions rarely).
import fc from 'fast-check';
import type { UnitCode } from '../../core/booking/units';
import type { Slot } from './support';

/** What a desk or the parent may ask for one child's day, by activity (ALSH with a waiting list; meals without). */
export const UNIT_CHOICES: Record<string, UnitCode[][]> = {
  ALSH_MER: [[], ['MATIN'], ['APRES_MIDI'], ['MATIN', 'APRES_MIDI'], ['MATIN', 'REPAS_AV']],
  RESTAURATION: [[], ['REPAS']],
};
export type CodedSlot = Slot & { activityCode: string };
export const unitsFor = (slot: CodedSlot, choice: number): UnitCode[] => {
  const choices = UNIT_CHOICES[slot.activityCode]!;
  return choices[choice % choices.length]!;
};

export type Action =
  | { kind: 'book'; desk: number; slot: number; units: number }
  | { kind: 'pay'; desk: number; household: number; cents: number; mode: 'especes' | 'cheque' | 'carte' }
  | { kind: 'reverse'; desk: number; pick: number }
  | { kind: 'offline'; desk: number }
  | { kind: 'online'; desk: number }
  | { kind: 'crash'; desk: number }
  | { kind: 'sync'; desk: number }
  | { kind: 'parent'; slot: number; units: number; again: boolean }
  | { kind: 'compact' };

const desk = fc.nat(2);
export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('book' as const), desk, slot: fc.nat(30), units: fc.nat(4) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      desk,
      household: fc.nat(20),
      cents: fc.integer({ min: 1, max: 30_000 }),
      mode: fc.constantFrom('especes' as const, 'cheque' as const, 'carte' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), desk, pick: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('offline' as const), desk }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('online' as const), desk }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const), desk }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync' as const), desk }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('parent' as const),
      slot: fc.nat(5),
      units: fc.nat(4),
      again: fc.boolean(),
    }),
  },
);
