// The server killed with SIGKILL while it processes pushes (a real server process on a SQLite file), restarted
// on the same file; the desks retry. No command is ever half-written: every applied op has its rows and change
// rows and vice versa, places taken equal the `reservee` bookings of each cell, and the desks converge.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { UnitCode } from '../../core/booking/units';
import { openDatabase } from '../../db/open';
import type { DeskBackend } from '../../electron/backend/desk-backend';
import { bundleScript, spawnScript } from './bundle';
import type { ScriptProcess } from './bundle';
import type { EnrolledDesk, Slot } from './support';
import { SyncTown, agentIdOf, call, enrolDesk, manySlots, startDesk } from './support';
import { outboxViolations, receiptViolations, replicaDiff, serverViolations } from './invariants';
import { mulberry32 } from '../support/random';

const town = new SyncTown('gf-sync-server-crash-');
const ROUNDS = 10;

beforeAll(async () => {
  await town.seed({ families: 20, seed: 9 });
});

afterAll(() => town.dispose());

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

it(`keeps every command whole when the server is killed -9 while processing pushes (${ROUNDS} times)`, async () => {
  const seed = Number(process.env.GF_SERVER_CRASH_SEED ?? 99);
  const random = mulberry32(seed);
  const { enrolled, regie, slots, households } = town.onSeed((sqlite) => {
    const slots = manySlots(sqlite, 'ALSH_MER', 12);
    const days = [...new Set(slots.map((slot) => slot.day))].map((day) => `'${day}'`).join(',');
    sqlite.exec(`UPDATE capacities SET places = taken + 3 WHERE day IN (${days})`);
    return {
      enrolled: ['XA', 'XB', 'XC'].map((prefix) => enrolDesk(sqlite, prefix)),
      regie: agentIdOf(sqlite, 'agent.regie'),
      slots,
      households: [...new Set(slots.map((slot) => slot.householdId))],
    };
  });
  const file = town.serverCopy();
  const port = await freePort();
  const command = await bundleScript('server-worker.ts');

  let server: ScriptProcess | null = null;
  let onPush: (() => void) | null = null;
  let onGroup: (() => void) | null = null;
  const startServerProcess = async (): Promise<ScriptProcess> => {
    const child = spawnScript(command, [file, String(port)], (line) => {
      if (line === 'push') onPush?.();
      if (line === 'group') onGroup?.();
    });
    await child.waitFor((line) => line.startsWith('listening '), 20_000);
    return child;
  };
  /** The server's state, read by this process between rounds (the server is idle then). */
  const inspect = <T>(read: (sqlite: ReturnType<typeof openDatabase>['sqlite']) => T): T => {
    const database = openDatabase(file);
    try {
      return read(database.sqlite);
    } finally {
      database.close();
    }
  };

  const desks: DeskBackend[] = [];
  const payments = new Map<EnrolledDesk, string[]>();
  const reversed = new Set<string>();
  let partialBatches = 0;
  let killsWhilePushing = 0;
  /** Rounds where the crash cut at least one desk's sync short. */
  let interrupted = 0;
  try {
    server = await startServerProcess();
    for (const desk of enrolled) {
      desks.push(
        await startDesk({
          dbPath: town.file(`desk-${desk.prefix}`),
          serverUrl: `http://127.0.0.1:${port}`,
          desk,
          agentId: regie,
          random,
        }),
      );
      payments.set(desk, []);
    }

    for (let round = 0; round < ROUNDS; round += 1) {
      // Every desk records a batch offline…
      for (const [i, desk] of desks.entries()) {
        const made = payments.get(enrolled[i]!)!;
        const reversible = made.filter((id) => !reversed.has(id));
        // More than one commit group (OPS_PER_COMMIT = 64), so that a kill can cut a batch between two of them.
        const ops = 70 + Math.floor(random() * 60);
        for (let n = 0; n < ops; n += 1) {
          const roll = random();
          if (roll < 0.4) {
            const paid = await call(desk, 'payment/record', {
              householdId: households[Math.floor(random() * households.length)]!,
              mode: 'cheque',
              amountCents: 500 + Math.floor(random() * 9_000),
            });
            made.push(paid.paymentId);
            reversible.push(paid.paymentId);
          } else if (roll < 0.45 && reversible.length > 0) {
            const paymentId = reversible.splice(Math.floor(random() * reversible.length), 1)[0]!;
            const reversal = await call(desk, 'payment/reverse', {
              paymentId,
              reason: 'Chèque sans provision',
            });
            reversed.add(paymentId).add(reversal.reversalId);
            made.push(reversal.reversalId);
          } else {
            const slot = slots[Math.floor(random() * slots.length)] as Slot;
            const units = ([[], ['MATIN'], ['APRES_MIDI'], ['MATIN', 'APRES_MIDI']] as UnitCode[][])[
              Math.floor(random() * 4)
            ]!;
            await call(desk, 'booking/set-day', { ...slot, units });
          }
        }
      }
      const before = inspect((sqlite) =>
        enrolled.map(
          (desk) =>
            sqlite
              .prepare('SELECT COALESCE(MAX(desk_seq), 0) FROM applied_ops WHERE desk_id = ?')
              .pluck()
              .get(desk.id) as number,
        ),
      );
      const wanted = desks.map((desk) => desk.session().store.outbox.nextSeq() - 1);

      // …then they all push at once, and the server dies up to 120 ms into the first push: before its first
      // commit group, between two groups of a batch, or once some desk's batch is whole. One round in three it
      // dies as soon as a first commit group is in, whatever the machine's speed: a batch cut between groups.
      const victim = server;
      const kill = () => victim.child.kill('SIGKILL');
      let pushing = false;
      onPush = () => {
        onPush = null;
        pushing = true;
        if (round % 3 !== 0) setTimeout(kill, Math.floor(random() * 120));
      };
      onGroup = round % 3 === 0 ? kill : null;
      const outcomes = await Promise.all(desks.map((desk) => desk.syncNow()));
      if (!pushing) kill(); // no push reached it (should not happen)
      onPush = null;
      onGroup = null;
      await victim.exited;
      if (pushing) killsWhilePushing += 1;
      const after = inspect((sqlite) => {
        expect(serverViolations(sqlite), `round ${round}, right after the crash`).toEqual([]);
        return enrolled.map(
          (desk) =>
            sqlite
              .prepare('SELECT COALESCE(MAX(desk_seq), 0) FROM applied_ops WHERE desk_id = ?')
              .pluck()
              .get(desk.id) as number,
        );
      });
      partialBatches += after.filter((applied, i) => applied > before[i]! && applied < wanted[i]!).length;
      if (outcomes.some((status) => status.connection === 'offline')) interrupted += 1;

      // Restarted on the same file; the desks retry until everything is decided.
      server = await startServerProcess();
      // (At least once: a kill after the last push answer still cut the pull that followed it.)
      for (let attempt = 0; attempt < 5; attempt += 1) {
        for (const desk of desks) await desk.syncNow();
        if (desks.every((desk) => desk.status().pending === 0)) break;
      }
      for (const desk of desks) expect(desk.status()).toMatchObject({ pending: 0, connection: 'online' });
      inspect((sqlite) => expect(serverViolations(sqlite), `round ${round}, after the retries`).toEqual([]));
    }

    for (const desk of desks) await desk.syncNow(); // everyone has everyone's last changes
    console.info(
      `[server-crash] seed ${seed}: ${ROUNDS} kills, ${killsWhilePushing} after a push began, ${interrupted} cutting a ` +
        `desk's sync short, ${partialBatches} batches cut in the middle`,
    );
    expect(killsWhilePushing).toBe(ROUNDS);
    expect(interrupted).toBeGreaterThanOrEqual(ROUNDS / 2);
    expect(partialBatches).toBeGreaterThan(0);
    inspect((sqlite) => {
      expect(serverViolations(sqlite)).toEqual([]);
      for (const [i, desk] of desks.entries()) {
        const enrolledDesk = enrolled[i]!;
        const deskSqlite = desk.session().store.sqlite;
        const ops = deskSqlite
          .prepare("SELECT COUNT(*) FROM outbox WHERE command IN ('payment.record', 'payment.reverse')")
          .pluck()
          .get() as number;
        expect(outboxViolations(sqlite, enrolledDesk.id, deskSqlite)).toEqual([]);
        expect(
          sqlite.prepare('SELECT COUNT(*) FROM payments WHERE desk_id = ?').pluck().get(enrolledDesk.id),
        ).toBe(ops);
        expect(receiptViolations(sqlite, enrolledDesk, ops)).toEqual([]);
        expect(replicaDiff(sqlite, enrolledDesk.id, deskSqlite)).toEqual([]);
      }
    });
  } finally {
    for (const desk of desks) desk.close();
    if (server && server.child.exitCode === null && server.child.signalCode === null)
      server.child.kill('SIGKILL');
  }
});
