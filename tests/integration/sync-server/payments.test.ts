// Payments are facts: recorded once whatever happens, allocations trimmed to what invoices owe, receipts unique, reversals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../core/ids';
import { findUnpaidInvoice, invoiceState } from './fixtures';
import { NOW, op, startTestServer } from './harness';
import type { Desk, TestServer } from './harness';

let server: TestServer;
let otherDesk: Desk;

beforeAll(async () => {
  server = await startTestServer(13);
  otherDesk = server.addDesk('HV2');
});

afterAll(async () => {
  await server?.close();
});

const payment = (
  householdId: string,
  amountCents: number,
  allocations: { invoiceId: string; amountCents: number }[],
  receiptNumber: string,
) => ({
  paymentId: newId(),
  householdId,
  mode: 'cheque' as const,
  amountCents,
  receivedAt: NOW.toISOString(),
  receiptNumber,
  allocations,
  bank: 'Crédit Agricole',
  chequeNumber: '0001234',
});

describe('payments', () => {
  it('records a payment, trims the allocation to what the invoice still owes and keeps the rest as credit', async () => {
    const { sqlite } = server.database;
    const invoice = findUnpaidInvoice(sqlite);
    const paid = payment(
      invoice.householdId,
      invoice.totalCents + 1500,
      [{ invoiceId: invoice.id, amountCents: invoice.totalCents + 1000 }],
      'HV1-000100',
    );
    const record = op(server.desk, server.agents.regie, 'payment.record', paid);

    const [result] = (await server.push(server.desk, [record])).results;

    expect(result).toMatchObject({ outcome: 'accepted', code: 'ALLOCATIONS_TRIMMED' });
    expect(result?.message).toMatch(/15,00\s€ non affectés aux factures restent en avoir/);
    expect(invoiceState(sqlite, invoice.id)).toEqual({ paid_cents: invoice.totalCents, status: 'reglee' });
    expect(
      server.count('SELECT SUM(amount_cents) FROM payment_allocations WHERE payment_id = ?', paid.paymentId),
    ).toBe(invoice.totalCents);
    expect(
      sqlite
        .prepare('SELECT amount_cents, origin_op_id, desk_id, agent_id FROM payments WHERE id = ?')
        .get(paid.paymentId),
    ).toEqual({
      amount_cents: invoice.totalCents + 1500,
      origin_op_id: record.opId,
      desk_id: server.desk.id,
      agent_id: server.agents.regie,
    });
    expect(
      server.count(
        'SELECT COUNT(*) FROM receipts WHERE number = ? AND payment_id = ?',
        'HV1-000100',
        paid.paymentId,
      ),
    ).toBe(1);
  });

  it('marks an invoice partly paid, and keeps as credit an allocation to another family’s invoice', async () => {
    const { sqlite } = server.database;
    const mine = findUnpaidInvoice(sqlite, 1);
    const theirs = sqlite
      .prepare("SELECT id FROM invoices WHERE household_id <> ? AND status = 'non_reglee' LIMIT 1")
      .pluck()
      .get(mine.householdId) as string;
    const paid = payment(
      mine.householdId,
      800,
      [
        { invoiceId: mine.id, amountCents: 500 },
        { invoiceId: theirs, amountCents: 300 },
      ],
      'HV1-000101',
    );

    const [result] = (
      await server.push(server.desk, [op(server.desk, server.agents.accueil, 'payment.record', paid)])
    ).results;

    expect(result).toMatchObject({ outcome: 'accepted', code: 'ALLOCATIONS_TRIMMED' });
    expect(invoiceState(sqlite, mine.id)).toEqual({ paid_cents: 500, status: 'partiellement_reglee' });
    expect(invoiceState(sqlite, theirs)).toMatchObject({ paid_cents: 0, status: 'non_reglee' });
  });

  it('never counts a payment twice: not on a replay, nor when its applied_ops trace is gone', async () => {
    const { sqlite } = server.database;
    const invoice = findUnpaidInvoice(sqlite, 2);
    const record = op(
      server.desk,
      server.agents.regie,
      'payment.record',
      payment(invoice.householdId, 1000, [{ invoiceId: invoice.id, amountCents: 1000 }], 'HV1-000102'),
    );
    const first = await server.push(server.desk, [record]);
    const state = () => ({
      payments: server.count('SELECT COUNT(*) FROM payments'),
      receipts: server.count('SELECT COUNT(*) FROM receipts'),
      invoice: invoiceState(sqlite, invoice.id),
      seq: server.lastSeq(),
    });
    const once = state();

    expect((await server.push(server.desk, [record])).results).toEqual(first.results);
    expect(state()).toEqual(once);

    sqlite.prepare('DELETE FROM applied_ops WHERE op_id = ?').run(record.opId);
    const [again] = (await server.push(server.desk, [record])).results;
    expect(again).toMatchObject({ outcome: 'accepted', code: 'PAYMENT_ALREADY_RECORDED' });
    expect(state()).toEqual(once);
  });

  it('records a payment whose receipt number is already taken under a suffixed number, and flags the conflict', async () => {
    const { sqlite } = server.database;
    const invoice = findUnpaidInvoice(sqlite, 3);
    const clash = payment(invoice.householdId, 700, [], 'HV1-000100');

    const [result] = (
      await server.push(otherDesk, [op(otherDesk, server.agents.accueil, 'payment.record', clash)])
    ).results;

    expect(result).toMatchObject({ outcome: 'accepted', code: 'RECEIPT_NUMBER_CONFLICT' });
    expect(result?.message).toMatch(/HV1-000100~2/);
    expect(
      sqlite.prepare('SELECT number FROM receipts WHERE payment_id = ?').pluck().get(clash.paymentId),
    ).toBe('HV1-000100~2');
    expect(server.count("SELECT COUNT(*) FROM audit_log WHERE action = 'receipt.number_conflict'")).toBe(1);
    expect(server.count('SELECT COUNT(*) - COUNT(DISTINCT number) FROM receipts')).toBe(0);
  });

  it('reverses a payment: a negative payment, allocations reversed, the invoice unpaid again, its own receipt and the reason audited', async () => {
    const { sqlite } = server.database;
    const invoice = findUnpaidInvoice(sqlite, 4);
    const original = payment(
      invoice.householdId,
      invoice.totalCents,
      [{ invoiceId: invoice.id, amountCents: invoice.totalCents }],
      'HV1-000103',
    );
    await server.push(server.desk, [op(server.desk, server.agents.regie, 'payment.record', original)]);
    expect(invoiceState(sqlite, invoice.id).status).toBe('reglee');
    const reversal = {
      reversalId: newId(),
      paymentId: original.paymentId,
      reason: 'Chèque sans provision',
      receivedAt: NOW.toISOString(),
      receiptNumber: 'HV1-000104',
    };

    const [result] = (
      await server.push(server.desk, [op(server.desk, server.agents.regie, 'payment.reverse', reversal)])
    ).results;

    expect(result?.outcome).toBe('accepted');
    expect(
      sqlite
        .prepare('SELECT amount_cents, reversal_of_payment_id FROM payments WHERE id = ?')
        .get(reversal.reversalId),
    ).toEqual({
      amount_cents: -invoice.totalCents,
      reversal_of_payment_id: original.paymentId,
    });
    expect(
      server.count('SELECT SUM(amount_cents) FROM payment_allocations WHERE invoice_id = ?', invoice.id),
    ).toBe(0);
    expect(invoiceState(sqlite, invoice.id)).toEqual({ paid_cents: 0, status: 'non_reglee' });
    expect(
      server.count(
        'SELECT COUNT(*) FROM receipts WHERE number = ? AND payment_id = ?',
        'HV1-000104',
        reversal.reversalId,
      ),
    ).toBe(1);
    expect(
      sqlite
        .prepare("SELECT reason FROM audit_log WHERE action = 'payment.reverse' AND entity_id = ?")
        .pluck()
        .get(original.paymentId),
    ).toBe('Chèque sans provision');

    const twice = { ...reversal, reversalId: newId(), receiptNumber: 'HV1-000105' };
    const [refused] = (
      await server.push(server.desk, [op(server.desk, server.agents.regie, 'payment.reverse', twice)])
    ).results;
    // Already reversed: no money moves twice, but the receipt number the desk gave is kept (void, 0 €).
    expect(refused).toMatchObject({ outcome: 'accepted', code: 'PAYMENT_ALREADY_REVERSED' });
    expect(
      sqlite
        .prepare(
          'SELECT p.amount_cents, r.number FROM payments p JOIN receipts r ON r.payment_id = p.id WHERE p.id = ?',
        )
        .get(twice.reversalId),
    ).toEqual({ amount_cents: 0, number: 'HV1-000105' });
  });

  it('sends payments, allocations, invoices, receipts and the audit entry to the desks in the pull', async () => {
    const from = server.lastSeq();
    const invoice = findUnpaidInvoice(server.database.sqlite, 5);
    const paid = payment(
      invoice.householdId,
      300,
      [{ invoiceId: invoice.id, amountCents: 300 }],
      'HV1-000106',
    );
    await server.push(server.desk, [op(server.desk, server.agents.regie, 'payment.record', paid)]);

    const pulled = await server.pull(server.desk, from);

    expect(pulled.status === 'ok' && pulled.changes.map((change) => change.entity)).toEqual([
      'payments',
      'payment_allocations',
      'invoices',
      'receipts',
      'audit_log',
    ]);
  });

  it('refuses a payment for a family the server does not know (the only refusal of a payment)', async () => {
    const ghost = payment(newId(), 1000, [], 'HV1-000107');
    const [result] = (
      await server.push(server.desk, [op(server.desk, server.agents.regie, 'payment.record', ghost)])
    ).results;
    expect(result).toMatchObject({ outcome: 'rejected', code: 'HOUSEHOLD_NOT_FOUND' });
  });
});
