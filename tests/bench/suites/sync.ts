// The sync engine's figures (bench.md), on the bench town, with the server in its own process (real HTTP on
// 127.0.0.1) and the desks (DeskBackend) in this one:
// - sync.initial_replica.*: an empty desk → full replica, against the raw-insert baseline measured here;
// - sync.desk_write.p95_ms: a desk command committed locally and durably (synchronous = FULL);
// - sync.portal_to_desk.p95_ms: a parent's booking committed on the server → the row in a connected desk;
// - sync.partition_day.settle_s: 3 desks × 5,000 queued ops + 2,000 parents' bookings, reconnect → settled
//   (every op's final result recorded at its desk, every parent answered); converged_s: → every desk has
//   applied the server's changes too;
// - sync.oversubscribed: places beyond capacity on the server after all of it;
// - sync.kill9.*: tests/sync/kill9-harness.ts, 1,000 runs.
// Each phase has a time budget: when the product is too slow to reach the planned sample count in it, the
// phase stops, reports what it measured (n) and says so — the whole run stays bounded.
// GF_BENCH_QUICK=1: a small town, fewer operations (iteration only). GF_BENCH_SYNC_ONLY=initial_replica,
// desk_write or partition_day: that phase alone (iteration; the other two still start from a downloaded
// replica, without the baseline). GF_BENCH_KILL9_RUNS overrides the runs
// (0: skipped). GF_BENCH_BUDGET_SCALE multiplies the time budgets.
// GF_BENCH_WHATIF_ANALYZE=1: what-if, NOT the product — runs ANALYZE on the server's copy first (snapshots
// then carry sqlite_stat1 to the desks), to see the figures once the query planner has statistics.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import type { DeskBackend } from '../../../electron/backend/desk-backend';
import type { FetchLike } from '../../../electron/backend/snapshot-client';
import type { BenchContext, BenchSuite, Metrics, Target } from '../lib';
import { median, metric, percentile } from '../lib';
import {
  NetworkSwitch,
  QUICK,
  ServerProcess,
  SlotPool,
  WHATIF_ANALYZE,
  copyDatabase,
  describeMs,
  epochMs,
  flushDisk,
  oversubscriptionOf,
  parentBooking,
  pool,
  replicaForDesk,
  replicatedRows,
  scaled,
  sharedReplicaPath,
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
  deskWritesWarmUp: scaled(100, 40),
  portalSamples: scaled(250, 100),
  portalWarmUp: scaled(20, 10),
  portalParents: 10,
  partitionOpsPerDesk: scaled(5_000, 300),
  partitionParents: scaled(2_000, 300),
  parentConcurrency: 64,
  /** Full-size runs of the baseline insert after a partial warm-up (each ~30 s on the 20,000-family town). */
  baselineRuns: scaled(2, 3),
  baselineWarmUpRows: 200_000,
  kill9Runs: Number(process.env.GF_BENCH_KILL9_RUNS ?? scaled(1_000, 20)),
};

/** Time budgets (ms) of the phases whose duration depends on the product's speed (GF_BENCH_BUDGET_SCALE × them). */
const BUDGET_SCALE = Number(process.env.GF_BENCH_BUDGET_SCALE ?? 1);
const BUDGET = {
  /** Warm-up writes stop after this long even when fewer than planned. */
  deskWritesWarmUp: 10_000 * BUDGET_SCALE,
  deskWrites: 45_000 * BUDGET_SCALE,
  portal: 60_000 * BUDGET_SCALE,
  partitionQueue: 60_000 * BUDGET_SCALE,
  partitionSettle: 90_000 * BUDGET_SCALE,
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

/** GF_BENCH_SYNC_ONLY values: one phase alone. */
const ONLY_PHASES: Record<string, 'initial_replica' | 'desk_write' | 'partition_day' | undefined> = {
  initial_replica: 'initial_replica',
  desk_write: 'desk_write',
  partition_day: 'partition_day',
};

interface EnrolledDesk {
  deskId: string;
  token: string;
  dbPath: string;
}

interface Env {
  ctx: BenchContext;
  town: SuiteTown;
  server: ServerProcess;
  slots: SlotPool;
  metrics: Metrics;
  /** Things that went wrong or were cut short, printed at the end. */
  notes: string[];
  desks: { a: EnrolledDesk; b: EnrolledDesk; c: EnrolledDesk };
}

export const syncSuite: BenchSuite = {
  name: 'sync',
  description:
    'desk ⇄ server over real HTTP (server in its own process): initial replica vs baseline, local writes, ' +
    'portal → desk latency, partition day, oversubscription, kill -9' +
    (QUICK ? ' — QUICK MODE (small town, fewer ops: not the real figures)' : '') +
    (WHATIF_ANALYZE ? ' — WHAT-IF MODE (ANALYZE run on the server copy: not the product as it is)' : ''),
  async run(ctx) {
    const town = await suiteTown(ctx);
    ctx.log(`town: ${town.families} families${QUICK ? ' (quick mode)' : ''}`);
    const serverFile = path.join(ctx.tmpDir, 'server.sqlite');
    copyDatabase(town.file, serverFile);
    if (WHATIF_ANALYZE) {
      const started = performance.now();
      const sqlite = new BetterSqlite3(serverFile);
      sqlite.exec('ANALYZE');
      sqlite.close();
      ctx.log(
        `WHAT-IF: ANALYZE on the server copy took ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    const before = oversubscriptionOf(serverFile);
    const slots = new SlotPool(town.file);
    ctx.log(`bookable days from ${slots.firstDay}; seeded town: ${describeOver(before)}`);

    const metrics: Metrics = {};
    const notes: string[] = [];
    const server = await ServerProcess.start(serverFile);
    ctx.log(`server process ${server.pid} listening on ${server.url}`);
    try {
      // Enrolled before the first snapshot, so that every replica knows the three desks (receipt prefixes).
      const enrol = async (name: string, prefix: string, folder: string): Promise<EnrolledDesk> => ({
        ...(await server.request('enrolDesk', { name, prefix })),
        dbPath: path.join(ctx.tmpDir, folder, 'desk.sqlite'),
      });
      const desks = {
        a: await enrol('Poste bench A', 'BNA', 'desk-a'),
        b: await enrol('Poste bench B', 'BNB', 'desk-b'),
        c: await enrol('Poste bench C', 'BNC', 'desk-c'),
      };
      const env: Env = { ctx, town, server, slots, metrics, notes, desks };
      const only = ONLY_PHASES[process.env.GF_BENCH_SYNC_ONLY ?? ''];
      await initialReplica(env, !only || only === 'initial_replica');
      if (!only || only === 'desk_write') await connectedDesk(env, !only);
      if (!only || only === 'partition_day') await partitionDay(env);
      if (only) return { metrics, targets: TARGETS.filter((t) => t.metric.startsWith(`sync.${only}.`)) };
    } finally {
      await server.close();
    }

    const after = oversubscriptionOf(serverFile);
    ctx.log(`server after every sync benchmark: ${describeOver(after)}`);
    metrics['sync.oversubscribed'] = metric(after.over, 'places', after.cells);
    if (before.over > 0)
      notes.push(`the seeded town itself already had ${before.over} place(s) beyond capacity`);

    await kill9(ctx, metrics, notes);

    for (const note of notes) ctx.log(`NOTE: ${note}`);
    return { metrics, targets: TARGETS };
  },
};

function describeOver(o: Oversubscription): string {
  return (
    `${o.over} place(s) beyond capacity over ${o.cells} capacity cells` +
    ` (taken ≠ reservee count in ${o.mismatched} cell(s); ${o.withoutCell} reservee booking(s) without a cell)`
  );
}

// -----------------------------------------------------------------------------------------------------------
// 1. Empty desk → full replica, vs the raw-insert baseline measured in this run.

async function initialReplica(env: Env, withBaseline: boolean): Promise<void> {
  const { ctx, server, metrics, desks } = env;
  // Only to split the figure: when the server's answer (the snapshot it builds) starts.
  let snapshotHeadersAt = 0;
  const timedFetch: FetchLike = async (input, init) => {
    const response = await fetch(input, init);
    if (String(input instanceof Request ? input.url : input).includes('/snapshot'))
      snapshotHeadersAt = performance.now();
    return response;
  };
  const started = performance.now();
  const desk = await startDesk({
    dbPath: desks.a.dbPath,
    serverUrl: server.url,
    deskToken: desks.a.token,
    fetch: timedFetch,
    autoSync: false,
  });
  const opened = performance.now();
  const status = await desk.syncNow();
  const seconds = (performance.now() - started) / 1000;
  if (status.connection !== 'online') throw new Error(`desk A is ${status.connection}: ${status.message}`);
  const counts = replicatedRows(desk.session().store.sqlite);
  desk.close();
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  const bookings = counts.bookings ?? 0;
  const rowsPerS = rows / seconds;
  ctx.log(
    `initial replica: ${rows} rows (${bookings} bookings, ${Object.keys(counts).length} tables) in ` +
      `${seconds.toFixed(2)} s = ${rowsPerS.toFixed(0)} rows/s (start() → synced, snapshot over HTTP)`,
  );
  ctx.log(
    `  server builds the snapshot until ${((snapshotHeadersAt - started) / 1000).toFixed(2)} s; download + open ` +
      `${((opened - snapshotHeadersAt) / 1000).toFixed(2)} s; first sync ${((performance.now() - opened) / 1000).toFixed(2)} s`,
  );
  // The other desks start from the same replica (a snapshot differs between desks only by sync_state.desk_id),
  // as does the desk suite: copies instead of three more downloads of the whole town.
  replicaForDesk(desks.a.dbPath, desks.b.dbPath, desks.b.deskId);
  replicaForDesk(desks.a.dbPath, desks.c.dbPath, desks.c.deskId);
  copyDatabase(desks.a.dbPath, sharedReplicaPath(ctx, env.town));

  if (!withBaseline) return;
  // The baseline on the same number of booking rows (the desk's), same run, same machine.
  let bookingRows: unknown[][] | null = loadBookingRows(env.town.file);
  if (bookingRows.length > bookings) bookingRows = bookingRows.slice(0, bookings);
  const n = bookingRows.length;
  const file = path.join(ctx.tmpDir, 'baseline.sqlite');
  const warmUpRows = bookingRows.slice(0, Math.min(n, N.baselineWarmUpRows));
  const warmUp = await timeBulkInsert(file, warmUpRows);
  ctx.log(`baseline warm-up (${warmUpRows.length} rows): ${(warmUpRows.length / warmUp).toFixed(0)} rows/s`);
  const runs: number[] = [];
  for (let i = 0; i < N.baselineRuns; i++) {
    runs.push(n / (await timeBulkInsert(file, bookingRows)));
    ctx.log(`baseline run ${i + 1}/${N.baselineRuns} (${n} rows): ${runs[i]!.toFixed(0)} rows/s`);
  }
  bookingRows = null;
  const baseline = median(runs);
  metrics['sync.initial_replica.rows_per_s'] = metric(rowsPerS, 'rows/s', rows);
  metrics['sync.initial_replica.seconds'] = metric(seconds, 's', 1);
  metrics['sync.initial_replica.rows'] = metric(rows, 'rows', 1);
  metrics['sync.initial_replica.baseline_rows_per_s'] = metric(baseline, 'rows/s', N.baselineRuns);
  metrics['sync.initial_replica.baseline_rows'] = metric(n, 'rows', 1);
  metrics['sync.initial_replica.ratio_to_baseline'] = metric(baseline / rowsPerS, 'ratio', 1);
}

// -----------------------------------------------------------------------------------------------------------
// 2 + 3. Desk A connected (push/pull loop + SSE): its local writes, then parents' bookings reaching it.

async function connectedDesk(env: Env, withPortal: boolean): Promise<void> {
  const { a } = env.desks;
  const desk = await startDesk({
    dbPath: a.dbPath,
    serverUrl: env.server.url,
    deskToken: a.token,
    autoSync: true,
  });
  try {
    await deskWrites(env, desk);
    if (withPortal) await portalToDesk(env, desk);
  } finally {
    desk.close();
  }
}

async function deskWrites(env: Env, desk: DeskBackend): Promise<void> {
  const { ctx, slots, metrics } = env;
  flushDisk();
  const samples: number[] = [];
  const byKind: Record<'booking' | 'payment', number[]> = { booking: [], payment: [] };
  let refused = 0;
  const warmUpEnds = performance.now() + BUDGET.deskWritesWarmUp;
  let warmUps = 0;
  let deadline = Number.POSITIVE_INFINITY;
  let i = 0;
  for (; samples.length < N.deskWrites && performance.now() < deadline; i++) {
    const warmingUp = warmUps < N.deskWritesWarmUp && performance.now() < warmUpEnds;
    if (!warmingUp && deadline === Number.POSITIVE_INFINITY) deadline = performance.now() + BUDGET.deskWrites;
    const booking = i % 2 === 0;
    const started = performance.now();
    const result = booking
      ? await desk.invoke('booking/set-day', bookingArgs(slots.desk()))
      : await desk.invoke('payment/record', paymentArgs(slots, i));
    const ms = performance.now() - started;
    if (!result.ok) {
      refused++;
      if (refused <= 3) ctx.log(`desk write refused: ${result.error.code} ${result.error.message}`);
    } else if (warmingUp) {
      warmUps++;
    } else {
      samples.push(ms);
      byKind[booking ? 'booking' : 'payment'].push(ms);
    }
    // Let the background sync (push, pull, SSE) run between two writes, as it would at the counter.
    await yieldToLoop();
  }
  const status = await desk.syncNow();
  ctx.log(`desk writes: ${describeMs(samples)}; refused ${refused}; after sync: pending ${status.pending}`);
  ctx.log(`  booking/set-day ${describeMs(byKind.booking)}`);
  ctx.log(`  payment/record  ${describeMs(byKind.payment)}`);
  ctx.log(`  (${warmUps} warm-up writes before; n = ${samples.length})`);
  if (samples.length < N.deskWrites)
    env.notes.push(
      `desk writes: time budget (${BUDGET.deskWrites / 1000} s) spent after ${samples.length} measured writes ` +
        `(planned ${N.deskWrites}; ${warmUps} warm-up writes)`,
    );
  const synchronous = desk.session().store.sqlite.pragma('synchronous', { simple: true });
  if (synchronous !== 2) env.notes.push(`desk database synchronous = ${String(synchronous)}, not FULL (2)`);
  metrics['sync.desk_write.p95_ms'] = metric(percentile(samples, 95), 'ms', samples.length);
  metrics['sync.desk_write.p50_ms'] = metric(percentile(samples, 50), 'ms', samples.length);
  metrics['sync.desk_write.p99_ms'] = metric(percentile(samples, 99), 'ms', samples.length);
  metrics['sync.desk_write.booking_p95_ms'] = metric(
    percentile(byKind.booking, 95),
    'ms',
    byKind.booking.length,
  );
  metrics['sync.desk_write.payment_p95_ms'] = metric(
    percentile(byKind.payment, 95),
    'ms',
    byKind.payment.length,
  );
  if (refused > 0) env.notes.push(`${refused} desk write(s) refused by the desk's checks (not timed)`);
}

function bookingArgs(slot: Slot) {
  return {
    personId: slot.personId,
    activityId: slot.activityId,
    siteId: slot.siteId,
    day: slot.day,
    units: slot.units,
  };
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

async function portalToDesk(env: Env, desk: DeskBackend): Promise<void> {
  const { ctx, server, slots, metrics } = env;
  const accounts = slots.busyAccounts(N.portalParents);
  const logins = loginsOf(env.town.file, accounts);
  // Real sign-ins (POST /api/v1/session, scrypt), one per parent.
  const cookies = new Map<string, string>();
  for (const account of accounts)
    cookies.set(account, await signIn(server.url, logins.get(account)!, DEMO_PASSWORD));
  const plan = slots.forAccounts(accounts, N.portalWarmUp + N.portalSamples);
  const visible = desk
    .session()
    .store.sqlite.prepare(
      "SELECT 1 FROM bookings WHERE person_id = ? AND activity_id = ? AND day = ? AND state IN ('reservee', 'en_attente') LIMIT 1",
    );
  await desk.syncNow();
  await sleep(200); // the SSE stream is open
  await server.request('track', { on: true });
  const samples: number[] = [];
  const answers: number[] = [];
  const outcomes: Record<string, number> = {};
  let timeouts = 0;
  const deadline = performance.now() + BUDGET.portal;
  let i = 0;
  for (; i < plan.length && performance.now() < deadline; i++) {
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
    const answeredAt = epochMs();
    outcomes[answer.outcome] = (outcomes[answer.outcome] ?? 0) + 1;
    if (answer.outcome === 'rejected') {
      stop();
      continue;
    }
    const at = await Promise.race([seen, sleep(10_000).then(() => null)]);
    stop();
    if (at === null) {
      timeouts++;
      continue;
    }
    const committed = await server.request('commitTime', { key });
    if (committed === null) throw new Error(`no commit time recorded for ${key}`);
    if (i >= N.portalWarmUp) {
      samples.push(at - committed);
      answers.push(answeredAt - committed);
    }
    await sleep(10);
  }
  await server.request('track', { on: false });
  ctx.log(
    `portal → desk: ${describeMs(samples)}; outcomes ${JSON.stringify(outcomes)}; not seen within 10 s: ${timeouts}`,
  );
  ctx.log(`  (server commit → parent's answer received: ${describeMs(answers)})`);
  if (i < plan.length)
    env.notes.push(
      `portal → desk: time budget (${BUDGET.portal / 1000} s) spent after ${i} of ${plan.length} bookings`,
    );
  if (samples.length < 200) env.notes.push(`portal → desk: ${samples.length} samples (fewer than 200)`);
  if (timeouts > 0)
    env.notes.push(`portal → desk: ${timeouts} booking(s) not visible on the desk within 10 s`);
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

async function partitionDay(env: Env): Promise<void> {
  const { ctx, server, slots, metrics, desks } = env;
  const switches: NetworkSwitch[] = [];
  const all: DeskBackend[] = [];
  try {
    for (const d of [desks.a, desks.b, desks.c]) {
      const network = new NetworkSwitch();
      switches.push(network);
      all.push(
        await startDesk({
          dbPath: d.dbPath,
          serverUrl: server.url,
          deskToken: d.token,
          fetch: network.fetch,
          autoSync: false,
        }),
      );
    }
    for (const network of switches) network.off();
    const queued = queueOffline(env, all);

    // Parents: sessions opened ahead (the sign-in itself is not part of the figure).
    const parentSlots = slots.parents(N.partitionParents);
    const accountIds = [...new Set(parentSlots.map((s) => s.accountId))];
    const cookies = new Map<string, string>();
    for (let i = 0; i < accountIds.length; i += 500) {
      const chunk = accountIds.slice(i, i + 500);
      const opened = await server.request('openSessions', { accountIds: chunk });
      chunk.forEach((id, j) => cookies.set(id, opened[j]!));
    }
    const ops = await queued;
    flushDisk();
    ctx.log(`${parentSlots.length} parents' bookings ready (${accountIds.length} distinct accounts)`);

    // Reconnect: every desk syncs, parents book concurrently. Settled = every queued op has its final result
    // (accepted, waitlisted or rejected) recorded in its desk's outbox, and every parent has an answer — or the
    // time budget is spent. Converged (reported beside) = every desk has also applied the server's changes.
    const outcomes: Record<string, number> = {};
    const parentMs: number[] = [];
    let parentErrors = 0;
    let parentsAnswered = 0;
    let overBudget = false;
    const t0 = performance.now();
    const deadline = t0 + BUDGET.partitionSettle;
    for (const network of switches) network.on();
    const deskTimes: (number | null)[] = all.map(() => null);
    const desksSynced = all.map(async (desk) => {
      let status = await desk.syncNow();
      while (status.pending > 0 && !overBudget) {
        await sleep(50);
        status = await desk.syncNow();
      }
    });
    const desksSettled = all.map(async (desk, d) => {
      while (!overBudget) {
        if (desk.status().pending === 0) {
          deskTimes[d] = performance.now() - t0;
          return;
        }
        await sleep(10);
      }
    });
    const parentsDone = pool(parentSlots, N.parentConcurrency, async (slot) => {
      if (overBudget) return;
      const started = performance.now();
      try {
        const answer = await parentBooking(server.url, cookies.get(slot.accountId)!, slot);
        outcomes[answer.outcome] = (outcomes[answer.outcome] ?? 0) + 1;
        parentsAnswered++;
      } catch (error) {
        parentErrors++;
        if (parentErrors <= 3) ctx.log(`parent booking failed: ${(error as Error).message}`);
      }
      parentMs.push(performance.now() - started);
    }).then(() => performance.now() - t0);
    const everything = Promise.all([Promise.all(desksSettled), parentsDone]);
    const finished = await Promise.race([
      everything.then(() => true),
      sleep(deadline - performance.now()).then(() => false),
    ]);
    let settle: number;
    let converged: number | null = null;
    if (finished) {
      const parentsTime = await parentsDone;
      settle = Math.max(...(deskTimes as number[]), parentsTime) / 1000;
      ctx.log(
        `partition day: settled in ${settle.toFixed(2)} s (desks ${deskTimes.map((t) => ((t ?? 0) / 1000).toFixed(2)).join(', ')} s;` +
          ` parents ${(parentsTime / 1000).toFixed(2)} s)`,
      );
      // Convergence (reported, not the target): the desks' catch-up, then one more sync each after the parents.
      await Promise.all(desksSynced);
      await Promise.all(all.map((desk) => desk.syncNow()));
      converged = (performance.now() - t0) / 1000;
      const lastSeq = await server.request('lastSeq', {});
      const cursors = all.map((desk) => desk.status().cursor);
      ctx.log(
        `  converged in ${converged.toFixed(2)} s: server last seq ${lastSeq}; desk cursors ${cursors.join(', ')}`,
      );
      if (cursors.some((c) => c < lastSeq))
        env.notes.push(`partition day: a desk's cursor is behind the server after the final sync`);
    } else {
      overBudget = true;
      settle = (performance.now() - t0) / 1000;
      const pending = all.map((desk) => desk.status().pending);
      const why =
        `partition day NOT SETTLED within the ${BUDGET.partitionSettle / 1000} s budget: desks still pending ` +
        `${pending.join(' + ')} of ${ops.perDesk.join(' + ')} ops; ${parentsAnswered} of ${parentSlots.length} ` +
        `parents answered — settle_s is a lower bound`;
      ctx.log(why);
      env.notes.push(why);
    }
    const deskOutcomes: Record<string, number> = {};
    for (const desk of all) {
      const rows = desk
        .session()
        .store.sqlite.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status')
        .all() as { status: string; n: number }[];
      for (const r of rows) deskOutcomes[r.status] = (deskOutcomes[r.status] ?? 0) + r.n;
    }
    ctx.log(
      `  desk ops by status ${JSON.stringify(deskOutcomes)}; parents ${JSON.stringify(outcomes)}, errors ${parentErrors}`,
    );
    ctx.log(`  parents' requests during the reconnect: ${describeMs(parentMs)}`);
    if (parentErrors > 0) env.notes.push(`partition day: ${parentErrors} parent request(s) failed`);
    const total = ops.perDesk.reduce((a, b) => a + b, 0);
    metrics['sync.partition_day.settle_s'] = metric(settle, 's', total + parentSlots.length);
    if (converged !== null) metrics['sync.partition_day.converged_s'] = metric(converged, 's', all.length);
    metrics['sync.partition_day.queued_ops'] = metric(total, 'ops', all.length);
    metrics['sync.partition_day.parents'] = metric(parentSlots.length, 'requests', accountIds.length);
    metrics['sync.partition_day.offline_write_p95_ms'] = metric(
      percentile(ops.writeMs, 95),
      'ms',
      ops.writeMs.length,
    );
    metrics['sync.partition_day.parent_p95_ms'] = metric(percentile(parentMs, 95), 'ms', parentMs.length);
    metrics['sync.partition_day.parent_errors'] = metric(parentErrors, 'requests', parentSlots.length);
    if (!finished) {
      // Stop the desks first (aborts their requests), then let the parents' requests in flight end.
      for (const desk of all.splice(0)) desk.close();
      await Promise.race([Promise.all([everything, ...desksSynced]).catch(() => undefined), sleep(30_000)]);
    }
  } finally {
    for (const desk of all) desk.close();
  }
}

/**
 * Offline, each desk queues its ops, round-robin between desks (90 % booked days, 10 % payments); every 50th
 * booking of desks B and C asks another unit set for a child-day desk A booked too (contested).
 */
async function queueOffline(env: Env, all: DeskBackend[]): Promise<{ perDesk: number[]; writeMs: number[] }> {
  const { ctx, slots, metrics } = env;
  flushDisk();
  const ofA: Slot[] = [];
  const writeMs: number[] = [];
  let refused = 0;
  const started = performance.now();
  const deadline = started + BUDGET.partitionQueue;
  let k = 0;
  for (; k < N.partitionOpsPerDesk && performance.now() < deadline; k++) {
    for (let d = 0; d < all.length; d++) {
      const desk = all[d]!;
      const t = performance.now();
      let result;
      if (k % 10 === 9) {
        result = await desk.invoke('payment/record', paymentArgs(slots, d * 100_000 + k));
      } else {
        let slot: Slot;
        const shared = ofA[Math.floor(k / 50)];
        if (d > 0 && k % 50 === 7 && shared) {
          slot = { ...shared, units: alternative(shared) };
        } else {
          slot = slots.desk();
          if (d === 0 && slot.kind.startsWith('alsh_') && ofA.length <= k / 50) ofA.push(slot);
        }
        result = await desk.invoke('booking/set-day', bookingArgs(slot));
      }
      writeMs.push(performance.now() - t);
      if (!result.ok) {
        refused++;
        if (refused <= 3) ctx.log(`queued op refused: ${result.error.code} ${result.error.message}`);
      }
    }
  }
  const perDesk = all.map((desk) => desk.status().pending);
  ctx.log(
    `partition day: queued offline in ${((performance.now() - started) / 1000).toFixed(1)} s: pending ` +
      `${perDesk.join(' + ')} (local writes with a growing outbox: ${describeMs(writeMs)}; refused ${refused})`,
  );
  if (k < N.partitionOpsPerDesk)
    env.notes.push(
      `partition day: queueing budget (${BUDGET.partitionQueue / 1000} s) spent after ${k} of ` +
        `${N.partitionOpsPerDesk} ops per desk — the partition is smaller than planned`,
    );
  metrics['sync.partition_day.queue_seconds'] = metric(
    (performance.now() - started) / 1000,
    's',
    writeMs.length,
  );
  return { perDesk, writeMs };
}

/** Another valid unit set for an ALSH day (the desks of a contested child-day disagree). */
function alternative(slot: Slot): Slot['units'] {
  if (slot.units.length > 1) return slot.units.slice(0, 1);
  return slot.units[0] === 'MATIN' ? ['APRES_MIDI'] : ['MATIN'];
}

// -----------------------------------------------------------------------------------------------------------
// 5. kill -9 mid-push (tests/sync/kill9-harness.ts, by its own author).

interface Kill9Report {
  runs: number;
  lost: number;
  duplicated: number;
  problems?: string[];
}

async function kill9(ctx: BenchContext, metrics: Metrics, notes: string[]): Promise<void> {
  if (N.kill9Runs <= 0) {
    notes.push('sync.kill9.* not measured: GF_BENCH_KILL9_RUNS=0');
    return;
  }
  // A variable specifier: the suite loads (and typechecks) whether the harness exists yet or not.
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
    notes.push(
      `tests/sync/kill9-harness.ts exports no runKill9 (exports: ${Object.keys(harness).join(', ')})`,
    );
    return;
  }
  ctx.log(`kill -9 harness: ${N.kill9Runs} runs…`);
  const started = performance.now();
  let lastProgress = started;
  const result = (await (
    run as (
      iterations: number,
      options: { seed: number; log?: (line: string) => void },
    ) => Promise<Kill9Report>
  )(N.kill9Runs, {
    seed: 1,
    log: (line) => {
      if (performance.now() - lastProgress < 30_000) return;
      lastProgress = performance.now();
      ctx.log(`  kill -9: ${line}`);
    },
  })) as Partial<Kill9Report>;
  const seconds = (performance.now() - started) / 1000;
  ctx.log(`kill -9: ${JSON.stringify(result)} in ${seconds.toFixed(1)} s`);
  if (
    typeof result.runs !== 'number' ||
    typeof result.lost !== 'number' ||
    typeof result.duplicated !== 'number'
  ) {
    notes.push(`runKill9 answered ${JSON.stringify(result)}: expected { runs, lost, duplicated }`);
    return;
  }
  if (result.problems && result.problems.length > 0) notes.push(`kill -9: ${result.problems.join('; ')}`);
  metrics['sync.kill9.runs'] = metric(result.runs, 'runs', result.runs);
  metrics['sync.kill9.lost'] = metric(result.lost, 'ops', result.runs);
  metrics['sync.kill9.duplicated'] = metric(result.duplicated, 'ops', result.runs);
  metrics['sync.kill9.seconds'] = metric(seconds, 's', result.runs);
}
