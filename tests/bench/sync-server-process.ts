// The central server of the sync benchmarks, in its OWN process (bench.md: server and desk in separate
// processes): `node --import tsx tests/bench/sync-server-process.ts <database file>`, forked with an IPC
// channel by tests/bench/sync-harness.ts. It serves the real app (server/app.ts) on 127.0.0.1 and answers a
// few setup requests over IPC: enrol a desk, open parents' sessions, and tell when a booking was committed
// (clock: performance.timeOrigin + performance.now(), comparable across processes of one host).
import { performance } from 'node:perf_hooks';
import { migrateToLatest } from '../../db/migrate';
import { openDatabase } from '../../db/open';
import { buildServer } from '../../server/app';
import { SESSION_COOKIE, openCitizenSession } from '../../server/auth/citizen-sessions';
import { issueDeskToken } from '../../server/auth/desk-tokens';
import { changeFeedOf } from '../../server/sync/change-log';
import type { ServerRequest, ServerRequestType, ServerResponses } from './sync-protocol';

const file = process.argv[2];
if (!file || !process.send) {
  console.error('usage: forked with an IPC channel, argument: the server database file');
  process.exit(2);
}

const database = openDatabase(file);
// As the product's server does at start: a town seeded before the latest migration (GF_BENCH_TOWN_FILE) would
// otherwise answer every push with a 500 (a column missing), and the desk phases would time a desk that never syncs.
await migrateToLatest(database.db);
const { sqlite } = database;

/** Commit instants of booking rows, by `person|activity|day` (only while tracking). */
const commits = new Map<string, number>();
let tracking = false;

// Subscribed BEFORE buildServer: this listener runs first after each commit, before the SSE broadcast.
changeFeedOf(sqlite).subscribe((rows) => {
  if (!tracking) return;
  const at = performance.timeOrigin + performance.now();
  for (const change of rows) {
    if (change.entity !== 'bookings' || change.row === null) continue;
    const key = `${String(change.row.person_id)}|${String(change.row.activity_id)}|${String(change.row.day)}`;
    if (!commits.has(key)) commits.set(key, at);
  }
});

const app = await buildServer({ database });
const url = await app.listen({ host: '127.0.0.1', port: 0 });

function enrolDesk(name: string, prefix: string): { deskId: string; token: string } {
  const existing = sqlite.prepare('SELECT id FROM desks WHERE receipt_prefix = ?').get(prefix) as
    { id: string } | undefined;
  const at = new Date().toISOString();
  const deskId =
    existing?.id ?? `01a01dc1-0000-7000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`;
  if (!existing)
    sqlite
      .prepare('INSERT INTO desks (id, name, receipt_prefix, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(deskId, name, prefix, at, at);
  return { deskId, token: issueDeskToken(sqlite, deskId) };
}

/**
 * Sessions for many parents at once, as POST /api/v1/session would open them (same table, same signed
 * cookie) but without its scrypt check: 2,000 password checks would take minutes of setup on 2 cores.
 */
function openSessions(accountIds: readonly string[]): string[] {
  const now = new Date();
  return sqlite.transaction(() =>
    accountIds.map((accountId) => {
      const { token } = openCitizenSession(sqlite, accountId, now);
      return `${SESSION_COOKIE}=${encodeURIComponent(app.signCookie(token))}`;
    }),
  )();
}

const handlers: { [K in ServerRequestType]: (request: ServerRequest<K>) => ServerResponses[K] } = {
  enrolDesk: (r) => enrolDesk(r.name, r.prefix),
  openSessions: (r) => openSessions(r.accountIds),
  track: (r) => {
    tracking = r.on;
    commits.clear();
    return null;
  },
  commitTime: (r) => commits.get(r.key) ?? null,
  lastSeq: () =>
    (sqlite.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM change_log').get() as { seq: number }).seq,
};

process.on('message', (message: (ServerRequest<ServerRequestType> | { type: 'close' }) & { id: number }) => {
  if (message.type === 'close') {
    void app.close().finally(() => {
      database.close();
      process.exit(0);
    });
    return;
  }
  try {
    const handler = handlers[message.type] as (request: typeof message) => unknown;
    process.send!({ id: message.id, ok: true, value: handler(message) });
  } catch (error) {
    process.send!({
      id: message.id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});

process.on('disconnect', () => {
  void app.close().finally(() => {
    database.close();
    process.exit(0);
  });
});

process.send({ type: 'ready', url });
