// The sync protocol's hard cases, each against a real server (buildServer on a SQLite file, HTTP on 127.0.0.1)
// and real desks (DeskBackend on their own SQLite files): the last place taken twice offline, a push whose
// answer is lost, ops arriving out of order, a resync with a pending outbox, an outdated desk, a revoked desk.
// Desk clocks: scenarios-clocks.test.ts; receipt numbers: scenarios-receipts.test.ts; shared set-up: scenario-setup.ts.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { UnitCode } from '../../core/booking/units';
import type { PushRequest, PushResponse } from '../../core/sync/messages';
import { SYNC_PROTOCOL_VERSION, UPDATE_REQUIRED_MESSAGE } from '../../core/sync/protocol';
import { SCHEMA_VERSION } from '../../db/migrate';
import { revokeDesk } from '../../server/auth/desk-tokens';
import { compactChangeLog } from '../../server/sync/change-log';
import type { FetchLike } from '../../electron/backend/snapshot-client';
import { startFaultProxy } from './fault-proxy';
import {
  activeUnits,
  busiestDays,
  call,
  capacityId,
  manySlots,
  outboxOps,
  rawPush,
  slotsOn,
  syncHeaders,
} from './support';
import { receiptViolations } from './invariants';
import {
  enrolled,
  server,
  sqlite,
  openDesk,
  deskDb,
  setDay,
  count,
  lastSeq,
  appliedOf,
  expectConsistent,
  lastPlace,
} from './scenario-setup';

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
