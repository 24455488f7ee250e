// Push and pull over real HTTP against a seeded server: idempotency, gaps, poison ops, rules, resync, versions, revocation.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeRow, PullResponse } from '../../../core/sync/messages';
import { compactChangeLog } from '../../../server/sync/pull';
import { bookingStates, capacityOf, findBookableDay } from './fixtures';
import type { BookableDay } from './fixtures';
import { op, startTestServer } from './harness';
import type { TestServer } from './harness';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(11);
});
afterAll(() => server?.close());

const mercredi = (units = ['MATIN', 'APRES_MIDI']): BookableDay =>
  findBookableDay(server.database.sqlite, { activityCode: 'ALSH_MER', from: '2026-11-30', units });

const setDay = (at: BookableDay, units: string[], extra: Record<string, unknown> = {}) => ({
  personId: at.personId,
  activityId: at.activityId,
  siteId: at.siteId,
  day: at.day,
  units,
  ...extra,
});

function okPull(response: PullResponse): Extract<PullResponse, { status: 'ok' }> {
  if (response.status !== 'ok') throw new Error(`expected ok, got ${response.status}`);
  return response;
}

describe('push and pull', () => {
  it('books a free place, and the pull returns the booking and the capacity with hole-free sequences', async () => {
    const at = mercredi();
    const before = capacityOf(server.database.sqlite, at, 'MATIN');
    const seqBefore = server.lastSeq();
    const booking = op(
      server.desk,
      server.agents.accueil,
      'booking.set_day',
      setDay(at, ['MATIN', 'APRES_MIDI']),
    );

    const response = await server.push(server.desk, [booking]);

    expect(response.stopped).toBeUndefined();
    expect(response.results).toEqual([
      { opId: booking.opId, deskSeq: booking.deskSeq, outcome: 'accepted', changeSeq: server.lastSeq() },
    ]);
    expect(response.lastAppliedSeq).toBe(booking.deskSeq);
    expect(bookingStates(server.database.sqlite, at.personId, at.day, at.activityId)).toEqual({
      MATIN: 'reservee',
      APRES_MIDI: 'reservee',
    });
    expect(capacityOf(server.database.sqlite, at, 'MATIN').taken).toBe(before.taken + 1);

    const pulled = okPull(await server.pull(server.desk, seqBefore));
    expect(pulled.changes.map((change) => change.seq)).toEqual(
      Array.from({ length: pulled.changes.length }, (_, index) => seqBefore + 1 + index),
    );
    expect(pulled.lastSeq).toBe(response.results[0]?.changeSeq);
    const bookings = pulled.changes.filter((change) => change.entity === 'bookings');
    expect(bookings).toHaveLength(2);
    for (const change of bookings) {
      expect(change.row).toMatchObject({
        person_id: at.personId,
        state: 'reservee',
        source: 'desk',
        origin_op_id: booking.opId,
      });
      expect(change.row?.household_id).toBe(at.householdId);
    }
    const capacity = pulled.changes.find(
      (change) => change.entity === 'capacities' && change.entityId === before.id,
    );
    expect(capacity?.row).toMatchObject({ taken: before.taken + 1 });
  });

  it('returns the stored result for a replayed op and changes nothing', async () => {
    const at = mercredi();
    const booking = op(server.desk, server.agents.accueil, 'booking.set_day', setDay(at, ['MATIN']));
    const first = await server.push(server.desk, [booking]);
    const counts = () => ({
      seq: server.lastSeq(),
      bookings: server.count('SELECT COUNT(*) FROM bookings'),
      applied: server.count('SELECT COUNT(*) FROM applied_ops'),
      taken: capacityOf(server.database.sqlite, at, 'MATIN').taken,
    });
    const after = counts();

    const replay = await server.push(server.desk, [booking]);

    expect(replay.results).toEqual(first.results);
    expect(counts()).toEqual(after);
  });

  it('stops the batch with payload_conflict when an op id comes back with another payload', async () => {
    const at = mercredi();
    const booking = op(server.desk, server.agents.accueil, 'booking.set_day', setDay(at, ['MATIN']));
    await server.push(server.desk, [booking]);
    const seq = server.lastSeq();

    const reused = { ...booking, payload: setDay(at, ['MATIN', 'APRES_MIDI']) };
    const response = await server.push(server.desk, [reused]);

    expect(response.results).toEqual([]);
    expect(response.stopped).toMatchObject({ reason: 'payload_conflict', opId: booking.opId });
    expect(server.lastSeq()).toBe(seq);
    expect(bookingStates(server.database.sqlite, at.personId, at.day, at.activityId)).toEqual({
      MATIN: 'reservee',
    });
  });

  it('stops at a gap in the desk sequence and tells which sequence it expects', async () => {
    const expected = server.desk.nextSeq;
    server.desk.nextSeq += 1; // the op with `expected` never reaches the server
    const at = mercredi();
    const early = op(server.desk, server.agents.accueil, 'booking.set_day', setDay(at, ['MATIN']));

    const response = await server.push(server.desk, [early]);

    expect(response.results).toEqual([]);
    expect(response.stopped).toEqual({ reason: 'gap', expectedSeq: expected });
    expect(response.lastAppliedSeq).toBe(expected - 1);
    expect(bookingStates(server.database.sqlite, at.personId, at.day, at.activityId)).toEqual({});

    const missing = {
      ...op(server.desk, server.agents.accueil, 'booking.set_day', setDay(at, [])),
      deskSeq: expected,
    };
    server.desk.nextSeq -= 1;
    const resent = await server.push(server.desk, [missing, early]);
    expect(resent.stopped).toBeUndefined();
    expect(resent.results.map((result) => [result.deskSeq, result.outcome])).toEqual([
      [expected, 'accepted'],
      [expected + 1, 'accepted'],
    ]);
  });

  it('rejects a poison op with INTERNAL_ERROR, writes nothing for it, and still applies the next op of the batch', async () => {
    const { sqlite } = server.database;
    const poisoned = findBookableDay(sqlite, {
      activityCode: 'PERI_SOIR',
      from: '2026-12-01',
      units: ['SOIR'],
    });
    const saved = sqlite
      .prepare('SELECT deadline_json FROM activities WHERE id = ?')
      .pluck()
      .get(poisoned.activityId);
    sqlite.prepare("UPDATE activities SET deadline_json = '{broken' WHERE id = ?").run(poisoned.activityId);
    try {
      const healthy = mercredi();
      const poison = op(server.desk, server.agents.accueil, 'booking.set_day', setDay(poisoned, ['SOIR']));
      const next = op(server.desk, server.agents.accueil, 'booking.set_day', setDay(healthy, ['MATIN']));

      const response = await server.push(server.desk, [poison, next]);

      expect(response.stopped).toBeUndefined();
      expect(response.results.map((result) => [result.outcome, result.code])).toEqual([
        ['rejected', 'INTERNAL_ERROR'],
        ['accepted', undefined],
      ]);
      expect(response.results[0]?.message).toMatch(/erreur interne/);
      expect(bookingStates(sqlite, poisoned.personId, poisoned.day, poisoned.activityId)).toEqual({});
      expect(bookingStates(sqlite, healthy.personId, healthy.day, healthy.activityId)).toEqual({
        MATIN: 'reservee',
      });
      expect((await server.push(server.desk, [poison])).results[0]?.code).toBe('INTERNAL_ERROR');
    } finally {
      sqlite.prepare('UPDATE activities SET deadline_json = ? WHERE id = ?').run(saved, poisoned.activityId);
    }
  });

  it('stops the batch as transient while the database is busy, then applies the op once it is free', async () => {
    const { sqlite } = server.database;
    const blocker = new Database(sqlite.name);
    const at = mercredi();
    const booking = op(server.desk, server.agents.accueil, 'booking.set_day', setDay(at, ['MATIN']));
    sqlite.pragma('busy_timeout = 50');
    blocker.exec('BEGIN IMMEDIATE');
    try {
      const busy = await server.push(server.desk, [booking]);
      expect(busy.results).toEqual([]);
      expect(busy.stopped).toMatchObject({ reason: 'transient', message: expect.stringMatching(/occupé/) });
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
      sqlite.pragma('busy_timeout = 5000');
    }
    const retried = await server.push(server.desk, [booking]);
    expect(retried.results[0]?.outcome).toBe('accepted');
  });

  it('rejects, with a code and a French message, what the rules refuse — and writes nothing but the result', async () => {
    const at = mercredi();
    const seq = server.lastSeq();
    const ops = [
      op(server.desk, server.agents.accueil, 'booking.set_day', {
        ...setDay(at, ['MATIN']),
        personId: '01a01dc1-0000-7000-8000-000000000000',
      }),
      op(server.desk, server.agents.accueil, 'booking.set_day', setDay(at, ['REPAS_AV'])),
      op(
        server.desk,
        server.agents.accueil,
        'booking.set_day',
        setDay(at, ['MATIN', 'REPAS_AV', 'REPAS_SV']),
      ),
      op(server.desk, server.agents.accueil, 'booking.set_day', {
        ...setDay(at, ['MATIN']),
        day: '22/11/2026',
      }),
      op(server.desk, server.agents.accueil, 'booking.cancel_all', {}),
      op(server.desk, server.agents.accueil, 'booking.set_day', setDay(at, ['MATIN']), 2),
      op(server.desk, server.agents.accueil, 'payment.reverse', {
        reversalId: '01a01dc1-0000-7000-8000-000000000001',
        paymentId: '01a01dc1-0000-7000-8000-000000000002',
        reason: 'Erreur de saisie',
        receivedAt: '2026-11-22T09:00:00.000Z',
        receiptNumber: 'HV1-999999',
      }),
    ];

    const response = await server.push(server.desk, ops);

    expect(response.results.map((result) => [result.outcome, result.code])).toEqual([
      ['rejected', 'INSCRIPTION_REQUIRED'],
      ['rejected', 'UNITS_MEAL_ALONE'],
      ['rejected', 'UNITS_MEAL_EXCLUSIVE'],
      ['rejected', 'INVALID_PAYLOAD'],
      ['rejected', 'UNKNOWN_COMMAND'],
      ['rejected', 'UNKNOWN_COMMAND'],
      ['rejected', 'ROLE_NOT_ALLOWED'],
    ]);
    for (const result of response.results) expect(result.message).toMatch(/[a-zé]{3,}/);
    expect(response.results[3]?.message).toMatch(/Données invalides.*day/);
    // Nothing else written but the refused reversal's receipt, kept void (docs/SYNC.md, "Void receipts").
    const db = server.database.sqlite;
    const written = db.prepare('SELECT entity FROM change_log WHERE seq > ?').pluck().all(seq);
    expect(written).toEqual(['receipts', 'audit_log']);
    expect(
      db.prepare("SELECT payment_id FROM receipts WHERE number = 'HV1-999999'").pluck().get(),
    ).toBeNull();
    expect(response.results[6]?.message).toContain('Le reçu HV1-999999 est annulé');
    expect(response.lastAppliedSeq).toBe(ops.at(-1)?.deskSeq);
  });

  it('refuses an agent past the deadline without a reason, and accepts it with one, logged in the audit trail', async () => {
    const { sqlite } = server.database;
    const at = findBookableDay(sqlite, {
      activityCode: 'RESTAURATION',
      from: '2026-11-23',
      units: ['REPAS'],
    });
    expect(at.day <= '2026-11-24').toBe(true); // 48 h notice: already closed on Sunday 22 November

    const [late] = (
      await server.push(server.desk, [
        op(server.desk, server.agents.accueil, 'booking.set_day', setDay(at, ['REPAS'])),
      ])
    ).results;
    expect(late).toMatchObject({ outcome: 'rejected', code: 'BOOKING_OVERRIDE_REASON_REQUIRED' });

    const withReason = op(
      server.desk,
      server.agents.accueil,
      'booking.set_day',
      setDay(at, ['REPAS'], { overrideReason: 'Parent hospitalisé, garde urgente' }),
    );
    const [overridden] = (await server.push(server.desk, [withReason])).results;
    expect(overridden).toMatchObject({ outcome: 'accepted', code: 'DEADLINE_OVERRIDDEN' });
    expect(bookingStates(sqlite, at.personId, at.day, at.activityId)).toEqual({ REPAS: 'reservee' });
    const audit = sqlite
      .prepare(
        "SELECT agent_id, desk_id, reason, details_json FROM audit_log WHERE action = 'booking.set_day' AND reason IS NOT NULL",
      )
      .all() as { agent_id: string; desk_id: string; reason: string; details_json: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      agent_id: server.agents.accueil,
      desk_id: server.desk.id,
      reason: 'Parent hospitalisé, garde urgente',
    });
    expect(JSON.parse(audit[0]?.details_json ?? '{}')).toMatchObject({
      opId: withReason.opId,
      day: at.day,
      deadlineOverridden: true,
    });
  });

  it('cancels the units left out of the desired set and gives their places back', async () => {
    const { sqlite } = server.database;
    const at = mercredi(['MATIN', 'REPAS_SV', 'APRES_MIDI']);
    await server.push(server.desk, [
      op(
        server.desk,
        server.agents.accueil,
        'booking.set_day',
        setDay(at, ['MATIN', 'REPAS_SV', 'APRES_MIDI']),
      ),
    ]);
    const taken = capacityOf(sqlite, at, 'APRES_MIDI').taken;

    const [result] = (
      await server.push(server.desk, [
        op(server.desk, server.agents.accueil, 'booking.set_day', setDay(at, ['MATIN'])),
      ])
    ).results;

    expect(result?.outcome).toBe('accepted');
    expect(bookingStates(sqlite, at.personId, at.day, at.activityId)).toEqual({
      MATIN: 'reservee',
      REPAS_SV: 'annulee',
      APRES_MIDI: 'annulee',
    });
    expect(capacityOf(sqlite, at, 'APRES_MIDI').taken).toBe(taken - 1);
    expect(
      server.count('SELECT COUNT(*) FROM bookings WHERE person_id = ? AND day = ?', at.personId, at.day),
    ).toBe(3);
  });

  it('pages the pull and moves the cursor to the last row read', async () => {
    const from = server.lastSeq() - 5;
    const page = okPull(await server.pull(server.desk, from, 2));
    expect(page.hasMore).toBe(true);
    expect(page.lastSeq).toBe(from + 2);
    expect(page.changes.map((change: ChangeRow) => change.seq)).toEqual([from + 1, from + 2]);
    const rest = okPull(await server.pull(server.desk, page.lastSeq));
    expect(rest.hasMore).toBe(false);
    expect(rest.lastSeq).toBe(server.lastSeq());
  });

  it('asks a desk whose cursor is older than the retained change log to resync', async () => {
    const last = server.lastSeq();
    const { oldestSeq } = compactChangeLog(server.database, last - 3);
    expect(oldestSeq).toBe(last - 2);

    const stale = await server.pull(server.desk, 0);
    expect(stale).toMatchObject({ status: 'resync_required', oldestSeq: last - 2 });
    expect(stale.status === 'resync_required' && stale.message).toMatch(/copie complète/);
    expect((await server.pull(server.desk, last - 3)).status).toBe('ok');
    expect((await server.pull(server.desk, last + 10)).status).toBe('resync_required');
  });

  it('keeps sequences going after compacting everything but the newest row', async () => {
    const last = server.lastSeq();
    compactChangeLog(server.database, last + 100);
    expect(server.count('SELECT COUNT(*) FROM change_log')).toBe(1);
    const [result] = (
      await server.push(server.desk, [
        op(server.desk, server.agents.accueil, 'booking.set_day', setDay(mercredi(), ['MATIN'])),
      ])
    ).results;
    expect(result?.changeSeq).toBeGreaterThan(last);
    expect(okPull(await server.pull(server.desk, last)).changes[0]?.seq).toBe(last + 1);
  });

  it('tells an outdated desk to update (426) on push and pull', async () => {
    for (const [path, method] of [
      ['/sync/v1/push', 'POST'],
      ['/sync/v1/pull?after=0', 'GET'],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...server.headers(server.desk.token, { 'x-gf-protocol': '0' }),
          'content-type': 'application/json',
        },
        ...(method === 'POST' ? { body: JSON.stringify({ ops: [] }) } : {}),
      });
      expect(response.status).toBe(426);
      expect(await response.json()).toMatchObject({
        code: 'DESK_UPDATE_REQUIRED',
        message: expect.stringMatching(/Mise à jour nécessaire/),
      });
    }
  });

  it('refuses a revoked desk (401) on push and pull', async () => {
    const other = server.addDesk('HV9');
    expect((await server.push(other, [])).lastAppliedSeq).toBe(0);
    server.database.sqlite
      .prepare('UPDATE desks SET revoked_at = ? WHERE id = ?')
      .run('2026-11-22T09:00:00.000Z', other.id);

    const push = await fetch(`${server.url}/sync/v1/push`, {
      method: 'POST',
      headers: { ...server.headers(other.token), 'content-type': 'application/json' },
      body: JSON.stringify({ ops: [] }),
    });
    const pull = await fetch(`${server.url}/sync/v1/pull?after=0`, { headers: server.headers(other.token) });
    expect([push.status, pull.status]).toEqual([401, 401]);
    expect(await pull.json()).toMatchObject({ code: 'DESK_NOT_AUTHORISED' });
  });
});
