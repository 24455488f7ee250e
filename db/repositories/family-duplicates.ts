/**
 * Possible duplicates of a family being created, as the desk shows them before saving and as the server
 * checks them again when the command arrives: households with the same child (name + date of birth) or the
 * same e-mail address (core/family/duplicates.ts decides what matches).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { duplicateKeys, matchDuplicates } from '../../core/family/duplicates';
import type { DuplicateReason } from '../../core/family/duplicates';
import { duplicateCandidates } from './family-writes';
import { personLabel } from './family-apply';
import { preparedFor } from './sync-server';

export interface PossibleDuplicate {
  householdId: string;
  code: string;
  /** "BÉCASSINES Loïc", '' when the household has no titulaire. */
  titulaire: string;
  city: string | null;
  reasons: DuplicateReason[];
}

const statements = preparedFor((sqlite) => ({
  household: sqlite.prepare('SELECT id, code, city FROM households WHERE id = ?'),
  titulaire: sqlite.prepare(
    `SELECT p.usage_last_name, p.first_names FROM household_members m JOIN persons p ON p.id = m.person_id
      WHERE m.household_id = ? AND m.role = 'titulaire'`,
  ),
}));

export interface DuplicateProbe {
  adults: readonly { email: string | null }[];
  children: readonly { usageLastName: string; firstNames: string; birthDate: string | null }[];
}

/** Existing households that look like `family` (by code order), ignoring `excludeHouseholdId`. */
export function findPossibleDuplicates(
  sqlite: BetterSqlite3.Database,
  family: DuplicateProbe,
  excludeHouseholdId?: string,
): PossibleDuplicate[] {
  const keys = duplicateKeys(family);
  if (keys.children.length === 0 && keys.emails.length === 0) return [];
  const candidates = duplicateCandidates(sqlite, {
    childBirthDates: keys.children.map((c) => c.birthDate),
    emails: keys.emails,
  });
  const matches = matchDuplicates(keys, candidates.persons, candidates.accounts, excludeHouseholdId);
  const s = statements(sqlite);
  const found: PossibleDuplicate[] = [];
  for (const [householdId, reasons] of matches) {
    const household = s.household.get(householdId) as
      { id: string; code: string; city: string | null } | undefined;
    if (!household) continue;
    const titulaire = s.titulaire.get(householdId) as
      { usage_last_name: string; first_names: string } | undefined;
    found.push({
      householdId,
      code: household.code,
      titulaire: titulaire ? personLabel(titulaire) : '',
      city: household.city,
      reasons,
    });
  }
  return found.sort((a, b) => (a.code < b.code ? -1 : 1));
}
