import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../../../core/errors';
import { passwordChecklist, validatePassword } from '../../../../core/validation/password';

const codeOf = (result: Result<unknown>): string => (result.ok ? 'ok' : result.error.code);

describe('validatePassword', () => {
  it('accepts 8 characters or more with an upper case letter, a lower case letter and a digit', () => {
    expect(validatePassword('Abcdefg1')).toEqual({ ok: true, value: 'Abcdefg1' });
    expect(codeOf(validatePassword('Élodie2026'))).toBe('ok');
  });

  it("refuses each missing ingredient with its own code and the guide's message", () => {
    expect(codeOf(validatePassword('Abcde1'))).toBe('PASSWORD_TOO_SHORT');
    expect(codeOf(validatePassword('abcdefg1'))).toBe('PASSWORD_MISSING_UPPERCASE');
    expect(codeOf(validatePassword('ABCDEFG1'))).toBe('PASSWORD_MISSING_LOWERCASE');
    expect(codeOf(validatePassword('Abcdefgh'))).toBe('PASSWORD_MISSING_DIGIT');
    const result = validatePassword('abc');
    expect(result.ok ? '' : result.error.message).toBe(
      'Le mot de passe doit comporter au moins 8 caractères dont 1 majuscule, 1 minuscule et 1 chiffre.',
    );
    expect(result.ok ? [] : result.error.details?.failures).toEqual([
      'longEnough',
      'hasUppercase',
      'hasDigit',
    ]);
  });

  it('refuses a password containing the login, whatever its case, accents or dots', () => {
    expect(codeOf(validatePassword('Jtoulemonde2024', { login: 'JTOULEMONDE' }))).toBe(
      'PASSWORD_CONTAINS_LOGIN',
    );
    expect(codeOf(validatePassword('J.Toulemonde-2024', { login: 'jtoulemonde' }))).toBe(
      'PASSWORD_CONTAINS_LOGIN',
    );
    expect(codeOf(validatePassword('Xjtoulemondé9', { login: 'JTOULEMONDE' }))).toBe(
      'PASSWORD_CONTAINS_LOGIN',
    );
    expect(codeOf(validatePassword('Maman.Concerto1', { login: 'maman.concerto@exemple.fr' }))).toBe(
      'PASSWORD_CONTAINS_LOGIN',
    );
    expect(codeOf(validatePassword('Rivage-Landais-42', { login: 'JTOULEMONDE' }))).toBe('ok');
  });

  it('does not search for a login of one or two characters', () => {
    expect(codeOf(validatePassword('Abcdefg1', { login: 'a' }))).toBe('ok');
  });

  it('refuses more than 128 characters', () => {
    expect(codeOf(validatePassword(`Aa1${'x'.repeat(126)}`))).toBe('PASSWORD_TOO_LONG');
    expect(codeOf(validatePassword(`Aa1${'x'.repeat(125)}`))).toBe('ok');
  });

  it('accepts exactly the passwords whose checklist is all true', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.stringMatching(/^[a-z]{0,6}$/), (password, login) => {
        const allPassed = Object.values(passwordChecklist(password, login)).every(Boolean);
        expect(validatePassword(password, { login }).ok).toBe(allPassed);
      }),
    );
  });

  it('always accepts a long mixed password that avoids the login', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z]{1,4}$/),
        fc.stringMatching(/^[a-z]{6,10}$/),
        fc.stringMatching(/^[0-9]{1,4}$/),
        (upper, lower, digits) => {
          expect(validatePassword(`${upper}${lower}${digits}`, { login: 'zz' }).ok).toBe(true);
        },
      ),
    );
  });
});
