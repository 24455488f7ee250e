import type { Generated } from 'kysely';
import type { Id } from './common';

/**
 * Derived, local to each database (never replicated): the family search index of migration 0012, kept by
 * triggers. Read it, never write it: see db/migrations/0012_household_search_index.ts.
 */

/** One row per household: its small integer key and copies of what a result line orders by and shows. */
export interface HouseholdSearchKeysTable {
  hno: Generated<number>;
  household_id: Id;
  sort_name: string;
  code: string;
  city: string | null;
  /**
   * JSON: `t` titulaire [usage_last_name, first_names, mobile, phone, email] or null, `c` co-titulaire
   * [usage_last_name, first_names] or null, `k` children's first_names, eldest first.
   */
  summary: Generated<string>;
}

/**
 * One FTS document per household × role: `docno = hno * 8 + role code` (1 titulaire, 2 co-titulaire,
 * 3 children, 4 the household's codes, 5 entourage). Indexed by the FTS5 table `household_search`.
 */
export interface HouseholdSearchDocsTable {
  docno: number;
  names: string;
  email: string;
  phones: string;
  codes: string;
}
