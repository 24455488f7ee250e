/**
 * Family file numbers and web-space access keys.
 *
 * A family's code ("F-000123", its *identifiant* on the letter) is contested numbering, like invoice numbers:
 * only the server gives it, from its `counters` row 'household'. A family created at a desk holds a
 * provisional code until the server has decided ("P-HV1-0007": the desk's receipt prefix and a per-desk
 * counter, so two desks never clash), and the desk shows it as provisional.
 *
 * The access key ("Clé Espace Citoyens Enfance : 18456-N0OBOES") links a parent's new web account to the
 * family file. It is drawn at random, printed once on the letter and stored only as a hash; it works once.
 */

export const FAMILY_CODE_PREFIX = 'F-';
export const PROVISIONAL_CODE_PREFIX = 'P-';

/** 123 → "F-000123". */
export function formatFamilyCode(n: number): string {
  return `${FAMILY_CODE_PREFIX}${String(n).padStart(6, '0')}`;
}

/** "F-000123" → 123; null for anything else (a provisional code, an imported one). */
export function familyCodeNumber(code: string): number | null {
  const match = /^F-(\d{6,})$/.exec(code);
  return match ? Number(match[1]) : null;
}

/** "P-HV1-0007": a desk's provisional code for a family the server has not numbered yet. */
export function provisionalFamilyCode(deskPrefix: string, n: number): string {
  return `${PROVISIONAL_CODE_PREFIX}${deskPrefix}-${String(n).padStart(4, '0')}`;
}

export function isProvisionalFamilyCode(code: string): boolean {
  return code.startsWith(PROVISIONAL_CODE_PREFIX);
}

/** Letters and digits easy to read on paper and to type (no 0/O, 1/I/L). */
const KEY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const KEY_DIGITS = 5;
const KEY_LETTERS = 7;
/** Bytes of randomness `accessKeyFromRandom` needs. */
export const ACCESS_KEY_RANDOM_BYTES = KEY_DIGITS + KEY_LETTERS;
/** Days an access key stays valid after it is issued. */
export const ACCESS_KEY_VALIDITY_DAYS = 90;

/**
 * "18456-N7QBHES": five digits (first one 1-9), a dash, seven letters or digits, as the towns' letters show.
 * `random` gives ACCESS_KEY_RANDOM_BYTES bytes from a cryptographic source; a little modulo bias is harmless
 * (about 2^40 keys, single use, expiring).
 */
export function accessKeyFromRandom(random: Uint8Array): string {
  if (random.length < ACCESS_KEY_RANDOM_BYTES) throw new RangeError('Not enough random bytes for a key.');
  let digits = String(1 + ((random[0] ?? 0) % 9));
  for (let i = 1; i < KEY_DIGITS; i += 1) digits += String((random[i] ?? 0) % 10);
  let letters = '';
  for (let i = 0; i < KEY_LETTERS; i += 1)
    letters += KEY_ALPHABET[(random[KEY_DIGITS + i] ?? 0) % KEY_ALPHABET.length];
  return `${digits}-${letters}`;
}

/** How a key is compared and hashed: spaces removed, upper case ("18456-n0oboes " → "18456-N0OBOES"). */
export function normalizeAccessKey(key: string): string {
  return key.replace(/\s+/g, '').toUpperCase();
}

/** "…QBHES": the end of a key, shown to agents to tell keys apart (never the whole key). */
export function accessKeyHint(key: string): string {
  return `…${normalizeAccessKey(key).slice(-5)}`;
}
