import { describe, expect, it } from 'vitest';
import { validateTariffVersion } from '../../../../core/tariffs/validate';
import type { TariffVersion } from '../../../../core/tariffs/lookup';

const valid: TariffVersion = {
  validFrom: '2026-09-01',
  validTo: '2027-08-31',
  brackets: [
    { id: 'T1', qfMin: 0, qfMax: 450 },
    { id: 'T2', qfMin: 451, qfMax: null },
  ],
  prices: [
    { bracketId: 'T1', priceCode: 'REPAS', residency: 'resident', amountCents: 250 },
    { bracketId: 'T2', priceCode: 'REPAS', residency: 'resident', amountCents: 415 },
  ],
};

function codeOf(version: TariffVersion): string {
  const result = validateTariffVersion(version);
  return result.ok ? 'ok' : result.error.code;
}

describe('validateTariffVersion', () => {
  it('accepts a consistent grid', () => {
    expect(codeOf(valid)).toBe('ok');
  });

  it('refuses dates out of order', () => {
    expect(codeOf({ ...valid, validTo: '2026-08-31' })).toBe('TARIFF_INVALID_DATES');
    expect(codeOf({ ...valid, validFrom: '01/09/2026' })).toBe('TARIFF_INVALID_DATES');
  });

  it('refuses overlapping brackets and an open bracket that is not the last', () => {
    expect(
      codeOf({
        ...valid,
        brackets: [
          { id: 'T1', qfMin: 0, qfMax: 500 },
          { id: 'T2', qfMin: 451, qfMax: null },
        ],
      }),
    ).toBe('TARIFF_BRACKETS_OVERLAP');
    expect(
      codeOf({
        ...valid,
        brackets: [
          { id: 'T1', qfMin: 0, qfMax: null },
          { id: 'T2', qfMin: 451, qfMax: null },
        ],
      }),
    ).toBe('TARIFF_OPEN_BRACKET_NOT_LAST');
    expect(codeOf({ ...valid, brackets: [] })).toBe('TARIFF_NO_BRACKETS');
    expect(codeOf({ ...valid, brackets: [{ id: 'T1', qfMin: 500, qfMax: 100 }] })).toBe(
      'TARIFF_INVALID_BRACKET',
    );
  });

  it('refuses prices on unknown brackets, float amounts and duplicates', () => {
    const price = { bracketId: 'T1', priceCode: 'REPAS', residency: 'resident' as const, amountCents: 250 };
    expect(codeOf({ ...valid, prices: [{ ...price, bracketId: 'T9' }] })).toBe('TARIFF_UNKNOWN_BRACKET');
    expect(codeOf({ ...valid, prices: [{ ...price, amountCents: 2.5 }] })).toBe('TARIFF_INVALID_AMOUNT');
    expect(codeOf({ ...valid, prices: [price, price] })).toBe('TARIFF_DUPLICATE_PRICE');
    expect(
      codeOf({ ...valid, brackets: [...valid.brackets, { id: 'T1', qfMin: 2000, qfMax: null }] }),
    ).not.toBe('ok');
  });
});
