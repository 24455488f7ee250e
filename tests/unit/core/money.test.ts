import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../core/errors';
import {
  EURO_SPACE,
  assertCents,
  formatAmount,
  formatEuros,
  multiplyCents,
  parseEuros,
  percentOfCents,
  sumCents,
} from '../../../core/money';

const NBSP = '\u00A0';

describe('formatEuros', () => {
  it('writes French amounts with no-break spaces and a comma', () => {
    expect(EURO_SPACE).toBe(NBSP);
    expect(formatEuros(123450)).toBe(`1${NBSP}234,50${NBSP}€`);
    expect(formatEuros(0)).toBe(`0,00${NBSP}€`);
    expect(formatEuros(5)).toBe(`0,05${NBSP}€`);
    expect(formatEuros(415)).toBe(`4,15${NBSP}€`);
    expect(formatEuros(123456789)).toBe(`1${NBSP}234${NBSP}567,89${NBSP}€`);
    expect(formatEuros(-7055)).toBe(`-70,55${NBSP}€`);
  });

  it('uses the no-break space only, never an ordinary or narrow one', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => {
        const text = formatEuros(cents);
        expect(text).not.toMatch(/[ \u202F]/);
        expect(text.endsWith(`${NBSP}€`)).toBe(true);
      }),
    );
  });

  it('refuses floats', () => {
    expect(() => formatEuros(12.5)).toThrow(DomainError);
    expect(() => formatEuros(Number.NaN)).toThrow(DomainError);
  });
});

describe('parseEuros', () => {
  it.each([
    ['12,50', 1250],
    ['12.5', 1250],
    ['12 €', 1200],
    ['12€', 1200],
    [`1${NBSP}234,50${NBSP}€`, 123450],
    ['1 234,50', 123450],
    ['1.234,50', 123450],
    ['1,234.50', 123450],
    ['1.234.567', 123456700],
    ['0,05', 5],
    [',5', 50],
    ['-3', -300],
    ['  7  ', 700],
    ['EUR 4,15', 415],
    ['- 3,50 €', -350],
    ['1 234 567,89', 123456789],
    ['4,15 euros', 415],
  ])('reads "%s" as %i cents', (text, cents) => {
    expect(parseEuros(text)).toEqual({ ok: true, value: cents });
  });

  it.each([
    ['', 'MONEY_EMPTY'],
    ['   ', 'MONEY_EMPTY'],
    ['douze', 'MONEY_INVALID'],
    ['12,5a', 'MONEY_INVALID'],
    ['.', 'MONEY_INVALID'],
    ['1,2,3', 'MONEY_INVALID'],
    ['12 50', 'MONEY_INVALID'],
    ['1 23 456', 'MONEY_INVALID'],
    ['12,505', 'MONEY_TOO_MANY_DECIMALS'],
    ['0.125', 'MONEY_TOO_MANY_DECIMALS'],
    ['1.234', 'MONEY_AMBIGUOUS'],
    ['999999999999999999', 'MONEY_TOO_LARGE'],
  ])('refuses "%s" with %s', (text, code) => {
    const result = parseEuros(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('reads back every formatted amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (cents) => {
        expect(parseEuros(formatEuros(cents))).toEqual({ ok: true, value: cents });
        expect(parseEuros(formatAmount(cents))).toEqual({ ok: true, value: cents });
      }),
    );
  });
});

describe('cent arithmetic', () => {
  it('sums integer cents exactly where floats would drift', () => {
    expect(sumCents([10, 20])).toBe(30);
    expect(sumCents([])).toBe(0);
    expect(multiplyCents(415, 17)).toBe(7055); // 17 × 4,15 € = 70,55 €, not 70,49
  });

  it('refuses non-integer amounts and quantities', () => {
    expect(() => sumCents([10, 0.5])).toThrow(DomainError);
    expect(() => assertCents(1.1)).toThrow(DomainError);
    expect(() => multiplyCents(415, 1.5)).toThrow(DomainError);
    expect(() => sumCents([Number.MAX_SAFE_INTEGER, 1])).toThrow(DomainError);
  });

  it('takes a percentage rounded half away from zero', () => {
    expect(percentOfCents(415, 30)).toBe(125); // 124,5 → 125
    expect(percentOfCents(1000, 30)).toBe(300);
    expect(percentOfCents(-415, 30)).toBe(-125);
    expect(percentOfCents(1, 49)).toBe(0);
    expect(percentOfCents(1, 50)).toBe(1);
  });

  it('sums like integer addition', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e9, max: 1e9 })), (values) => {
        expect(sumCents(values)).toBe(values.reduce((total, value) => total + value, 0));
      }),
    );
  });
});
