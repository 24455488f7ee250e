import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MISSING_LISTED,
  receiptNumberOf,
  receiptNumbering,
  receiptSequence,
  totalsByMode,
} from '../../../core/cash-journal';

describe('receipt sequence numbers', () => {
  it('read the number after the desk prefix, a re-numbering suffix kept on its base', () => {
    expect(receiptSequence('HV1', 'HV1-000123')).toBe(123);
    expect(receiptSequence('HV1', 'HV1-000123~2')).toBe(123);
    expect(receiptSequence('HV1', 'HV2-000123')).toBeNull();
    expect(receiptSequence('HV1', 'HV10-000001')).toBeNull();
    expect(receiptSequence('HV1', 'HV1-12a')).toBeNull();
    expect(receiptSequence('HV1', 'HV1-')).toBeNull();
  });

  it('round-trip through the printed form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999_999 }), (n) => {
        expect(receiptSequence('SA', receiptNumberOf('SA', n))).toBe(n);
      }),
    );
    expect(receiptNumberOf('HV1', 45)).toBe('HV1-000045');
  });
});

describe('the day numbering check', () => {
  it('finds nothing missing in a continuous day that follows the previous one', () => {
    expect(receiptNumbering([41, 42, 43], 40, [])).toEqual({ first: 41, last: 43, missing: [] });
  });

  it('lists holes inside the day and between the previous receipt and the day', () => {
    expect(receiptNumbering([43, 45], 40, [])).toEqual({ first: 43, last: 45, missing: [41, 42, 44] });
  });

  it('does not count a number held by a receipt of another day as missing', () => {
    expect(receiptNumbering([43, 45], 40, [41, 42, 44])).toEqual({ first: 43, last: 45, missing: [] });
  });

  it('has nothing to check on a day without receipts', () => {
    expect(receiptNumbering([], 12, [])).toEqual({ first: null, last: null, missing: [] });
  });

  it('lists at most MISSING_LISTED numbers', () => {
    expect(receiptNumbering([10_000], 0, []).missing).toHaveLength(MISSING_LISTED);
  });

  it('agrees with a plain set difference on random days', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 10 }),
        (numbers, previous) => {
          const day = numbers.filter((n) => n > previous);
          fc.pre(day.length > 0);
          const { missing, last } = receiptNumbering(day, previous, []);
          const expected: number[] = [];
          for (let n = previous + 1; n <= Math.max(...day); n++) if (!day.includes(n)) expected.push(n);
          expect(last).toBe(Math.max(...day));
          expect(missing).toEqual(expected.slice(0, MISSING_LISTED));
        },
      ),
    );
  });
});

describe('totals per mode', () => {
  it('sum each mode (reversals negative) in the régie order', () => {
    const totals = totalsByMode(
      [
        { mode: 'cheque', amountCents: 3000 },
        { mode: 'especes', amountCents: 1250 },
        { mode: 'cheque', amountCents: -3000 },
        { mode: 'especes', amountCents: 500 },
        { mode: 'carte', amountCents: 999 },
      ],
      ['especes', 'cheque', 'carte'],
    );
    expect(totals).toEqual([
      { mode: 'especes', count: 2, totalCents: 1750 },
      { mode: 'cheque', count: 2, totalCents: 0 },
      { mode: 'carte', count: 1, totalCents: 999 },
    ]);
  });

  it('put a mode missing from the order last', () => {
    const totals = totalsByMode(
      [
        { mode: 'ancv', amountCents: 100 },
        { mode: 'especes', amountCents: 200 },
      ],
      ['especes'],
    );
    expect(totals.map((t) => t.mode)).toEqual(['especes', 'ancv']);
  });
});
