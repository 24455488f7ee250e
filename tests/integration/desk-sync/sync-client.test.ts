// The desk's sync client against a stand-in server (real HTTP, real SQLite): results settle optimistic rows,
// refusals land in À traiter, pending ops are replayed over pulled truth and survive a resync, and every
// protocol stop (gap, transient, payload conflict, 426, 401) is handled as docs/SYNC.md says.
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../../core/ids';
import type { DeskBackend } from '../../../electron/backend/desk-backend';
import type { DeskBackendOptions } from '../../../electron/backend/desk-backend';
import { FakeSyncServer } from './fake-server';
import { TownFiles, bookableDays, call, startDesk, unitIds, until } from './fixtures';
import type { BookableDay } from './fixtures';
import { Network } from './network';

const files = new TownFiles();
let server: FakeSyncServer;
let deskId: string;
let children: BookableDay[];
let network: Network;
let desk: DeskBackend;
let deskPath: string;

beforeAll(async () => {
  await files.seed();
});

afterAll(() => files.dispose());

beforeEach(async () => {
  server = await new FakeSyncServer(files.serverCopy()).listen();
  deskId = (server.sqlite.prepare('SELECT id FROM desks LIMIT 1').get() as { id: string }).id;
  children = bookableDays(server.sqlite, { count: 3 });
  network = new Network();
  deskPath = files.path('desk');
  desk = await open();
});

afterEach(async () => {
  desk.close();
  await server.close();
});

function open(options: Partial<DeskBackendOptions> = {}): Promise<DeskBackend> {
  return startDesk({
    dbPath: deskPath,
    serverUrl: server.url,
    deskToken: server.enrol(deskId),
    fetch: network.fetch,
    sync: { events: false },
    ...options,
  });
}

const book = (child: BookableDay, units: ('MATIN' | 'APRES_MIDI')[] = ['MATIN', 'APRES_MIDI']) =>
  call(desk, 'booking/set-day', {
    personId: child.personId,
    activityId: child.activityId,
    siteId: child.siteId,
    day: child.day,
    units,
  });

interface BookingRow {
  id: string;
  unit_id: string;
  state: string;
  origin_op_id: string | null;
}

function deskRows(sql: string, ...params: unknown[]): unknown[] {
  return desk
    .session()
    .store.sqlite.prepare(sql)
    .all(...params);
}

function bookingsOf(child: BookableDay, from: 'desk' | 'server'): BookingRow[] {
  const sql =
    'SELECT id, unit_id, state, origin_op_id FROM bookings WHERE person_id = ? AND day = ? ORDER BY unit_id';
  return (
    from === 'desk'
      ? deskRows(sql, child.personId, child.day)
      : server.sqlite.prepare(sql).all(child.personId, child.day)
  ) as BookingRow[];
}

const statesOf = (rows: readonly BookingRow[]): string[] => rows.map((r) => r.state);

describe('once the server has decided', () => {
  it('turns an offline booking into the server’s reservee rows and takes the op off the pending count', async () => {
    network.goOffline();
    const written = await book(children[0] as BookableDay);
    expect(statesOf(bookingsOf(children[0] as BookableDay, 'desk'))).toEqual(['en_attente', 'en_attente']);
    expect((await call(desk, 'sync/now', undefined)).connection).toBe('offline');

    network.goOnline();
    const status = await call(desk, 'sync/now', undefined);
    expect(status).toMatchObject({
      connection: 'online',
      pending: 0,
      toHandle: 0,
      cursor: server.serverSeq(),
    });
    const rows = bookingsOf(children[0] as BookableDay, 'desk');
    expect(rows).toEqual(bookingsOf(children[0] as BookableDay, 'server'));
    expect(statesOf(rows)).toEqual(['reservee', 'reservee']);
    expect(rows.every((r) => r.origin_op_id === written.opId)).toBe(true);
    expect(deskRows('SELECT COUNT(*) AS n FROM outbox_effects')).toEqual([{ n: 0 }]);
    expect(deskRows('SELECT status, settled_at IS NOT NULL AS settled FROM outbox')).toEqual([
      { status: 'accepted', settled: 1 },
    ]);
  });

  it('lists a refused offline booking in À traiter with the family to call, until handled', async () => {
    const child = children[1] as BookableDay;
    server.decide = (op) =>
      op.command === 'booking.set_day'
        ? { outcome: 'rejected', code: 'CAPACITY_FULL', message: 'Plus de place disponible le mercredi.' }
        : undefined;
    network.goOffline();
    await book(child);
    network.goOnline();
    const status = await call(desk, 'sync/now', undefined);
    expect(status).toMatchObject({ pending: 0, toHandle: 1 });
    expect(bookingsOf(child, 'desk')).toEqual([]); // back to the server's truth: nothing booked

    const [item] = await call(desk, 'sync/to-handle', undefined);
    const household = server.sqlite
      .prepare('SELECT code FROM households WHERE id = ?')
      .get(child.householdId) as { code: string };
    expect(item).toMatchObject({
      outcome: 'rejected',
      code: 'CAPACITY_FULL',
      reason: 'Plus de place disponible le mercredi.',
      household: { id: child.householdId, code: household.code },
    });
    expect(item?.household?.titulaire).toMatch(/^[A-ZÀ-Ü' -]+ \S+/);
    expect(item?.asked).toMatch(/^Réservation du mercredi .* : Matin, Après-midi$/);

    expect(await call(desk, 'sync/acknowledge', { opId: item?.opId ?? '' })).toEqual({ toHandle: 0 });
    expect(await call(desk, 'sync/to-handle', undefined)).toEqual([]);
  });

  it('keeps a waitlisted booking en_attente (the server’s row) and in À traiter', async () => {
    const child = children[2] as BookableDay;
    server.decide = () => ({
      outcome: 'waitlisted',
      code: 'WAITLISTED',
      message: "Complet : liste d'attente.",
    });
    await book(child, ['MATIN']);
    const status = await call(desk, 'sync/now', undefined);
    expect(status).toMatchObject({ pending: 0, toHandle: 1 });
    expect(bookingsOf(child, 'desk')).toEqual(bookingsOf(child, 'server'));
    expect(statesOf(bookingsOf(child, 'desk'))).toEqual(['en_attente']);
  });
});

describe('pending ops over pulled truth', () => {
  it('replays a pending booking over the server’s changes to another child', async () => {
    const [mine, theirs] = children as [BookableDay, BookableDay];
    await book(mine);
    server.stopQueue.push({ reason: 'transient', message: 'Serveur occupé.' });
    const units = unitIds(server.sqlite, theirs.activityId);
    server.write((sqlite, touch) => {
      const inscription = sqlite
        .prepare("SELECT id FROM inscriptions WHERE person_id = ? AND activity_id = ? AND status = 'validee'")
        .get(theirs.personId, theirs.activityId) as { id: string };
      const id = newId();
      const at = new Date().toISOString();
      sqlite
        .prepare(
          `INSERT INTO bookings (id, person_id, household_id, inscription_id, activity_id, site_id, unit_id, day, age_group,
             state, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'reservee', 'portal', ?, ?)`,
        )
        .run(
          id,
          theirs.personId,
          theirs.householdId,
          inscription.id,
          theirs.activityId,
          theirs.siteId,
          units.MATIN,
          theirs.day,
          theirs.ageGroup,
          at,
          at,
        );
      touch('bookings', id);
    });

    const status = await call(desk, 'sync/now', undefined);
    expect(status).toMatchObject({ pending: 1, cursor: server.serverSeq(), message: 'Serveur occupé.' });
    expect(bookingsOf(theirs, 'desk')).toEqual(bookingsOf(theirs, 'server'));
    expect(statesOf(bookingsOf(mine, 'desk'))).toEqual(['en_attente', 'en_attente']);
    expect(deskRows('SELECT COUNT(*) AS n FROM outbox_effects')).toEqual([{ n: 3 }]);

    const after = await call(desk, 'sync/now', undefined);
    expect(after).toMatchObject({ pending: 0, message: null });
    expect(statesOf(bookingsOf(mine, 'desk'))).toEqual(['reservee', 'reservee']);
  });

  it('keeps the outbox through a resync: pending ops survive, are pushed after, receipts keep counting', async () => {
    const [first, second] = children as [BookableDay, BookableDay];
    network.goOffline();
    await book(first);
    const paid = await call(desk, 'payment/record', {
      householdId: second.householdId,
      mode: 'cheque',
      amountCents: 4200,
    });
    network.goOnline();
    server.write((sqlite, touch) => {
      sqlite.prepare("UPDATE towns SET phone = '+33241720099'").run();
      touch('towns', (sqlite.prepare('SELECT id FROM towns').get() as { id: string }).id);
    });
    server.compactedThrough = server.serverSeq();
    server.stopQueue.push({ reason: 'transient', message: 'Serveur occupé.' });

    const during = await call(desk, 'sync/now', undefined);
    expect(during).toMatchObject({ pending: 2, cursor: server.serverSeq() });
    expect(deskRows('SELECT phone FROM towns')).toEqual([{ phone: '+33241720099' }]);
    expect(statesOf(bookingsOf(first, 'desk'))).toEqual(['en_attente', 'en_attente']);
    expect(deskRows('SELECT COUNT(*) AS n FROM receipts WHERE number = ?', paid.receiptNumber)).toEqual([
      { n: 1 },
    ]);

    const after = await call(desk, 'sync/now', undefined);
    expect(after).toMatchObject({ pending: 0, toHandle: 0 });
    expect(statesOf(bookingsOf(first, 'desk'))).toEqual(['reservee', 'reservee']);
    expect(
      server.sqlite.prepare('SELECT number FROM receipts WHERE payment_id = ?').get(paid.paymentId),
    ).toEqual({
      number: paid.receiptNumber,
    });
    const next = await call(desk, 'payment/record', {
      householdId: second.householdId,
      mode: 'cheque',
      amountCents: 100,
    });
    expect(Number(next.receiptNumber.slice(-6))).toBe(Number(paid.receiptNumber.slice(-6)) + 1);
  });
});

describe('protocol stops', () => {
  it('resends from the expected sequence after a gap', async () => {
    await book(children[0] as BookableDay);
    await book(children[1] as BookableDay);
    await call(desk, 'sync/now', undefined);
    server.forget(deskId, 2);
    await book(children[2] as BookableDay);
    const status = await call(desk, 'sync/now', undefined);
    expect(status.pending).toBe(0);
    expect(server.lastSeq(deskId)).toBe(3);
  });

  it('marks an op whose id was already used with another payload rejected OP_ID_REUSED', async () => {
    const written = await book(children[0] as BookableDay);
    server.stopQueue.push({
      reason: 'payload_conflict',
      opId: written.opId ?? '',
      message: 'Identifiant réutilisé.',
    });
    const status = await call(desk, 'sync/now', undefined);
    expect(status).toMatchObject({ pending: 0, toHandle: 1 });
    const [item] = await call(desk, 'sync/to-handle', undefined);
    expect(item).toMatchObject({ code: 'OP_ID_REUSED', reason: expect.stringMatching(/déjà été transmise/) });
  });

  it('stops syncing when the server asks for an update (426), and when the desk is revoked (401), keeping the outbox', async () => {
    await book(children[0] as BookableDay);
    server.forcedStatus = 426;
    const outdated = await call(desk, 'sync/now', undefined);
    expect(outdated).toMatchObject({ connection: 'update_required', pending: 1 });
    expect(outdated.message).toMatch(/^Mise à jour nécessaire/);
    server.forcedStatus = 401;
    const revoked = await call(desk, 'sync/now', undefined);
    expect(revoked).toMatchObject({ connection: 'revoked', pending: 1 });
    expect(revoked.message).toMatch(/n'est pas autorisé/);
    server.forcedStatus = null;
    expect(await call(desk, 'sync/now', undefined)).toMatchObject({ connection: 'online', pending: 0 });
  });
});

describe('in the background', () => {
  it('retries with backoff after transient stops and a network cut, then settles', async () => {
    desk.close();
    desk = await open({
      autoSync: true,
      sync: { events: false, backoffInitialMs: 20, backoffMaxMs: 100, pollIntervalMs: 60_000 },
    });
    server.stopQueue.push(
      { reason: 'transient', message: 'occupé' },
      { reason: 'transient', message: 'occupé' },
    );
    network.goOffline();
    await book(children[0] as BookableDay);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(desk.status().connection).toBe('offline');
    network.goOnline();
    await until(() => desk.status().pending === 0, 5000, 'the op to be accepted');
    expect(server.pushes).toBeGreaterThanOrEqual(3);
    expect(desk.status().connection).toBe('online');
  });

  it('applies SSE pokes contiguous with its cursor at once, and pulls when it missed some', async () => {
    desk.close();
    desk = await open({ autoSync: true, sync: { events: true, pollIntervalMs: 60_000 } });
    await until(() => desk.status().connection === 'online', 5000, 'the first sync');
    await new Promise((resolve) => setTimeout(resolve, 50)); // the SSE stream is open
    const town = (server.sqlite.prepare('SELECT id FROM towns').get() as { id: string }).id;
    const reader = new Database(deskPath, { readonly: true });
    const phoneOnDesk = reader.prepare('SELECT phone FROM towns');
    const latencies: number[] = [];
    try {
      for (let i = 0; i < 40; i += 1) {
        const phone = `+332417200${String(i).padStart(2, '0')}`;
        // Timed up to the desk's commit (its data/changed event), then checked through another connection.
        const applied = new Promise<number>((resolve) => {
          const off = desk.on('data/changed', ({ tables }) => {
            if (!tables.includes('towns')) return;
            off();
            resolve(performance.now());
          });
        });
        const started = performance.now();
        server.write((sqlite, touch) => {
          sqlite.prepare('UPDATE towns SET phone = ?').run(phone);
          touch('towns', town);
        });
        latencies.push((await applied) - started);
        expect(phoneOnDesk.get()).toEqual({ phone });
      }
      // A poke that does not follow the cursor (one change missed): the desk pulls.
      server.sqlite.prepare('UPDATE towns SET phone = ?').run('+33241729999');
      server.sqlite
        .prepare(
          "INSERT INTO change_log (seq, entity, entity_id, op, row_json, at) VALUES (?, 'towns', ?, 'upsert', ?, ?)",
        )
        .run(
          server.serverSeq() + 1,
          town,
          JSON.stringify(server.sqlite.prepare('SELECT * FROM towns').get()),
          new Date().toISOString(),
        );
      server.write((_sqlite, touch) => touch('towns', town));
      await until(() => desk.status().cursor === server.serverSeq(), 2000, 'the pull after a gap');
      expect(phoneOnDesk.get()).toEqual({ phone: '+33241729999' });
    } finally {
      reader.close();
    }
    // Each of the 40 pokes was applied; their timing is measured by `npm run bench`.
    expect(latencies).toHaveLength(40);
  });
});
