/**
 * E-mail addresses, checked pragmatically (what mail servers of French
 * families actually accept), stored trimmed and in lower case.
 */
import { err, ok } from '../errors';
import type { Result } from '../errors';

const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function validateEmail(text: string): Result<string> {
  const email = text.trim().toLowerCase();
  if (email === '') return err('EMAIL_EMPTY', 'Veuillez saisir une adresse e-mail.');
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  const topLevel = labels[labels.length - 1] ?? '';
  const valid =
    at > 0 &&
    email.length <= 254 &&
    local.length <= 64 &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    /^[a-z]{2,}$/.test(topLevel);
  if (!valid) {
    return err('EMAIL_INVALID', "L'adresse e-mail n'est pas valide (ex. prenom.nom@exemple.fr).", { text });
  }
  return ok(email);
}
