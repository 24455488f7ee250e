// The desk's domain handlers, by `domain/action` name: plain async functions over the local store.
import type { DeskApi, HouseholdListItem } from '../contract';
import type { OpenedDatabase } from '../../db/open';
import { countHouseholds, searchHouseholds } from '../../db/repositories/households';
import { getTown } from '../../db/repositories/town';
import { formatPhone } from '../../core/validation/phone';

type LocalCommand = Exclude<keyof DeskApi, 'sync/status' | 'sync/pull-snapshot'>;

export type DeskHandlers = {
  [K in LocalCommand]: (args: DeskApi[K]['args']) => Promise<DeskApi[K]['result']>;
};

export function createHandlers({ db }: OpenedDatabase): DeskHandlers {
  return {
    'town/get': async () => {
      const [town, householdCount] = await Promise.all([getTown(db), countHouseholds(db)]);
      return { name: town?.name ?? '', householdCount };
    },
    'family/search': async ({ query, limit }) => {
      const rows = await searchHouseholds(db, { query, limit: Math.min(limit ?? 50, 200) });
      return rows.map((row): HouseholdListItem => ({
        id: row.id,
        code: row.code,
        titulaire: row.titulaire,
        coTitulaire: row.coTitulaire,
        children: row.children,
        city: row.city,
        phone: row.phone ? formatPhone(row.phone) : null,
        email: row.email,
      }));
    },
  };
}
