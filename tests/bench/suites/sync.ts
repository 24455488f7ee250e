// The sync engine's figures (bench.md), on the bench town, with the server in its own process (real HTTP on
// 127.0.0.1) and the desks (DeskBackend) in this one:
// - sync.initial_replica.*: an empty desk → full replica, against the raw-insert baseline measured here;
// - sync.desk_write.p95_ms: a desk command committed locally and durably (synchronous = FULL);
// - sync.portal_to_desk.p95_ms: a parent's booking committed on the server → the row in a connected desk;
// - sync.partition_day.settle_s: 3 desks × 5,000 queued ops + 2,000 parents' bookings, reconnect → settled;
// - sync.oversubscribed: places beyond capacity on the server after all of it;
// - sync.kill9.*: tests/sync/kill9-harness.ts, 1,000 runs.
// GF_BENCH_QUICK=1 runs it on a small town with fewer operations (iteration only).
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import type { DeskBackend } from '../../../electron/backend/desk-backend';
import type { BenchContext, BenchSuite, Metrics, Target } from '../lib';
import { median, metric, percentile } from '../lib';
import {
  NetworkSwitch,
  QUICK,
  ServerProcess,
  SlotPool,
  describeMs,
  epochMs,
  oversubscriptionOf,
  parentBooking,
  pool,
  replicatedRows,
  scaled,
  signIn,
  sleep,
  startDesk,
  suiteTown,
  yieldToLoop,
} from '../sync-harness';
import type { Oversubscription, Slot, SuiteTown } from '../sync-harness';
import { loadBookingRows, timeBulkInsert } from './baseline';

const DEMO_PASSWORD = 'Demo2026!';

const N = {
  deskWrites: scaled(2_000, 400),
  deskWritesWarmUp: scaled(200, 50),
  portalSamples: scaled(250, 100),
  portalWarmUp: scaled(20, 10),
  portalParents: 10,
  partitionDesks: 3,
  partitionOpsPerDesk: scaled(5_000, 1_000),
  partitionParents: scaled(2_000, 400),
  parentConcurrency: 64,
  baselineRuns: scaled(3, 2),
  kill9Runs: scaled(1_000, 20),
};

const TARGETS: Target[] = [
  { metric: 'sync.initial_replica.ratio_to_baseline', op: '<=', value: 1 },
  { metric: 'sync.partition_day.settle_s', op: '<=', value: 20 },
  { metric: 'sync.portal_to_desk.p95_ms', op: '<=', value: 10 },
  { metric: 'sync.desk_write.p95_ms', op: '<=', value: 2 },
  { metric: 'sync.kill9.runs', op: '>=', value: 1_000 },
  { metric: 'sync.kill9.lost', op: '<=', value: 0 },
  { metric: 'sync.kill9.duplicated', op: '<=', value: 0 },
  { metric: 'sync.oversubscribed', op: '<=', value: 0 },
];

interface Env {
  ctx: BenchContext;
  town: SuiteTown;
  server: ServerProcess;
  slots: SlotPool;
  metrics: Metrics;
  /** Things that went wrong or were not measured, printed at the end. */
  notes: string[];
}

export const syncSuite: BenchSuite = {
  name: 'sync',
  description:
    'desk ⇄ server over real HTTP (server in its own process): initial replica vs baseline, local writes, ' +
    'portal → desk latency, partition day, oversubscription, kill -9' +
    (QUICK ? ' — QUICK MODE (small town, fewer ops: not the real figures)' : ''),
  async run(ctx) {
    const town = await suiteTown(ctx);
    ctx.log(`town: ${town.families} families${QUICK ? ' (quick mode)' : ''}`);
    const serverFile = path.join(ctx.tmpDir, 'server.sqlite');
    copyTown(town.file, serverFile);
    const before = oversubscriptionOf(serverFile);
    const slots = new SlotPool(town.file);
    ctx.log(`bookable days from ${slots.firstDay}; seeded town: ${describeOver(before)}`);

    const metrics: Metrics = {};
    const notes: string[] = [];
    const server = await ServerProcess.start(serverFile);
    ctx.log(`server process ${server.pid} listening on ${server.url}`);
    const env: Env = { ctx, town, server, slots, metrics, notes };
    const desks: DeskBackend[] = [];
    try {
      const replica = await initialReplica(env, desks);
      await deskWrites(env, replica.desk);
      await portalToDesk(env, replica.desk);
      replica.desk.close();
      desks.splice(desks.indexOf(replica.desk), 1);
      await partitionDay(env, replica.dbPath, desks);
    } finally {
      for (const desk of desks) desk.close();
      await server.close();
    }

    const after = oversubscriptionOf(serverFile);
    ctx.log(`server after every sync benchmark: ${describeOver(after)}`);
    metrics['sync.oversubscribed'] = metric(after.over, 'places', after.cells);
    if (before.over > 0) notes.push(`the seeded town itself already had ${before.over} place(s) beyond capacity`);

    await kill9(env);

    for (const note of notes) ctx.log(`NOTE: ${note}`);
    return { metrics, targets: TARGETS };
  },
};

function copyTown(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(from, to);
  for (const suffix of ['-wal', '-shm']) if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
}

function describeOver(o: Oversubscription): string {
  return (
    `${o.over} place(s) beyond capacity over ${o.cells} capacity cells` +
    ` (taken ≠ reservee count in ${o.mismatched} cell(s); ${o.withoutCell} reservee booking(s) without a cell)`
  );
}

// -----------------------------------------------------------------------------------------------------------
// 1. Empty desk → full replica, vs the raw-insert baseline measured in this run.

async function initialReplica(env: Env, desks: DeskBackend[]): Promise<{ desk: DeskBackend; dbPath: string }> {
  const { ctx, server, metrics } = env;
  const { token } = await server.request('enrolDesk', { name: 'Poste bench A', prefix: 'BNA' });
  const dbPath = path.join(ctx.tmpDir, 'desk-a', 'desk.sqlite');
  const started = performance.now();
  const desk = await startDesk({
    dbPath,
    serverUrl: server.url,
    deskToken: token,
    // Connected from the start (push/pull loop + SSE): the desk of the next two figures.
    autoSync: true,
  });
  desks.push(desk);
  const status = await desk.syncNow();
  const seconds = (performance.now() - started) / 1000;
  if (status.connection !== 'online') throw new Error(`desk A is ${status.connection}: ${status.message}`);

  const counts = replicatedRows(desk.session().store.sqlite);
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  const bookings = counts.bookings ?? 0;
  const rowsPerS = rows / seconds;
  ctx.log(
    `initial replica: ${rows} rows (${bookings} bookings, ${Object.keys(counts).length} tables) in ` +
      `${seconds.toFixed(2)} s = ${rowsPerS.toFixed(0)} rows/s (start() → synced, snapshot over HTTP)`,
  );

  // The baseline on the same number of booking rows (the desk's), same run, same machine.
  let bookingRows: unknown[][] | null = loadBookingRows(env.town.file);
  if (bookingRows.length > bookings) bookingRows = bookingRows.slice(0, bookings);
  const n = bookingRows.length;
  const file = path.join(ctx.tmpDir, 'baseline.sqlite');
  const warmUp = await timeBulkInsert(file, bookingRows);
  ctx.log(`baseline warm-up: ${(n / warmUp).toFixed(0)} rows/s`);
  const runs: number[] = [];
  for (let i = 0; i < N.baselineRuns; i++) {
    runs.push(n / (await timeBulkInsert(file, bookingRows)));
    ctx.log(`baseline run ${i + 1}/${N.baselineRuns}: ${runs[i]!.toFixed(0)} rows/s`);
  }
  bookingRows = null;
  const baseline = median(runs);
  metrics['sync.initial_replica.rows_per_s'] = metric(rowsPerS, 'rows/s', rows);
  metrics['sync.initial_replica.seconds'] = metric(seconds, 's', 1);
  metrics['sync.initial_replica.rows'] = metric(rows, 'rows', 1);
  metrics['sync.initial_replica.baseline_rows_per_s'] = metric(baseline, 'rows/s', N.baselineRuns);
  metrics['sync.initial_replica.baseline_rows'] = metric(n, 'rows', 1);
  metrics['sync.initial_replica.ratio_to_baseline'] = metric(baseline / rowsPerS, 'ratio', 1);
  return { desk, dbPath };
}

// -----------------------------------------------------------------------------------------------------------
// 2. A desk command committed locally (durable), alternating a booked day and a payment.

async function deskWrites(env: Env, desk: DeskBackend): Promise<void> {
  const { ctx, slots, metrics } = env;
  const samples: number[] = [];
  const byKind: Record<'booking' | 'payment', number[]> = { booking: [], payment: [] };
  let refused = 0;
  const total = N.deskWritesWarmUp + N.deskWrites;
  for (let i = 0; i < total; i++) {
    const booking = i % 2 === 0;
    const started = performance.now();
    const result = booking
      ? await desk.invoke('booking/set-day', bookingArgs(slots.desk()))
      : await desk.invoke('payment/record', paymentArgs(slots, i));
    const ms = performance.now() - started;
    if (!result.ok) {
      refused++;
      if (refused <= 3) ctx.log(`desk write refused: ${result.error.code} ${result.error.message}`);
    } else if (i >= N.deskWritesWarmUp) {
      samples.push(ms);
      byKind[booking ? 'booking' : 'payment'].push(ms);
    }
    // Let the background sync (push, pull, SSE) run between two writes, as it would at the counter.
    await yieldToLoop();
  }
  const status = await desk.syncNow();
  ctx.log(`desk writes: ${describeMs(samples)}; refused ${refused}; after sync: pending ${status.pending}`);
  ctx.log(`  bookings ${describeMs(byKind.booking)}`);
  ctx.log(`  payments ${describeMs(byKind.payment)}`);
  const synchronous = desk.session().store.sqlite.pragma('synchronous', { simple: true });
  if (synchronous !== 2) env.notes.push(`desk database synchronous = ${String(synchronous)}, not FULL (2)`);
  metrics['sync.desk_write.p95_ms'] = metric(percentile(samples, 95), 'ms', samples.length);
  metrics['sync.desk_write.p50_ms'] = metric(percentile(samples, 50), 'ms', samples.length);
  metrics['sync.desk_write.p99_ms'] = metric(percentile(samples, 99), 'ms', samples.length);
  metrics['sync.desk_write.booking_p95_ms'] = metric(percentile(byKind.booking, 95), 'ms', byKind.booking.length);
  metrics['sync.desk_write.payment_p95_ms'] = metric(percentile(byKind.payment, 95), 'ms', byKind.payment.length);
  if (refused > 0) env.notes.push(`${refused} desk write(s) refused by the desk's checks (not timed)`);
}

function bookingArgs(slot: Slot) {
  return { personId: slot.personId, activityId: slot.activityId, siteId: slot.siteId, day: slot.day, units: slot.units };
}

function paymentArgs(slots: SlotPool, i: number) {
  const cash = i % 4 === 1;
  return {
    householdId: slots.randomHousehold(),
    mode: cash ? ('especes' as const) : ('carte' as const),
    amountCents: 500 + ((i * 7919) % 25_000),
    ...(cash ? {} : { tpeReference: `TPE-${i}` }),
  };
}

// -----------------------------------------------------------------------------------------------------------
// 3. A parent's booking committed on the server → the row in a connected desk's SQLite.

async function portalToDesk(env: Env, desk: DeskBackend): Promise<void> {
  const { ctx, server, slots, metrics } = env;
  const accounts = slots.busyAccounts(N.portalParents);
  const logins = loginsOf(env.town.file, accounts);
  // Real sign-ins (scrypt), one per parent.
  const cookies = new Map<string, string>();
  for (const account of accounts) cookies.set(account, await signIn(server.url, logins.get(account)!, DEMO_PASSWORD));
  const plan = slots.forAccounts(accounts, N.portalWarmUp + N.portalSamples);
  const sqlite = desk.session().store.sqlite;
  const visible = sqlite.prepare(
    "SELECT 1 FROM bookings WHERE person_id = ? AND activity_id = ? AND day = ? AND state IN ('reservee', 'en_attente') LIMIT 1",
  );
  await desk.syncNow();
  await sleep(200); // the SSE stream is open
  await server.request('track', { on: true });
  const samples: number[] = [];
  const outcomes: Record<string, number> = {};
  let timeouts = 0;
  for (let i = 0; i < plan.length; i++) {
    const slot = plan[i]!;
    const key = `${slot.personId}|${slot.activityId}|${slot.day}`;
    let stop: () => void = () => undefined;
    const seen = new Promise<number>((resolve) => {
      stop = desk.on('data/changed', ({ tables }) => {
        const at = epochMs();
        if (!tables.includes('bookings') && !tables.includes('*')) return;
        if (visible.get(slot.personId, slot.activityId, slot.day) === undefined) return;
        stop();
        resolve(at);
      });
    });
    const answer = await parentBooking(server.url, cookies.get(slot.accountId!)!, slot);
    outcomes[answer.outcome] = (outcomes[answer.outcome] ?? 0) + 1;
    if (answer.outcome === 'rejected') {
      stop();
      continue;
    }
    const at = await Promise.race([seen, sleep(5_000).then(() => null)]);
    stop();
    if (at === null) {
      timeouts++;
      continue;
    }
    const committed = await server.request('commitTime', { key });
    if (committed === null) throw new Error(`no commit time recorded for ${key}`);
    if (i >= N.portalWarmUp) samples.push(at - committed);
    await sleep(20);
  }
  await server.request('track', { on: false });
  ctx.log(`portal → desk: ${describeMs(samples)}; outcomes ${JSON.stringify(outcomes)}; not seen within 5 s: ${timeouts}`);
  if (samples.length < 200) env.notes.push(`portal → desk: only ${samples.length} samples (< 200)`);
  if (timeouts > 0) env.notes.push(`portal → desk: ${timeouts} booking(s) not visible on the desk within 5 s`);
  metrics['sync.portal_to_desk.p95_ms'] = metric(percentile(samples, 95), 'ms', samples.length);
  metrics['sync.portal_to_desk.p50_ms'] = metric(percentile(samples, 50), 'ms', samples.length);
  metrics['sync.portal_to_desk.p99_ms'] = metric(percentile(samples, 99), 'ms', samples.length);
}

function loginsOf(file: string, accountIds: readonly string[]): Map<string, string> {
  const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const get = sqlite.prepare('SELECT login FROM citizen_accounts WHERE id = ?');
    return new Map(accountIds.map((id) => [id, (get.get(id) as { login: string }).login]));
  } finally {
    sqlite.close();
  }
}

// -----------------------------------------------------------------------------------------------------------
// 4. Partition day: 3 desks queue 5,000 ops each offline; at reconnect 2,000 parents book through the portal.

async function partitionDay(env: Env, deskAPath: string, desks: DeskBackend[]): Promise<void> {
  const { ctx, server, slots, metrics } = env;
  const switches: NetworkSwitch[] = [];
  const open = async (name: string, prefix: string, dbPath: string): Promise<DeskBackend> => {
    const { token } = await server.request('enrolDesk', { name, prefix });
    const network = new NetworkSwitch();
    switches.push(network);
    const desk = await startDesk({ dbPath, serverUrl: server.url, deskToken: token, fetch: network.fetch, autoSync: false });
    desks.push(desk);
    return desk;
  };
  // Desk A (already a replica) and two fresh desks, which download their snapshots (setup, not timed).
  const setupStarted = performance.now();
  const all = await Promise.all([
    open('Poste bench A', 'BNA', deskAPath),
    open('Poste bench B', 'BNB', path.join(ctx.tmpDir, 'desk-b', 'desk.sqlite')),
    open('Poste bench C', 'BNC', path.join(ctx.tmpDir, 'desk-c', 'desk.sqlite')),
  ]);
  ctx.log(`partition day: 3 desks ready in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);
  for (const network of switches) network.off();

  // Offline: each desk queues its ops (90 % bookings, 10 % payments); every 50th booking of desks B and C
  // asks another unit set for a child-day desk A booked too (contested).
  const queued: Slot[] = [];
  const writeMs: number[] = [];
  let refused = 0;
  const queueStarted = performance.now();
  for (let d = 0; d < all.length; d++) {
    const desk = all[d]!;
    for (let k = 0; k < N.partitionOpsPerDesk; k++) {
      let result;
      const started = performance.now();
      if (k % 10 === 9) {
        result = await desk.invoke('payment/record', paymentArgs(slots, d * 100_000 + k));
      } else {
        let slot: Slot;
        if (d > 0 && k % 50 === 0 && queued.length > k) {
          const other = queued[k]!;
          slot = { ...other, units: other.units.length === 1 ? alternative(other) : other.units.slice(0, 1) };
        } else {
          slot = slots.desk();
          if (d === 0) queued.push(slot);
        }
        result = await desk.invoke('booking/set-day', bookingArgs(slot));
      }
      writeMs.push(performance.now() - started);
      if (!result.ok) {
        refused++;
        if (refused <= 3) ctx.log(`queued op refused: ${result.error.code} ${result.error.message}`);
      }
    }
  }
  const pendingBefore = all.map((desk) => desk.status().pending);
  ctx.log(
    `queued offline in ${((performance.now() - queueStarted) / 1000).toFixed(1)} s: pending ${pendingBefore.join(' + ')}` +
      ` (local writes with a growing outbox: ${describeMs(writeMs)}; refused ${refused})`,
  );
  metrics['sync.partition_day.queued_ops'] = metric(
    pendingBefore.reduce((a, b) => a + b, 0),
    'ops',
    all.length,
  );
  metrics['sync.partition_day.offline_write_p95_ms'] = metric(percentile(writeMs, 95), 'ms', writeMs.length);

  // Parents: sessions opened ahead (the login itself is not part of the figure).
  const parentSlots = slots.parents(N.partitionParents);
  const accountIds = [...new Set(parentSlots.map((s) => s.accountId))];
  const cookies = new Map<string, string>();
  for (let i = 0; i < accountIds.length; i += 500) {
    const chunk = accountIds.slice(i, i + 500);
    const opened = await server.request('openSessions', { accountIds: chunk });
    chunk.forEach((id, j) => cookies.set(id, opened[j]!));
  }
  ctx.log(`${parentSlots.length} parents' bookings ready (${accountIds.length} distinct accounts)`);

  // Reconnect: every desk syncs, parents book concurrently; settled = every desk's pending 0 and every
  // parent answered.
  const outcomes: Record<string, number> = {};
  const parentMs: number[] = [];
  let parentErrors = 0;
  const t0 = performance.now();
  for (const network of switches) network.on();
  const desksSettled = all.map(async (desk) => {
    let status = await desk.syncNow();
    for (let round = 0; status.pending > 0 && round < 50; round++) {
      await sleep(50);
      status = await desk.syncNow();
    }
    if (status.pending > 0) throw new Error(`a desk still has ${status.pending} pending op(s): ${status.message}`);
    return performance.now() - t0;
  });
  const parentsDone = pool(parentSlots, N.parentConcurrency, async (slot) => {
    const started = performance.now();
    try {
      const answer = await parentBooking(server.url, cookies.get(slot.accountId)!, slot);
      outcomes[answer.outcome] = (outcomes[answer.outcome] ?? 0) + 1;
    } catch (error) {
      parentErrors++;
      if (parentErrors <= 3) ctx.log(`parent booking failed: ${(error as Error).message}`);
    }
    parentMs.push(performance.now() - started);
  }).then(() => performance.now() - t0);
  const deskTimes = await Promise.all(desksSettled);
  const parentsTime = await parentsDone;
  const settle = Math.max(...deskTimes, parentsTime) / 1000;

  // Convergence (reported, not the target): one more sync per desk after the parents, every replica at the
  // server's last change.
  await Promise.all(all.map((desk) => desk.syncNow()));
  const converged = (performance.now() - t0) / 1000;
  const lastSeq = await server.request('lastSeq', {});
  const cursors = all.map((desk) => desk.status().cursor);

  const deskOutcomes: Record<string, number> = {};
  for (const desk of all) {
    const rows = desk
      .session()
      .store.sqlite.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status')
      .all() as { status: string; n: number }[];
    for (const r of rows) deskOutcomes[r.status] = (deskOutcomes[r.status] ?? 0) + r.n;
  }
  ctx.log(
    `partition day: settled in ${settle.toFixed(2)} s (desks ${deskTimes.map((t) => (t / 1000).toFixed(2)).join(', ')} s;` +
      ` parents ${(parentsTime / 1000).toFixed(2)} s); converged in ${converged.toFixed(2)} s`,
  );
  ctx.log(`  desk ops by status ${JSON.stringify(deskOutcomes)}; parents ${JSON.stringify(outcomes)}, errors ${parentErrors}`);
  ctx.log(`  parents' requests during the reconnect: ${describeMs(parentMs)}`);
  ctx.log(`  server last seq ${lastSeq}; desk cursors ${cursors.join(', ')}`);
  if (parentErrors > 0) env.notes.push(`partition day: ${parentErrors} parent request(s) failed`);
  if (cursors.some((c) => c < lastSeq))
    env.notes.push(`partition day: a desk's cursor is behind the server's last change after the final sync`);
  metrics['sync.partition_day.settle_s'] = metric(settle, 's', pendingBefore.reduce((a, b) => a + b, 0) + parentSlots.length);
  metrics['sync.partition_day.converged_s'] = metric(converged, 's', all.length);
  metrics['sync.partition_day.parent_p95_ms'] = metric(percentile(parentMs, 95), 'ms', parentMs.length);
  metrics['sync.partition_day.parent_errors'] = metric(parentErrors, 'requests', parentSlots.length);
}

function alternative(slot: Slot): Slot['units'] {
  if (slot.units[0] === 'MATIN') return ['APRES_MIDI'];
  if (slot.units[0] === 'APRES_MIDI') return ['MATIN'];
  return [];
}

// -----------------------------------------------------------------------------------------------------------
// 5. kill -9 mid-push (tests/sync/kill9-harness.ts, by its own author).

interface Kill9Result {
  runs: number;
  lost: number;
  duplicated: number;
}

async function kill9(env: Env): Promise<void> {
  const { ctx, metrics, notes } = env;
  const specifier = '../../sync/kill9-harness';
  let harness: Record<string, unknown>;
  try {
    harness = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const why = `tests/sync/kill9-harness.ts could not be loaded (${(error as Error).message.split('\n')[0]}): sync.kill9.* not measured`;
    ctx.log(why);
    notes.push(why);
    return;
  }
  const run = harness.runKill9;
  if (typeof run !== 'function') {
    notes.push(`tests/sync/kill9-harness.ts exports no runKill9 (exports: ${Object.keys(harness).join(', ')})`);
    return;
  }
  ctx.log(`kill -9 harness: ${N.kill9Runs} runs…`);
  const started = performance.now();
  const result = (await (run as (iterations: number, options: { seed: number }) => Promise<Kill9Result>)(
    N.kill9Runs,
    { seed: 1 },
  )) as Partial<Kill9Result>;
  const seconds = (performance.now() - started) / 1000;
  ctx.log(`kill -9: ${JSON.stringify(result)} in ${seconds.toFixed(1)} s`);
  if (typeof result.runs !== 'number' || typeof result.lost !== 'number' || typeof result.duplicated !== 'number') {
    notes.push(`runKill9 answered ${JSON.stringify(result)}: expected { runs, lost, duplicated }`);
    return;
  }
  metrics['sync.kill9.runs'] = metric(result.runs, 'runs', result.runs);
  metrics['sync.kill9.lost'] = metric(result.lost, 'ops', result.runs);
  metrics['sync.kill9.duplicated'] = metric(result.duplicated, 'ops', result.runs);
  metrics['sync.kill9.seconds'] = metric(seconds, 's', result.runs);
}
