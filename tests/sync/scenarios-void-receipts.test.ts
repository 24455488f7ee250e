// Receipts printed for payments the server refuses: the number is kept as a void receipt, so a desk's receipt
// numbers stay gapless on the server whatever it decides (docs/SYNC.md, "Receipts").
// Once a known gap (fixed): a `payment.record` refused because the agent's role had been withdrawn while the desk
// was offline left a hole in the desk's numbers.
import { describe, expect, it } from 'vitest';
import { call, outboxOps, rawPush } from './support';
import { receiptViolations } from './invariants';
import { deskDb, enrolled, expectConsistent, openDesk, regie, server, sqlite } from './scenario-setup';

interface ReceiptRow {
  number: string;
  payment_id: string | null;
  void_reason: string | null;
}

const receiptOf = (db: typeof sqlite, number: string): ReceiptRow | undefined =>
  db.prepare('SELECT number, payment_id, void_reason FROM receipts WHERE number = ?').get(number) as
    ReceiptRow | undefined;

/** Withdraws the agent's roles on the server (as an administrator would) and gives back a function to restore them. */
function withdrawRoles(agentId: string): () => void {
  const roles = sqlite
    .prepare('SELECT agent_id, role, updated_at FROM agent_roles WHERE agent_id = ?')
    .all(agentId);
  sqlite.prepare('DELETE FROM agent_roles WHERE agent_id = ?').run(agentId);
  return () => {
    const insert = sqlite.prepare(
      'INSERT INTO agent_roles (agent_id, role, updated_at) VALUES (@agent_id, @role, @updated_at)',
    );
    for (const role of roles) insert.run(role);
  };
}

describe('a refused payment keeps its receipt number', () => {
  it('records a void receipt (no payment, the reason) and leaves no hole in the desk’s numbers', async () => {
    const a = await openDesk(enrolled.a);
    const householdId = sqlite
      .prepare('SELECT id FROM households ORDER BY id LIMIT 1')
      .pluck()
      .get() as string;
    const pay = (amountCents: number) =>
      call(a.desk, 'payment/record', { householdId, mode: 'especes', amountCents, allocations: [] });

    const first = await pay(1000);
    await call(a.desk, 'sync/now', undefined);
    a.network.goOffline();
    // Offline, the agent takes cash and prints a receipt; meanwhile an administrator withdraws the agent's roles.
    const refused = await pay(2000);
    const restoreRoles = withdrawRoles(regie);
    a.network.goOnline();
    await call(a.desk, 'sync/now', undefined);
    restoreRoles();
    const third = await pay(3000);
    await call(a.desk, 'sync/now', undefined);

    expect([first.receiptNumber, refused.receiptNumber, third.receiptNumber]).toEqual([
      'SA-000001',
      'SA-000002',
      'SA-000003',
    ]);
    // The op is refused and says what became of the receipt.
    const op = deskDb(a.desk)
      .prepare('SELECT status, result_json FROM outbox WHERE seq = ?')
      .get(refused.seq) as {
      status: string;
      result_json: string;
    };
    expect(op.status).toBe('rejected');
    expect(JSON.parse(op.result_json)).toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
      message: expect.stringContaining('Le reçu SA-000002 est annulé'),
    });
    // No money recorded for it; its number is a void receipt, on the server and in the desk's replica.
    expect(sqlite.prepare('SELECT COUNT(*) FROM payments WHERE id = ?').pluck().get(refused.paymentId)).toBe(
      0,
    );
    for (const db of [sqlite, deskDb(a.desk)]) {
      expect(receiptOf(db, 'SA-000002')).toMatchObject({
        payment_id: null,
        void_reason: expect.stringContaining("n'a pas le rôle nécessaire"),
      });
    }
    expect(receiptViolations(sqlite, enrolled.a, 3)).toEqual([]);
    expect(
      sqlite
        .prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'receipt.void' AND agent_id = ?")
        .pluck()
        .get(regie),
    ).toBe(1);
    expectConsistent([a.desk, enrolled.a]);
  });

  it('a replay of the refused op returns the stored result and adds no second void receipt', async () => {
    const a = await openDesk(enrolled.a);
    const householdId = sqlite
      .prepare('SELECT id FROM households ORDER BY id LIMIT 1')
      .pluck()
      .get() as string;
    a.network.goOffline();
    const refused = await call(a.desk, 'payment/record', {
      householdId,
      mode: 'cheque',
      amountCents: 4500,
      allocations: [],
    });
    expect(refused.receiptNumber).toBe('SA-000001');
    const restoreRoles = withdrawRoles(regie);
    a.network.goOnline();
    await call(a.desk, 'sync/now', undefined);
    restoreRoles();
    // The desk's whole outbox pushed again (as after a lost answer): the stored result, nothing new.
    const before = sqlite.prepare('SELECT COALESCE(MAX(seq), 0) FROM change_log').pluck().get();
    const replay = await rawPush(server.url, enrolled.a.token, outboxOps(deskDb(a.desk)));
    expect(replay.status).toBe(200);
    expect(replay.body.results.map((r) => [r.outcome, r.code])).toEqual([['rejected', 'ROLE_NOT_ALLOWED']]);
    expect(replay.body.results[0]?.message).toContain('Le reçu SA-000001 est annulé');
    expect(sqlite.prepare('SELECT COALESCE(MAX(seq), 0) FROM change_log').pluck().get()).toBe(before);
    expect(sqlite.prepare("SELECT COUNT(*) FROM receipts WHERE number LIKE 'SA-000001%'").pluck().get()).toBe(
      1,
    );
    expect(receiptOf(sqlite, 'SA-000001')?.payment_id).toBeNull();
  });
});
