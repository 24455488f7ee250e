// The shared set-up of the sync scenarios (tests/sync/scenarios*.test.ts): a seeded town with two enrolled desks,
// a fresh real server per test, desks on their own replicas with a switchable network, and the checks every
// scenario ends with. Importing it registers the hooks; the state is read through live bindings.
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type BetterSqlite3 from 'better-sqlite3';
import type { UnitCode } from '../../core/booking/units';
import type { DeskBackend, DeskBackendOptions } from '../../electron/backend/desk-backend';
import { Network } from './network';
import type { EnrolledDesk, RunningServer, Slot } from './support';
import {
  SyncTown,
  agentIdOf,
  busiestDays,
  capacityId,
  enrolDesk,
  slotsOn,
  startDesk,
  startServer,
} from './support';
import { outboxViolations, replicaDiff, serverViolations } from './invariants';

export const town = new SyncTown('gf-sync-scenarios-');
export let enrolled: { a: EnrolledDesk; b: EnrolledDesk };
export let server: RunningServer;
export let sqlite: BetterSqlite3.Database;
export let regie: string;
export const desks: DeskBackend[] = [];

beforeAll(async () => {
  await town.seed({ families: 20, seed: 11 });
  // Desks are enrolled on the seed itself: every copy knows them, and every replica's desks table matches.
  enrolled = town.onSeed((db) => ({ a: enrolDesk(db, 'SA'), b: enrolDesk(db, 'SB') }));
  regie = town.onSeed((db) => agentIdOf(db, 'agent.regie'));
});

afterAll(() => town.dispose());

beforeEach(async () => {
  server = await startServer(town.serverCopy());
  sqlite = server.database.sqlite;
});

afterEach(async () => {
  for (const desk of desks.splice(0)) desk.close();
  await server.close();
});

/** A desk on its own replica, its network switchable (offline / online). */
export async function openDesk(
  enrolledDesk: EnrolledDesk,
  options: Partial<DeskBackendOptions> = {},
): Promise<{ desk: DeskBackend; network: Network; dbPath: string }> {
  const network = new Network();
  const dbPath = options.dbPath ?? town.file(`desk-${enrolledDesk.prefix}`);
  const desk = await startDesk({
    dbPath,
    serverUrl: server.url,
    desk: enrolledDesk,
    agentId: regie,
    fetch: network.fetch,
    ...options,
  });
  desks.push(desk);
  return { desk, network, dbPath };
}

export const deskDb = (desk: DeskBackend): BetterSqlite3.Database => desk.session().store.sqlite;
export const setDay = (slot: Slot, units: UnitCode[], overrideReason?: string) => ({
  personId: slot.personId,
  activityId: slot.activityId,
  siteId: slot.siteId,
  day: slot.day,
  units,
  ...(overrideReason ? { overrideReason } : {}),
});
export const count = (sql: string, ...params: unknown[]): number =>
  sqlite
    .prepare(sql)
    .pluck()
    .get(...params) as number;
export const lastSeq = (): number => count('SELECT COALESCE(MAX(seq), 0) FROM change_log');
export const appliedOf = (desk: EnrolledDesk): number =>
  count('SELECT COUNT(*) FROM applied_ops WHERE desk_id = ?', desk.id);

/** Everything the guarantees say, for these desks (after their last sync). */
export function expectConsistent(...pairs: [DeskBackend, EnrolledDesk][]): void {
  expect(serverViolations(sqlite)).toEqual([]);
  for (const [desk, enrolledDesk] of pairs) {
    expect(outboxViolations(sqlite, enrolledDesk.id, deskDb(desk))).toEqual([]);
    expect(replicaDiff(sqlite, enrolledDesk.id, deskDb(desk))).toEqual([]);
  }
}

/** Two children of two families sharing the last place of `unit` (places set to taken + 1) on a coming day. */
export function lastPlace(
  activityCode: string,
  unit: UnitCode,
): { first: Slot; second: Slot; capacity: string } {
  for (const cell of busiestDays(sqlite, activityCode, 7)) {
    const slots = slotsOn(sqlite, { activityCode, ...cell });
    const first = slots[0];
    const second = slots.find((slot) => first && slot.householdId !== first.householdId);
    if (!first || !second) continue;
    const capacity = capacityId(sqlite, first, unit);
    sqlite.prepare('UPDATE capacities SET places = taken + 1 WHERE id = ?').run(capacity);
    return { first, second, capacity };
  }
  throw new Error(`No two families share a day of ${activityCode}`);
}
