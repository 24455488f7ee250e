/**
 * Tariff lookup: dated tariff versions, quotient familial (QF) brackets, prices
 * per price code and residency. A missing or expired QF pays the highest bracket.
 */
import { formatDayFr, formatShortFr } from '../calendar/paris';
import { err, ok } from '../errors';
import type { Result } from '../errors';

/** A QF bracket: `qfMin` inclusive; `qfMax` inclusive, null for the open top bracket. */
export type QfBracket = { id: string; qfMin: number; qfMax: number | null };

export type Residency = 'resident' | 'exterieur';

export const RESIDENCY_LABELS: Readonly<Record<Residency, string>> = {
  resident: 'résident',
  exterieur: 'extérieur',
};

export type TariffPrice = { bracketId: string; priceCode: string; residency: Residency; amountCents: number };

/** A dated tariff grid; `validFrom` and `validTo` are days, both inclusive. */
export type TariffVersion = {
  validFrom: string;
  validTo: string | null;
  brackets: QfBracket[];
  prices: TariffPrice[];
};

/** A household's QF as recorded (CAF, MSA, avis d'imposition), valid between two days inclusive. */
export type QuotientFamilial = { value: number; validFrom: string; validTo: string | null };

export type TariffQuery = {
  day: string;
  /** A QF value, a dated QF record (checked against `day`), or null when unknown. */
  qf: number | QuotientFamilial | null;
  priceCode: string;
  residency: Residency;
};

export type TariffMatch = {
  amountCents: number;
  bracket: QfBracket;
  version: TariffVersion;
  qfUsed: number | null;
};

function byQfMin(brackets: readonly QfBracket[]): QfBracket[] {
  return [...brackets].sort((left, right) => left.qfMin - right.qfMin);
}

function isUsableQf(qf: number | null): qf is number {
  return qf !== null && Number.isFinite(qf) && qf >= 0;
}

/**
 * The bracket for a QF: the one with the greatest `qfMin` not above it (so
 * anything above the top bracket falls in it, and a QF below the first `qfMin`
 * falls in the first one). A missing, negative or non-finite QF → the highest
 * bracket. Null only when there is no bracket at all.
 */
export function findBracket(brackets: readonly QfBracket[], qf: number | null): QfBracket | null {
  const sorted = byQfMin(brackets);
  if (sorted.length === 0) return null;
  if (!isUsableQf(qf)) return sorted[sorted.length - 1] ?? null;
  let found = sorted[0] ?? null;
  for (const bracket of sorted) if (bracket.qfMin <= qf) found = bracket;
  return found;
}

/** The QF value to use on `day`: null when there is none or it is not valid that day. */
export function effectiveQf(qf: QuotientFamilial | null | undefined, day: string): number | null {
  if (!qf) return null;
  if (day < qf.validFrom || (qf.validTo !== null && day > qf.validTo)) return null;
  return qf.value;
}

function isValidOn(version: TariffVersion, day: string): boolean {
  return version.validFrom <= day && (version.validTo === null || day <= version.validTo);
}

/** The version in force on `day`; if several overlap, the one that started last. */
export function versionOn(versions: readonly TariffVersion[], day: string): TariffVersion | null {
  let found: TariffVersion | null = null;
  for (const version of versions) {
    if (isValidOn(version, day) && (found === null || version.validFrom > found.validFrom)) found = version;
  }
  return found;
}

export function lookupTariff(versions: readonly TariffVersion[], query: TariffQuery): Result<TariffMatch> {
  const { day, priceCode, residency } = query;
  const version = versionOn(versions, day);
  if (!version) {
    return err('TARIFF_NOT_FOUND', `Aucune grille tarifaire n'est en vigueur le ${formatDayFr(day)}.`, {
      day,
    });
  }
  const qfUsed = typeof query.qf === 'number' || query.qf === null ? query.qf : effectiveQf(query.qf, day);
  const bracket = findBracket(version.brackets, qfUsed);
  const since = formatShortFr(version.validFrom);
  if (!bracket) {
    return err(
      'TARIFF_NO_BRACKETS',
      `La grille du ${since} ne comporte aucune tranche de quotient familial.`,
      {
        validFrom: version.validFrom,
      },
    );
  }
  const price = version.prices.find(
    (candidate) =>
      candidate.bracketId === bracket.id &&
      candidate.priceCode === priceCode &&
      candidate.residency === residency,
  );
  if (!price) {
    return err(
      'TARIFF_PRICE_NOT_FOUND',
      `Aucun tarif « ${priceCode} » (${RESIDENCY_LABELS[residency]}) n'est défini pour la tranche « ${bracket.id} » de la grille du ${since}.`,
      { priceCode, residency, bracketId: bracket.id, validFrom: version.validFrom },
    );
  }
  return ok({ amountCents: price.amountCents, bracket, version, qfUsed: isUsableQf(qfUsed) ? qfUsed : null });
}

/** The price in cents for a day, a QF, a price code and a residency. */
export function lookupPrice(versions: readonly TariffVersion[], query: TariffQuery): Result<number> {
  const match = lookupTariff(versions, query);
  return match.ok ? ok(match.value.amountCents) : match;
}
