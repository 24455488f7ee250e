import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../../../core/errors';
import {
  bicSchema,
  departmentOfPostcode,
  emailSchema,
  firstNameSchema,
  formatPhone,
  ibanSchema,
  passwordSchemaFor,
  personNameSchema,
  phoneSchema,
  postcodeSchema,
  validateEmail,
  validatePersonName,
  validatePhone,
  validatePostcode,
} from '../../../../core/validation/french';

const codeOf = (result: Result<unknown>): string => (result.ok ? 'ok' : result.error.code);

describe('validatePersonName', () => {
  it.each([
    ['Bécassine', 'Bécassine'],
    ['Jean-Pierre', 'Jean-Pierre'],
    ['D’Artagnan', "D'Artagnan"],
    ['  Marie   Claire ', 'Marie Claire'],
    ['Núñez Çelik', 'Núñez Çelik'],
    ['Œdipe', 'Œdipe'],
    ['Le Goff', 'Le Goff'],
  ])('accepts "%s" as "%s"', (text, name) => {
    expect(validatePersonName(text)).toEqual({ ok: true, value: name });
  });

  it('refuses digits and symbols with the French message of the rule', () => {
    const result = validatePersonName('R2D2');
    expect(codeOf(result)).toBe('NAME_INVALID_CHARACTERS');
    expect(result.ok ? '' : result.error.message).toBe(
      "Le nom ne peut contenir que des lettres, espaces, traits d'union et apostrophes.",
    );
    expect(codeOf(validatePersonName('Dupont!'))).toBe('NAME_INVALID_CHARACTERS');
  });

  it('refuses doubled or dangling separators, empty and over-long names', () => {
    expect(codeOf(validatePersonName('Jean--Pierre'))).toBe('NAME_INVALID_FORMAT');
    expect(codeOf(validatePersonName('-Jean'))).toBe('NAME_INVALID_FORMAT');
    expect(codeOf(validatePersonName("Jean'"))).toBe('NAME_INVALID_FORMAT');
    expect(codeOf(validatePersonName('   '))).toBe('NAME_EMPTY');
    expect(codeOf(validatePersonName('a'.repeat(60)))).toBe('ok');
    expect(codeOf(validatePersonName('a'.repeat(61)))).toBe('NAME_TOO_LONG');
  });

  it('names the field in its messages', () => {
    const result = validatePersonName('', 'Le prénom');
    expect(result.ok ? '' : result.error.message).toBe('Le prénom est obligatoire.');
  });

  it('accepts any word made of letters joined by single separators', () => {
    const word = fc.stringMatching(/^[a-zA-Zàâçéèêëîïôûùüÿœæ]{1,8}$/);
    const name = fc
      .tuple(word, fc.array(fc.tuple(fc.constantFrom(' ', '-', "'"), word), { maxLength: 3 }))
      .map(([first, rest]) => first + rest.map(([separator, part]) => separator + part).join(''));
    fc.assert(
      fc.property(name, (text) => {
        expect(validatePersonName(text)).toEqual({ ok: true, value: text.normalize('NFC') });
      }),
    );
  });

  it('refuses any name holding a digit', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.integer({ min: 0, max: 9 }), (text, digit) => {
        expect(validatePersonName(`Jean${digit}${text}`).ok).toBe(false);
      }),
    );
  });
});

describe('validatePostcode', () => {
  it('accepts real department prefixes, Corsica and overseas', () => {
    for (const code of [
      '75001',
      '01000',
      '33000',
      '40220',
      '95000',
      '20000',
      '20200',
      '97400',
      '97600',
      '98000',
      '98800',
    ]) {
      expect(validatePostcode(code)).toEqual({ ok: true, value: code });
    }
    expect(validatePostcode('76 320')).toEqual({ ok: true, value: '76320' });
  });

  it('refuses wrong shapes and unknown departments', () => {
    expect(codeOf(validatePostcode('7500'))).toBe('POSTCODE_FORMAT');
    expect(codeOf(validatePostcode('75O01'))).toBe('POSTCODE_FORMAT');
    expect(codeOf(validatePostcode('00100'))).toBe('POSTCODE_UNKNOWN_DEPARTMENT');
    expect(codeOf(validatePostcode('96000'))).toBe('POSTCODE_UNKNOWN_DEPARTMENT');
    expect(codeOf(validatePostcode('97700'))).toBe('POSTCODE_UNKNOWN_DEPARTMENT');
    expect(codeOf(validatePostcode('99000'))).toBe('POSTCODE_UNKNOWN_DEPARTMENT');
  });

  it('tells the department, 2A and 2B included', () => {
    expect(departmentOfPostcode('20000')).toBe('2A');
    expect(departmentOfPostcode('20167')).toBe('2A');
    expect(departmentOfPostcode('20200')).toBe('2B');
    expect(departmentOfPostcode('97400')).toBe('974');
    expect(departmentOfPostcode('33000')).toBe('33');
  });
});

describe('validatePhone', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678', '06 12 34 56 78'],
    ['06.12.34.56.78', '+33612345678', '06 12 34 56 78'],
    ['0612345678', '+33612345678', '06 12 34 56 78'],
    ['+33 6 12 34 56 78', '+33612345678', '06 12 34 56 78'],
    ['+33 (0)6 12 34 56 78', '+33612345678', '06 12 34 56 78'],
    ['0033 5 56 95 56 12', '+33556955612', '05 56 95 56 12'],
    ['02 32 96 95 70', '+33232969570', '02 32 96 95 70'],
    ['0692 12 34 56', '+262692123456', '06 92 12 34 56'],
    ['+262 692 12 34 56', '+262692123456', '06 92 12 34 56'],
    ['0590 12 34 56', '+590590123456', '05 90 12 34 56'],
    ['+44 20 7946 0958', '+442079460958', '+442079460958'],
    ['0639 40 12 34', '+262639401234', '06 39 40 12 34'],
  ])('reads "%s" as %s', (text, e164, display) => {
    expect(validatePhone(text)).toEqual({ ok: true, value: { e164, display } });
  });

  it('refuses short, long and malformed numbers', () => {
    for (const text of [
      '06 12 34 56',
      '06 12 34 56 78 9',
      '00 12 34 56 78',
      '6 12 34 56 78',
      'zéro six',
      '+33 6 12',
    ]) {
      expect(codeOf(validatePhone(text))).toBe('PHONE_INVALID');
    }
    expect(codeOf(validatePhone('  '))).toBe('PHONE_EMPTY');
    expect(codeOf(validatePhone('+262 1 23 45 67 89'))).toBe('PHONE_INVALID'); // a metropolitan number under +262
    expect(codeOf(validatePhone('+1 234 567'))).toBe('PHONE_INVALID'); // too short to be international
  });

  it('displays a stored number the French way', () => {
    expect(formatPhone('+33612345678')).toBe('06 12 34 56 78');
    expect(formatPhone('+262692123456')).toBe('06 92 12 34 56');
  });

  it('reads back every metropolitan mobile it displays', () => {
    fc.assert(
      fc.property(fc.constantFrom('6', '7'), fc.stringMatching(/^\d{8}$/), (first, rest) => {
        fc.pre(!(first === '6' && /^(39|9[0-7])/.test(rest))); // 0639 and 069x are overseas mobiles
        const phone = validatePhone(`0${first}${rest}`);
        expect(phone.ok).toBe(true);
        if (phone.ok) {
          expect(phone.value.e164).toBe(`+33${first}${rest}`);
          expect(validatePhone(phone.value.display)).toEqual(phone);
          expect(validatePhone(phone.value.e164)).toEqual(phone);
        }
      }),
    );
  });
});

describe('validateEmail', () => {
  it('accepts usual addresses and stores them in lower case', () => {
    expect(validateEmail(' Prenom.Nom@Exemple.FR ')).toEqual({ ok: true, value: 'prenom.nom@exemple.fr' });
    expect(validateEmail('secretariat-enfance@parempuyre.fr')).toEqual({
      ok: true,
      value: 'secretariat-enfance@parempuyre.fr',
    });
    expect(validateEmail('a+tag@sub.domaine.gouv.fr').ok).toBe(true);
  });

  it('refuses typos seen in the guides and other malformed addresses', () => {
    for (const text of [
      'toulemonde@omail. com',
      'a@b',
      'a..b@c.fr',
      '@x.fr',
      'a@-x.fr',
      'a@x.f',
      'sans-arobase.fr',
      'a@b@c.fr',
    ]) {
      expect(codeOf(validateEmail(text))).toBe('EMAIL_INVALID');
    }
    expect(codeOf(validateEmail(''))).toBe('EMAIL_EMPTY');
  });
});

describe('zod schemas', () => {
  it('output the normalised value', () => {
    expect(personNameSchema.parse('  Jean   Dupont ')).toBe('Jean Dupont');
    expect(phoneSchema.parse('06 12 34 56 78')).toBe('+33612345678');
    expect(postcodeSchema.parse('76 320')).toBe('76320');
    expect(emailSchema.parse('A@B.FR')).toBe('a@b.fr');
    expect(ibanSchema.parse('fr76 3000 6000 0112 3456 7890 189')).toBe('FR7630006000011234567890189');
    expect(bicSchema.parse('bnpafrpp')).toBe('BNPAFRPP');
  });

  it('fail with the French message and the rule code', () => {
    const result = firstNameSchema.safeParse('J3an');
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.message).toBe(
      "Le prénom ne peut contenir que des lettres, espaces, traits d'union et apostrophes.",
    );
    expect(issue && 'params' in issue ? issue.params : undefined).toEqual({
      code: 'NAME_INVALID_CHARACTERS',
    });
  });

  it('check the password against the login', () => {
    expect(passwordSchemaFor('JTOULEMONDE').safeParse('Jtoulemonde2024').success).toBe(false);
    expect(passwordSchemaFor('JTOULEMONDE').safeParse('Rivage-Landais-42').success).toBe(true);
  });
});
