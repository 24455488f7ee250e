// A desk's own writes, with the server out of reach: one durable transaction each (command, outbox row,
// undo records, audit), gapless sequences and receipt numbers, the core rules checked at once in French.
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../core/ids';
import type { DeskBackend } from '../../../electron/backend/desk-backend';
import { FakeSyncServer } from './fake-server';
import { TownFiles, agentId, bookableDays, call, pastDeadlineDay, refusal, startDesk } from './fixtures';
import type { BookableDay } from './fixtures';
import { Network } from './network';

const files = new TownFiles();
let server: FakeSyncServer;
let deskId: string;
let children: BookableDay[];
const opened: DeskBackend[] = [];

beforeAll(async () => {
  await files.seed();
  server = await new FakeSyncServer(files.serverCopy()).listen();
  deskId = (server.sqlite.prepare('SELECT id FROM desks LIMIT 1').get() as { id: string }).id;
  children = bookableDays(server.sqlite, { count: 4 });
});

afterAll(async () => {
  await server.close();
  files.dispose();
});

afterEach(() => {
  for (const desk of opened.splice(0)) desk.close();
});

/** A desk with its replica, then cut from the network. */
async function offlineDesk(
  options: { agentLogin?: string } = {},
): Promise<{ desk: DeskBackend; path: string }> {
  const network = new Network();
  const path = files.path('desk');
  const desk = await startDesk({
    dbPath: path,
    serverUrl: server.url,
    deskToken: server.enrol(deskId),
    fetch: network.fetch,
    ...(options.agentLogin ? { agentId: agentId(server.sqlite, options.agentLogin) } : {}),
  });
  network.goOffline();
  opened.push(desk);
  return { desk, path };
}

function readOnly(path: string): Database.Database {
  return new Database(path, { readonly: true });
}

function count(db: Database.Database, sql: string, ...params: unknown[]): number {
  return (db.prepare(sql).get(...params) as { n: number }).n;
}

const setDay = (child: BookableDay, units: ('MATIN' | 'REPAS_AV' | 'APRES_MIDI')[], day = child.day) => ({
  personId: child.personId,
  activityId: child.activityId,
  siteId: child.siteId,
  day,
  units,
});

describe('a desk write', () => {
  it('shows an offline booking as en_attente, pending, with its outbox row, undo records and audit', async () => {
    const { desk, path } = await offlineDesk();
    const child = children[0] as BookableDay;
    const result = await call(desk, 'booking/set-day', setDay(child, ['MATIN', 'REPAS_AV', 'APRES_MIDI']));
    expect(result.opId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.units.map((u) => [u.unit, u.state, u.pending]).sort()).toEqual([
      ['APRES_MIDI', 'en_attente', true],
      ['MATIN', 'en_attente', true],
      ['REPAS_AV', 'en_attente', true],
    ]);
    const status = await call(desk, 'sync/status', undefined);
    expect(status.pending).toBe(1);
    expect(desk.session().store.sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    const db = readOnly(path);
    try {
      const op = db.prepare('SELECT * FROM outbox').get() as Record<string, unknown>;
      expect(op).toMatchObject({
        seq: 1,
        command: 'booking.set_day',
        status: 'pending',
        household_id: child.householdId,
      });
      expect(count(db, 'SELECT COUNT(*) AS n FROM outbox_effects WHERE op_seq = 1')).toBe(4); // 3 bookings + audit
      const audit = db.prepare("SELECT * FROM audit_log WHERE action = 'booking.set_day'").get() as Record<
        string,
        unknown
      >;
      expect(audit).toMatchObject({
        desk_id: deskId,
        household_id: child.householdId,
        entity_id: child.personId,
      });
    } finally {
      db.close();
    }
  });

  it('writes nothing at all when the transaction fails half-way (crash before the outbox row is stored)', async () => {
    const { desk, path } = await offlineDesk();
    const child = children[1] as BookableDay;
    const writer = new Database(path);
    writer.exec("CREATE TRIGGER crash BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'crash'); END");
    writer.close();
    const before = readOnly(path);
    const snapshot = {
      bookings: count(before, 'SELECT COUNT(*) AS n FROM bookings WHERE person_id = ?', child.personId),
      payments: count(before, 'SELECT COUNT(*) AS n FROM payments'),
      counter: count(before, "SELECT value AS n FROM desk_counters WHERE name = 'receipt'"),
    };
    before.close();

    expect((await desk.invoke('booking/set-day', setDay(child, ['MATIN']))).ok).toBe(false);
    expect(
      (
        await desk.invoke('payment/record', {
          householdId: child.householdId,
          mode: 'cheque',
          amountCents: 1500,
        })
      ).ok,
    ).toBe(false);

    const after = readOnly(path);
    try {
      expect(count(after, 'SELECT COUNT(*) AS n FROM bookings WHERE person_id = ?', child.personId)).toBe(
        snapshot.bookings,
      );
      expect(count(after, 'SELECT COUNT(*) AS n FROM outbox')).toBe(0);
      expect(count(after, 'SELECT COUNT(*) AS n FROM outbox_effects')).toBe(0);
      expect(count(after, 'SELECT COUNT(*) AS n FROM payments')).toBe(snapshot.payments);
      expect(count(after, "SELECT value AS n FROM desk_counters WHERE name = 'receipt'")).toBe(
        snapshot.counter,
      );
    } finally {
      after.close();
    }
  });

  it('numbers ops and receipts without gaps, even around refused commands', async () => {
    const { desk, path } = await offlineDesk();
    const [a, b] = children as [BookableDay, BookableDay];
    const firstCounter = count(
      server.sqlite,
      "SELECT value AS n FROM desk_counters WHERE desk_id = ? AND name = 'receipt'",
      deskId,
    );
    const receipts: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const paid = await call(desk, 'payment/record', {
        householdId: a.householdId,
        mode: 'cheque',
        amountCents: 1000 + i,
      });
      receipts.push(paid.receiptNumber);
      const refused = await refusal(desk, 'payment/record', {
        householdId: a.householdId,
        mode: 'especes',
        amountCents: 45_000,
      });
      expect(refused.code).toBe('CASH_LIMIT_EXCEEDED');
    }
    await call(desk, 'booking/set-day', setDay(b, ['MATIN']));
    expect(receipts).toEqual([1, 2, 3, 4].map((n) => `HV1-${String(firstCounter + n).padStart(6, '0')}`));
    const db = readOnly(path);
    try {
      const seqs = (db.prepare('SELECT seq FROM outbox ORDER BY seq').all() as { seq: number }[]).map(
        (r) => r.seq,
      );
      expect(seqs).toEqual([1, 2, 3, 4, 5]);
      expect(
        count(
          db,
          'SELECT COUNT(*) AS n FROM receipts WHERE number IN (' + receipts.map(() => '?').join(',') + ')',
          ...receipts,
        ),
      ).toBe(4);
    } finally {
      db.close();
    }
  });

  it('refuses cash above 300 € at once, in French, and records nothing', async () => {
    const { desk, path } = await offlineDesk();
    const child = children[2] as BookableDay;
    const refused = await refusal(desk, 'payment/record', {
      householdId: child.householdId,
      mode: 'especes',
      amountCents: 30_001,
    });
    expect(refused.code).toBe('CASH_LIMIT_EXCEEDED');
    expect(refused.message).toBe(
      'Un paiement en espèces ne peut pas dépasser 300,00\u00a0€ (règle de la régie) : 300,01\u00a0€ saisis. Choisissez un autre mode de paiement.',
    );
    const ok = await call(desk, 'payment/record', {
      householdId: child.householdId,
      mode: 'especes',
      amountCents: 30_000,
    });
    expect(ok.receiptNumber).toMatch(/^HV1-\d{6}$/);
    const db = readOnly(path);
    try {
      expect(count(db, 'SELECT COUNT(*) AS n FROM outbox')).toBe(1);
    } finally {
      db.close();
    }
  });

  it('settles open invoices oldest first and keeps the rest as credit', async () => {
    const { desk } = await offlineDesk();
    const open = server.sqlite
      .prepare(
        `SELECT household_id AS householdId, SUM(total_cents - paid_cents) AS owed FROM invoices
         WHERE status IN ('non_reglee', 'partiellement_reglee') GROUP BY household_id ORDER BY owed LIMIT 1`,
      )
      .get() as { householdId: string; owed: number };
    const paid = await call(desk, 'payment/record', {
      householdId: open.householdId,
      mode: 'carte',
      amountCents: open.owed + 500,
    });
    expect(paid.allocated.reduce((sum, a) => sum + a.amountCents, 0)).toBe(open.owed);
    expect(paid.creditCents).toBe(500);
  });

  it('checks the deadline with the core rule: past it, an agent needs a reason, which is logged', async () => {
    const { desk, path } = await offlineDesk();
    const late = pastDeadlineDay(server.sqlite);
    if (!late) return; // no restauration day inside its 48 h window right now
    const args = {
      personId: late.personId,
      activityId: late.activityId,
      siteId: late.siteId,
      day: late.day,
      units: ['REPAS' as const],
    };
    const refused = await refusal(desk, 'booking/set-day', args);
    expect(refused.code).toBe('BOOKING_OVERRIDE_REASON_REQUIRED');
    expect(refused.message).toMatch(/^Le délai est dépassé pour le .* : indiquez le motif/);
    await call(desk, 'booking/set-day', { ...args, overrideReason: 'Maman hospitalisée' });
    const db = readOnly(path);
    try {
      const audit = db.prepare("SELECT reason FROM audit_log WHERE action = 'booking.set_day'").get() as {
        reason: string;
      };
      expect(audit.reason).toBe('Maman hospitalisée');
    } finally {
      db.close();
    }
  });

  it('refuses what the server could never accept: no inscription, a unit not offered, a bad combination', async () => {
    const { desk } = await offlineDesk();
    const child = children[3] as BookableDay;
    expect((await refusal(desk, 'booking/set-day', setDay(child, ['REPAS_AV']))).code).toBe(
      'UNITS_MEAL_ALONE',
    );
    expect(
      (await refusal(desk, 'booking/set-day', { ...setDay(child, ['MATIN']), units: ['SOIR'] })).code,
    ).toBe('UNITS_NOT_OFFERED');
    const notInscribed = await refusal(desk, 'booking/set-day', {
      ...setDay(child, ['MATIN']),
      siteId: newId(),
    });
    expect(notInscribed.code).toBe('INSCRIPTION_REQUIRED');
  });

  it('lets only a régisseur reverse a payment, with a receipt of its own', async () => {
    const { desk } = await offlineDesk({ agentLogin: 'agent.regie' });
    const child = children[0] as BookableDay;
    const paid = await call(desk, 'payment/record', {
      householdId: child.householdId,
      mode: 'cheque',
      amountCents: 2500,
    });
    const reversed = await call(desk, 'payment/reverse', {
      paymentId: paid.paymentId,
      reason: 'Chèque refusé par la banque',
    });
    expect(reversed.receiptNumber).not.toBe(paid.receiptNumber);
    expect(
      (await refusal(desk, 'payment/reverse', { paymentId: paid.paymentId, reason: 'encore' })).code,
    ).toBe('PAYMENT_ALREADY_REVERSED');
    const { desk: accueil } = await offlineDesk();
    const other = await call(accueil, 'payment/record', {
      householdId: child.householdId,
      mode: 'cheque',
      amountCents: 900,
    });
    expect(
      (await refusal(accueil, 'payment/reverse', { paymentId: other.paymentId, reason: 'erreur' })).code,
    ).toBe('ROLE_NOT_ALLOWED');
  });

  it('is durable: recorded payments are all in the file once the desk is closed', async () => {
    const { desk, path } = await offlineDesk();
    const child = children[1] as BookableDay;
    const amounts: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const result = await desk.invoke('payment/record', {
        householdId: child.householdId,
        mode: 'cheque',
        amountCents: 100 + i,
      });
      expect(result.ok).toBe(true);
      amounts.push(100 + i);
    }
    desk.close();
    const reader = new Database(path, { readonly: true });
    try {
      const stored = reader
        .prepare(
          'SELECT amount_cents FROM payments WHERE household_id = ? AND amount_cents BETWEEN 100 AND 119',
        )
        .all(child.householdId) as { amount_cents: number }[];
      expect(stored.map((row) => row.amount_cents).sort((a, b) => a - b)).toEqual(amounts);
    } finally {
      reader.close();
    }
    // Timings of this path live in `npm run bench` (sync.desk_write.p95_ms), never in a unit test.
  });
});
