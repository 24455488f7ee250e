import { describe, expect, it } from 'vitest';
import type { ChangeRow } from '../../../core/sync/messages';
import { latestPerRow } from '../../../electron/backend/sync/replica';

const change = (seq: number, entity: string, entityId: string, taken = seq): ChangeRow => ({
  seq,
  entity,
  entityId,
  op: 'upsert',
  row: { id: entityId, taken },
});

describe('latestPerRow (a catch-up writes each row once)', () => {
  it('keeps only the last change of each row, in seq order', () => {
    const pulled = [
      change(1, 'capacities', 'c1'),
      change(2, 'bookings', 'b1'),
      change(3, 'capacities', 'c1'),
      { seq: 4, entity: 'bookings', entityId: 'b1', op: 'delete', row: null } as ChangeRow,
      change(5, 'capacities', 'c2'),
      change(6, 'capacities', 'c1'),
    ];
    expect(latestPerRow(pulled).map((c) => c.seq)).toEqual([4, 5, 6]);
    expect(latestPerRow(pulled).find((c) => c.entityId === 'c1')?.row).toEqual({ id: 'c1', taken: 6 });
  });

  it('tells rows of different tables apart even when their ids are equal', () => {
    const pulled = [change(1, 'capacities', 'x'), change(2, 'bookings', 'x')];
    expect(latestPerRow(pulled).map((c) => c.seq)).toEqual([1, 2]);
  });
});
