// kill -9 of a desk in the middle of pushing, many times over (docs/SYNC.md, "Guarantees"): a real desk process
// (desk-worker.ts, bundled once with esbuild and run with plain node) records payments, reversals and bookings
// and pushes them to a real server in this process; the harness kills it with SIGKILL at a random moment —
// while the server reads its push, right after the server acted (the answer is lost), at a random instant
// after a push began, or just after a local commit — and starts it again on the same SQLite file. Each restart
// first finishes what the killed run left (checked: nothing pending, every payment reported so far is on the
// server once), then works until the next kill. In one run out of four the server compacts its change log right
// after a push, so that the desk resyncs from a snapshot with its outbox — and kills land in resyncs too. Two
// desks do this side by side (own files, shared places). A last run finishes; then every guarantee is checked.
//
// The worker talks to the server with a small node:http fetch (http-fetch.ts: the global fetch costs ~70 ms to
// load in each fresh process); everything else is the product's DeskBackend. GF_WORKER_TRACE=1 echoes workers'
// stderr (with start timings).
//
// Usage: `const report = await runKill9(1000, { seed: 7 })` → { runs, kills, lost, duplicated, problems, … }.
// One kill exactly while a resynced replica is swapped in: swap-crash-harness.ts.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { FastifyRequest } from 'fastify';
import { compactChangeLog } from '../../server/sync/change-log';
import { bundleScript, spawnScript } from './bundle';
import type { ScriptProcess } from './bundle';
import type { WorkerConfig, WorkerSlot } from './desk-worker';
import type { EnrolledDesk } from './support';
import { SyncTown, agentIdOf, busiestDays, enrolDesk, slotsOn, startServer } from './support';
import { outboxViolations, receiptViolations, replicaDiff, serverViolations } from './invariants';
import { mulberry32 } from '../support/random';

export interface Kill9Options {
  seed?: number;
  /** Families in the town (default 12). */
  families?: number;
  /** Ops per push (default 3: several pushes per sync, so kills land between batches too). */
  batchSize?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Give up on one run after this long (default 15 s). */
  runTimeoutMs?: number;
  /** Desks killed side by side, each on its own file, sharing the server and its places (default 2). */
  desks?: number;
}

export interface Kill9Report {
  /** Worker processes started and killed (the final, finishing run not counted). */
  runs: number;
  kills: { request: number; response: number; timer: number; local: number };
  /** Kills that landed while a push request was being served, or between a sync's start and end. */
  killsMidPush: number;
  committed: { payments: number; reversals: number; bookings: number };
  /** Payments (and reversals) reported committed by a worker that the server does not have. */
  lost: number;
  /** Server payment rows beyond one per payment op of the desk. */
  duplicated: number;
  /** Restarts whose first sync left something pending. */
  unfinished: number;
  /** Change-log compactions right after a push (the desk's next pull answers resync_required)… */
  compactions: number;
  /** …and snapshots downloaded (first replicas and resyncs). */
  snapshots: number;
  /** Every violated guarantee, in words (empty when all hold). */
  problems: string[];
  seconds: number;
  /** Mean per run: process start to `ready`, the restart's first sync, work until the kill (ms). */
  averageMs?: { start: number; firstSync: number; work: number };
}

type KillMode = keyof Kill9Report['kills'];
const KILL_MODES: KillMode[] = ['request', 'response', 'timer', 'local'];

/** desk-worker.ts bundled once per process; the command line that runs it: `node <loader> <bundle> <config>`. */
export function bundleDeskWorker(): Promise<string[]> {
  return bundleScript('desk-worker.ts');
}

/** One desk killed over and over: its worker process, its kill switch, what it reported. */
class Lane {
  worker: ScriptProcess | null = null;
  armed: { mode: KillMode; nth: number; seen: number } | null = null;
  pushesInFlight = 0;
  syncing = false;
  /** Compact the change log right after this desk's next push. */
  compact = false;
  restart: { run: number; spawnedAt: number; readyAt: number } | null = null;
  readonly reported = new Map<string, 'pay' | 'rev'>();
  readonly reportedBookings = new Set<string>();
  readonly random: () => number;

  constructor(
    readonly index: number,
    readonly desk: EnrolledDesk,
    readonly dbPath: string,
    seed: number,
  ) {
    this.random = mulberry32(seed * 31 + index);
  }

  alive(): boolean {
    return (
      this.worker !== null && this.worker.child.exitCode === null && this.worker.child.signalCode === null
    );
  }
}

export async function runKill9(iterations: number, options: Kill9Options = {}): Promise<Kill9Report> {
  const started = Date.now();
  const seed = options.seed ?? 1;
  const log = options.log ?? (() => undefined);
  const runTimeoutMs = options.runTimeoutMs ?? 15_000;
  const laneCount = Math.max(1, Math.min(options.desks ?? 2, iterations));
  const command = await bundleDeskWorker();
  const town = new SyncTown('gf-kill9-');
  const report: Kill9Report = {
    runs: 0,
    kills: { request: 0, response: 0, timer: 0, local: 0 },
    killsMidPush: 0,
    committed: { payments: 0, reversals: 0, bookings: 0 },
    lost: 0,
    duplicated: 0,
    unfinished: 0,
    compactions: 0,
    snapshots: 0,
    problems: [],
    seconds: 0,
  };
  const timing = { start: 0, firstSync: 0, work: 0 };

  await town.seed({ families: options.families ?? 12, seed });
  const { desks, agentId, households, slots } = town.onSeed((sqlite) => {
    const days = busiestDays(sqlite, 'ALSH_MER', 7);
    const found: WorkerSlot[] = [];
    for (const cell of days) {
      for (const slot of slotsOn(sqlite, { activityCode: 'ALSH_MER', ...cell })) {
        if (!found.some((s) => s.personId === slot.personId && s.day === slot.day)) found.push(slot);
      }
      if (found.length >= 8) break;
    }
    // Few places: bookings of both desks compete (accepted, waitlisted, cancelled, rebooked).
    const cells = days.map((d) => `'${d.day}'`).join(',');
    sqlite.exec(`UPDATE capacities SET places = taken + 2 WHERE day IN (${cells})`);
    return {
      desks: Array.from({ length: laneCount }, (_, i) =>
        enrolDesk(sqlite, `K9${String.fromCharCode(65 + i)}`),
      ),
      agentId: agentIdOf(sqlite, 'agent.regie'),
      households: (
        sqlite.prepare('SELECT id FROM households ORDER BY id LIMIT 10').all() as { id: string }[]
      ).map((row) => row.id),
      slots: found
        .slice(0, 8)
        .map(({ personId, activityId, siteId, day }) => ({ personId, activityId, siteId, day })),
    };
  });
  const lanes = desks.map((desk, i) => new Lane(i, desk, town.file(`desk-${desk.prefix}`), seed));
  const laneOf = (request: FastifyRequest): Lane | undefined =>
    request.url.startsWith('/sync/v1/push')
      ? lanes.find((lane) => request.headers.authorization === `Bearer ${lane.desk.token}`)
      : undefined;

  const kill = (lane: Lane, mode: KillMode): void => {
    if (!lane.alive() || !lane.armed) return;
    lane.armed = null;
    report.kills[mode] += 1;
    if (lane.pushesInFlight > 0 || lane.syncing) report.killsMidPush += 1;
    lane.worker?.child.kill('SIGKILL');
  };
  // The kill switch, driven by the server's view of each worker's pushes.
  const server = await startServer(town.serverCopy(), {
    prepare(app, database) {
      app.addHook('preHandler', async (request) => {
        const lane = laneOf(request);
        if (!lane) return;
        lane.pushesInFlight += 1;
        const armed = lane.armed;
        if (!armed || (armed.mode !== 'request' && armed.mode !== 'timer')) return;
        armed.seen += 1;
        if (armed.seen < armed.nth) return;
        if (armed.mode === 'request') kill(lane, 'request');
        else setTimeout(() => kill(lane, 'timer'), Math.floor(lane.random() * 25));
      });
      app.addHook('onSend', async (request, _reply, payload) => {
        if (request.url.startsWith('/sync/v1/snapshot')) report.snapshots += 1;
        const lane = laneOf(request);
        if (lane?.compact) {
          // The desk has not pulled what its push just wrote: its next pull must resync from a snapshot.
          lane.compact = false;
          compactChangeLog(database, Number.MAX_SAFE_INTEGER);
          report.compactions += 1;
        }
        if (!lane?.armed || lane.armed.mode !== 'response') return payload;
        lane.armed.seen += 1;
        if (lane.armed.seen >= lane.armed.nth) kill(lane, 'response');
        return payload;
      });
      app.addHook('onResponse', async (request) => {
        const lane = laneOf(request);
        if (lane) lane.pushesInFlight -= 1;
      });
    },
  });
  const { sqlite } = server.database;
  const paymentCount = sqlite.prepare('SELECT COUNT(*) FROM payments WHERE id = ?').pluck();

  const onLine = (lane: Lane, line: string): void => {
    const [kind, what, id] = line.split(' ');
    if (kind === 'ready' && lane.restart) lane.restart.readyAt = performance.now();
    if (kind === 'push') lane.syncing = true;
    else if (kind === 'synced') {
      lane.syncing = false;
      // First sync of a restarted run: it must have finished what the killed run left — checked now, before
      // the lines that follow in the same chunk are counted.
      const restart = lane.restart;
      if (restart) {
        const now = performance.now();
        timing.start += restart.readyAt - restart.spawnedAt;
        timing.firstSync += now - restart.readyAt;
        if (what !== '0') report.unfinished += 1;
        for (const [paymentId] of lane.reported)
          if (paymentCount.get(paymentId) !== 1)
            report.problems.push(
              `${lane.desk.prefix} run ${restart.run}: payment ${paymentId} not on the server after the restart`,
            );
        lane.restart = null;
      }
    }
    if (kind === 'refused') report.problems.push(`${lane.desk.prefix}: the desk refused a command: ${line}`);
    if (kind !== 'committed' || !id) return;
    if (what === 'pay' || what === 'rev') {
      lane.reported.set(id, what);
      report.committed[what === 'pay' ? 'payments' : 'reversals'] += 1;
    } else if (what === 'book') {
      lane.reportedBookings.add(id);
      report.committed.bookings += 1;
    }
    const armed = lane.armed;
    if (armed?.mode === 'local') {
      armed.seen += 1;
      if (armed.seen >= armed.nth) setTimeout(() => kill(lane, 'local'), Math.floor(lane.random() * 3));
    }
  };
  const start = (lane: Lane, mode: WorkerConfig['mode'], run: number): ScriptProcess => {
    const config: WorkerConfig = {
      dbPath: lane.dbPath,
      serverUrl: server.url,
      deskToken: lane.desk.token,
      agentId,
      households,
      slots,
      seed: seed * 100_003 + lane.index * 7_919 + run,
      mode,
      batchSize: options.batchSize ?? 3,
    };
    lane.worker = spawnScript(command, [JSON.stringify(config)], (line) => onLine(lane, line));
    return lane.worker;
  };

  const killLoop = async (lane: Lane, runs: number): Promise<void> => {
    for (let run = 0; run < runs; run += 1) {
      lane.restart = { run, spawnedAt: performance.now(), readyAt: 0 };
      lane.syncing = true;
      const worker = start(lane, 'work', run);
      await worker.waitFor((line) => line.startsWith('synced '), runTimeoutMs);
      const armedAt = performance.now();
      const mode = KILL_MODES[Math.floor(lane.random() * KILL_MODES.length)] as KillMode;
      lane.armed = { mode, nth: 1 + Math.floor(lane.random() * 3), seen: 0 };
      lane.compact = lane.random() < 0.25;
      const timeout = setTimeout(() => {
        report.problems.push(`${lane.desk.prefix} run ${run}: the ${mode} kill never fired`);
        worker.child.kill('SIGKILL');
      }, runTimeoutMs);
      const exit = await worker.exited;
      timing.work += performance.now() - armedAt;
      clearTimeout(timeout);
      lane.armed = null;
      lane.compact = false;
      report.runs += 1;
      if (exit.signal !== 'SIGKILL')
        report.problems.push(
          `${lane.desk.prefix} run ${run}: worker ended by itself (${exit.code}): ${worker.stderr.join('').slice(-800)}`,
        );
      if (report.runs % 50 === 0)
        log(`${report.runs}/${iterations} kills, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  };
  const finish = async (lane: Lane): Promise<void> => {
    const worker = start(lane, 'finish', -1);
    await worker.waitFor((line) => line === 'done', runTimeoutMs);
    const exit = await worker.exited;
    if (exit.code !== 0)
      report.problems.push(`${lane.desk.prefix}: finishing run failed: ${worker.stderr.join('')}`);
    lane.worker = null;
  };

  try {
    await Promise.all(
      lanes.map((lane) =>
        killLoop(lane, Math.floor(iterations / laneCount) + (lane.index < iterations % laneCount ? 1 : 0)),
      ),
    );
    // Every desk finishes, then all but the last pull once more (the later ones pushed after them).
    for (const lane of lanes) await finish(lane);
    for (const lane of lanes.slice(0, -1)) await finish(lane);
    report.problems.push(...serverViolations(sqlite));
    for (const lane of lanes) checkLane(lane);
  } finally {
    for (const lane of lanes) if (lane.alive()) lane.worker?.child.kill('SIGKILL');
    await server.close();
    if (existsSync(town.dir)) town.dispose();
  }

  function checkLane(lane: Lane): void {
    const { desk } = lane;
    const deskDb = new Database(lane.dbPath, { readonly: true });
    try {
      const outbox = deskDb.prepare('SELECT op_id, command, payload_json FROM outbox').all() as {
        op_id: string;
        command: string;
        payload_json: string;
      }[];
      // What the desk committed, from its own outbox: payment ids and the money they move.
      const paymentIds = new Set<string>();
      const amountOf = new Map<string, number>();
      let amounts = 0;
      for (const op of outbox) {
        const payload = JSON.parse(op.payload_json) as {
          paymentId: string;
          reversalId?: string;
          amountCents?: number;
        };
        if (op.command === 'payment.record') {
          paymentIds.add(payload.paymentId);
          amountOf.set(payload.paymentId, payload.amountCents ?? 0);
          amounts += payload.amountCents ?? 0;
        }
      }
      for (const op of outbox) {
        const payload = JSON.parse(op.payload_json) as { paymentId: string; reversalId?: string };
        if (op.command === 'payment.reverse' && payload.reversalId) {
          paymentIds.add(payload.reversalId);
          amounts -= amountOf.get(payload.paymentId) ?? 0;
        }
      }
      for (const [id] of lane.reported)
        if (paymentCount.get(id) !== 1 || !paymentIds.has(id)) report.lost += 1;
      const onServer = sqlite
        .prepare(
          'SELECT COUNT(*) AS n, COALESCE(SUM(amount_cents), 0) AS total FROM payments WHERE desk_id = ?',
        )
        .get(desk.id) as { n: number; total: number };
      report.duplicated += Math.max(0, onServer.n - paymentIds.size);
      if (onServer.n !== paymentIds.size)
        report.problems.push(
          `${desk.prefix}: the server has ${onServer.n} payments of the desk, the desk made ${paymentIds.size}`,
        );
      if (onServer.total !== amounts)
        report.problems.push(`${desk.prefix}: server total ${onServer.total} ≠ the desk's ${amounts}`);
      const applied = sqlite.prepare('SELECT COUNT(*) FROM applied_ops WHERE op_id = ?').pluck();
      for (const opId of lane.reportedBookings)
        if (applied.get(opId) !== 1)
          report.problems.push(
            `${desk.prefix}: booking op ${opId} applied ${String(applied.get(opId))} times`,
          );
      report.problems.push(
        ...outboxViolations(sqlite, desk.id, deskDb).map((problem) => `${desk.prefix}: ${problem}`),
        ...receiptViolations(sqlite, desk, paymentIds.size),
        ...replicaDiff(sqlite, desk.id, deskDb).map((diff) => `${desk.prefix} replica ≠ server: ${diff}`),
      );
    } finally {
      deskDb.close();
    }
  }

  report.seconds = (Date.now() - started) / 1000;
  const per = (ms: number) => Math.round(ms / Math.max(1, report.runs));
  report.averageMs = { start: per(timing.start), firstSync: per(timing.firstSync), work: per(timing.work) };
  return report;
}
