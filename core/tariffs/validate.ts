/**
 * Consistency checks for a tariff version typed by an administrator, so that
 * lookups never meet overlapping brackets, orphan prices or float amounts.
 */
import { isValidDay } from '../calendar/paris';
import { err, ok } from '../errors';
import type { Result } from '../errors';
import type { TariffVersion } from './lookup';

export function validateTariffVersion(version: TariffVersion): Result<TariffVersion> {
  const { validFrom, validTo, brackets, prices } = version;
  if (!isValidDay(validFrom) || (validTo !== null && (!isValidDay(validTo) || validTo < validFrom))) {
    return err('TARIFF_INVALID_DATES', 'Les dates de validité de la grille tarifaire sont incohérentes.', {
      validFrom,
      validTo,
    });
  }
  if (brackets.length === 0) {
    return err('TARIFF_NO_BRACKETS', 'La grille doit comporter au moins une tranche de quotient familial.');
  }
  const sorted = [...brackets].sort((left, right) => left.qfMin - right.qfMin);
  const ids = new Set<string>();
  for (const [index, bracket] of sorted.entries()) {
    const next = sorted[index + 1];
    const isLast = next === undefined;
    if (ids.has(bracket.id)) {
      return err('TARIFF_DUPLICATE_BRACKET', `La tranche « ${bracket.id} » est définie deux fois.`, {
        id: bracket.id,
      });
    }
    ids.add(bracket.id);
    if (
      !Number.isFinite(bracket.qfMin) ||
      bracket.qfMin < 0 ||
      (bracket.qfMax !== null && bracket.qfMax < bracket.qfMin)
    ) {
      return err('TARIFF_INVALID_BRACKET', `Les bornes de la tranche « ${bracket.id} » sont incohérentes.`, {
        id: bracket.id,
      });
    }
    if (bracket.qfMax === null && !isLast) {
      return err('TARIFF_OPEN_BRACKET_NOT_LAST', 'Seule la dernière tranche peut être sans plafond.', {
        id: bracket.id,
      });
    }
    if (next && bracket.qfMax !== null && bracket.qfMax >= next.qfMin) {
      return err(
        'TARIFF_BRACKETS_OVERLAP',
        `Les tranches « ${bracket.id} » et « ${next.id} » se chevauchent.`,
        { ids: [bracket.id, next.id] },
      );
    }
  }
  const seen = new Set<string>();
  for (const price of prices) {
    if (!ids.has(price.bracketId)) {
      return err(
        'TARIFF_UNKNOWN_BRACKET',
        `Un tarif fait référence à une tranche inconnue « ${price.bracketId} ».`,
        {
          bracketId: price.bracketId,
        },
      );
    }
    if (!Number.isSafeInteger(price.amountCents) || price.amountCents < 0) {
      return err('TARIFF_INVALID_AMOUNT', `Le montant du tarif « ${price.priceCode} » est invalide.`, {
        priceCode: price.priceCode,
        amountCents: price.amountCents,
      });
    }
    const key = `${price.bracketId}|${price.priceCode}|${price.residency}`;
    if (seen.has(key)) {
      return err(
        'TARIFF_DUPLICATE_PRICE',
        `Le tarif « ${price.priceCode} » est défini deux fois pour la tranche « ${price.bracketId} ».`,
        {
          bracketId: price.bracketId,
          priceCode: price.priceCode,
          residency: price.residency,
        },
      );
    }
    seen.add(key);
  }
  return ok(version);
}
