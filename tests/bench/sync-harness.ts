// Helpers of the sync and desk benchmarks: the town they run on (quick mode: a small one), the server in its
// own process, desks with a network switch, and the checks (places beyond capacity, rows of a replica). Bookable
// slots drawn from the town: tests/bench/slot-pool.ts.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { seedDatabaseFile } from '../../db/seed';
import { DeskBackend } from '../../electron/backend/desk-backend';
import type { DeskBackendOptions } from '../../electron/backend/desk-backend';
import type { FetchLike } from '../../electron/backend/snapshot-client';
import type { DeskArgs, DeskCommand, DeskReturn } from '../../electron/contract';
import type { BenchContext } from './lib';
import { percentile, round } from './lib';
import type { Slot } from './slot-pool';
import { BENCH_TOWN } from './town';
import type { ServerMessage, ServerRequestType, ServerRequests, ServerResponses } from './sync-protocol';

/** `GF_BENCH_QUICK=1`: a small town and fewer operations, for fast iteration (figures are not the real ones). */
export const QUICK = process.env.GF_BENCH_QUICK === '1' || process.env.GF_BENCH_QUICK === 'true';
export const QUICK_FAMILIES = Number(process.env.GF_BENCH_QUICK_FAMILIES ?? 2_000);

/** What-if, not the product: ANALYZE the server's copy first (see tests/bench/suites/sync.ts). */
export const WHATIF_ANALYZE = process.env.GF_BENCH_WHATIF_ANALYZE === '1';

/** Scales an operation count down in quick mode. */
export function scaled(full: number, quick: number): number {
  return QUICK ? quick : full;
}

export interface SuiteTown {
  file: string;
  families: number;
}

/** The bench town (20,000 families), or in quick mode a small town seeded once per run in the shared folder. */
export async function suiteTown(ctx: BenchContext): Promise<SuiteTown> {
  // GF_BENCH_TOWN_FILE: a town seeded before with BENCH_TOWN's parameters (iteration only: saves the seed).
  const seeded = process.env.GF_BENCH_TOWN_FILE;
  if (seeded && !QUICK) {
    if (!existsSync(seeded)) throw new Error(`GF_BENCH_TOWN_FILE ${seeded} does not exist`);
    ctx.log(`town: ${seeded} (GF_BENCH_TOWN_FILE, seeded before)`);
    return { file: seeded, families: BENCH_TOWN.families };
  }
  if (!QUICK) return { file: (await ctx.town()).file, families: BENCH_TOWN.families };
  const file = path.join(ctx.sharedDir, `town-quick-${QUICK_FAMILIES}.sqlite`);
  if (!existsSync(file)) {
    ctx.log(`quick mode: seeding a ${QUICK_FAMILIES}-family town…`);
    await seedDatabaseFile(file, {
      families: QUICK_FAMILIES,
      seed: BENCH_TOWN.seed,
      today: BENCH_TOWN.today,
      force: true,
    });
  }
  return { file, families: QUICK_FAMILIES };
}

/**
 * Copies a closed SQLite database (with its -wal/-shm files when present), flushed to disk: the write-back of
 * a 2 GB copy would otherwise go on during the measurements that follow and slow every fsync in them.
 */
export function copyDatabase(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) {
    rmSync(to + suffix, { force: true });
    if (!existsSync(from + suffix)) continue;
    copyFileSync(from + suffix, to + suffix);
    const fd = openSync(to + suffix, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** Where the sync suite leaves a fresh desk replica of the town for the suites after it (the desk suite). */
export function sharedReplicaPath(ctx: BenchContext, town: SuiteTown): string {
  return path.join(ctx.sharedDir, `desk-replica-${town.families}${WHATIF_ANALYZE ? '-analyzed' : ''}.sqlite`);
}

/**
 * Another desk's first replica from a fresh one (no local write yet): the server's snapshot differs between
 * desks only by `sync_state.desk_id`, so a copy re-stamped with the desk's id is what it would download.
 */
export function replicaForDesk(replica: string, to: string, deskId: string): void {
  copyDatabase(replica, to);
  const sqlite = new BetterSqlite3(to);
  try {
    const outbox = (sqlite.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
    if (outbox > 0) throw new Error(`${replica} is not a fresh replica (${outbox} op(s) in its outbox)`);
    sqlite.prepare("UPDATE sync_state SET value = ? WHERE key = 'desk_id'").run(deskId);
  } finally {
    sqlite.close();
  }
}

/** Epoch milliseconds with sub-millisecond precision, comparable between processes of one host. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

export function describeMs(samples: readonly number[]): string {
  const f = (p: number) => round(percentile(samples, p), 2);
  return `p50 ${f(50)} ms, p95 ${f(95)} ms, p99 ${f(99)} ms, max ${f(100)} ms (n=${samples.length})`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Lets timers and I/O run (a loop of awaited synchronous work would starve them). */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

// ---------------------------------------------------------------------------------------------------------
// The server, in its own process.

const SERVER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sync-server-process.ts');

export class ServerProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (message: ServerMessage) => {
      if (!('id' in message)) return;
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.ok) waiter?.resolve(message.value);
      else waiter?.reject(new Error(`server process: ${message.error}`));
    });
    child.on('exit', (code) => {
      this.exited = true;
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`server process exited (${code})`));
      this.waiting.clear();
    });
  }

  /** Forks `node --import tsx sync-server-process.ts <file>` and waits until it listens. */
  static start(file: string): Promise<ServerProcess> {
    // GF_BENCH_SERVER_NODE_ARGS: extra node flags for the server process (e.g. "--cpu-prof --cpu-prof-dir=…").
    const extra = (process.env.GF_BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter((a) => a.length > 0);
    const child = fork(SERVER_SCRIPT, [file], {
      execArgv: ['--import', 'tsx', ...extra],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`server process exited early (${code})`));
      child.once('exit', onExit);
      child.on('message', (message: ServerMessage) => {
        if ('type' in message && message.type === 'ready') {
          child.off('exit', onExit);
          resolve(new ServerProcess(child, message.url));
        }
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  request<K extends ServerRequestType>(type: K, payload: ServerRequests[K]): Promise<ServerResponses[K]> {
    if (this.exited) return Promise.reject(new Error('server process has exited'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...payload, type, id });
    });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'close', id: 0 });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Desks.

/** A network switch for a desk: off, every request fails as an unreachable host would, streams are cut. */
export class NetworkSwitch {
  online = true;
  private readonly inFlight = new Set<AbortController>();

  readonly fetch: FetchLike = async (input, init) => {
    if (!this.online) throw new TypeError('fetch failed');
    const controller = new AbortController();
    const outer = init?.signal;
    const onAbort = () => controller.abort();
    if (outer?.aborted) controller.abort();
    outer?.addEventListener('abort', onAbort, { once: true });
    this.inFlight.add(controller);
    try {
      return await fetch(input, { ...init, signal: controller.signal });
    } finally {
      // Streams (SSE) keep their controller (and the desk's signal) until the switch goes off.
      if (!String(input instanceof Request ? input.url : input).includes('/events')) {
        this.inFlight.delete(controller);
        outer?.removeEventListener('abort', onAbort);
      }
    }
  };

  off(): void {
    this.online = false;
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  on(): void {
    this.online = true;
  }
}

export async function startDesk(options: DeskBackendOptions): Promise<DeskBackend> {
  const desk = new DeskBackend(options);
  await desk.start();
  return desk;
}

/** The command's value, or an error with the desk's code and French message. */
export async function call<K extends DeskCommand>(
  desk: DeskBackend,
  name: K,
  args: DeskArgs<K>,
): Promise<DeskReturn<K>> {
  const result = await desk.invoke(name, args);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Tables a desk keeps for itself (never replicated) or that only hold the migrator's bookkeeping. */
const LOCAL_TABLES = new Set([
  'outbox',
  'outbox_effects',
  'sync_state',
  'applied_ops',
  'change_log',
  'kysely_migration',
  'kysely_migration_lock',
]);

/** Rows of every replicated table in a desk database, by table. */
export function replicatedRows(sqlite: BetterSqlite3.Database): Record<string, number> {
  const tables = (
    sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[]
  )
    .map((t) => t.name)
    .filter((name) => !LOCAL_TABLES.has(name));
  const counts: Record<string, number> = {};
  for (const table of tables)
    counts[table] = (sqlite.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
  return counts;
}

// ---------------------------------------------------------------------------------------------------------
// Places beyond capacity.

export interface Oversubscription {
  /** Σ over capacity cells of max(0, reservee bookings − places) + max(0, taken − places). */
  over: number;
  cells: number;
  /** Cells whose `taken` differs from their count of `reservee` bookings (informative). */
  mismatched: number;
  /** `reservee` bookings of units with no capacity cell (informative). */
  withoutCell: number;
}

export function oversubscription(sqlite: BetterSqlite3.Database): Oversubscription {
  const row = sqlite
    .prepare(
      `WITH held AS (
         SELECT site_id, unit_id, day, age_group, COUNT(*) AS n FROM bookings WHERE state = 'reservee'
         GROUP BY site_id, unit_id, day, age_group)
       SELECT COUNT(*) AS cells,
              COALESCE(SUM(MAX(COALESCE(h.n, 0) - c.places, 0) + MAX(c.taken - c.places, 0)), 0) AS over,
              COALESCE(SUM(c.taken != COALESCE(h.n, 0)), 0) AS mismatched
       FROM capacities c LEFT JOIN held h
         ON h.site_id = c.site_id AND h.unit_id = c.unit_id AND h.day = c.day AND h.age_group = c.age_group`,
    )
    .get() as { cells: number; over: number; mismatched: number };
  const orphans = sqlite
    .prepare(
      `SELECT COUNT(*) AS n FROM bookings b WHERE b.state = 'reservee' AND NOT EXISTS (
         SELECT 1 FROM capacities c WHERE c.site_id = b.site_id AND c.unit_id = b.unit_id AND c.day = b.day
           AND c.age_group = b.age_group)`,
    )
    .get() as { n: number };
  return { ...row, withoutCell: orphans.n };
}

export function oversubscriptionOf(file: string): Oversubscription {
  const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return oversubscription(sqlite);
  } finally {
    sqlite.close();
  }
}

/** A parent's booking through the portal API: the decision (outcome), or throws on an HTTP error. */
export async function parentBooking(
  url: string,
  cookie: string,
  slot: Slot,
): Promise<{ outcome: string; code?: string }> {
  const response = await fetch(new URL('/api/v1/bookings', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({
      personId: slot.personId,
      activityId: slot.activityId,
      siteId: slot.siteId,
      day: slot.day,
      units: slot.units,
    }),
  });
  const body = (await response.json()) as { outcome?: string; code?: string; message?: string };
  if (!response.ok) throw new Error(`POST /api/v1/bookings ${response.status}: ${body.code} ${body.message}`);
  return { outcome: body.outcome ?? '?', ...(body.code ? { code: body.code } : {}) };
}

/** A real sign-in (POST /api/v1/session, scrypt check): the `cookie` header value. */
export async function signIn(url: string, login: string, password: string): Promise<string> {
  const response = await fetch(new URL('/api/v1/session', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (!response.ok) throw new Error(`POST /api/v1/session ${response.status}: ${await response.text()}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0];
  if (!cookie) throw new Error('POST /api/v1/session: no cookie');
  return cookie;
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
