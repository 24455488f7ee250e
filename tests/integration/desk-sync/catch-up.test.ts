// A desk catching up over several pulled pages (docs/SYNC.md, "Apply on the desk"): the pages are applied in
// one transaction, so pending ops are undone and re-applied once for the catch-up, not once per page; and the
// generic row writer updates an existing row on the columns that changed only (a booking has a dozen indexes).
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { newId } from '../../../core/ids';
import { DeskRows } from '../../../db/repositories/desk-rows';
import type { DeskBackend } from '../../../electron/backend/desk-backend';
import { LocalCommands } from '../../../electron/backend/sync/local-commands';
import { FakeSyncServer } from './fake-server';
import { TownFiles, bookableDays, call, startDesk, unitIds } from './fixtures';
import type { BookableDay } from './fixtures';
import { Network } from './network';

const files = new TownFiles();
let server: FakeSyncServer;
let network: Network;
let desk: DeskBackend;

beforeAll(async () => {
  await files.seed();
});

afterAll(() => files.dispose());

beforeEach(async () => {
  server = await new FakeSyncServer(files.serverCopy()).listen();
  const deskId = (server.sqlite.prepare('SELECT id FROM desks LIMIT 1').get() as { id: string }).id;
  network = new Network();
  desk = await startDesk({
    dbPath: files.path('desk'),
    serverUrl: server.url,
    deskToken: server.enrol(deskId),
    fetch: network.fetch,
    sync: { events: false, pageLimit: 2 },
  });
});

afterEach(async () => {
  desk.close();
  await server.close();
  vi.restoreAllMocks();
});

/** A `reservee` MATIN booking written on the server for `child`, with its change row. */
function serverBooks(child: BookableDay): void {
  const units = unitIds(server.sqlite, child.activityId);
  server.write((sqlite, touch) => {
    const inscription = sqlite
      .prepare("SELECT id FROM inscriptions WHERE person_id = ? AND activity_id = ? AND status = 'validee'")
      .get(child.personId, child.activityId) as { id: string };
    const id = newId();
    const at = new Date().toISOString();
    sqlite
      .prepare(
        `INSERT INTO bookings (id, person_id, household_id, inscription_id, activity_id, site_id, unit_id, day, age_group,
           state, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'reservee', 'portal', ?, ?)`,
      )
      .run(
        id,
        child.personId,
        child.householdId,
        inscription.id,
        child.activityId,
        child.siteId,
        units.MATIN,
        child.day,
        child.ageGroup,
        at,
        at,
      );
    touch('bookings', id);
  });
}

describe('a catch-up over several pages', () => {
  it('re-applies a pending op once for the whole catch-up, and ends equal to the server plus that op', async () => {
    const [mine, ...others] = bookableDays(server.sqlite, { count: 6 }) as [BookableDay, ...BookableDay[]];
    network.goOffline();
    await call(desk, 'booking/set-day', {
      personId: mine.personId,
      activityId: mine.activityId,
      siteId: mine.siteId,
      day: mine.day,
      units: ['MATIN'],
    });
    for (const child of others) serverBooks(child); // 5 change rows: 3 pages of 2
    network.goOnline();
    server.stopQueue.push({ reason: 'transient', message: 'Serveur occupé.' }); // the op stays pending
    const replays = vi.spyOn(LocalCommands.prototype, 'replay');

    const status = await call(desk, 'sync/now', undefined);

    expect(status).toMatchObject({ pending: 1, cursor: server.serverSeq() });
    expect(replays).toHaveBeenCalledTimes(1);
    const sql = 'SELECT id, unit_id, state FROM bookings WHERE person_id = ? AND day = ? ORDER BY id';
    const deskSqlite = desk.session().store.sqlite;
    for (const child of others) {
      expect(deskSqlite.prepare(sql).all(child.personId, child.day)).toEqual(
        server.sqlite.prepare(sql).all(child.personId, child.day),
      );
    }
    expect(
      deskSqlite
        .prepare('SELECT state FROM bookings WHERE person_id = ? AND day = ? AND activity_id = ?')
        .all(mine.personId, mine.day, mine.activityId),
    ).toEqual([{ state: 'en_attente' }]);
  });
});

describe('the replica row writer', () => {
  function table(): { sqlite: Database.Database; rows: DeskRows; writesOf: (column: string) => number } {
    const sqlite = new Database(':memory:');
    sqlite.exec(`
      CREATE TABLE t (id TEXT PRIMARY KEY NOT NULL, code TEXT NOT NULL UNIQUE, state TEXT, note TEXT);
      CREATE TABLE writes (col TEXT);
      CREATE TRIGGER t_code AFTER UPDATE OF code ON t BEGIN INSERT INTO writes VALUES ('code'); END;
      CREATE TRIGGER t_state AFTER UPDATE OF state ON t BEGIN INSERT INTO writes VALUES ('state'); END;
      CREATE TRIGGER t_note AFTER UPDATE OF note ON t BEGIN INSERT INTO writes VALUES ('note'); END;
      INSERT INTO t VALUES ('a', 'A', 'en_attente', 'x'), ('b', 'B', 'reservee', 'y');`);
    const count = sqlite.prepare('SELECT COUNT(*) AS n FROM writes WHERE col = ?');
    return {
      sqlite,
      rows: new DeskRows(sqlite),
      writesOf: (column) => (count.get(column) as { n: number }).n,
    };
  }

  it('updates an existing row on the columns whose value changed only, and not at all when none did', () => {
    const { sqlite, rows, writesOf } = table();
    rows.upsert('t', { id: 'a', code: 'A', state: 'reservee', note: 'x' });
    expect([writesOf('code'), writesOf('state'), writesOf('note')]).toEqual([0, 1, 0]);
    rows.upsert('t', { id: 'a', code: 'A', state: 'reservee', note: 'x' });
    expect([writesOf('code'), writesOf('state'), writesOf('note')]).toEqual([0, 1, 0]);
    expect(sqlite.prepare("SELECT * FROM t WHERE id = 'a'").get()).toEqual({
      id: 'a',
      code: 'A',
      state: 'reservee',
      note: 'x',
    });
    sqlite.close();
  });

  it('inserts a new row, keeps the columns a row lacks, and replaces a row clashing on another unique key', () => {
    const { sqlite, rows } = table();
    rows.upsert('t', { id: 'c', code: 'C', state: 'annulee', note: null, unknown: 1 });
    rows.upsert('t', { id: 'a', state: 'annulee' });
    rows.upsert('t', { id: 'd', code: 'B', state: 'reservee' }); // the server moved code B to row d
    expect(sqlite.prepare('SELECT * FROM t ORDER BY id').all()).toEqual([
      { id: 'a', code: 'A', state: 'annulee', note: 'x' },
      { id: 'c', code: 'C', state: 'annulee', note: null },
      { id: 'd', code: 'B', state: 'reservee', note: null },
    ]);
    sqlite.close();
  });
});
