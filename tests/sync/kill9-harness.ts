// kill -9 of a desk in the middle of pushing, many times over (docs/SYNC.md, "Guarantees"): a real desk process
// (desk-worker.ts, bundled once with esbuild and run with plain node) records payments, reversals and bookings
// and pushes them to a real server in this process; the harness kills it with SIGKILL at a random moment —
// while the server reads its push, right after the server acted (the answer is lost), at a random instant
// after a push began, or just after a local commit — and starts it again on the same SQLite file. Each restart
// first finishes what the killed run left (checked: nothing pending, every payment reported so far is on the
// server once), then works until the next kill. A last run finishes; then every guarantee is checked.
//
// Usage: `const report = await runKill9(1000, { seed: 7 })` → { runs, kills, lost, duplicated, problems, … }.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import type { FastifyRequest } from 'fastify';
import type { WorkerConfig, WorkerSlot } from './desk-worker';
import {
  SyncTown,
  agentIdOf,
  busiestDays,
  enrolDesk,
  mulberry32,
  outboxViolations,
  receiptViolations,
  replicaDiff,
  serverViolations,
  slotsOn,
  startServer,
} from './support';

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
  /** Every violated guarantee, in words (empty when all hold). */
  problems: string[];
  seconds: number;
}

type KillMode = keyof Kill9Report['kills'];
const KILL_MODES: KillMode[] = ['request', 'response', 'timer', 'local'];

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');

/** Bundles desk-worker.ts once per process into node_modules/.cache (packages stay external, resolved from there). */
let bundled: Promise<string> | null = null;
export function bundleDeskWorker(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import('esbuild');
    const dir = join(root, 'node_modules', '.cache', 'gf-sync-tests');
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, `desk-worker-${process.pid}.mjs`);
    await build({
      entryPoints: [join(here, 'desk-worker.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
    process.once('exit', () => rmSync(outfile, { force: true }));
    return outfile;
  })();
  return bundled;
}

interface Worker {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the next line matching `test` (or rejects on exit / timeout). */
  waitFor(test: (line: string) => boolean, timeoutMs: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: string[];
}

function spawnWorker(bundle: string, config: WorkerConfig, onLine: (line: string) => void): Worker {
  const child = spawn(process.execPath, [bundle, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: root,
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<{ test: (line: string) => boolean; resolve: (line: string) => void }>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    onLine(line);
    for (const waiter of waiters) {
      if (waiter.test(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    stderr,
    exited,
    waitFor(test, timeoutMs) {
      return new Promise((resolve, reject) => {
        const waiter = { test, resolve };
        waiters.add(waiter);
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`worker: no expected line within ${timeoutMs} ms (${stderr.join('').slice(-500)})`));
        }, timeoutMs);
        void exited.then(() => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`worker exited before the expected line (${stderr.join('').slice(-500)})`));
        });
        const original = waiter.resolve;
        waiter.resolve = (line) => {
          clearTimeout(timer);
          original(line);
        };
      });
    },
  };
}

export async function runKill9(iterations: number, options: Kill9Options = {}): Promise<Kill9Report> {
  const started = Date.now();
  const seed = options.seed ?? 1;
  const random = mulberry32(seed);
  const log = options.log ?? (() => undefined);
  const runTimeoutMs = options.runTimeoutMs ?? 15_000;
  const bundle = await bundleDeskWorker();
  const town = new SyncTown('gf-kill9-');
  const report: Kill9Report = {
    runs: 0,
    kills: { request: 0, response: 0, timer: 0, local: 0 },
    killsMidPush: 0,
    committed: { payments: 0, reversals: 0, bookings: 0 },
    lost: 0,
    duplicated: 0,
    unfinished: 0,
    problems: [],
    seconds: 0,
  };

  await town.seed({ families: options.families ?? 12, seed });
  const { desk, agentId, households, slots } = town.onSeed((sqlite) => {
    const days = busiestDays(sqlite, 'ALSH_MER', 7);
    const found: WorkerSlot[] = [];
    for (const cell of days) {
      for (const slot of slotsOn(sqlite, { activityCode: 'ALSH_MER', ...cell })) {
        if (!found.some((s) => s.personId === slot.personId && s.day === slot.day)) found.push(slot);
      }
      if (found.length >= 8) break;
    }
    // Few places: bookings compete with each other (accepted, waitlisted, cancelled, rebooked).
    sqlite.exec(`UPDATE capacities SET places = taken + 2 WHERE day IN (${days.map((d) => `'${d.day}'`).join(',')})`);
    return {
      desk: enrolDesk(sqlite, 'K9'),
      agentId: agentIdOf(sqlite, 'agent.regie'),
      households: (sqlite.prepare('SELECT id FROM households ORDER BY id LIMIT 10').all() as { id: string }[]).map(
        (row) => row.id,
      ),
      slots: found.slice(0, 8).map(({ personId, activityId, siteId, day }) => ({ personId, activityId, siteId, day })),
    };
  });

  // The kill switch, driven by the server's view of the worker's pushes.
  let worker: Worker | null = null;
  let armed: { mode: KillMode; nth: number; seen: number } | null = null;
  let pushesInFlight = 0;
  let syncing = false;
  const kill = (mode: KillMode): void => {
    if (!worker || worker.child.exitCode !== null || worker.child.signalCode !== null || !armed) return;
    armed = null;
    report.kills[mode] += 1;
    if (pushesInFlight > 0 || syncing) report.killsMidPush += 1;
    worker.child.kill('SIGKILL');
  };
  const isPush = (request: FastifyRequest): boolean => request.url.startsWith('/sync/v1/push');
  const server = await startServer(town.serverCopy(), {
    prepare(app) {
      app.addHook('preHandler', async (request) => {
        if (!isPush(request)) return;
        pushesInFlight += 1;
        if (!armed || (armed.mode !== 'request' && armed.mode !== 'timer')) return;
        armed.seen += 1;
        if (armed.seen < armed.nth) return;
        if (armed.mode === 'request') kill('request');
        else setTimeout(() => kill('timer'), Math.floor(random() * 25));
      });
      app.addHook('onSend', async (request, _reply, payload) => {
        if (!isPush(request) || !armed || armed.mode !== 'response') return payload;
        armed.seen += 1;
        if (armed.seen >= armed.nth) kill('response');
        return payload;
      });
      app.addHook('onResponse', async (request) => {
        if (isPush(request)) pushesInFlight -= 1;
      });
    },
  });
  const { sqlite } = server.database;
  const dbPath = town.file('desk-k9');
  const reported = new Map<string, 'pay' | 'rev'>();
  const reportedBookings = new Set<string>();
  const paymentCount = sqlite.prepare('SELECT COUNT(*) FROM payments WHERE id = ?').pluck();

  const onLine = (line: string): void => {
    const [kind, what, id] = line.split(' ');
    if (kind === 'push') syncing = true;
    else if (kind === 'synced') syncing = false;
    if (kind === 'refused') report.problems.push(`the desk refused a command: ${line}`);
    if (kind !== 'committed' || !id) return;
    if (what === 'pay' || what === 'rev') {
      reported.set(id, what);
      report.committed[what === 'pay' ? 'payments' : 'reversals'] += 1;
    } else if (what === 'book') {
      reportedBookings.add(id);
      report.committed.bookings += 1;
    }
    if (armed?.mode === 'local') {
      armed.seen += 1;
      if (armed.seen >= armed.nth) setTimeout(() => kill('local'), Math.floor(random() * 3));
    }
  };
  const config = (mode: WorkerConfig['mode'], run: number): WorkerConfig => ({
    dbPath,
    serverUrl: server.url,
    deskToken: desk.token,
    agentId,
    households,
    slots,
    seed: seed * 100_003 + run,
    mode,
    batchSize: options.batchSize ?? 3,
  });

  try {
    for (let run = 0; run < iterations; run += 1) {
      worker = spawnWorker(bundle, config('work', run), onLine);
      syncing = true;
      const first = await worker.waitFor((line) => line.startsWith('synced '), runTimeoutMs);
      syncing = false;
      // The restart finished what the killed run left: nothing pending, every reported payment on the server.
      if (first.split(' ')[1] !== '0') report.unfinished += 1;
      for (const [id] of reported) if (paymentCount.get(id) !== 1) report.problems.push(`run ${run}: payment ${id} not on the server after restart`);
      const mode = KILL_MODES[Math.floor(random() * KILL_MODES.length)] as KillMode;
      armed = { mode, nth: 1 + Math.floor(random() * 3), seen: 0 };
      const timeout = setTimeout(() => {
        report.problems.push(`run ${run}: the ${mode} kill never fired`);
        worker?.child.kill('SIGKILL');
      }, runTimeoutMs);
      const exit = await worker.exited;
      clearTimeout(timeout);
      armed = null;
      report.runs += 1;
      if (exit.signal !== 'SIGKILL')
        report.problems.push(`run ${run}: worker ended by itself (${exit.code}): ${worker.stderr.join('').slice(-800)}`);
      if ((run + 1) % 50 === 0) log(`${run + 1}/${iterations} kills, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }

    worker = spawnWorker(bundle, config('finish', iterations), onLine);
    await worker.waitFor((line) => line === 'done', runTimeoutMs);
    const exit = await worker.exited;
    if (exit.code !== 0) report.problems.push(`finishing run failed: ${worker.stderr.join('')}`);
    worker = null;

    const deskDb = new Database(dbPath, { readonly: true });
    try {
      const outbox = deskDb.prepare('SELECT op_id, command, payload_json FROM outbox').all() as {
        op_id: string;
        command: string;
        payload_json: string;
      }[];
      const paymentIds = new Set<string>();
      let amounts = 0;
      for (const op of outbox) {
        const payload = JSON.parse(op.payload_json) as { paymentId: string; reversalId?: string; amountCents?: number };
        if (op.command === 'payment.record') {
          paymentIds.add(payload.paymentId);
          amounts += payload.amountCents ?? 0;
        } else if (op.command === 'payment.reverse' && payload.reversalId) {
          paymentIds.add(payload.reversalId);
          const original = outbox.find(
            (o) => o.command === 'payment.record' && o.payload_json.includes(`"paymentId":"${payload.paymentId}"`),
          );
          amounts -= original ? ((JSON.parse(original.payload_json) as { amountCents: number }).amountCents ?? 0) : 0;
        }
      }
      for (const [id] of reported) if (paymentCount.get(id) !== 1 || !paymentIds.has(id)) report.lost += 1;
      const serverPayments = sqlite
        .prepare('SELECT COUNT(*) AS n, COALESCE(SUM(amount_cents), 0) AS total FROM payments WHERE desk_id = ?')
        .get(desk.id) as { n: number; total: number };
      report.duplicated = Math.max(0, serverPayments.n - paymentIds.size);
      if (serverPayments.n !== paymentIds.size)
        report.problems.push(`server has ${serverPayments.n} payments of the desk, the desk made ${paymentIds.size}`);
      if (serverPayments.total !== amounts)
        report.problems.push(`server total ${serverPayments.total} ≠ the desk's ${amounts}`);
      const applied = sqlite.prepare('SELECT COUNT(*) FROM applied_ops WHERE op_id = ?').pluck();
      for (const opId of reportedBookings)
        if (applied.get(opId) !== 1) report.problems.push(`booking op ${opId} applied ${String(applied.get(opId))} times`);
      report.problems.push(
        ...outboxViolations(sqlite, desk.id, deskDb),
        ...receiptViolations(sqlite, desk, paymentIds.size),
        ...serverViolations(sqlite),
        ...replicaDiff(sqlite, desk.id, deskDb).map((diff) => `replica ≠ server: ${diff}`),
      );
    } finally {
      deskDb.close();
    }
  } finally {
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await server.close();
    if (existsSync(town.dir)) town.dispose();
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}
