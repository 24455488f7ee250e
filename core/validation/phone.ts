/**
 * Phone numbers. French numbers are accepted as typed ("06 12 34 56 78",
 * "06.12.34.56.78", "+33 6 12 34 56 78", "+33 (0)6…", "0033 6…") and stored
 * in E.164; overseas departments get their own country code (0692… → +262692…).
 * Foreign numbers are accepted only in international form (+44…).
 */
import { err, ok } from '../errors';
import type { Result } from '../errors';

export type PhoneNumber = { e164: string; display: string };

/** National prefixes of overseas departments and their E.164 country code. */
const OVERSEAS_CODES: Readonly<Record<string, string>> = {
  '0262': '262',
  '0263': '262',
  '0692': '262',
  '0693': '262', // La Réunion
  '0269': '262',
  '0639': '262', // Mayotte
  '0590': '590',
  '0690': '590',
  '0691': '590', // Guadeloupe, Saint-Martin, Saint-Barthélemy
  '0594': '594',
  '0694': '594', // Guyane
  '0596': '596',
  '0696': '596',
  '0697': '596', // Martinique
};
const FRENCH_COUNTRY_CODES = ['33', '262', '590', '594', '596'];
const NATIONAL = /^0[1-9]\d{8}$/;

function nationalToE164(national: string): string {
  const code = OVERSEAS_CODES[national.slice(0, 4)] ?? '33';
  return `+${code}${national.slice(1)}`;
}

/** "0612345678" → "06 12 34 56 78". */
function groupNational(national: string): string {
  return national.replace(/(\d{2})(?=\d)/g, '$1 ');
}

/** The national form of a French E.164 number ("+33612345678" → "0612345678"), or null. */
function e164ToNational(e164: string): string | null {
  for (const code of FRENCH_COUNTRY_CODES) {
    if (!e164.startsWith(`+${code}`)) continue;
    const rest = e164.slice(code.length + 1).replace(/^0(?=\d{9}$)/, ''); // "+33 06…" is a common slip
    const national = `0${rest}`;
    if (!/^\d{9}$/.test(rest) || !NATIONAL.test(national)) return null;
    const overseasCode = OVERSEAS_CODES[national.slice(0, 4)];
    return code === '33' || overseasCode === code ? national : null;
  }
  return null;
}

export function validatePhone(text: string): Result<PhoneNumber> {
  const compact = text
    .trim()
    .replace(/\(0\)/g, '')
    .replace(/[\s.\-/()]/g, '')
    .replace(/^00/, '+');
  if (compact === '') return err('PHONE_EMPTY', 'Veuillez saisir un numéro de téléphone.');
  const national = NATIONAL.test(compact)
    ? compact
    : compact.startsWith('+')
      ? e164ToNational(compact)
      : null;
  if (national) return ok({ e164: nationalToE164(national), display: groupNational(national) });
  if (
    /^\+[1-9]\d{8,14}$/.test(compact) &&
    !FRENCH_COUNTRY_CODES.some((code) => compact.startsWith(`+${code}`))
  ) {
    return ok({ e164: compact, display: compact });
  }
  return err(
    'PHONE_INVALID',
    "Le numéro de téléphone n'est pas valide : 10 chiffres commençant par 0 (ex. 06 12 34 56 78), ou au format international (+33 6 12 34 56 78).",
    { text },
  );
}

/** "+33612345678" → "06 12 34 56 78"; a foreign number is shown as stored. */
export function formatPhone(e164: string): string {
  const national = e164ToNational(e164);
  return national ? groupNational(national) : e164;
}
