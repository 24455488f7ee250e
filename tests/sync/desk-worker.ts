// A desk in its own process, for the kill -9 tests (kill9-harness.ts): a DeskBackend on a SQLite file that
// records payments, reversals and bookings in a loop and pushes them, printing one line on stdout after each
// local commit. The parent kills it with SIGKILL at random moments and starts it again on the same file.
//
// Config: JSON in argv[2] (WorkerConfig). Output, one line each (written synchronously, so that a line on
// stdout always means the commit before it returned):
//   ready
//   synced <pending> <connection>                 after each sync (the first one finishes the previous run)
//   committed pay <paymentId> <receipt> <seq>     a payment recorded locally
//   committed rev <reversalId> <receipt> <seq>    a reversal recorded locally
//   committed book <opId> <seq>                   a booking change recorded locally
//   push                                          a sync starts
//   refused <command> <code>                      the desk refused a command (not expected)
//   done                                          (finish mode) everything pushed and pulled
//   swap                                          (swap-crash mode) about to rename the resynced copy: killed
//
// swap-crash mode: one payment pushed (the parent compacts the change log right after, so the pull must resync),
// a second payment taken while the snapshot downloads (the agent keeps working during a sync), and the process
// kills itself with SIGKILL at the exact moment the resynced copy is about to be renamed over the live file.
import fs, { writeSync } from 'node:fs';
import { DeskBackend } from '../../electron/backend/desk-backend';
import type { UnitCode } from '../../core/booking/units';
import { httpFetch } from './http-fetch';
import { mulberry32 } from '../support/random';

export interface WorkerSlot {
  personId: string;
  activityId: string;
  siteId: string;
  day: string;
}

export interface WorkerConfig {
  dbPath: string;
  serverUrl: string;
  deskToken: string;
  agentId: string;
  households: string[];
  slots: WorkerSlot[];
  seed: number;
  /** work: loop until killed; finish: sync until nothing is pending, print done, exit; swap-crash: see above. */
  mode: 'work' | 'finish' | 'swap-crash';
  batchSize: number;
}

const UNIT_CHOICES: UnitCode[][] = [
  [],
  ['MATIN'],
  ['APRES_MIDI'],
  ['MATIN', 'APRES_MIDI'],
  ['MATIN', 'REPAS_AV'],
];

function out(line: string): void {
  const buffer = Buffer.from(`${line}\n`);
  let written = 0;
  while (written < buffer.length) {
    try {
      written += writeSync(1, buffer, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
  const random = mulberry32(config.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const http = httpFetch();
  let onSnapshot: (() => Promise<void>) | null = null;
  const desk: DeskBackend = new DeskBackend({
    dbPath: config.dbPath,
    serverUrl: config.serverUrl,
    deskToken: config.deskToken,
    agentId: config.agentId,
    autoSync: false,
    fetch: async (input, init) => {
      const hook = onSnapshot;
      if (
        hook &&
        new URL(String(input instanceof Request ? input.url : input)).pathname === '/sync/v1/snapshot'
      ) {
        onSnapshot = null;
        await hook();
      }
      return http(input, init);
    },
    random,
    sync: { events: false, batchSize: config.batchSize },
  });
  const loadedAt = performance.now();
  await desk.start();
  if (process.env.GF_WORKER_TRACE)
    console.error(`trace loaded ${loadedAt.toFixed(0)} started ${performance.now().toFixed(0)}`);
  out('ready');

  const sync = async (): Promise<number> => {
    const status = await desk.syncNow();
    out(`synced ${status.pending} ${status.connection}`);
    return status.pending;
  };

  if (config.mode === 'finish') {
    for (let attempt = 0; attempt < 50 && (await sync()) > 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    out('done');
    desk.close();
    return;
  }

  const pay = async (): Promise<void> => {
    const result = await desk.invoke('payment/record', {
      householdId: pick(config.households),
      mode: random() < 0.5 ? 'especes' : 'cheque',
      amountCents: 100 + Math.floor(random() * 20_000),
    });
    if (result.ok)
      out(`committed pay ${result.value.paymentId} ${result.value.receiptNumber} ${result.value.seq}`);
    else out(`refused payment/record ${result.error.code}`);
  };

  if (config.mode === 'swap-crash') {
    await sync();
    const rename = fs.renameSync;
    Object.assign(fs, {
      renameSync(from: fs.PathLike, to: fs.PathLike): void {
        if (String(from) === `${config.dbPath}.resync`) {
          out('swap');
          process.kill(process.pid, 'SIGKILL');
        }
        rename(from, to);
      },
    });
    onSnapshot = pay;
    await pay();
    out('push');
    await sync();
    out('no swap');
    return;
  }

  await sync();
  for (let round = 0; round < 10_000; round += 1) {
    const writes = 1 + Math.floor(random() * 4);
    for (let w = 0; w < writes; w += 1) {
      const roll = random();
      if (roll < 0.5) {
        await pay();
      } else if (roll < 0.6) {
        // The store is looked up each time: a resync swaps the file and reopens it.
        const { store } = desk.session();
        const deskId = store.deskId();
        const target = store.sqlite
          .prepare(
            `SELECT id FROM payments p WHERE p.desk_id = ? AND p.reversal_of_payment_id IS NULL AND p.amount_cents > 0
               AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reversal_of_payment_id = p.id)
             ORDER BY p.id LIMIT 1 OFFSET ?`,
          )
          .get(deskId, Math.floor(random() * 3)) as { id: string } | undefined;
        if (!target) continue;
        const result = await desk.invoke('payment/reverse', {
          paymentId: target.id,
          reason: 'Erreur de saisie',
        });
        if (result.ok)
          out(`committed rev ${result.value.reversalId} ${result.value.receiptNumber} ${result.value.seq}`);
        else out(`refused payment/reverse ${result.error.code}`);
      } else {
        const slot = pick(config.slots);
        const result = await desk.invoke('booking/set-day', { ...slot, units: pick(UNIT_CHOICES) });
        if (!result.ok) out(`refused booking/set-day ${result.error.code}`);
        else if (result.value.opId) out(`committed book ${result.value.opId} ${result.value.seq}`);
      }
    }
    out('push');
    await sync();
  }
  desk.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
