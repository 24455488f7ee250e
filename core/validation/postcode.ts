/**
 * French postcodes: five digits whose prefix is a real department — 01 to 95
 * (20 for Corse-du-Sud 2A and Haute-Corse 2B), 971–976 overseas, and 980
 * (Monaco), 984, 986, 987, 988 (collectivités d'outre-mer).
 */
import { err, ok } from '../errors';
import type { Result } from '../errors';

const OVERSEAS_PREFIXES = new Set([
  '971',
  '972',
  '973',
  '974',
  '975',
  '976',
  '980',
  '984',
  '986',
  '987',
  '988',
]);

/** Spaces removed: "75 001" → "75001". */
export function validatePostcode(text: string): Result<string> {
  const postcode = text.replace(/\s/g, '');
  if (!/^\d{5}$/.test(postcode)) {
    return err('POSTCODE_FORMAT', 'Le code postal doit comporter 5 chiffres.', { text });
  }
  if (departmentOfPostcode(postcode) === null) {
    return err(
      'POSTCODE_UNKNOWN_DEPARTMENT',
      `Le code postal « ${postcode} » ne correspond à aucun département français.`,
      {
        postcode,
      },
    );
  }
  return ok(postcode);
}

/** "2A" for 20000, "2B" for 20200, "974" for 97400, "33" for 33000; null when no department matches. */
export function departmentOfPostcode(postcode: string): string | null {
  if (!/^\d{5}$/.test(postcode)) return null;
  const twoDigits = Number(postcode.slice(0, 2));
  if (twoDigits === 20) return Number(postcode) < 20200 ? '2A' : '2B';
  if (twoDigits >= 1 && twoDigits <= 95) return postcode.slice(0, 2);
  const threeDigits = postcode.slice(0, 3);
  return OVERSEAS_PREFIXES.has(threeDigits) ? threeDigits : null;
}
