/**
 * Money is always an integer number of euro cents (never floats: 17 × 4,15 € must be 70,55 €).
 *
 * Display uses French conventions with ONE space character everywhere: the
 * no-break space U+00A0 (`EURO_SPACE`), both between thousands groups and
 * before the euro sign: "1 234,50 €". U+00A0 is chosen over the narrow U+202F
 * because every PDF font and terminal renders it.
 */
import { DomainError, err, ok } from './errors';
import type { Result } from './errors';

/** The no-break space (U+00A0) used in every formatted amount. */
export const EURO_SPACE = '\u00A0';

export function isCents(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Throws when `value` is not an integer number of cents (a programming error). */
export function assertCents(value: number, label = 'montant'): void {
  if (!isCents(value)) {
    throw new DomainError('MONEY_NOT_INTEGER_CENTS', `Le ${label} doit être un nombre entier de centimes.`, {
      value,
    });
  }
}

/** 123450 → "1 234,50 €" (U+00A0 spaces); -5 → "-0,05 €". */
export function formatEuros(cents: number): string {
  return `${formatAmount(cents)}${EURO_SPACE}€`;
}

/** 123450 → "1 234,50" (no currency sign), for tables and input fields. */
export function formatAmount(cents: number): string {
  assertCents(cents);
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  const euros = Math.floor(absolute / 100).toString();
  const rest = (absolute % 100).toString().padStart(2, '0');
  const grouped = euros.replace(/\B(?=(\d{3})+(?!\d))/g, EURO_SPACE);
  return `${sign}${grouped},${rest}`;
}

const SPACE = '[\\s\\u00A0\\u202F\\u2009]';
const CURRENCY_AROUND = new RegExp(`^(?:€|euros?|eur)${SPACE}*|${SPACE}*(?:€|euros?|eur)$`, 'gi');
/** A space between a digit and a group of exactly three digits: a thousands separator. */
const THOUSANDS_SPACE = new RegExp(`(\\d)${SPACE}(?=\\d{3}(?!\\d))`, 'g');
const SIGN_THEN_SPACES = new RegExp(`^([+-])${SPACE}+`);

/**
 * Reads an amount typed by a person: "12,50", "12.5", "12 €", "1 234,50 €",
 * "1.234,50", "-3". At most two decimals. Spaces are accepted only between
 * thousands groups ("12 50" is refused). A single dot followed by exactly three
 * digits ("1.234") is ambiguous and refused.
 */
export function parseEuros(text: string): Result<number> {
  const compact = text
    .trim()
    .replace(CURRENCY_AROUND, '')
    .replace(SIGN_THEN_SPACES, '$1')
    .replace(THOUSANDS_SPACE, '$1');
  if (compact === '') return err('MONEY_EMPTY', 'Veuillez saisir un montant.');
  const match = /^([+-]?)(\d[\d.,]*|[.,]\d+)$/.exec(compact);
  const parts = match ? splitIntegerAndDecimals(match[2] as string) : 'invalid';
  if (parts === 'invalid') {
    return err('MONEY_INVALID', `« ${text.trim()} » n'est pas un montant valide (ex. 12,50).`, { text });
  }
  if (parts === 'ambiguous') {
    return err('MONEY_AMBIGUOUS', 'Montant ambigu : utilisez la virgule pour les centimes (ex. 1234,50).', {
      text,
    });
  }
  if (parts.decimals.length > 2) {
    return err(
      'MONEY_TOO_MANY_DECIMALS',
      'Un montant ne peut pas avoir plus de deux chiffres après la virgule.',
      {
        text,
      },
    );
  }
  const cents = Number(parts.integer) * 100 + Number(parts.decimals.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) return err('MONEY_TOO_LARGE', 'Ce montant est trop élevé.', { text });
  return ok(match?.[1] === '-' && cents !== 0 ? -cents : cents);
}

type AmountParts = { integer: string; decimals: string };

function splitIntegerAndDecimals(body: string): AmountParts | 'invalid' | 'ambiguous' {
  const lastSeparatorIndex = Math.max(body.lastIndexOf(','), body.lastIndexOf('.'));
  if (lastSeparatorIndex === -1) return { integer: body, decimals: '' };
  const head = body.slice(0, lastSeparatorIndex);
  const tail = body.slice(lastSeparatorIndex + 1);
  const separator = body.charAt(lastSeparatorIndex);
  const otherSeparator = separator === ',' ? '.' : ',';
  if (head.includes(separator)) {
    // "1.234.567": one separator kind, repeated: it groups thousands.
    return isThousandsGrouped(body, separator)
      ? { integer: body.split(separator).join(''), decimals: '' }
      : 'invalid';
  }
  if (head.includes(otherSeparator)) {
    // "1.234,50": the last separator marks decimals, the other one groups thousands.
    if (!isThousandsGrouped(head, otherSeparator)) return 'invalid';
    return { integer: head.split(otherSeparator).join(''), decimals: tail };
  }
  // "1.234" may be 1 234 € (French grouping) or 1,234 € (English decimals): refused. "1,234" is French decimals.
  if (separator === '.' && tail.length === 3 && head !== '' && !/^0+$/.test(head)) return 'ambiguous';
  return { integer: head === '' ? '0' : head, decimals: tail };
}

function isThousandsGrouped(text: string, separator: string): boolean {
  const [first, ...others] = text.split(separator);
  return /^\d{1,3}$/.test(first ?? '') && others.length > 0 && others.every((group) => /^\d{3}$/.test(group));
}

/** Sum of integer cents; throws on a non-integer or an unsafe total. */
export function sumCents(values: readonly number[]): number {
  let total = 0;
  for (const value of values) {
    assertCents(value);
    total += value;
  }
  assertCents(total, 'total');
  return total;
}

/** unit price × integer quantity, exact. */
export function multiplyCents(unitCents: number, quantity: number): number {
  assertCents(unitCents, 'prix unitaire');
  if (!Number.isSafeInteger(quantity)) {
    throw new DomainError('MONEY_INVALID_QUANTITY', 'La quantité doit être un nombre entier.', { quantity });
  }
  const total = unitCents * quantity;
  assertCents(total, 'total');
  return total;
}

/**
 * `percent` % of an amount, rounded half away from zero to the cent
 * (e.g. the 30 % surcharge of an unbooked meal: percentOfCents(415, 30) = 125).
 */
export function percentOfCents(cents: number, percent: number): number {
  assertCents(cents);
  if (!Number.isSafeInteger(percent)) {
    throw new DomainError('MONEY_INVALID_PERCENT', 'Le pourcentage doit être un nombre entier.', { percent });
  }
  const hundredths = cents * percent;
  const rounded = Math.floor((Math.abs(hundredths) + 50) / 100);
  return hundredths < 0 ? -rounded : rounded;
}
