// Shared fixtures of the sync guarantee tests (docs/SYNC.md, "Guarantees"): a small seeded town copied per test,
// enrolled desks, a real server on 127.0.0.1, and bookable cases in the town. The checks every test ends with are
// in ./invariants.ts.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { addDays, parisDay } from '../../core/calendar/paris';
import { newId } from '../../core/ids';
import type { PushResponse, SyncOp } from '../../core/sync/messages';
import { SYNC_PROTOCOL_VERSION } from '../../core/sync/protocol';
import { SCHEMA_VERSION } from '../../db/migrate';
import { openDatabase } from '../../db/open';
import type { OpenedDatabase } from '../../db/open';
import { seedDatabaseFile } from '../../db/seed';
import { buildServer } from '../../server/app';
import { issueDeskToken } from '../../server/auth/desk-tokens';
import { DeskBackend } from '../../electron/backend/desk-backend';
import type { DeskBackendOptions } from '../../electron/backend/desk-backend';
import type { DeskArgs, DeskCommand, DeskReturn } from '../../electron/contract';

export const TODAY = parisDay(new Date());
export const DAY_MS = 86_400_000;

/** A temp folder with one seeded town, copied for every server under test. */
export class SyncTown {
  readonly dir: string;
  private seeded: string | null = null;
  private files = 0;

  constructor(prefix = 'gf-sync-') {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
  }

  async seed({ families = 20, seed = 11 }: { families?: number; seed?: number } = {}): Promise<string> {
    const path = join(this.dir, 'seed.sqlite');
    await seedDatabaseFile(path, { families, seed, today: TODAY });
    this.seeded = path;
    return path;
  }

  /** Runs `fn` on the seeded file itself (e.g. to enrol desks once for every later copy). */
  onSeed<T>(fn: (sqlite: BetterSqlite3.Database) => T): T {
    if (!this.seeded) throw new Error('seed() first');
    const database = openDatabase(this.seeded);
    try {
      return fn(database.sqlite);
    } finally {
      database.close();
    }
  }

  /** A fresh copy of the seeded town (a new server). */
  serverCopy(): string {
    if (!this.seeded) throw new Error('seed() first');
    const path = this.file('server');
    copyFileSync(this.seeded, path);
    return path;
  }

  /** A unique path in the temp folder. */
  file(name: string): string {
    this.files += 1;
    return join(this.dir, `${name}-${this.files}.sqlite`);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface EnrolledDesk {
  id: string;
  token: string;
  prefix: string;
}

/** Adds a desk with its receipt prefix to the town and issues its token. */
export function enrolDesk(sqlite: BetterSqlite3.Database, prefix: string): EnrolledDesk {
  const id = newId();
  const at = new Date().toISOString();
  sqlite
    .prepare('INSERT INTO desks (id, name, receipt_prefix, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
    .run(id, `Poste ${prefix}`, prefix, at, at);
  return { id, prefix, token: issueDeskToken(sqlite, id) };
}

export function agentIdOf(sqlite: BetterSqlite3.Database, login: string): string {
  return (sqlite.prepare('SELECT id FROM agents WHERE login = ?').get(login) as { id: string }).id;
}

export interface RunningServer {
  database: OpenedDatabase;
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** buildServer on `file`, listening on 127.0.0.1 (`port` 0: any). `prepare` may add hooks before listening. */
export async function startServer(
  file: string,
  options: { port?: number; prepare?: (app: FastifyInstance, database: OpenedDatabase) => void } = {},
): Promise<RunningServer> {
  const database = openDatabase(file);
  const app = await buildServer({ database, cookieSecret: 'sync-tests-cookie-secret' });
  options.prepare?.(app, database);
  const url = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return {
    database,
    app,
    url,
    async close() {
      await app.close();
      database.close();
    },
  };
}

/** Starts a desk on its own replica (background sync off, no SSE) unless told otherwise. */
export async function startDesk(
  options: Omit<DeskBackendOptions, 'deskToken'> & { desk: EnrolledDesk },
): Promise<DeskBackend> {
  const { desk: enrolled, ...rest } = options;
  const backend = new DeskBackend({
    autoSync: false,
    ...rest,
    deskToken: enrolled.token,
    sync: { events: false, backoffInitialMs: 10, backoffMaxMs: 50, ...rest.sync },
  });
  await backend.start();
  return backend;
}

/** The desk's value for a command, or the test fails with the desk's French message. */
export async function call<K extends DeskCommand>(
  desk: DeskBackend,
  name: K,
  args: DeskArgs<K>,
): Promise<DeskReturn<K>> {
  const result = await desk.invoke(name, args);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Raw sync headers for direct calls (tests that play a desk by hand). */
export function syncHeaders(token: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'x-gf-protocol': String(SYNC_PROTOCOL_VERSION),
    'x-gf-schema': String(SCHEMA_VERSION),
    ...overrides,
  };
}

export async function rawPush(
  url: string,
  token: string,
  ops: SyncOp[],
  headers: Record<string, string> = {},
): Promise<{ status: number; body: PushResponse & { code?: string; message?: string } }> {
  const response = await fetch(`${url}/sync/v1/push`, {
    method: 'POST',
    headers: { ...syncHeaders(token, headers), 'content-type': 'application/json' },
    body: JSON.stringify({ ops }),
  });
  return { status: response.status, body: (await response.json()) as PushResponse };
}

/** The desk's outbox as the SyncOps it pushes (for replays by hand). */
export function outboxOps(deskSqlite: BetterSqlite3.Database): SyncOp[] {
  return (
    deskSqlite.prepare('SELECT * FROM outbox ORDER BY seq').all() as {
      op_id: string;
      seq: number;
      command: string;
      command_version: number;
      payload_json: string;
      agent_id: string;
      created_at: string;
    }[]
  ).map((op) => ({
    opId: op.op_id,
    deskSeq: op.seq,
    command: op.command,
    commandVersion: op.command_version,
    payload: JSON.parse(op.payload_json) as unknown,
    agentId: op.agent_id,
    createdAt: op.created_at,
  }));
}

// --- Finding bookable cases in the seeded town -------------------------------------------------------------

export interface Slot {
  personId: string;
  householdId: string;
  activityId: string;
  siteId: string;
  ageGroup: string;
  day: string;
}

/**
 * Children with a validated inscription to `activityCode` covering `day` (an opening day without closure) at
 * `siteId` / `ageGroup` when given, with no active booking of that activity that day.
 */
export function slotsOn(
  sqlite: BetterSqlite3.Database,
  where: { activityCode: string; day: string; siteId?: string; ageGroup?: string },
): Slot[] {
  return sqlite
    .prepare(
      `SELECT DISTINCT i.person_id AS personId, i.household_id AS householdId, i.activity_id AS activityId,
              i.site_id AS siteId, i.age_group AS ageGroup, o.day AS day
         FROM inscriptions i
         JOIN activities a ON a.id = i.activity_id AND a.code = @code
         JOIN periods p ON p.id = i.period_id
         JOIN opening_days o ON o.period_id = i.period_id AND o.site_id = i.site_id AND o.day = @day
        WHERE i.status = 'validee' AND o.day BETWEEN p.start_day AND p.end_day
          AND (@site IS NULL OR i.site_id = @site) AND (@age IS NULL OR i.age_group = @age)
          AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.person_id = i.person_id AND b.day = o.day
                            AND b.activity_id = i.activity_id AND b.state IN ('reservee', 'en_attente'))
          AND NOT EXISTS (SELECT 1 FROM closures c WHERE (c.site_id IS NULL OR c.site_id = i.site_id)
                            AND (c.activity_id IS NULL OR c.activity_id = i.activity_id)
                            AND o.day BETWEEN c.start_day AND c.end_day)
        ORDER BY i.person_id`,
    )
    .all({
      code: where.activityCode,
      day: where.day,
      site: where.siteId ?? null,
      age: where.ageGroup ?? null,
    }) as Slot[];
}

/**
 * Opening days (site, age group) of `activityCode` from `minDaysAhead` days on, busiest first: how many children
 * could still be booked there (validated inscription, no active booking, no closure).
 */
export function busiestDays(
  sqlite: BetterSqlite3.Database,
  activityCode: string,
  minDaysAhead: number,
): { day: string; siteId: string; ageGroup: string; children: number }[] {
  return sqlite
    .prepare(
      `SELECT o.day, i.site_id AS siteId, i.age_group AS ageGroup, COUNT(DISTINCT i.person_id) AS children
         FROM inscriptions i
         JOIN activities a ON a.id = i.activity_id AND a.code = ?
         JOIN periods p ON p.id = i.period_id
         JOIN opening_days o ON o.period_id = i.period_id AND o.site_id = i.site_id AND o.day >= ?
        WHERE i.status = 'validee' AND o.day BETWEEN p.start_day AND p.end_day
          AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.person_id = i.person_id AND b.day = o.day
                            AND b.activity_id = i.activity_id AND b.state IN ('reservee', 'en_attente'))
          AND NOT EXISTS (SELECT 1 FROM closures c WHERE (c.site_id IS NULL OR c.site_id = i.site_id)
                            AND (c.activity_id IS NULL OR c.activity_id = i.activity_id)
                            AND o.day BETWEEN c.start_day AND c.end_day)
        GROUP BY o.day, i.site_id, i.age_group
        ORDER BY children DESC, o.day
        LIMIT 20`,
    )
    .all(activityCode, addDays(TODAY, minDaysAhead)) as {
    day: string;
    siteId: string;
    ageGroup: string;
    children: number;
  }[];
}

/** `n` bookable children on coming days of `activityCode` (from the busiest days on), one per child and day. */
export function manySlots(
  sqlite: BetterSqlite3.Database,
  activityCode: string,
  n: number,
  minDaysAhead = 7,
): Slot[] {
  const found: Slot[] = [];
  for (const cell of busiestDays(sqlite, activityCode, minDaysAhead)) {
    for (const slot of slotsOn(sqlite, { activityCode, ...cell })) {
      if (!found.some((s) => s.personId === slot.personId && s.day === slot.day)) found.push(slot);
      if (found.length === n) return found;
    }
  }
  throw new Error(`Only ${found.length} bookable children for ${activityCode}`);
}

export function capacityId(sqlite: BetterSqlite3.Database, slot: Slot, unitCode: string): string {
  return (
    sqlite
      .prepare(
        `SELECT c.id FROM capacities c JOIN units u ON u.id = c.unit_id
          WHERE u.activity_id = ? AND u.code = ? AND c.site_id = ? AND c.day = ? AND c.age_group = ?`,
      )
      .get(slot.activityId, unitCode, slot.siteId, slot.day, slot.ageGroup) as { id: string }
  ).id;
}

export function activeUnits(
  sqlite: BetterSqlite3.Database,
  slot: Pick<Slot, 'personId' | 'activityId' | 'day'>,
) {
  return (
    sqlite
      .prepare(
        `SELECT u.code, b.state FROM bookings b JOIN units u ON u.id = b.unit_id
          WHERE b.person_id = ? AND b.activity_id = ? AND b.day = ? AND b.state IN ('reservee', 'en_attente')
          ORDER BY u.code`,
      )
      .all(slot.personId, slot.activityId, slot.day) as { code: string; state: string }[]
  ).map((row) => `${row.code}:${row.state}`);
}

/** Waits until `check` holds (polling), or fails after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
