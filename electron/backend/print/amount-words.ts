// Amounts in French words, as a receipt writes them under the figures ("Trois cent trente-neuf euros et
// cinquante centimes"). Traditional spelling: hyphens under a hundred, "et un", "quatre-vingts", "deux cents".

const UNITS = [
  'zéro',
  'un',
  'deux',
  'trois',
  'quatre',
  'cinq',
  'six',
  'sept',
  'huit',
  'neuf',
  'dix',
  'onze',
  'douze',
  'treize',
  'quatorze',
  'quinze',
  'seize',
] as const;
const TENS = ['', 'dix', 'vingt', 'trente', 'quarante', 'cinquante', 'soixante'] as const;

function unit(n: number): string {
  return UNITS[n] ?? '';
}

/** 0 < n < 100. `last`: nothing follows (so "quatre-vingts" keeps its s). */
function belowHundred(n: number, last: boolean): string {
  if (n < 17) return unit(n);
  if (n < 20) return `dix-${unit(n - 10)}`;
  const tens = Math.floor(n / 10);
  const units = n % 10;
  if (tens < 7) {
    const base = TENS[tens] ?? '';
    if (units === 0) return base;
    return units === 1 ? `${base} et un` : `${base}-${unit(units)}`;
  }
  if (tens === 7) return units === 1 ? 'soixante et onze' : `soixante-${belowHundred(10 + units, last)}`;
  if (tens === 8)
    return units === 0 ? (last ? 'quatre-vingts' : 'quatre-vingt') : `quatre-vingt-${unit(units)}`;
  return `quatre-vingt-${belowHundred(10 + units, last)}`;
}

/** 0 < n < 1000. */
function belowThousand(n: number, last: boolean): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const parts: string[] = [];
  if (hundreds === 1) parts.push('cent');
  else if (hundreds > 1) parts.push(`${unit(hundreds)} ${rest === 0 && last ? 'cents' : 'cent'}`);
  if (rest > 0) parts.push(belowHundred(rest, last));
  return parts.join(' ');
}

/** A non-negative safe integer in French words: 1980 → "mille neuf cent quatre-vingts". */
export function integerInWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Not a non-negative integer: ${n}`);
  if (n === 0) return 'zéro';
  const parts: string[] = [];
  const scales: [number, string][] = [
    [1_000_000_000_000, 'billion'],
    [1_000_000_000, 'milliard'],
    [1_000_000, 'million'],
  ];
  let rest = n;
  for (const [size, name] of scales) {
    const count = Math.floor(rest / size);
    rest %= size;
    if (count > 0) parts.push(`${integerInWords(count)} ${name}${count > 1 ? 's' : ''}`);
  }
  const thousands = Math.floor(rest / 1000);
  rest %= 1000;
  if (thousands === 1) parts.push('mille');
  else if (thousands > 1) parts.push(`${belowThousand(thousands, false)} mille`);
  if (rest > 0) parts.push(belowThousand(rest, true));
  return parts.join(' ');
}

/** 33950 → "trois cent trente-neuf euros et cinquante centimes"; negative amounts start with "moins". */
export function euroAmountInWords(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Not an integer number of cents: ${cents}`);
  const sign = cents < 0 ? 'moins ' : '';
  const absolute = Math.abs(cents);
  const euros = Math.floor(absolute / 100);
  const centimes = absolute % 100;
  const euroWords =
    euros === 0
      ? ''
      : `${integerInWords(euros)} ${euros % 1_000_000 === 0 ? "d'euros" : euros > 1 ? 'euros' : 'euro'}`;
  const centWords = centimes === 0 ? '' : `${integerInWords(centimes)} centime${centimes > 1 ? 's' : ''}`;
  if (euroWords === '' && centWords === '') return 'zéro euro';
  if (euroWords === '') return sign + centWords;
  if (centWords === '') return sign + euroWords;
  return `${sign}${euroWords} et ${centWords}`;
}

/** The same with a capital first letter, as printed. */
export function euroAmountInWordsCapitalized(cents: number): string {
  const words = euroAmountInWords(cents);
  return words.charAt(0).toLocaleUpperCase('fr-FR') + words.slice(1);
}
