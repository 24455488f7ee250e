// Helpers of the sync and desk benchmarks: the town they run on (quick mode: a small one), the server in its
// own process, desks with a network switch, bookable slots drawn from the town, and the checks (places beyond
// capacity, rows of a replica).
import { execFileSync, fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { bookingDeadline } from '../../core/booking/deadline';
import type { DeadlineRule } from '../../core/booking/deadline';
import type { UnitCode } from '../../core/booking/units';
import { addDays, parisDay } from '../../core/calendar/paris';
import { seedDatabaseFile } from '../../db/seed';
import { DeskBackend } from '../../electron/backend/desk-backend';
import type { DeskBackendOptions } from '../../electron/backend/desk-backend';
import type { FetchLike } from '../../electron/backend/snapshot-client';
import type { DeskArgs, DeskCommand, DeskReturn } from '../../electron/contract';
import type { BenchContext } from './lib';
import { percentile, round } from './lib';
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

/**
 * Flushes every file's dirty pages to disk (sync(2)) before a timed phase: the write-back of the gigabytes an
 * earlier phase wrote (replicas, snapshots) would otherwise go on during the measurement and slow its fsyncs.
 */
export function flushDisk(): void {
  execFileSync('sync');
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

// ---------------------------------------------------------------------------------------------------------
// Bookable slots: a child, an activity, a site, a day (open, no closure, before the deadline, after every
// booking of the seeded town) and the units to book — each (child, activity, day) handed out once.

export interface Slot {
  personId: string;
  householdId: string;
  activityId: string;
  siteId: string;
  day: string;
  units: UnitCode[];
  /** The activity's kind (alsh_mercredis, restauration…). */
  kind: string;
  /** An active web account of the household (parents' slots only). */
  accountId?: string;
}

interface Inscription {
  person_id: string;
  household_id: string;
  activity_id: string;
  site_id: string;
  period_id: string;
}

/** mulberry32: small, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALSH_CHOICES: readonly UnitCode[][] = [
  ['MATIN'],
  ['APRES_MIDI'],
  ['MATIN', 'REPAS_AV', 'APRES_MIDI'],
  ['MATIN', 'REPAS_SV'],
];

function unitsFor(kind: string, random: () => number): UnitCode[] | null {
  if (kind.startsWith('alsh_')) return [...ALSH_CHOICES[Math.floor(random() * ALSH_CHOICES.length)]!];
  if (kind === 'restauration') return ['REPAS'];
  if (kind === 'periscolaire_matin') return ['MATIN'];
  if (kind === 'periscolaire_soir') return ['SOIR'];
  return null;
}

export class SlotPool {
  private readonly used = new Set<string>();
  private readonly random: () => number;
  private readonly inscriptions: Inscription[];
  private readonly parentInscriptions: (Inscription & { account_id: string })[];
  private readonly days = new Map<string, string[]>();
  private readonly kinds = new Map<string, string>();
  readonly firstDay: string;
  readonly households: string[];

  constructor(file: string, seed = 7) {
    this.random = rng(seed);
    const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      const now = Date.now();
      const lastBooked = (
        sqlite.prepare('SELECT MAX(day) AS day FROM bookings').get() as { day: string | null }
      ).day;
      const soonest = addDays(parisDay(new Date(now)), 3);
      this.firstDay = lastBooked && addDays(lastBooked, 1) > soonest ? addDays(lastBooked, 1) : soonest;
      const activities = sqlite.prepare('SELECT id, kind, deadline_json FROM activities').all() as {
        id: string;
        kind: string;
        deadline_json: string;
      }[];
      const rules = new Map<string, DeadlineRule | null>();
      for (const a of activities) {
        this.kinds.set(a.id, a.kind);
        const raw = JSON.parse(a.deadline_json) as object;
        rules.set(a.id, Object.keys(raw).length === 0 ? null : (raw as DeadlineRule));
      }
      const closures = sqlite
        .prepare('SELECT site_id, activity_id, start_day, end_day FROM closures')
        .all() as {
        site_id: string | null;
        activity_id: string | null;
        start_day: string;
        end_day: string;
      }[];
      const openRows = sqlite
        .prepare(
          `SELECT o.period_id, o.site_id, o.day, p.activity_id FROM opening_days o JOIN periods p ON p.id = o.period_id
           WHERE o.day >= ? ORDER BY o.day`,
        )
        .all(this.firstDay) as { period_id: string; site_id: string; day: string; activity_id: string }[];
      for (const o of openRows) {
        const rule = rules.get(o.activity_id);
        if (rule && bookingDeadline(rule, o.day).getTime() <= now + 3_600_000) continue;
        const closed = closures.some(
          (c) =>
            c.start_day <= o.day &&
            c.end_day >= o.day &&
            (c.site_id === null || c.site_id === o.site_id) &&
            (c.activity_id === null || c.activity_id === o.activity_id),
        );
        if (closed) continue;
        const key = `${o.period_id}|${o.site_id}`;
        const list = this.days.get(key) ?? [];
        list.push(o.day);
        this.days.set(key, list);
      }
      const bookable = (i: Inscription) =>
        (this.days.get(`${i.period_id}|${i.site_id}`)?.length ?? 0) > 0 &&
        unitsFor(this.kinds.get(i.activity_id) ?? '', () => 0) !== null;
      this.inscriptions = (
        sqlite
          .prepare(
            `SELECT person_id, household_id, activity_id, site_id, period_id FROM inscriptions
             WHERE status = 'validee' ORDER BY id`,
          )
          .all() as Inscription[]
      ).filter(bookable);
      this.parentInscriptions = (
        sqlite
          .prepare(
            `SELECT i.person_id, i.household_id, i.activity_id, i.site_id, i.period_id, MIN(a.id) AS account_id
             FROM inscriptions i JOIN citizen_accounts a ON a.household_id = i.household_id AND a.status = 'actif'
             WHERE i.status = 'validee' GROUP BY i.id ORDER BY i.id`,
          )
          .all() as (Inscription & { account_id: string })[]
      ).filter(bookable);
      this.households = (
        sqlite.prepare('SELECT id FROM households ORDER BY id').all() as { id: string }[]
      ).map((h) => h.id);
    } finally {
      sqlite.close();
    }
    if (this.inscriptions.length === 0) throw new Error(`No bookable inscription after ${this.firstDay}`);
  }

  private draw<T extends Inscription>(
    from: readonly T[],
    accept: (i: T) => boolean = () => true,
  ): T & { day: string } {
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const inscription = from[Math.floor(this.random() * from.length)]!;
      if (!accept(inscription)) continue;
      const days = this.days.get(`${inscription.period_id}|${inscription.site_id}`)!;
      const day = days[Math.floor(this.random() * days.length)]!;
      const key = `${inscription.person_id}|${inscription.activity_id}|${day}`;
      if (this.used.has(key)) continue;
      this.used.add(key);
      return { ...inscription, day };
    }
    throw new Error('No bookable slot left');
  }

  private slot(i: Inscription & { day: string }): Slot {
    return {
      personId: i.person_id,
      householdId: i.household_id,
      activityId: i.activity_id,
      siteId: i.site_id,
      day: i.day,
      units: unitsFor(this.kinds.get(i.activity_id)!, this.random)!,
      kind: this.kinds.get(i.activity_id)!,
    };
  }

  /** A slot for a desk (any child with a validated inscription). */
  desk(): Slot {
    return this.slot(this.draw(this.inscriptions));
  }

  /**
   * Slots for parents: one per account while accounts last (then accounts book again), from households
   * with an active web account.
   */
  parents(count: number, options: { distinctAccounts?: boolean } = {}): (Slot & { accountId: string })[] {
    const out: (Slot & { accountId: string })[] = [];
    const seen = new Set<string>();
    const distinct = options.distinctAccounts ?? true;
    const accounts = new Set(this.parentInscriptions.map((i) => i.account_id)).size;
    for (let k = 0; k < count; k++) {
      if (distinct && seen.size >= accounts) seen.clear();
      const drawn = this.draw(this.parentInscriptions, (i) => !distinct || !seen.has(i.account_id));
      seen.add(drawn.account_id);
      out.push({ ...this.slot(drawn), accountId: drawn.account_id });
    }
    return out;
  }

  /** Slots of the given parents' children only (several bookings per parent). */
  forAccounts(accountIds: readonly string[], count: number): (Slot & { accountId: string })[] {
    const wanted = new Set(accountIds);
    const mine = this.parentInscriptions.filter((i) => wanted.has(i.account_id));
    if (mine.length === 0) throw new Error('These accounts have no bookable child');
    return Array.from({ length: count }, () => {
      const drawn = this.draw(mine);
      return { ...this.slot(drawn), accountId: drawn.account_id };
    });
  }

  /** Active accounts with a bookable child, most children first (for parents who book many days). */
  busyAccounts(count: number): string[] {
    const perAccount = new Map<string, number>();
    for (const i of this.parentInscriptions)
      perAccount.set(i.account_id, (perAccount.get(i.account_id) ?? 0) + 1);
    return [...perAccount.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, count)
      .map(([id]) => id);
  }

  randomHousehold(): string {
    return this.households[Math.floor(this.random() * this.households.length)]!;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
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
