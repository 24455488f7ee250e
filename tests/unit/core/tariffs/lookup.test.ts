import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  effectiveQf,
  findBracket,
  lookupPrice,
  lookupTariff,
  versionOn,
} from '../../../../core/tariffs/lookup';
import type { QfBracket, TariffVersion } from '../../../../core/tariffs/lookup';

const BRACKETS: QfBracket[] = [
  { id: 'T1', qfMin: 0, qfMax: 450 },
  { id: 'T2', qfMin: 451, qfMax: 700 },
  { id: 'T3', qfMin: 701, qfMax: 1000 },
  { id: 'T4', qfMin: 1001, qfMax: null },
];

function grid(validFrom: string, validTo: string | null, journee: number[]): TariffVersion {
  return {
    validFrom,
    validTo,
    brackets: BRACKETS,
    prices: BRACKETS.flatMap((bracket, index) => [
      {
        bracketId: bracket.id,
        priceCode: 'JOURNEE',
        residency: 'resident' as const,
        amountCents: journee[index] ?? 0,
      },
      {
        bracketId: bracket.id,
        priceCode: 'JOURNEE',
        residency: 'exterieur' as const,
        amountCents: (journee[index] ?? 0) * 2,
      },
    ]),
  };
}

const VERSIONS = [
  grid('2025-09-01', '2026-08-31', [500, 800, 1100, 1400]),
  grid('2026-09-01', null, [520, 830, 1150, 1450]),
];
const query = { day: '2026-10-14', priceCode: 'JOURNEE', residency: 'resident' as const };

describe('findBracket', () => {
  it('picks the bracket whose bounds hold the QF, bounds included', () => {
    expect(findBracket(BRACKETS, 0)?.id).toBe('T1');
    expect(findBracket(BRACKETS, 450)?.id).toBe('T1');
    expect(findBracket(BRACKETS, 451)?.id).toBe('T2');
    expect(findBracket(BRACKETS, 1000)?.id).toBe('T3');
    expect(findBracket(BRACKETS, 25000)?.id).toBe('T4');
  });

  it('puts a missing or unusable QF in the highest bracket', () => {
    expect(findBracket(BRACKETS, null)?.id).toBe('T4');
    expect(findBracket(BRACKETS, -5)?.id).toBe('T4');
    expect(findBracket(BRACKETS, Number.NaN)?.id).toBe('T4');
  });

  it('does not depend on the order brackets are listed in', () => {
    expect(findBracket([...BRACKETS].reverse(), 600)?.id).toBe('T2');
    expect(findBracket([...BRACKETS].reverse(), null)?.id).toBe('T4');
  });

  it('gives null when there is no bracket at all', () => {
    expect(findBracket([], 300)).toBeNull();
  });
});

describe('effectiveQf', () => {
  const qf = { value: 620, validFrom: '2026-01-01', validTo: '2026-12-31' };

  it('uses a QF only inside its validity', () => {
    expect(effectiveQf(qf, '2026-01-01')).toBe(620);
    expect(effectiveQf(qf, '2026-12-31')).toBe(620);
    expect(effectiveQf(qf, '2027-01-01')).toBeNull();
    expect(effectiveQf(qf, '2025-12-31')).toBeNull();
    expect(effectiveQf(null, '2026-06-01')).toBeNull();
  });
});

describe('lookupPrice', () => {
  it('prices a day from the version in force and the QF bracket', () => {
    expect(lookupPrice(VERSIONS, { ...query, qf: 300 })).toEqual({ ok: true, value: 520 });
    expect(lookupPrice(VERSIONS, { ...query, day: '2026-08-31', qf: 300 })).toEqual({ ok: true, value: 500 });
    expect(lookupPrice(VERSIONS, { ...query, qf: 800, residency: 'exterieur' })).toEqual({
      ok: true,
      value: 2300,
    });
  });

  it('charges the highest bracket when the QF is missing or expired', () => {
    expect(lookupPrice(VERSIONS, { ...query, qf: null })).toEqual({ ok: true, value: 1450 });
    const expired = { value: 300, validFrom: '2025-01-01', validTo: '2025-12-31' };
    expect(lookupPrice(VERSIONS, { ...query, qf: expired })).toEqual({ ok: true, value: 1450 });
    const current = { value: 300, validFrom: '2026-01-01', validTo: null };
    expect(lookupPrice(VERSIONS, { ...query, qf: current })).toEqual({ ok: true, value: 520 });
  });

  it('tells which bracket and QF were used', () => {
    const match = lookupTariff(VERSIONS, { ...query, qf: 620 });
    expect(
      match.ok && {
        bracket: match.value.bracket.id,
        qf: match.value.qfUsed,
        from: match.value.version.validFrom,
      },
    ).toEqual({
      bracket: 'T2',
      qf: 620,
      from: '2026-09-01',
    });
  });

  it('refuses a day without tariff with TARIFF_NOT_FOUND in French', () => {
    const result = lookupPrice(VERSIONS, { ...query, day: '2025-08-31', qf: 300 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('TARIFF_NOT_FOUND');
      expect(result.error.message).toBe("Aucune grille tarifaire n'est en vigueur le dimanche 31 août 2025.");
    }
  });

  it('refuses an unknown price code with TARIFF_PRICE_NOT_FOUND', () => {
    const result = lookupPrice(VERSIONS, { ...query, priceCode: 'AMENDE_RETARD', qf: 300 });
    expect(result.ok ? 'ok' : result.error.code).toBe('TARIFF_PRICE_NOT_FOUND');
    if (!result.ok) expect(result.error.message).toContain('« AMENDE_RETARD » (résident)');
  });

  it('refuses a version without brackets', () => {
    const empty: TariffVersion = { validFrom: '2026-09-01', validTo: null, brackets: [], prices: [] };
    const result = lookupPrice([empty], { ...query, qf: 300 });
    expect(result.ok ? 'ok' : result.error.code).toBe('TARIFF_NO_BRACKETS');
  });

  it('prefers the version that started last when two overlap', () => {
    const overlapping = grid('2026-10-01', '2026-10-31', [1, 2, 3, 4]);
    expect(versionOn([...VERSIONS, overlapping], '2026-10-14')).toBe(overlapping);
    expect(versionOn([overlapping, ...VERSIONS], '2026-11-01')?.validFrom).toBe('2026-09-01');
  });
});

describe('tariff properties', () => {
  // Ascending brackets with contiguous bounds and prices that never decrease with the QF.
  const ascendingGrid = fc
    .array(fc.record({ width: fc.integer({ min: 1, max: 500 }), step: fc.integer({ min: 0, max: 300 }) }), {
      minLength: 1,
      maxLength: 8,
    })
    .map((steps) => {
      let qfMin = 0;
      let price = 100;
      const brackets: QfBracket[] = [];
      const prices: TariffVersion['prices'] = [];
      steps.forEach(({ width, step }, index) => {
        const last = index === steps.length - 1;
        brackets.push({ id: `B${index}`, qfMin, qfMax: last ? null : qfMin + width - 1 });
        prices.push({
          bracketId: `B${index}`,
          priceCode: 'REPAS',
          residency: 'resident',
          amountCents: price,
        });
        qfMin += width;
        price += step;
      });
      return { validFrom: '2026-09-01', validTo: null, brackets, prices } satisfies TariffVersion;
    });
  const priceFor = (version: TariffVersion, qf: number | null) =>
    lookupPrice([version], { day: '2026-10-14', qf, priceCode: 'REPAS', residency: 'resident' });

  it('never makes a lower QF pay more', () => {
    fc.assert(
      fc.property(
        ascendingGrid,
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        (version, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const lowPrice = priceFor(version, low);
          const highPrice = priceFor(version, high);
          expect(lowPrice.ok && highPrice.ok).toBe(true);
          if (lowPrice.ok && highPrice.ok) expect(lowPrice.value).toBeLessThanOrEqual(highPrice.value);
        },
      ),
    );
  });

  it('charges a missing QF the price of the highest bracket, the most any QF pays', () => {
    fc.assert(
      fc.property(ascendingGrid, fc.integer({ min: 0, max: 5000 }), (version, qf) => {
        const missing = priceFor(version, null);
        const top = version.prices[version.prices.length - 1]?.amountCents;
        expect(missing).toEqual({ ok: true, value: top });
        const withQf = priceFor(version, qf);
        if (withQf.ok && missing.ok) expect(withQf.value).toBeLessThanOrEqual(missing.value);
      }),
    );
  });

  it('finds a bracket whose bounds hold any QF in range', () => {
    fc.assert(
      fc.property(ascendingGrid, fc.integer({ min: 0, max: 5000 }), (version, qf) => {
        const bracket = findBracket(version.brackets, qf);
        expect(
          bracket !== null && bracket.qfMin <= qf && (bracket.qfMax === null || qf <= bracket.qfMax),
        ).toBe(true);
      }),
    );
  });
});
