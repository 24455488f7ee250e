/**
 * Text normalisation for search keys: "Bécassines" and "BECASSINES" both give
 * "becassines", so a prefix search for "becassine" finds them.
 */

const LIGATURES: Readonly<Record<string, string>> = { œ: 'oe', æ: 'ae', ß: 'ss' };
const COMBINING_MARKS = /\p{M}/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;

function foldOnce(text: string): string {
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/[œæß]/g, (ligature) => LIGATURES[ligature] ?? ligature);
}

/**
 * Lower case, accents stripped (NFKD, then combining marks removed), ligatures
 * spelled out (œ → oe, æ → ae, ß → ss), every run of other characters
 * (punctuation, apostrophes, spaces) turned into one space, trimmed.
 * Idempotent: folding repeats until stable, since lower-casing or decomposing
 * can reveal a character the other step changes (e.g. "İ", "ℌ").
 */
export function normalizeForSearch(text: string): string {
  let folded = foldOnce(text);
  for (let pass = 0; pass < 4; pass += 1) {
    const again = foldOnce(folded);
    if (again === folded) break;
    folded = again;
  }
  return folded.replace(NOT_LETTER_OR_DIGIT, ' ').trim();
}

/** The distinct words of a text, normalised: "Jean-Pierre DUPONT" → ["jean", "pierre", "dupont"]. */
export function searchTokens(text: string): string[] {
  const normalized = normalizeForSearch(text);
  return normalized === '' ? [] : [...new Set(normalized.split(' '))];
}

/** Only the digits of a text, for phone and invoice-number searches: "06 12-34" → "061234". */
export function digitsOnly(text: string): string {
  return text.replace(/\D/g, '');
}
