// A real server for the sync tests: a seeded SQLite file, Fastify on 127.0.0.1, enrolled desks, helpers to push and pull.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { newId } from '../../../core/ids';
import type { PullResponse, PushResponse, SyncOp } from '../../../core/sync/messages';
import { SYNC_PROTOCOL_VERSION } from '../../../core/sync/protocol';
import { SCHEMA_VERSION } from '../../../db/migrate';
import { openDatabase } from '../../../db/open';
import type { OpenedDatabase } from '../../../db/open';
import { seedDatabaseFile } from '../../../db/seed';
import { buildServer } from '../../../server/app';
import { issueDeskToken } from '../../../server/auth/desk-tokens';

/** The server clock of every test: Sunday 22 November 2026, 10:00 in Paris. */
export const NOW = new Date('2026-11-22T09:00:00.000Z');

export interface Desk {
  id: string;
  token: string;
  /** Next desk sequence to use (gapless per desk). */
  nextSeq: number;
}

export interface TestServer {
  dir: string;
  database: OpenedDatabase;
  app: FastifyInstance;
  url: string;
  desk: Desk;
  agents: { accueil: string; regie: string; admin: string };
  /** Adds a second (third…) desk, enrolled. */
  addDesk(prefix: string): Desk;
  headers(token: string, overrides?: Record<string, string>): Record<string, string>;
  push(desk: Desk, ops: SyncOp[]): Promise<PushResponse & { stopped?: { code?: string } }>;
  pull(desk: Desk, after: number, limit?: number): Promise<PullResponse>;
  count(sql: string, ...params: unknown[]): number;
  lastSeq(): number;
  close(): Promise<void>;
}

export async function startTestServer(seed: number, families = 30): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'gf-sync-server-'));
  const file = join(dir, 'server.sqlite');
  await seedDatabaseFile(file, { families, seed, today: '2026-11-22' });
  const database = openDatabase(file);
  const { sqlite } = database;
  const agentId = (login: string): string =>
    (sqlite.prepare('SELECT id FROM agents WHERE login = ?').get(login) as { id: string }).id;
  const deskId = (sqlite.prepare('SELECT id FROM desks ORDER BY created_at LIMIT 1').get() as { id: string })
    .id;
  const app = await buildServer({ database, now: () => NOW, cookieSecret: 'test-cookie-secret' });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const headers = (token: string, overrides: Record<string, string> = {}): Record<string, string> => ({
    authorization: `Bearer ${token}`,
    'x-gf-protocol': String(SYNC_PROTOCOL_VERSION),
    'x-gf-schema': String(SCHEMA_VERSION),
    ...overrides,
  });
  return {
    dir,
    database,
    app,
    url,
    desk: { id: deskId, token: issueDeskToken(sqlite, deskId), nextSeq: 1 },
    agents: { accueil: agentId('agent.accueil'), regie: agentId('agent.regie'), admin: agentId('admin') },
    addDesk(prefix) {
      const id = newId();
      const at = NOW.toISOString();
      sqlite
        .prepare(
          'INSERT INTO desks (id, name, receipt_prefix, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(id, `Poste ${prefix}`, prefix, at, at);
      return { id, token: issueDeskToken(sqlite, id), nextSeq: 1 };
    },
    headers,
    async push(desk, ops) {
      const response = await fetch(`${url}/sync/v1/push`, {
        method: 'POST',
        headers: { ...headers(desk.token), 'content-type': 'application/json' },
        body: JSON.stringify({ ops }),
      });
      if (response.status !== 200) throw new Error(`push: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as PushResponse;
    },
    async pull(desk, after, limit) {
      const query = `after=${after}${limit === undefined ? '' : `&limit=${limit}`}`;
      const response = await fetch(`${url}/sync/v1/pull?${query}`, { headers: headers(desk.token) });
      if (response.status !== 200) throw new Error(`pull: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as PullResponse;
    },
    count(sql, ...params) {
      return (
        (sqlite
          .prepare(sql)
          .pluck()
          .get(...params) as number) ?? 0
      );
    },
    lastSeq() {
      return sqlite.prepare('SELECT COALESCE(MAX(seq), 0) FROM change_log').pluck().get() as number;
    },
    async close() {
      await app.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An op as a desk sends it, taking the desk's next sequence. */
export function op(
  desk: Desk,
  agentId: string,
  command: string,
  payload: unknown,
  commandVersion = 1,
): SyncOp {
  return {
    opId: newId(),
    deskSeq: desk.nextSeq++,
    command,
    commandVersion,
    payload,
    agentId,
    createdAt: NOW.toISOString(),
  };
}
