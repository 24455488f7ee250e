// The sync protocol's hard cases, each against a real server (buildServer on a SQLite file, HTTP on 127.0.0.1)
// and real desks (DeskBackend on their own SQLite files): the last place taken twice offline, a push whose
// answer is lost, ops arriving out of order, a resync with a pending outbox, an outdated desk, a revoked desk,
// and desk clocks that are wrong; receipts that stay gapless when two desks reverse the same payment offline, and
// a desk whose replica is lost that goes on numbering after the server's.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type BetterSqlite3 from 'better-sqlite3';
import Database from 'better-sqlite3';
import { bookingDeadline, deadlineRuleSchema } from '../../core/booking/deadline';
import type { UnitCode } from '../../core/booking/units';
import { addDays } from '../../core/calendar/paris';
import type { PushRequest, PushResponse, SyncOp } from '../../core/sync/messages';
import { SYNC_PROTOCOL_VERSION, UPDATE_REQUIRED_MESSAGE } from '../../core/sync/protocol';
import { SCHEMA_VERSION } from '../../db/migrate';
import { revokeDesk } from '../../server/auth/desk-tokens';
import { compactChangeLog } from '../../server/sync/change-log';
import type { DeskBackend, DeskBackendOptions } from '../../electron/backend/desk-backend';
import type { FetchLike } from '../../electron/backend/snapshot-client';
import { Network } from './network';
import { startFaultProxy } from './fault-proxy';
import type { EnrolledDesk, RunningServer, Slot } from './support';
import {
  DAY_MS,
  SyncTown,
  TODAY,
  activeUnits,
  agentIdOf,
  busiestDays,
  call,
  capacityId,
  enrolDesk,
  manySlots,
  outboxOps,
  outboxViolations,
  rawPush,
  receiptViolations,
  replicaDiff,
  serverViolations,
  slotsOn,
  startDesk,
  startServer,
  syncHeaders,
} from './support';

const town = new SyncTown('gf-sync-scenarios-');
let enrolled: { a: EnrolledDesk; b: EnrolledDesk };
let server: RunningServer;
let sqlite: BetterSqlite3.Database;
let regie: string;
const desks: DeskBackend[] = [];

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
async function openDesk(
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

const deskDb = (desk: DeskBackend): BetterSqlite3.Database => desk.session().store.sqlite;
const setDay = (slot: Slot, units: UnitCode[], overrideReason?: string) => ({
  personId: slot.personId,
  activityId: slot.activityId,
  siteId: slot.siteId,
  day: slot.day,
  units,
  ...(overrideReason ? { overrideReason } : {}),
});
const count = (sql: string, ...params: unknown[]): number =>
  sqlite
    .prepare(sql)
    .pluck()
    .get(...params) as number;
const lastSeq = (): number => count('SELECT COALESCE(MAX(seq), 0) FROM change_log');
const appliedOf = (desk: EnrolledDesk): number =>
  count('SELECT COUNT(*) FROM applied_ops WHERE desk_id = ?', desk.id);

/** Everything the guarantees say, for these desks (after their last sync). */
function expectConsistent(...pairs: [DeskBackend, EnrolledDesk][]): void {
  expect(serverViolations(sqlite)).toEqual([]);
  for (const [desk, enrolledDesk] of pairs) {
    expect(outboxViolations(sqlite, enrolledDesk.id, deskDb(desk))).toEqual([]);
    expect(replicaDiff(sqlite, enrolledDesk.id, deskDb(desk))).toEqual([]);
  }
}

/** Two children of two families sharing the last place of `unit` (places set to taken + 1) on a coming day. */
function lastPlace(activityCode: string, unit: UnitCode): { first: Slot; second: Slot; capacity: string } {
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

describe('two desks offline take the last place', () => {
  it.each([
    { activity: 'ALSH_MER', unit: 'MATIN' as UnitCode, outcome: 'waitlisted', loser: ['MATIN:en_attente'] },
    { activity: 'RESTAURATION', unit: 'REPAS' as UnitCode, outcome: 'rejected', loser: [] as string[] },
  ])(
    'of $activity: one child gets it, the other family is $outcome and listed in À traiter',
    async ({ activity, unit, outcome, loser }) => {
      const race = lastPlace(activity, unit);
      const a = await openDesk(enrolled.a);
      const b = await openDesk(enrolled.b);
      a.network.goOffline();
      b.network.goOffline();
      await call(a.desk, 'booking/set-day', setDay(race.first, [unit]));
      await call(b.desk, 'booking/set-day', setDay(race.second, [unit]));
      // Both counters show it, pending: the desks never judge places.
      expect(activeUnits(deskDb(a.desk), race.first)).toEqual([`${unit}:en_attente`]);
      expect(activeUnits(deskDb(b.desk), race.second)).toEqual([`${unit}:en_attente`]);

      a.network.goOnline();
      b.network.goOnline();
      expect(await call(a.desk, 'sync/now', undefined)).toMatchObject({ pending: 0, toHandle: 0 });
      expect(await call(b.desk, 'sync/now', undefined)).toMatchObject({ pending: 0, toHandle: 1 });
      await call(a.desk, 'sync/now', undefined);

      const { places, taken } = sqlite
        .prepare('SELECT places, taken FROM capacities WHERE id = ?')
        .get(race.capacity) as { places: number; taken: number };
      expect(taken).toBe(places);
      expect(activeUnits(sqlite, race.first)).toEqual([`${unit}:reservee`]);
      expect(activeUnits(sqlite, race.second)).toEqual(loser);
      for (const desk of [a.desk, b.desk]) {
        expect(activeUnits(deskDb(desk), race.first)).toEqual([`${unit}:reservee`]);
        expect(activeUnits(deskDb(desk), race.second)).toEqual(loser);
      }

      const household = sqlite
        .prepare('SELECT code FROM households WHERE id = ?')
        .get(race.second.householdId) as { code: string };
      const toHandle = await call(b.desk, 'sync/to-handle', undefined);
      expect(toHandle).toHaveLength(1);
      expect(toHandle[0]).toMatchObject({
        outcome,
        command: 'booking.set_day',
        household: {
          id: race.second.householdId,
          code: household.code,
          titulaire: expect.stringMatching(/\S/),
        },
        reason: expect.stringMatching(outcome === 'waitlisted' ? /liste d'attente/ : /Plus de place/),
        asked: expect.stringMatching(/^Réservation du .* : /),
      });
      expect(await call(a.desk, 'sync/to-handle', undefined)).toEqual([]);
      expectConsistent([a.desk, enrolled.a], [b.desk, enrolled.b]);
    },
  );
});

describe('a push whose answer is lost', () => {
  it('is applied once when the desk sends it again after the timeout', async () => {
    const [slot] = slotsOn(sqlite, { activityCode: 'ALSH_MER', ...busiestDays(sqlite, 'ALSH_MER', 7)[0]! });
    if (!slot) throw new Error('no bookable child');
    const proxy = await startFaultProxy(server.url, 1);
    try {
      const { desk } = await openDesk(enrolled.a, { serverUrl: proxy.url, fetch: fetch });
      const capacity = capacityId(sqlite, slot, 'MATIN');
      const takenBefore = count('SELECT taken FROM capacities WHERE id = ?', capacity);
      const paid = await call(desk, 'payment/record', {
        householdId: slot.householdId,
        mode: 'cheque',
        amountCents: 4200,
      });
      await call(desk, 'booking/set-day', setDay(slot, ['MATIN']));

      proxy.setPlan({ dropResponse: 1 });
      const timedOut = await call(desk, 'sync/now', undefined);
      expect(timedOut).toMatchObject({ connection: 'offline', pending: 2 });
      // The server did act before the answer was lost.
      expect(appliedOf(enrolled.a)).toBe(2);
      expect(count('SELECT COUNT(*) FROM payments WHERE id = ?', paid.paymentId)).toBe(1);
      const seqAfterFirstPush = lastSeq();

      proxy.setPlan({ dropResponse: 0 });
      expect(await call(desk, 'sync/now', undefined)).toMatchObject({
        connection: 'online',
        pending: 0,
        toHandle: 0,
      });
      expect(proxy.stats.dropped).toBe(1);
      expect(appliedOf(enrolled.a)).toBe(2);
      expect(count('SELECT COUNT(*) FROM payments WHERE id = ?', paid.paymentId)).toBe(1);
      expect(
        count("SELECT COUNT(*) FROM change_log WHERE entity = 'payments' AND entity_id = ?", paid.paymentId),
      ).toBe(1);
      expect(count('SELECT taken FROM capacities WHERE id = ?', capacity)).toBe(takenBefore + 1);
      expect(lastSeq()).toBe(seqAfterFirstPush); // the resend wrote nothing
      expect(activeUnits(sqlite, slot)).toEqual(['MATIN:reservee']);
      expect(receiptViolations(sqlite, enrolled.a, 1)).toEqual([]);
      expectConsistent([desk, enrolled.a]);
    } finally {
      await proxy.close();
    }
  });

  it('is applied once when the network delivers every request twice', async () => {
    const [slot, other] = slotsOn(sqlite, {
      activityCode: 'ALSH_MER',
      ...busiestDays(sqlite, 'ALSH_MER', 7)[0]!,
    });
    if (!slot || !other) throw new Error('no bookable children');
    const proxy = await startFaultProxy(server.url, 2, { duplicateRequest: 1 });
    try {
      const { desk } = await openDesk(enrolled.a, { serverUrl: proxy.url, fetch: fetch });
      const paid = await call(desk, 'payment/record', {
        householdId: slot.householdId,
        mode: 'especes',
        amountCents: 1500,
      });
      await call(desk, 'booking/set-day', setDay(slot, ['MATIN', 'APRES_MIDI']));
      await call(desk, 'booking/set-day', setDay(other, ['MATIN']));
      expect(await call(desk, 'sync/now', undefined)).toMatchObject({ pending: 0, toHandle: 0 });
      expect(proxy.stats.duplicated).toBeGreaterThan(1);
      expect(appliedOf(enrolled.a)).toBe(3);
      expect(count('SELECT COUNT(*) FROM payments WHERE id = ?', paid.paymentId)).toBe(1);
      expect(activeUnits(sqlite, slot)).toEqual(['APRES_MIDI:reservee', 'MATIN:reservee']);
      expect(receiptViolations(sqlite, enrolled.a, 1)).toEqual([]);
      expectConsistent([desk, enrolled.a]);
    } finally {
      await proxy.close();
    }
  });
});

describe('ops out of order', () => {
  it('stops at the gap; the desk resends from where the server expects and every op lands once, in order', async () => {
    const slots = manySlots(sqlite, 'ALSH_MER', 6);
    // The network loses the first op of the first batch, and later the first op of the second batch.
    const lose = new Set([1, 4]);
    const stops: PushResponse['stopped'][] = [];
    const tampering: FetchLike = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname !== '/sync/v1/push') return fetch(input, init);
      const { ops } = JSON.parse(String(init?.body)) as PushRequest;
      const head = ops[0]?.deskSeq ?? 0;
      const sent = lose.delete(head) ? ops.slice(1) : ops;
      const response = await fetch(input, { ...init, body: JSON.stringify({ ops: sent }) });
      stops.push(((await response.clone().json()) as PushResponse).stopped);
      return response;
    };
    const { desk } = await openDesk(enrolled.a, { fetch: tampering, sync: { batchSize: 3 } });
    const paymentIds: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      if (i % 2 === 0) {
        const paid = await call(desk, 'payment/record', {
          householdId: slots[i]!.householdId,
          mode: 'carte',
          amountCents: 1000 + i,
        });
        paymentIds.push(paid.paymentId);
      } else await call(desk, 'booking/set-day', setDay(slots[i]!, ['MATIN']));
    }

    // A later batch delivered before the first one (a delayed retransmission): the server stops, applies nothing.
    const seqBefore = lastSeq();
    const stray = await rawPush(server.url, enrolled.a.token, outboxOps(deskDb(desk)).slice(3));
    expect(stray.status).toBe(200);
    expect(stray.body).toMatchObject({
      results: [],
      stopped: { reason: 'gap', expectedSeq: 1 },
      lastAppliedSeq: 0,
    });
    expect(appliedOf(enrolled.a)).toBe(0);
    expect(lastSeq()).toBe(seqBefore);

    expect(await call(desk, 'sync/now', undefined)).toMatchObject({ pending: 0 });
    expect(stops.filter((stop) => stop?.reason === 'gap')).toEqual([
      { reason: 'gap', expectedSeq: 1 },
      { reason: 'gap', expectedSeq: 4 },
    ]);
    const order = sqlite
      .prepare('SELECT desk_seq FROM applied_ops WHERE desk_id = ? ORDER BY rowid')
      .pluck()
      .all(enrolled.a.id);
    expect(order).toEqual([1, 2, 3, 4, 5, 6]);
    for (const id of paymentIds) expect(count('SELECT COUNT(*) FROM payments WHERE id = ?', id)).toBe(1);
    expect(receiptViolations(sqlite, enrolled.a, 3)).toEqual([]);

    // The same late batch again, now that everything is applied: the stored results, nothing written.
    const seqAfter = lastSeq();
    const late = await rawPush(server.url, enrolled.a.token, outboxOps(deskDb(desk)).slice(3));
    const stored = sqlite
      .prepare('SELECT result_json FROM applied_ops WHERE desk_id = ? AND desk_seq > 3 ORDER BY desk_seq')
      .pluck()
      .all(enrolled.a.id) as string[];
    expect(late.body.results).toEqual(stored.map((json) => JSON.parse(json) as unknown));
    expect(late.body.stopped).toBeUndefined();
    expect(lastSeq()).toBe(seqAfter);
    expectConsistent([desk, enrolled.a]);
  });
});

describe('resync_required with a pending outbox', () => {
  it('resyncs from a snapshot, keeps its pending ops and their preview, then pushes them once', async () => {
    const cell = busiestDays(sqlite, 'ALSH_MER', 7)[0]!;
    const [mine, ...others] = slotsOn(sqlite, { activityCode: 'ALSH_MER', ...cell });
    if (!mine || others.length < 3) throw new Error('not enough bookable children');
    const a = await openDesk(enrolled.a);
    const b = await openDesk(enrolled.b);

    a.network.goOffline();
    const paid = await call(a.desk, 'payment/record', {
      householdId: mine.householdId,
      mode: 'cheque',
      amountCents: 3100,
    });
    expect(paid.receiptNumber).toBe('SA-000001');
    await call(a.desk, 'booking/set-day', setDay(mine, ['MATIN']));
    const outboxBefore = outboxOps(deskDb(a.desk));

    // Meanwhile another desk writes, and the server compacts its change log past desk A's cursor.
    for (const slot of others.slice(0, 3))
      await call(b.desk, 'booking/set-day', setDay(slot, ['APRES_MIDI']));
    await call(b.desk, 'sync/now', undefined);
    compactChangeLog(server.database, lastSeq());
    expect(count('SELECT COUNT(*) FROM change_log')).toBe(1);

    // The server is busy when A comes back: its push stops `transient`, the pull says resync_required.
    sqlite.pragma('busy_timeout = 20');
    const blocker = new Database(sqlite.name);
    blocker.exec('BEGIN IMMEDIATE');
    try {
      a.network.goOnline();
      const status = await call(a.desk, 'sync/now', undefined);
      expect(a.network.requests.filter((path) => path === '/sync/v1/snapshot')).toHaveLength(2);
      expect(status.pending).toBe(2);
      expect(status.cursor).toBe(lastSeq());
      expect(outboxOps(deskDb(a.desk))).toEqual(outboxBefore);
      // The replica is the server's (B's bookings) plus A's pending commands.
      for (const slot of others.slice(0, 3))
        expect(activeUnits(deskDb(a.desk), slot)).toEqual(['APRES_MIDI:reservee']);
      expect(activeUnits(deskDb(a.desk), mine)).toEqual(['MATIN:en_attente']);
      expect(
        deskDb(a.desk).prepare('SELECT COUNT(*) FROM payments WHERE id = ?').pluck().get(paid.paymentId),
      ).toBe(1);
      expect(appliedOf(enrolled.a)).toBe(0);
      // The receipt counter travelled with the outbox: numbering goes on without a gap.
      const next = await call(a.desk, 'payment/record', {
        householdId: mine.householdId,
        mode: 'carte',
        amountCents: 900,
      });
      expect(next.receiptNumber).toBe('SA-000002');
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }

    expect(await call(a.desk, 'sync/now', undefined)).toMatchObject({
      pending: 0,
      toHandle: 0,
      connection: 'online',
    });
    await call(b.desk, 'sync/now', undefined);
    expect(appliedOf(enrolled.a)).toBe(3);
    expect(count('SELECT COUNT(*) FROM payments WHERE id = ?', paid.paymentId)).toBe(1);
    expect(activeUnits(sqlite, mine)).toEqual(['MATIN:reservee']);
    expect(receiptViolations(sqlite, enrolled.a, 2)).toEqual([]);
    expectConsistent([a.desk, enrolled.a], [b.desk, enrolled.b]);
  });
});

describe('an outdated desk', () => {
  it('gets "Mise à jour nécessaire", says update_required, keeps its outbox and stops syncing until updated', async () => {
    let protocol = String(SYNC_PROTOCOL_VERSION);
    const calls: string[] = [];
    const oldDesk: FetchLike = (input, init) => {
      calls.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return fetch(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), 'x-gf-protocol': protocol },
      });
    };
    const { desk } = await openDesk(enrolled.a, {
      fetch: oldDesk,
      autoSync: true,
      sync: { events: false, pollIntervalMs: 20, backoffInitialMs: 10, backoffMaxMs: 20 },
    });
    const [slot] = slotsOn(sqlite, { activityCode: 'ALSH_MER', ...busiestDays(sqlite, 'ALSH_MER', 7)[0]! });
    protocol = '0';
    await call(desk, 'payment/record', { householdId: slot!.householdId, mode: 'cheque', amountCents: 2000 });
    const status = await call(desk, 'sync/now', undefined);
    expect(status).toMatchObject({ connection: 'update_required', pending: 1 });
    expect(status.message).toMatch(/^Mise à jour nécessaire/);
    expect((await call(desk, 'sync/status', undefined)).connection).toBe('update_required');
    expect(appliedOf(enrolled.a)).toBe(0);
    // The background loop stopped: no more calls.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls.length).toBe(before);

    // Any other version is refused the same way, before authentication.
    const outdated: Record<string, string>[] = [
      { 'x-gf-schema': String(SCHEMA_VERSION - 1) },
      { 'x-gf-protocol': '2' },
    ];
    for (const headers of outdated) {
      const pull = await fetch(`${server.url}/sync/v1/pull?after=0`, {
        headers: syncHeaders(enrolled.a.token, headers),
      });
      expect(pull.status).toBe(426);
      expect(await pull.json()).toMatchObject({
        code: 'DESK_UPDATE_REQUIRED',
        message: UPDATE_REQUIRED_MESSAGE,
      });
      expect((await rawPush(server.url, 'no-token', outboxOps(deskDb(desk)), headers)).status).toBe(426);
    }

    protocol = String(SYNC_PROTOCOL_VERSION); // updated
    expect(await call(desk, 'sync/now', undefined)).toMatchObject({ connection: 'online', pending: 0 });
    expect(appliedOf(enrolled.a)).toBe(1);
  });
});

describe('a revoked desk', () => {
  it('can neither push nor pull (nor download a snapshot or listen); its outbox is kept', async () => {
    const { desk } = await openDesk(enrolled.a);
    const [slot] = slotsOn(sqlite, { activityCode: 'ALSH_MER', ...busiestDays(sqlite, 'ALSH_MER', 7)[0]! });
    const paid = await call(desk, 'payment/record', {
      householdId: slot!.householdId,
      mode: 'cheque',
      amountCents: 2000,
    });
    await call(desk, 'booking/set-day', setDay(slot!, ['MATIN']));
    revokeDesk(sqlite, enrolled.a.id);

    const status = await call(desk, 'sync/now', undefined);
    expect(status).toMatchObject({ connection: 'revoked', pending: 2 });
    expect(status.message).toMatch(/autorisé/);
    const push = await rawPush(server.url, enrolled.a.token, outboxOps(deskDb(desk)));
    expect(push.status).toBe(401);
    expect(push.body).toMatchObject({ code: 'DESK_NOT_AUTHORISED' });
    for (const path of ['/sync/v1/pull?after=0', '/sync/v1/snapshot', '/sync/v1/events']) {
      const response = await fetch(`${server.url}${path}`, { headers: syncHeaders(enrolled.a.token) });
      expect(response.status, path).toBe(401);
      await response.body?.cancel();
    }
    expect(appliedOf(enrolled.a)).toBe(0);
    expect(count('SELECT COUNT(*) FROM payments WHERE id = ?', paid.paymentId)).toBe(0);
    expect(activeUnits(sqlite, slot!)).toEqual([]);
    expect(desk.status().pending).toBe(2);
  });
});

describe('desk clocks decide nothing', () => {
  interface Near {
    activityCode: string;
    unit: UnitCode;
    slots: Slot[];
  }

  /**
   * Days whose deadline (server time) is a few hours to a day ahead (`ahead`: still in time; a desk a day ahead
   * would call them late) or a few hours to a day behind (`behind`: late; a desk a day behind would not).
   */
  function nearDeadlines(): { ahead: Near | null; behind: Near | null } {
    const found: { ahead: Near | null; behind: Near | null } = { ahead: null, behind: null };
    const now = Date.now();
    const margin = 10 * 60_000;
    for (const [activityCode, unit] of [
      ['RESTAURATION', 'REPAS'],
      ['ALSH_MER', 'MATIN'],
      ['PERI_SOIR', 'SOIR'],
      ['PERI_MATIN', 'MATIN'],
    ] as [string, UnitCode][]) {
      const json = sqlite
        .prepare('SELECT deadline_json FROM activities WHERE code = ?')
        .pluck()
        .get(activityCode);
      const rule = deadlineRuleSchema.parse(JSON.parse(String(json)));
      for (let ahead = 0; ahead <= 6; ahead += 1) {
        const day = addDays(TODAY, ahead);
        const distance = bookingDeadline(rule, day).getTime() - now;
        const key =
          distance > margin && distance < DAY_MS - margin
            ? 'ahead'
            : distance < -margin && distance > -DAY_MS + margin
              ? 'behind'
              : null;
        if (!key || found[key]) continue;
        const slots = slotsOn(sqlite, { activityCode, day }).filter(
          (slot) =>
            count(
              'SELECT COUNT(*) FROM capacities c JOIN units u ON u.id = c.unit_id WHERE u.activity_id = ? AND u.code = ? AND c.site_id = ? AND c.day = ? AND c.age_group = ? AND c.taken < c.places',
              slot.activityId,
              unit,
              slot.siteId,
              slot.day,
              slot.ageGroup,
            ) === 1,
        );
        if (slots.length >= 2) found[key] = { activityCode, unit, slots };
      }
    }
    return found;
  }

  it.each([
    { skew: 'a day ahead', offsetMs: DAY_MS },
    { skew: 'a day behind', offsetMs: -DAY_MS },
    { skew: 'a year ahead', offsetMs: 366 * DAY_MS },
  ])('a desk $skew books, refuses and stamps exactly as an exact desk', async ({ offsetMs }) => {
    const exact = await openDesk(enrolled.a);
    const skewedPath = town.file('desk-skewed');
    const skewed = await openDesk(enrolled.b, {
      dbPath: skewedPath,
      now: () => new Date(Date.now() + offsetMs),
    });
    const inTime = slotsOn(sqlite, { activityCode: 'ALSH_MER', ...busiestDays(sqlite, 'ALSH_MER', 7)[0]! });
    const near = nearDeadlines();
    const decisions = async (desk: DeskBackend, i: number) => {
      const outcome = async (slot: Slot | undefined, unit: UnitCode, reason?: string) => {
        if (!slot) return 'none';
        const result = await desk.invoke('booking/set-day', setDay(slot, [unit], reason));
        return result.ok ? 'written' : result.error.code;
      };
      return {
        inTime: await outcome(inTime[i], 'MATIN'),
        beforeDeadline: await outcome(near.ahead?.slots[i], near.ahead?.unit ?? 'MATIN'),
        pastDeadline: await outcome(near.behind?.slots[i], near.behind?.unit ?? 'MATIN'),
        pastDeadlineWithReason: await outcome(
          near.behind?.slots[i],
          near.behind?.unit ?? 'MATIN',
          'Accord de la directrice',
        ),
      };
    };
    const expected = {
      inTime: 'written',
      beforeDeadline: near.ahead ? 'written' : 'none',
      pastDeadline: near.behind ? 'BOOKING_OVERRIDE_REASON_REQUIRED' : 'none',
      pastDeadlineWithReason: near.behind ? 'written' : 'none',
    };
    if (!near.ahead || !near.behind)
      console.info(
        `[clock] no day with a deadline within a day ${!near.ahead ? 'ahead' : 'behind'} right now`,
      );

    // Offline, the skewed desk judges with its corrected clock (offset learnt from the server's Date header).
    exact.network.goOffline();
    skewed.network.goOffline();
    expect(await decisions(exact.desk, 0)).toEqual(expected);
    expect(await decisions(skewed.desk, 1)).toEqual(expected);
    const paid = await call(skewed.desk, 'payment/record', {
      householdId: inTime[1]!.householdId,
      mode: 'cheque',
      amountCents: 1200,
    });
    expect(Math.abs(Date.parse(paid.receivedAt) - Date.now())).toBeLessThan(5_000);

    // Restarted offline, it still knows the offset.
    skewed.desk.close();
    desks.splice(desks.indexOf(skewed.desk), 1);
    const network = new Network();
    network.goOffline();
    const again = await openDesk(enrolled.b, {
      dbPath: skewedPath,
      fetch: network.fetch,
      now: () => new Date(Date.now() + offsetMs),
    });
    if (near.ahead?.slots[2]) {
      expect(
        await again.desk.invoke('booking/set-day', setDay(near.ahead.slots[2], [near.ahead.unit])),
      ).toMatchObject({ ok: true });
    }

    network.goOnline();
    exact.network.goOnline();
    for (const desk of [exact.desk, again.desk, exact.desk]) await call(desk, 'sync/now', undefined);
    // The server decided with its own clock: same outcomes for both desks, none refused, overrides logged.
    const results = (desk: EnrolledDesk) =>
      (
        sqlite
          .prepare(
            "SELECT command, json_extract(result_json, '$.outcome') AS outcome, json_extract(result_json, '$.code') AS code FROM applied_ops WHERE desk_id = ? AND command = 'booking.set_day' ORDER BY desk_seq",
          )
          .all(desk.id) as { outcome: string; code: string | null }[]
      ).slice(0, 3);
    expect(results(enrolled.b)).toEqual(results(enrolled.a));
    expect(results(enrolled.a).every((r) => r.outcome === 'accepted')).toBe(true);
    if (near.behind) expect(results(enrolled.a).at(-1)?.code).toBe('DEADLINE_OVERRIDDEN');
    const stamp = sqlite
      .prepare('SELECT received_at FROM payments WHERE id = ?')
      .pluck()
      .get(paid.paymentId) as string;
    expect(Math.abs(Date.parse(stamp) - Date.now())).toBeLessThan(60_000);
    expectConsistent([exact.desk, enrolled.a], [again.desk, enrolled.b]);
  });

  it('the server ignores the time a desk wrote on its ops (a year off either way)', async () => {
    const slots = slotsOn(sqlite, { activityCode: 'ALSH_MER', ...busiestDays(sqlite, 'ALSH_MER', 7)[0]! });
    const op = (seq: number, slot: Slot, createdAt: string): SyncOp => ({
      opId: crypto.randomUUID(),
      deskSeq: seq,
      command: 'booking.set_day',
      commandVersion: 1,
      payload: setDay(slot, ['MATIN']),
      agentId: regie,
      createdAt,
    });
    const year = 366 * DAY_MS;
    const { body } = await rawPush(server.url, enrolled.a.token, [
      op(1, slots[0]!, new Date(Date.now() + year).toISOString()),
      op(2, slots[1]!, new Date(Date.now() - year).toISOString()),
      op(3, slots[2]!, 'not even a date'),
    ]);
    expect(body.results.map((r) => [r.outcome, r.code])).toEqual([
      ['accepted', undefined],
      ['accepted', undefined],
      ['accepted', undefined],
    ]);
    expect(serverViolations(sqlite)).toEqual([]);
  });
});

// Once known bugs (fixed): a duplicate offline reversal left a hole in the refused desk's receipt numbers, and a
// desk reinstalled from a snapshot restarted its op sequence and receipt numbers at 1.
describe('receipt numbers stay gapless', () => {
  /** A household with an invoice that still owes at least `cents`, and that invoice. */
  function owingHousehold(cents: number): { householdId: string; invoiceId: string; paid: number } {
    const row = sqlite
      .prepare(
        `SELECT household_id AS householdId, id AS invoiceId, paid_cents AS paid FROM invoices
          WHERE status IN ('non_reglee', 'partiellement_reglee') AND total_cents - paid_cents >= ?
          ORDER BY id LIMIT 1`,
      )
      .get(cents) as { householdId: string; invoiceId: string; paid: number } | undefined;
    if (!row) throw new Error('no household owes that much');
    return row;
  }
  const paidOf = (db: BetterSqlite3.Database, invoiceId: string): number =>
    db.prepare('SELECT paid_cents FROM invoices WHERE id = ?').pluck().get(invoiceId) as number;
  const amountOf = (db: BetterSqlite3.Database, paymentId: string): number | undefined =>
    db.prepare('SELECT amount_cents FROM payments WHERE id = ?').pluck().get(paymentId) as number | undefined;

  it('two desks offline reversing the same payment leave no hole in the refused one’s receipt numbers', async () => {
    const a = await openDesk(enrolled.a);
    const b = await openDesk(enrolled.b);
    const owing = owingHousehold(5000);
    const paid = await call(a.desk, 'payment/record', {
      householdId: owing.householdId,
      mode: 'cheque',
      amountCents: 5000,
      allocations: [{ invoiceId: owing.invoiceId, amountCents: 5000 }],
    });
    await call(a.desk, 'sync/now', undefined);
    await call(b.desk, 'sync/now', undefined);
    a.network.goOffline();
    b.network.goOffline();
    // Both counters cancel it, each printing its own receipt (SA-000002, SB-000001).
    const first = await call(a.desk, 'payment/reverse', {
      paymentId: paid.paymentId,
      reason: 'Erreur de famille',
    });
    const second = await call(b.desk, 'payment/reverse', {
      paymentId: paid.paymentId,
      reason: 'Erreur de montant',
    });
    expect([first.receiptNumber, second.receiptNumber]).toEqual(['SA-000002', 'SB-000001']);
    a.network.goOnline();
    b.network.goOnline();
    await call(a.desk, 'sync/now', undefined);
    await call(b.desk, 'sync/now', undefined);
    await call(a.desk, 'sync/now', undefined);
    expect(receiptViolations(sqlite, enrolled.a, 2)).toEqual([]);
    expect(receiptViolations(sqlite, enrolled.b, 1)).toEqual([]);
    // A's reversal moved the money back; B's is kept as a void one (0 €, its receipt), flagged for the régisseur.
    expect(amountOf(sqlite, first.reversalId)).toBe(-5000);
    expect(amountOf(sqlite, second.reversalId)).toBe(0);
    expect(paidOf(sqlite, owing.invoiceId)).toBe(owing.paid);
    const op = deskDb(b.desk)
      .prepare('SELECT status, result_json FROM outbox WHERE seq = ?')
      .get(second.seq) as {
      status: string;
      result_json: string;
    };
    expect(op.status).toBe('accepted');
    expect(JSON.parse(op.result_json)).toMatchObject({
      code: 'PAYMENT_ALREADY_REVERSED',
      message: expect.stringMatching(
        /déjà été annulé \(reçu SA-000002\).*SB-000001 est conservé comme reçu annulé/,
      ),
    });
    expect(
      count("SELECT COUNT(*) FROM audit_log WHERE action = 'receipt.void' AND entity_id = ?", paid.paymentId),
    ).toBe(1);
    expectConsistent([a.desk, enrolled.a], [b.desk, enrolled.b]);
  });

  it('a desk whose reversal crossed another desk’s shows it void (0 €, receipt kept) as soon as it pulls', async () => {
    const a = await openDesk(enrolled.a);
    const b = await openDesk(enrolled.b);
    const owing = owingHousehold(4000);
    const paid = await call(a.desk, 'payment/record', {
      householdId: owing.householdId,
      mode: 'carte',
      amountCents: 4000,
      allocations: [{ invoiceId: owing.invoiceId, amountCents: 4000 }],
    });
    await call(a.desk, 'sync/now', undefined);
    await call(b.desk, 'sync/now', undefined);
    b.network.goOffline();
    const mine = await call(b.desk, 'payment/reverse', { paymentId: paid.paymentId, reason: 'Doublon' });
    expect(amountOf(deskDb(b.desk), mine.reversalId)).toBe(-4000);
    expect(paidOf(deskDb(b.desk), owing.invoiceId)).toBe(owing.paid);
    await call(a.desk, 'payment/reverse', { paymentId: paid.paymentId, reason: 'Erreur de mode' });
    await call(a.desk, 'sync/now', undefined);
    // B comes back while the server is busy: its push stops `transient`, its pull brings A's reversal.
    sqlite.pragma('busy_timeout = 20');
    const blocker = new Database(sqlite.name);
    blocker.exec('BEGIN IMMEDIATE');
    try {
      b.network.goOnline();
      expect(await call(b.desk, 'sync/now', undefined)).toMatchObject({ pending: 1 });
      // The pending reversal is re-applied as the server will record it: no money moved twice.
      expect(amountOf(deskDb(b.desk), mine.reversalId)).toBe(0);
      expect(paidOf(deskDb(b.desk), owing.invoiceId)).toBe(owing.paid);
      expect(
        deskDb(b.desk)
          .prepare('SELECT number FROM receipts WHERE payment_id = ?')
          .pluck()
          .get(mine.reversalId),
      ).toBe('SB-000001');
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    await call(b.desk, 'sync/now', undefined);
    await call(a.desk, 'sync/now', undefined);
    expect(amountOf(sqlite, mine.reversalId)).toBe(0);
    expect(receiptViolations(sqlite, enrolled.b, 1)).toEqual([]);
    expectConsistent([a.desk, enrolled.a], [b.desk, enrolled.b]);
  });

  it('a desk refuses to reverse a payment twice, even while its first reversal is pending (no number used)', async () => {
    const a = await openDesk(enrolled.a);
    const [slot] = manySlots(sqlite, 'ALSH_MER', 1);
    a.network.goOffline();
    const paid = await call(a.desk, 'payment/record', {
      householdId: slot!.householdId,
      mode: 'especes',
      amountCents: 2000,
    });
    await call(a.desk, 'payment/reverse', { paymentId: paid.paymentId, reason: 'Erreur de saisie' });
    const again = await a.desk.invoke('payment/reverse', { paymentId: paid.paymentId, reason: 'Encore' });
    expect(again.ok).toBe(false);
    if (!again.ok) {
      expect(again.error.code).toBe('PAYMENT_ALREADY_REVERSED');
      expect(again.error.message).toBe(
        'Ce paiement a déjà été annulé (reçu SA-000002), en attente de synchronisation.',
      );
    }
    const next = await call(a.desk, 'payment/record', {
      householdId: slot!.householdId,
      mode: 'cheque',
      amountCents: 1500,
    });
    expect(next.receiptNumber).toBe('SA-000003');
    a.network.goOnline();
    await call(a.desk, 'sync/now', undefined);
    expect(receiptViolations(sqlite, enrolled.a, 3)).toEqual([]);
    expectConsistent([a.desk, enrolled.a]);
  });

  it('a desk whose replica is lost (new computer) goes on numbering its ops and receipts after the server’s', async () => {
    const first = await openDesk(enrolled.a);
    const [slot] = manySlots(sqlite, 'ALSH_MER', 1);
    for (let i = 0; i < 3; i += 1)
      await call(first.desk, 'payment/record', {
        householdId: slot!.householdId,
        mode: 'cheque',
        amountCents: 1000 + i,
      });
    await call(first.desk, 'sync/now', undefined);
    first.desk.close();
    desks.splice(desks.indexOf(first.desk), 1);
    // Same desk, same token, a fresh replica from a snapshot.
    const again = await openDesk(enrolled.a, { dbPath: town.file('desk-SA-reinstalled') });
    const paid = await call(again.desk, 'payment/record', {
      householdId: slot!.householdId,
      mode: 'cheque',
      amountCents: 7777,
    });
    expect(paid.receiptNumber).toBe('SA-000004');
    expect(paid.seq).toBe(4);
    expect(outboxOps(deskDb(again.desk)).map((op) => op.deskSeq)).toEqual([4]);
    await call(again.desk, 'sync/now', undefined);
    expect(await call(again.desk, 'sync/to-handle', undefined)).toEqual([]);
    expect(count('SELECT COUNT(*) FROM payments WHERE id = ?', paid.paymentId)).toBe(1);
    expect(count('SELECT desk_seq FROM applied_ops WHERE op_id = ?', paid.opId)).toBe(4);
    expect(receiptViolations(sqlite, enrolled.a, 4)).toEqual([]);
    expect(serverViolations(sqlite)).toEqual([]);
    expect(replicaDiff(sqlite, enrolled.a.id, deskDb(again.desk))).toEqual([]);
  });

  it('a desk reinstalled while the server still holds its ops pushes the next ones without a gap or a clash', async () => {
    const first = await openDesk(enrolled.b);
    const slots = manySlots(sqlite, 'ALSH_MER', 3);
    await call(first.desk, 'booking/set-day', setDay(slots[0]!, ['MATIN']));
    await call(first.desk, 'payment/record', {
      householdId: slots[0]!.householdId,
      mode: 'carte',
      amountCents: 1200,
    });
    await call(first.desk, 'sync/now', undefined);
    first.desk.close();
    desks.splice(desks.indexOf(first.desk), 1);
    // The new computer works offline at once (its first snapshot came before the outage), then syncs.
    const again = await openDesk(enrolled.b, { dbPath: town.file('desk-SB-reinstalled') });
    again.network.goOffline();
    await call(again.desk, 'booking/set-day', setDay(slots[1]!, ['MATIN']));
    const paid = await call(again.desk, 'payment/record', {
      householdId: slots[1]!.householdId,
      mode: 'cheque',
      amountCents: 3300,
    });
    expect(paid.receiptNumber).toBe('SB-000002');
    again.network.goOnline();
    expect(await call(again.desk, 'sync/now', undefined)).toMatchObject({ pending: 0, toHandle: 0 });
    expect(appliedOf(enrolled.b)).toBe(4);
    expect(receiptViolations(sqlite, enrolled.b, 2)).toEqual([]);
    expect(serverViolations(sqlite)).toEqual([]);
    expect(replicaDiff(sqlite, enrolled.b.id, deskDb(again.desk))).toEqual([]);
  });
});
