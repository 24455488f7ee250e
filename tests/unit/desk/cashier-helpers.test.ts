// Pure helpers of the counter's cashier: amounts in French words (printed on receipts) and the default
// allocation of a payment over the open invoices (oldest first, the rest is credit).
import { describe, expect, it } from 'vitest';
import {
  euroAmountInWords,
  euroAmountInWordsCapitalized,
  integerInWords,
} from '../../../electron/backend/print/amount-words';
import {
  allocationsToSend,
  checkAllocation,
  oldestFirst,
} from '../../../renderer/desk/features/caisse/allocation';

describe('amounts in French words', () => {
  it.each([
    [0, 'zéro'],
    [1, 'un'],
    [16, 'seize'],
    [17, 'dix-sept'],
    [21, 'vingt et un'],
    [22, 'vingt-deux'],
    [71, 'soixante et onze'],
    [77, 'soixante-dix-sept'],
    [80, 'quatre-vingts'],
    [81, 'quatre-vingt-un'],
    [91, 'quatre-vingt-onze'],
    [99, 'quatre-vingt-dix-neuf'],
    [100, 'cent'],
    [101, 'cent un'],
    [200, 'deux cents'],
    [280, 'deux cent quatre-vingts'],
    [339, 'trois cent trente-neuf'],
    [1000, 'mille'],
    [1980, 'mille neuf cent quatre-vingts'],
    [80_000, 'quatre-vingt mille'],
    [200_000, 'deux cent mille'],
    [1_000_000, 'un million'],
    [2_300_001, 'deux millions trois cent mille un'],
  ])('writes %i as « %s »', (n, words) => {
    expect(integerInWords(n)).toBe(words);
  });

  it('writes euros and centimes as a receipt does', () => {
    expect(euroAmountInWords(33_950)).toBe('trois cent trente-neuf euros et cinquante centimes');
    expect(euroAmountInWords(100)).toBe('un euro');
    expect(euroAmountInWords(101)).toBe('un euro et un centime');
    expect(euroAmountInWords(45)).toBe('quarante-cinq centimes');
    expect(euroAmountInWords(30_000)).toBe('trois cents euros');
    expect(euroAmountInWords(100_000_000)).toBe("un million d'euros");
    expect(euroAmountInWords(-2_000)).toBe('moins vingt euros');
    expect(euroAmountInWords(0)).toBe('zéro euro');
    expect(euroAmountInWordsCapitalized(1_234)).toBe('Douze euros et trente-quatre centimes');
  });
});

describe('allocating a payment over open invoices', () => {
  const invoices = [
    { id: 'a', number: '2609000001', label: 'Septembre 2026', leftCents: 33_900 },
    { id: 'b', number: '2610000046', label: 'Octobre 2026', leftCents: 51_330 },
  ];

  it('settles the oldest invoice first and leaves the rest on the next', () => {
    expect(oldestFirst(invoices, 40_000)).toEqual({ a: 33_900, b: 6_100 });
    expect(oldestFirst(invoices, 10_000)).toEqual({ a: 10_000, b: 0 });
    expect(oldestFirst(invoices, 0)).toEqual({ a: 0, b: 0 });
  });

  it('shows what stays due after a partial payment and what an overpayment puts on credit', () => {
    expect(checkAllocation(invoices, 10_000, { a: 10_000, b: 0 })).toEqual({
      allocatedCents: 10_000,
      creditCents: 0,
      stillOwedCents: 75_230,
      tooHigh: [],
      exceedsAmount: false,
    });
    const over = checkAllocation(invoices, 90_000, oldestFirst(invoices, 90_000));
    expect(over).toMatchObject({ allocatedCents: 85_230, creditCents: 4_770, stillOwedCents: 0 });
  });

  it('flags an allocation above what an invoice owes or above the amount received', () => {
    expect(checkAllocation(invoices, 50_000, { a: 40_000, b: 0 }).tooHigh).toEqual(['a']);
    expect(checkAllocation(invoices, 10_000, { a: 6_000, b: 6_000 }).exceedsAmount).toBe(true);
  });

  it('sends positive allocations only, in invoice order', () => {
    expect(allocationsToSend(invoices, { b: 500, a: 0 })).toEqual([{ invoiceId: 'b', amountCents: 500 }]);
  });
});
