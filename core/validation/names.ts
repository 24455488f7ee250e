/**
 * Person names (nom, prénom): letters of any alphabet with their accents,
 * separated by single spaces, hyphens or apostrophes; 1 to 60 characters.
 */
import { err, ok } from '../errors';
import type { Result } from '../errors';

export const PERSON_NAME_MAX_LENGTH = 60;

const LETTER_RUN = '[\\p{L}\\p{M}]+';
const NAME_SHAPE = new RegExp(`^${LETTER_RUN}(?:(?: |-|'| ?- ?)${LETTER_RUN})*$`, 'u');
const ALLOWED_CHARACTERS = /^[\p{L}\p{M} '-]*$/u;

/** Trimmed, inner spaces collapsed, NFC, typographic apostrophe ’ → '. */
export function normalizePersonName(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[’ʼ`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Checks and normalises a name. `fieldLabel` names the field in messages
 * ("Le nom", "Le prénom", "Le nom de naissance"…).
 */
export function validatePersonName(text: string, fieldLabel = 'Le nom'): Result<string> {
  const name = normalizePersonName(text);
  if (name === '') return err('NAME_EMPTY', `${fieldLabel} est obligatoire.`);
  if ([...name].length > PERSON_NAME_MAX_LENGTH) {
    return err('NAME_TOO_LONG', `${fieldLabel} ne peut pas dépasser ${PERSON_NAME_MAX_LENGTH} caractères.`, {
      length: [...name].length,
    });
  }
  if (!ALLOWED_CHARACTERS.test(name)) {
    return err(
      'NAME_INVALID_CHARACTERS',
      `${fieldLabel} ne peut contenir que des lettres, espaces, traits d'union et apostrophes.`,
    );
  }
  if (!NAME_SHAPE.test(name)) {
    return err(
      'NAME_INVALID_FORMAT',
      `${fieldLabel} doit commencer et finir par une lettre, sans trait d'union ni apostrophe doublés.`,
    );
  }
  return ok(name);
}
