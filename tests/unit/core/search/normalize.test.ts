import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digitsOnly, normalizeForSearch, searchTokens } from '../../../../core/search/normalize';

describe('normalizeForSearch', () => {
  it('lets "becassine" be found in "Bécassines"', () => {
    expect(normalizeForSearch('Bécassines')).toBe('becassines');
    expect(normalizeForSearch('Bécassines').startsWith(normalizeForSearch('becassine'))).toBe(true);
    expect(normalizeForSearch('BÉCASSINE')).toBe('becassine');
  });

  it('strips accents and cedillas, spells out ligatures', () => {
    expect(normalizeForSearch('Saint-Pierre-lès-Elbeuf')).toBe('saint pierre les elbeuf');
    expect(normalizeForSearch('François Cœur')).toBe('francois coeur');
    expect(normalizeForSearch('ŒUVRE Lætitia')).toBe('oeuvre laetitia');
    expect(normalizeForSearch('Straße')).toBe('strasse');
    expect(normalizeForSearch('Noël à l’école')).toBe('noel a l ecole');
  });

  it('turns punctuation runs into one space and trims', () => {
    expect(normalizeForSearch("  D'Artagnan -- (Jean) ; ")).toBe('d artagnan jean');
    expect(normalizeForSearch('06.12.34.56.78')).toBe('06 12 34 56 78');
    expect(normalizeForSearch('...')).toBe('');
  });

  it('handles decomposed input like composed input', () => {
    expect(normalizeForSearch('Be\u0301cassine')).toBe(normalizeForSearch('B\u00e9cassine'));
  });

  it('is idempotent on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const once = normalizeForSearch(text);
        expect(normalizeForSearch(once)).toBe(once);
      }),
    );
  });

  it('leaves lower-case ASCII letters and digits unchanged', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]+$/), (text) => {
        expect(normalizeForSearch(text)).toBe(text);
      }),
    );
  });

  it('never outputs upper case, accents, double spaces or punctuation', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
        const normalized = normalizeForSearch(text);
        expect(normalized).not.toMatch(/\p{M}|\p{Lu}| {2}|^ | $|[^\p{L}\p{N} ]/u);
      }),
    );
  });
});

describe('searchTokens and digitsOnly', () => {
  it('splits a name into distinct normalised words', () => {
    expect(searchTokens('Jean-Pierre DUPONT dupont')).toEqual(['jean', 'pierre', 'dupont']);
    expect(searchTokens(' - ')).toEqual([]);
  });

  it('keeps only digits for phone and invoice searches', () => {
    expect(digitsOnly('06 12-34.56 78')).toBe('0612345678');
    expect(digitsOnly('N° 2210002476')).toBe('2210002476');
  });
});
