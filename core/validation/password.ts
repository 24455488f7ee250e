/**
 * Password rules for citizen accounts: at least as strict as the towns' portal
 * ("au moins 8 caractères dont 1 majuscule, 1 minuscule et 1 chiffre"), at most
 * 128 characters, and never containing the account's login. Rate limiting and
 * hashing belong to the server.
 */
import { err, ok } from '../errors';
import type { Result } from '../errors';
import { normalizeForSearch } from '../search/normalize';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
/** A login shorter than this is not searched for inside the password. */
const LOGIN_MIN_LENGTH_CHECKED = 3;

export type PasswordChecklist = {
  longEnough: boolean;
  hasUppercase: boolean;
  hasLowercase: boolean;
  hasDigit: boolean;
  notTooLong: boolean;
  freeOfLogin: boolean;
};

const compact = (text: string): string => normalizeForSearch(text).replace(/ /g, '');

/** The parts of a login that must not appear in a password: the login, and the local part of an e-mail login. */
function loginFragments(login: string): string[] {
  const whole = compact(login);
  const at = login.indexOf('@');
  const local = at > 0 ? compact(login.slice(0, at)) : '';
  return [whole, local].filter((fragment) => fragment.length >= LOGIN_MIN_LENGTH_CHECKED);
}

/** Each rule, checked separately, for live feedback under the field. */
export function passwordChecklist(password: string, login = ''): PasswordChecklist {
  const comparable = compact(password);
  return {
    longEnough: [...password].length >= PASSWORD_MIN_LENGTH,
    hasUppercase: /\p{Lu}/u.test(password),
    hasLowercase: /\p{Ll}/u.test(password),
    hasDigit: /[0-9]/.test(password),
    notTooLong: [...password].length <= PASSWORD_MAX_LENGTH,
    freeOfLogin: !loginFragments(login).some((fragment) => comparable.includes(fragment)),
  };
}

const COMPOSITION_MESSAGE = `Le mot de passe doit comporter au moins ${PASSWORD_MIN_LENGTH} caractères dont 1 majuscule, 1 minuscule et 1 chiffre.`;

/** The password itself (unchanged) when every rule holds; the first failing rule's code otherwise. */
export function validatePassword(password: string, options: { login?: string } = {}): Result<string> {
  const check = passwordChecklist(password, options.login);
  const failures = Object.entries(check)
    .filter(([, passed]) => !passed)
    .map(([rule]) => rule);
  const details = { failures };
  if (!check.notTooLong) {
    return err(
      'PASSWORD_TOO_LONG',
      `Le mot de passe ne peut pas dépasser ${PASSWORD_MAX_LENGTH} caractères.`,
      details,
    );
  }
  if (!check.longEnough) return err('PASSWORD_TOO_SHORT', COMPOSITION_MESSAGE, details);
  if (!check.hasUppercase) return err('PASSWORD_MISSING_UPPERCASE', COMPOSITION_MESSAGE, details);
  if (!check.hasLowercase) return err('PASSWORD_MISSING_LOWERCASE', COMPOSITION_MESSAGE, details);
  if (!check.hasDigit) return err('PASSWORD_MISSING_DIGIT', COMPOSITION_MESSAGE, details);
  if (!check.freeOfLogin) {
    return err('PASSWORD_CONTAINS_LOGIN', 'Le mot de passe ne doit pas contenir votre identifiant.', details);
  }
  return ok(password);
}
