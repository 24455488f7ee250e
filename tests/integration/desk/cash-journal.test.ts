// The journal de caisse of a desk, against the real sync server and the desk's real SQLite replica: totals per
// mode (a reversal counts negative), a payment the server refused kept as a void receipt holding no money,
// payments taken offline shown pending, a hole in the numbering named, and the PDF read back with pdftotext.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { addDays } from '../../../core/calendar/paris';
import { openDatabase } from '../../../db/open';
import type { OpenedDatabase } from '../../../db/open';
import { buildServer } from '../../../server/app';
import { issueDeskToken } from '../../../server/auth/desk-tokens';
import type { DeskBackend } from '../../../electron/backend/desk-backend';
import { TODAY, TownFiles, addDesk, agentId, call, refusal, startDesk } from '../desk-sync/fixtures';
import { Network } from '../desk-sync/network';

const files = new TownFiles();
const pdfDir = mkdtempSync(join(tmpdir(), 'gf-journal-pdf-'));
let database: OpenedDatabase;
let server: FastifyInstance;
let url: string;
const desks: DeskBackend[] = [];

beforeAll(async () => {
  await files.seed();
});

afterAll(() => {
  files.dispose();
  rmSync(pdfDir, { recursive: true, force: true });
});

beforeEach(async () => {
  database = openDatabase(files.serverCopy());
  server = await buildServer({ database });
  url = await server.listen({ host: '127.0.0.1', port: 0 });
});

afterEach(async () => {
  for (const desk of desks.splice(0)) desk.close();
  await server.close();
  database.close();
});

async function regieDesk(prefix = 'JRN'): Promise<{ desk: DeskBackend; network: Network; agent: string }> {
  const deskId = addDesk(database.sqlite, `Régie ${prefix}`, prefix);
  const network = new Network();
  const agent = agentId(database.sqlite, 'agent.regie');
  const desk = await startDesk({
    dbPath: files.path(`journal-${prefix}`),
    serverUrl: url,
    deskToken: issueDeskToken(database.sqlite, deskId),
    fetch: network.fetch,
    sync: { events: false },
    agentId: agent,
  });
  desks.push(desk);
  return { desk, network, agent };
}

function someHousehold(): string {
  return database.sqlite.prepare('SELECT id FROM households ORDER BY code LIMIT 1').pluck().get() as string;
}

function pdfText(base64: string): string {
  const path = join(pdfDir, `journal-${Date.now()}.pdf`);
  writeFileSync(path, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).replace(
    /[\u00a0\u202f]/g,
    ' ',
  );
}

describe('the journal de caisse of a desk', () => {
  it('totals the day per mode, a reversal negative, and checks the numbers follow', async () => {
    const { desk } = await regieDesk();
    const householdId = someHousehold();
    const pay = (mode: 'especes' | 'cheque' | 'carte', amountCents: number) =>
      call(desk, 'payment/record', {
        householdId,
        mode,
        amountCents,
        allocations: [],
        ...(mode === 'cheque' ? { chequeNumber: '1234567', bank: 'Crédit Mutuel' } : {}),
      });
    await pay('especes', 1250);
    const cheque = await pay('cheque', 3000);
    await pay('carte', 999);
    await call(desk, 'payment/reverse', { paymentId: cheque.paymentId, reason: 'Chèque sans provision' });
    await call(desk, 'sync/now', undefined);

    const journal = await call(desk, 'cashier/journal', {});
    expect(journal.day).toBe(TODAY);
    expect(journal.receiptPrefix).toBe('JRN');
    expect(journal.entries.map((e) => [e.receiptNumber, e.kind, e.mode, e.amountCents, e.sync])).toEqual([
      ['JRN-000001', 'encaissement', 'especes', 1250, 'confirmed'],
      ['JRN-000002', 'encaissement', 'cheque', 3000, 'confirmed'],
      ['JRN-000003', 'encaissement', 'carte', 999, 'confirmed'],
      ['JRN-000004', 'annulation', 'cheque', -3000, 'confirmed'],
    ]);
    expect(journal.byMode).toEqual([
      { mode: 'especes', count: 1, totalCents: 1250 },
      { mode: 'cheque', count: 2, totalCents: 0 },
      { mode: 'carte', count: 1, totalCents: 999 },
    ]);
    expect(journal.totalCents).toBe(2249);
    expect(journal.numbering).toEqual({ first: 'JRN-000001', last: 'JRN-000004', missing: [] });
    expect(journal.entries[0]?.household?.titulaire).toMatch(/^[A-ZÀ-Ý' -]+ \S+/);
    expect(journal.entries[0]?.agentName).toBeTruthy();

    // Another day of this desk is empty; a date that does not exist is refused in French.
    const tomorrow = await call(desk, 'cashier/journal', { day: addDays(TODAY, 1) });
    expect(tomorrow.entries).toEqual([]);
    expect(tomorrow.numbering).toEqual({ first: null, last: null, missing: [] });
    const error = await refusal(desk, 'cashier/journal', { day: '2026-02-30' });
    expect(error.code).toBe('INVALID_DAY');
    expect(error.message).toContain("n'est pas valide");
  });

  it('keeps a refused payment as a void receipt holding no money, and shows offline payments pending', async () => {
    const { desk, network, agent } = await regieDesk('JRV');
    const householdId = someHousehold();
    await call(desk, 'payment/record', { householdId, mode: 'especes', amountCents: 2000, allocations: [] });
    await call(desk, 'sync/now', undefined);
    network.goOffline();
    // Offline, a payment is taken while an administrator withdraws the agent's roles on the server.
    await call(desk, 'payment/record', { householdId, mode: 'especes', amountCents: 5000, allocations: [] });
    const offline = await call(desk, 'cashier/journal', {});
    expect(offline.pendingCount).toBe(1);
    expect(offline.entries.find((e) => e.receiptNumber === 'JRV-000002')?.sync).toBe('pending');

    const roles = database.sqlite.prepare('SELECT * FROM agent_roles WHERE agent_id = ?').all(agent);
    database.sqlite.prepare('DELETE FROM agent_roles WHERE agent_id = ?').run(agent);
    network.goOnline();
    await call(desk, 'sync/now', undefined);
    const insert = database.sqlite.prepare(
      'INSERT INTO agent_roles (agent_id, role, updated_at) VALUES (@agent_id, @role, @updated_at)',
    );
    for (const role of roles) insert.run(role);
    await call(desk, 'payment/record', { householdId, mode: 'carte', amountCents: 700, allocations: [] });
    await call(desk, 'sync/now', undefined);

    const journal = await call(desk, 'cashier/journal', {});
    const refused = journal.entries.find((e) => e.receiptNumber === 'JRV-000002');
    expect(refused).toMatchObject({ kind: 'annule', amountCents: 0, mode: null, paymentId: null });
    expect(refused?.voidReason).toContain("n'a pas le rôle nécessaire");
    expect(journal.voidCount).toBe(1);
    expect(journal.pendingCount).toBe(0);
    expect(journal.byMode).toEqual([
      { mode: 'especes', count: 1, totalCents: 2000 },
      { mode: 'carte', count: 1, totalCents: 700 },
    ]);
    expect(journal.numbering).toEqual({ first: 'JRV-000001', last: 'JRV-000003', missing: [] });

    const text = pdfText((await call(desk, 'print/cash-journal', {})).base64);
    expect(text).toContain('JOURNAL DE CAISSE');
    expect(text).toContain('Régie JRV');
    expect(text).toMatch(/Espèces\s+1\s+20,00 €/);
    expect(text).toMatch(/Carte bancaire \(TPE\)\s+1\s+7,00 €/);
    expect(text).toMatch(/Total de la journée\s+2\s+27,00 €/);
    expect(text).toContain('Numérotation continue : reçus JRV-000001 à JRV-000003');
    expect(text).toContain('Reçu annulé');
    expect(text).toContain('Le régisseur');
  });

  it('names the numbers missing between the previous receipt and the day', async () => {
    const { desk } = await regieDesk('JRH');
    const householdId = someHousehold();
    for (const amountCents of [1000, 1100])
      await call(desk, 'payment/record', { householdId, mode: 'especes', amountCents, allocations: [] });
    await call(desk, 'sync/now', undefined);
    // A receipt JRH-000005 in the replica (as a damaged or tampered store would hold): 3 and 4 are nowhere.
    const store = desk.session().store;
    const deskId = store.deskId();
    store.sqlite
      .prepare(
        `INSERT INTO receipts (id, number, payment_id, desk_id, issued_at, updated_at, void_reason)
         VALUES ('r-test-5', 'JRH-000005', NULL, ?, ?, ?, 'test')`,
      )
      .run(deskId, new Date().toISOString(), new Date().toISOString());
    const journal = await call(desk, 'cashier/journal', {});
    expect(journal.numbering).toEqual({
      first: 'JRH-000001',
      last: 'JRH-000005',
      missing: ['JRH-000003', 'JRH-000004'],
    });
    const text = pdfText((await call(desk, 'print/cash-journal', {})).base64);
    expect(text).toContain('Numéros manquants : JRH-000003, JRH-000004.');
  });
});
