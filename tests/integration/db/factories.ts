/**
 * Small row factories for db tests: sensible defaults, override what the test
 * is about. They insert through Kysely and keep the search columns fresh.
 */
import type { Kysely } from 'kysely';
import { newId } from '../../../core/ids';
import { refreshHouseholdSearchText } from '../../../db/repositories/households';
import type { Database, MemberRole, NewRow } from '../../../db/schema';

export const NOW = '2026-11-22T21:51:10.123Z';

type PersonInput = Partial<NewRow<'persons'>> & Pick<NewRow<'persons'>, 'usage_last_name' | 'first_names'>;

export interface HouseholdInput {
  code: string;
  city?: string;
  members: Array<{ role: MemberRole; person: PersonInput; relationship?: string }>;
}

/** Inserts a household with its members, then refreshes its search text. Returns the ids. */
export async function insertHousehold(
  db: Kysely<Database>,
  input: HouseholdInput,
): Promise<{ householdId: string; personIds: string[] }> {
  return db.transaction().execute(async (trx) => {
    const householdId = newId();
    await trx
      .insertInto('households')
      .values({
        id: householdId,
        code: input.code,
        city: input.city ?? null,
        created_at: NOW,
        updated_at: NOW,
      })
      .execute();
    const personIds: string[] = [];
    for (const [position, member] of input.members.entries()) {
      const personId = newId();
      personIds.push(personId);
      await trx
        .insertInto('persons')
        .values({ id: personId, created_at: NOW, updated_at: NOW, ...member.person })
        .execute();
      await trx
        .insertInto('household_members')
        .values({
          household_id: householdId,
          person_id: personId,
          role: member.role,
          relationship: member.relationship ?? null,
          position,
          created_at: NOW,
          updated_at: NOW,
        })
        .execute();
    }
    await refreshHouseholdSearchText(trx, householdId);
    return { householdId, personIds };
  });
}
