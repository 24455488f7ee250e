/**
 * IBAN (ISO 13616) and BIC (ISO 9362) for SEPA direct-debit mandates.
 * An IBAN is checked for its country's length and BBAN shape, then by the
 * mod-97 rule; it is stored compact ("FR7630006000011234567890189") and shown
 * in groups of four ("FR76 3000 6000 0112 3456 7890 189").
 */
import { DomainError, err, ok } from '../errors';
import type { Result } from '../errors';

/**
 * Length and BBAN shape per country (SWIFT IBAN registry notation:
 * n = digit, a = upper-case letter, c = letter or digit).
 */
export const IBAN_FORMATS: Readonly<Record<string, { length: number; bban: string }>> = {
  AD: { length: 24, bban: '4n4n12c' },
  AT: { length: 20, bban: '5n11n' },
  BE: { length: 16, bban: '3n7n2n' },
  BG: { length: 22, bban: '4a4n2n8c' },
  CH: { length: 21, bban: '5n12c' },
  CY: { length: 28, bban: '3n5n16c' },
  CZ: { length: 24, bban: '4n6n10n' },
  DE: { length: 22, bban: '8n10n' },
  DK: { length: 18, bban: '4n9n1n' },
  EE: { length: 20, bban: '2n2n11n1n' },
  ES: { length: 24, bban: '4n4n1n1n10n' },
  FI: { length: 18, bban: '3n11n' },
  FR: { length: 27, bban: '5n5n11c2n' },
  GB: { length: 22, bban: '4a6n8n' },
  GI: { length: 23, bban: '4a15c' },
  GR: { length: 27, bban: '3n4n16c' },
  HR: { length: 21, bban: '7n10n' },
  HU: { length: 28, bban: '3n4n1n15n1n' },
  IE: { length: 22, bban: '4a6n8n' },
  IS: { length: 26, bban: '4n2n6n10n' },
  IT: { length: 27, bban: '1a5n5n12c' },
  LI: { length: 21, bban: '5n12c' },
  LT: { length: 20, bban: '5n11n' },
  LU: { length: 20, bban: '3n13c' },
  LV: { length: 21, bban: '4a13c' },
  MC: { length: 27, bban: '5n5n11c2n' },
  MT: { length: 31, bban: '4a5n18c' },
  NL: { length: 18, bban: '4a10n' },
  NO: { length: 15, bban: '4n6n1n' },
  PL: { length: 28, bban: '8n16n' },
  PT: { length: 25, bban: '4n4n11n2n' },
  RO: { length: 24, bban: '4a16c' },
  SE: { length: 24, bban: '3n16n1n' },
  SI: { length: 19, bban: '5n8n2n' },
  SK: { length: 24, bban: '4n6n10n' },
  SM: { length: 27, bban: '1a5n5n12c' },
};

const CLASS_PATTERNS: Readonly<Record<string, string>> = { n: '[0-9]', a: '[A-Z]', c: '[A-Z0-9]' };

function bbanPattern(notation: string): RegExp {
  const parts = [...notation.matchAll(/(\d+)([nac])/g)].map(
    ([, count, kind]) => `${CLASS_PATTERNS[kind as string]}{${count}}`,
  );
  return new RegExp(`^${parts.join('')}$`);
}

/** Remainder modulo 97 of the number an IBAN stands for (letters A=10 … Z=35). */
function mod97(text: string): number {
  let remainder = 0;
  for (const character of text) {
    const value = parseInt(character, 36);
    remainder = value > 9 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder;
}

/** Spaces, hyphens and a leading "IBAN" label removed, upper case. */
export function compactIban(text: string): string {
  return text
    .toUpperCase()
    .replace(/^\s*IBAN\s*:?/, '')
    .replace(/[\s-]/g, '');
}

/** The two check digits for a country and a BBAN ("FR", "30006000011234567890189" → "76"). */
export function ibanCheckDigits(country: string, bban: string): string {
  if (!/^[A-Z]{2}$/.test(country) || !/^[A-Z0-9]+$/.test(bban)) {
    throw new DomainError('IBAN_INVALID_PARTS', 'Pays ou BBAN invalide pour le calcul de la clé IBAN.', {
      country,
      bban,
    });
  }
  return String(98 - mod97(`${bban}${country}00`)).padStart(2, '0');
}

/** A complete IBAN from its country and BBAN (for demo data and tests). */
export function buildIban(country: string, bban: string): string {
  return `${country}${ibanCheckDigits(country, bban)}${bban}`;
}

export function validateIban(text: string): Result<string> {
  const iban = compactIban(text);
  if (iban === '') return err('IBAN_EMPTY', "Veuillez saisir l'IBAN.");
  if (!/^[A-Z0-9]+$/.test(iban)) {
    return err('IBAN_INVALID_CHARACTERS', "L'IBAN ne doit contenir que des lettres et des chiffres.", {
      text,
    });
  }
  const country = iban.slice(0, 2);
  const format = IBAN_FORMATS[country];
  if (!format) {
    return err('IBAN_COUNTRY_UNSUPPORTED', `Le pays « ${country} » de cet IBAN n'est pas pris en charge.`, {
      country,
    });
  }
  if (iban.length !== format.length) {
    return err(
      'IBAN_LENGTH',
      `Un IBAN ${country} comporte ${format.length} caractères ; celui-ci en compte ${iban.length}.`,
      { country, expected: format.length, actual: iban.length },
    );
  }
  if (!/^[A-Z]{2}[0-9]{2}$/.test(iban.slice(0, 4)) || !bbanPattern(format.bban).test(iban.slice(4))) {
    return err('IBAN_FORMAT', `L'IBAN ne respecte pas le format ${country} : vérifiez chaque caractère.`, {
      country,
    });
  }
  if (mod97(iban.slice(4) + iban.slice(0, 4)) !== 1) {
    return err(
      'IBAN_CHECKSUM',
      "L'IBAN est invalide : la clé de contrôle ne correspond pas. Vérifiez votre saisie.",
    );
  }
  return ok(iban);
}

/** "FR7630006000011234567890189" → "FR76 3000 6000 0112 3456 7890 189". */
export function formatIban(iban: string): string {
  return compactIban(iban).replace(/(.{4})(?=.)/g, '$1 ');
}

/** BIC: 4 letters (bank), 2 letters (country), 2 letters or digits (place), optional 3 (branch). */
export function validateBic(text: string): Result<string> {
  const bic = text.toUpperCase().replace(/\s/g, '');
  if (bic === '') return err('BIC_EMPTY', 'Veuillez saisir le BIC.');
  if (!/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/.test(bic)) {
    return err('BIC_INVALID', 'Le BIC doit comporter 8 ou 11 caractères (ex. BNPAFRPPXXX).', { text });
  }
  return ok(bic);
}
