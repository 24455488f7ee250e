// Unique, plausible contact details for the demo town's people: mobiles
// (06/07, stored E.164), e-mail addresses, landlines, addresses, birth dates, IBANs.
import { buildIban } from '../../core/validation/iban';
import { normalizeForSearch } from '../../core/search/normalize';
import { BUILDINGS, OUTSIDE_TOWNS, STREET_KINDS, STREET_NAMES } from './names';
import type { Rng } from './rng';
import { TOWN } from './town';

const MAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ['orange.fr', 22],
  ['gmail.com', 30],
  ['free.fr', 10],
  ['laposte.net', 8],
  ['sfr.fr', 6],
  ['wanadoo.fr', 6],
  ['hotmail.fr', 8],
  ['yahoo.fr', 5],
  ['outlook.fr', 5],
];

export interface Address {
  numero: string;
  voie: string;
  batiment: string | null;
  appartement: string | null;
  complement: string | null;
  postcode: string;
  city: string;
}

export class Identities {
  private readonly phones = new Set<string>();
  private readonly emails = new Set<string>();

  constructor(private readonly rng: Rng) {}

  /** Reserves an address so that no generated person gets it (the demo logins). */
  reserveEmail(email: string): void {
    this.emails.add(email);
  }

  /** A mobile number never handed out before, E.164: '+33612345678'. */
  mobile(): string {
    for (;;) {
      const e164 = `+33${this.rng.chance(0.7) ? '6' : '7'}${String(this.rng.int(10_000_000, 99_999_999))}`;
      if (!this.phones.has(e164)) {
        this.phones.add(e164);
        return e164;
      }
    }
  }

  /** A landline of the Pays de la Loire (02 41 …). */
  landline(): string {
    for (;;) {
      const e164 = `+3324${this.rng.pick(['1', '1', '1', '4', '7'])}${String(this.rng.int(100_000, 999_999))}`;
      if (!this.phones.has(e164)) {
        this.phones.add(e164);
        return e164;
      }
    }
  }

  /** 'helene.becassines@orange.fr', with a number appended when taken. */
  email(firstName: string, lastName: string): string {
    const first = mailPart(firstName.split(' ')[0] ?? firstName);
    const last = mailPart(lastName);
    const domain = this.rng.weighted(MAIL_DOMAINS);
    const style = this.rng.int(0, 3);
    const local =
      style === 0
        ? `${first}.${last}`
        : style === 1
          ? `${first[0]}${last}`
          : style === 2
            ? `${first}${last}`
            : `${last}.${first}`;
    let candidate = `${local}@${domain}`;
    for (let n = 2; this.emails.has(candidate); n++) candidate = `${local}${n}@${domain}`;
    this.emails.add(candidate);
    return candidate;
  }

  townAddress(): Address {
    const numero =
      String(this.rng.int(1, 120)) + (this.rng.chance(0.06) ? this.rng.pick([' bis', ' ter']) : '');
    const inBuilding = this.rng.chance(0.18);
    return {
      numero,
      voie: `${this.rng.pick(STREET_KINDS)} ${this.rng.pick(STREET_NAMES)}`,
      batiment: inBuilding ? this.rng.pick(BUILDINGS) : null,
      appartement: inBuilding
        ? `Appt ${this.rng.int(1, 4)}${this.rng.int(1, 12).toString().padStart(2, '0')}`
        : null,
      complement: this.rng.chance(0.03) ? 'Lieu-dit La Haute-Rivière' : null,
      postcode: TOWN.postcode,
      city: TOWN.city,
    };
  }

  outsideAddress(): Address {
    const town = this.rng.pick(OUTSIDE_TOWNS);
    return { ...this.townAddress(), postcode: town.postcode, city: town.city };
  }

  /** A French IBAN (valid RIB key and check digits) and its bank's BIC. */
  iban(): { iban: string; bic: string } {
    const bank = this.rng.pick([
      { code: '30004', bic: 'BNPAFRPPXXX' },
      { code: '30003', bic: 'SOGEFRPPXXX' },
      { code: '17906', bic: 'AGRIFRPP879' },
      { code: '15519', bic: 'CMCIFR2A' },
      { code: '20041', bic: 'PSSTFRPPNTE' },
      { code: '14445', bic: 'CEPAFRPP444' },
    ]);
    const guichet = this.rng.chars('0123456789', 5);
    const account = this.rng.chars('0123456789', 11);
    const key = 97 - Number((89n * BigInt(bank.code) + 15n * BigInt(guichet) + 3n * BigInt(account)) % 97n);
    return {
      iban: buildIban('FR', `${bank.code}${guichet}${account}${String(key).padStart(2, '0')}`),
      bic: bank.bic,
    };
  }
}

/** 'Hélène' → 'helene', "N'Diaye" → 'ndiaye', 'Le Gall' → 'legall'. */
export function mailPart(text: string): string {
  return normalizeForSearch(text).replace(/ /g, '');
}

/** A random day of `year`, 'YYYY-MM-DD'. */
export function dayInYear(rng: Rng, year: number): string {
  const start = Date.UTC(year, 0, 1);
  const length = (Date.UTC(year + 1, 0, 1) - start) / 86_400_000;
  return new Date(start + rng.int(0, length - 1) * 86_400_000).toISOString().slice(0, 10);
}
