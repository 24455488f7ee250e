/**
 * Duplicate families: before a new family file is saved, the desk (and the server again when the command
 * arrives) looks for an existing file with the same child (same usual first name and last name, accents and
 * case ignored, same date of birth) or the same e-mail address (a titulaire's, a co-titulaire's, or a parent's
 * web account). The queries that find candidates live in db/; the rule deciding what matches lives here.
 */
import { normalizeForSearch } from '../search/normalize';

export interface ChildKey {
  lastName: string;
  firstName: string;
  birthDate: string;
}

export interface DuplicateKeys {
  children: ChildKey[];
  emails: string[];
}

/** "Léa Marie" → "lea": the usual first name, folded. */
export function usualFirstNameKey(firstNames: string): string {
  return normalizeForSearch(firstNames).split(' ')[0] ?? '';
}

/** "LEMOINE-Dûpont" → "lemoine dupont". */
export function lastNameKey(lastName: string): string {
  return normalizeForSearch(lastName);
}

/** E-mail folded for comparison: trimmed, lower case, accents stripped. */
export function emailKey(email: string): string {
  return email.trim().normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

export function childKey(child: {
  usageLastName: string;
  firstNames: string;
  birthDate: string | null;
}): ChildKey | null {
  if (!child.birthDate) return null;
  const lastName = lastNameKey(child.usageLastName);
  const firstName = usualFirstNameKey(child.firstNames);
  return lastName === '' || firstName === '' ? null : { lastName, firstName, birthDate: child.birthDate };
}

/** The keys of a family being created: its children and the adults' e-mail addresses. */
export function duplicateKeys(family: {
  adults: readonly { email: string | null }[];
  children: readonly { usageLastName: string; firstNames: string; birthDate: string | null }[];
}): DuplicateKeys {
  const children: ChildKey[] = [];
  for (const child of family.children) {
    const key = childKey(child);
    if (key && !children.some((k) => sameChild(k, key))) children.push(key);
  }
  const emails = [
    ...new Set(family.adults.flatMap((a) => (a.email ? [emailKey(a.email)] : [])).filter((e) => e !== '')),
  ];
  return { children, emails };
}

export function sameChild(a: ChildKey, b: ChildKey): boolean {
  return a.birthDate === b.birthDate && a.firstName === b.firstName && a.lastName === b.lastName;
}

/** A person of an existing household found by the candidate queries. */
export interface CandidatePerson {
  householdId: string;
  role: string;
  usageLastName: string;
  birthLastName: string | null;
  firstNames: string;
  birthDate: string | null;
  email: string | null;
}

export type DuplicateReason =
  | { kind: 'child'; firstNames: string; lastName: string; birthDate: string }
  | { kind: 'email'; email: string; who: 'membre' | 'compte' };

/**
 * Which candidates match, and why, by household. A child matches on usual first name + date of birth + last
 * name (its usage or birth name); an e-mail on its folded form. Candidates of `excludeHouseholdId` are ignored.
 */
export function matchDuplicates(
  keys: DuplicateKeys,
  candidates: readonly CandidatePerson[],
  accounts: readonly { householdId: string | null; email: string }[] = [],
  excludeHouseholdId?: string,
): Map<string, DuplicateReason[]> {
  const found = new Map<string, DuplicateReason[]>();
  const add = (householdId: string, reason: DuplicateReason): void => {
    if (householdId === excludeHouseholdId) return;
    const list = found.get(householdId) ?? [];
    if (!list.some((r) => JSON.stringify(r) === JSON.stringify(reason))) list.push(reason);
    found.set(householdId, list);
  };
  for (const person of candidates) {
    if (person.birthDate) {
      const firstName = usualFirstNameKey(person.firstNames);
      const names = [person.usageLastName, person.birthLastName ?? ''].map(lastNameKey);
      for (const key of keys.children) {
        if (key.birthDate === person.birthDate && key.firstName === firstName && names.includes(key.lastName))
          add(person.householdId, {
            kind: 'child',
            firstNames: person.firstNames,
            lastName: person.usageLastName,
            birthDate: person.birthDate,
          });
      }
    }
    if (person.email && keys.emails.includes(emailKey(person.email)))
      add(person.householdId, { kind: 'email', email: person.email, who: 'membre' });
  }
  for (const account of accounts) {
    if (account.householdId && keys.emails.includes(emailKey(account.email)))
      add(account.householdId, { kind: 'email', email: account.email, who: 'compte' });
  }
  return found;
}

/** "même enfant : Léa BÉCASSINES née le 12/11/2020" / "même courriel : a@b.fr". */
export function describeDuplicateReason(reason: DuplicateReason): string {
  if (reason.kind === 'email')
    return reason.who === 'compte'
      ? `même courriel que l'espace en ligne : ${reason.email}`
      : `même courriel : ${reason.email}`;
  const [y, m, d] = reason.birthDate.split('-');
  const first = reason.firstNames.split(/\s+/)[0] ?? reason.firstNames;
  return `même enfant : ${first} ${reason.lastName.toLocaleUpperCase('fr-FR')}, né(e) le ${d}/${m}/${y}`;
}
