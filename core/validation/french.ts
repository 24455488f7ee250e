/**
 * French form fields: plain functions returning `Result` (the single source of
 * each rule) and zod v4 schemas built from them, so a desk form, the portal and
 * the server reject the same input with the same French message. A schema's
 * issue carries the DomainError code in `params.code`.
 */
import { z } from 'zod';
import type { Result } from '../errors';
import { validateEmail } from './email';
import { validateBic, validateIban } from './iban';
import { validatePersonName } from './names';
import { validatePassword } from './password';
import { validatePhone } from './phone';
import { validatePostcode } from './postcode';

export * from './email';
export * from './iban';
export * from './names';
export * from './password';
export * from './phone';
export * from './postcode';

/** A zod string schema that runs `validate` and outputs its normalised value. */
export function schemaFromValidator<T>(validate: (text: string) => Result<T>) {
  return z.string().transform((text, context) => {
    const result = validate(text);
    if (result.ok) return result.value;
    context.addIssue({ code: 'custom', message: result.error.message, params: { code: result.error.code } });
    return z.NEVER;
  });
}

export const personNameSchema = schemaFromValidator((text) => validatePersonName(text));
export const firstNameSchema = schemaFromValidator((text) => validatePersonName(text, 'Le prénom'));
export const postcodeSchema = schemaFromValidator(validatePostcode);
/** Outputs the number in E.164 ("+33612345678"). */
export const phoneSchema = schemaFromValidator((text) => {
  const phone = validatePhone(text);
  return phone.ok ? { ok: true as const, value: phone.value.e164 } : phone;
});
export const emailSchema = schemaFromValidator(validateEmail);
/** Outputs the compact upper-case IBAN. */
export const ibanSchema = schemaFromValidator(validateIban);
export const bicSchema = schemaFromValidator(validateBic);

/** A new password for the account whose login is `login`. */
export function passwordSchemaFor(login: string) {
  return schemaFromValidator((text) => validatePassword(text, { login }));
}
