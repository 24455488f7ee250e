// A desk's first replica: the server's snapshot, over real HTTP, into the desk's own SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../../../db/open';
import type { OpenedDatabase } from '../../../db/open';
import { SCHEMA_VERSION } from '../../../db/migrate';
import { seedDatabaseFile } from '../../../db/seed';
import { buildServer } from '../../../server/app';
import { issueDeskToken } from '../../../server/auth/desk-tokens';
import { DeskBackend } from '../../../electron/backend/desk-backend';
import { SYNC_PROTOCOL_VERSION } from '../../../core/sync/protocol';

describe('desk snapshot', () => {
  let dir: string;
  let database: OpenedDatabase;
  let server: FastifyInstance;
  let url: string;
  let token: string;
  let deskId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gf-snapshot-test-'));
    await seedDatabaseFile(join(dir, 'server.sqlite'), { families: 25, seed: 3, today: '2026-11-22' });
    database = openDatabase(join(dir, 'server.sqlite'));
    deskId = (database.sqlite.prepare('SELECT id FROM desks LIMIT 1').get() as { id: string }).id;
    token = issueDeskToken(database.sqlite, deskId);
    server = await buildServer({ database });
    url = await server.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const headers = (overrides: Record<string, string> = {}): Record<string, string> => ({
    authorization: `Bearer ${token}`,
    'x-gf-protocol': String(SYNC_PROTOCOL_VERSION),
    'x-gf-schema': String(SCHEMA_VERSION),
    ...overrides,
  });

  it('gives an empty desk every family, and search works on the replica', async () => {
    const desk = new DeskBackend({ dbPath: join(dir, 'desk-a.sqlite'), serverUrl: url, deskToken: token });
    await desk.start();
    try {
      const town = await desk.invoke('town/get', undefined);
      expect(town).toEqual({ ok: true, value: { name: expect.any(String), householdCount: 25 } });
      const found = await desk.invoke('family/search', { query: 'becassine' });
      expect(found.ok && found.value.some((family) => /Bécassines/i.test(family.titulaire))).toBe(true);
      const status = await desk.invoke('sync/status', undefined);
      expect(status.ok && status.value.connection).toBe('online');
    } finally {
      desk.close();
    }
  });

  it('copies every domain table row for row, but no parent credentials or private documents', async () => {
    const desk = new DeskBackend({ dbPath: join(dir, 'desk-b.sqlite'), serverUrl: url, deskToken: token });
    await desk.start();
    desk.close();
    const replica = new Database(join(dir, 'desk-b.sqlite'), { readonly: true });
    try {
      for (const table of [
        'households',
        'persons',
        'bookings',
        'capacities',
        'invoices',
        'payments',
        'agents',
      ]) {
        const count = (db: Database.Database): number =>
          (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
        expect(count(replica), table).toBe(count(database.sqlite));
        expect(count(replica), table).toBeGreaterThan(0);
      }
      const hashes = replica
        .prepare("SELECT COUNT(*) AS n FROM citizen_accounts WHERE password_hash <> ''")
        .get() as { n: number };
      expect(hashes.n).toBe(0);
      const serverAccounts = database.sqlite
        .prepare("SELECT COUNT(*) AS n FROM citizen_accounts WHERE password_hash <> ''")
        .get() as { n: number };
      expect(serverAccounts.n).toBeGreaterThan(0);
      const privateDocs = replica
        .prepare("SELECT COUNT(*) AS n FROM documents WHERE space = 'prive_citoyen'")
        .get() as { n: number };
      expect(privateDocs.n).toBe(0);
      const agentsWithHash = replica
        .prepare("SELECT COUNT(*) AS n FROM agents WHERE password_hash <> ''")
        .get() as { n: number };
      expect(agentsWithHash.n).toBeGreaterThan(0); // agents can sign in offline
      const state = Object.fromEntries(
        (replica.prepare('SELECT key, value FROM sync_state').all() as { key: string; value: string }[]).map(
          (r) => [r.key, r.value],
        ),
      );
      expect(state.desk_id).toBe(deskId);
      expect(state.cursor).toMatch(/^\d+$/);
    } finally {
      replica.close();
    }
  });

  it('refuses a desk without a valid token, in French', async () => {
    const response = await fetch(`${url}/sync/v1/snapshot`, {
      headers: headers({ authorization: 'Bearer not-a-token' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe('DESK_NOT_AUTHORISED');
    expect(body.message).toMatch(/n'est pas autorisé/);
  });

  it('tells an outdated desk to update', async () => {
    const response = await fetch(`${url}/sync/v1/snapshot`, { headers: headers({ 'x-gf-protocol': '0' }) });
    expect(response.status).toBe(426);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe('DESK_UPDATE_REQUIRED');
    expect(body.message).toMatch(/Mise à jour nécessaire/);
  });

  it('refuses a revoked desk', async () => {
    const revokedToken = issueDeskToken(database.sqlite, deskId);
    database.sqlite
      .prepare('UPDATE desks SET revoked_at = ? WHERE id = ?')
      .run(new Date().toISOString(), deskId);
    try {
      const response = await fetch(`${url}/sync/v1/snapshot`, {
        headers: headers({ authorization: `Bearer ${revokedToken}` }),
      });
      expect(response.status).toBe(401);
    } finally {
      token = issueDeskToken(database.sqlite, deskId);
    }
  });

  it('keeps working offline from its replica when the server is unreachable', async () => {
    const path = join(dir, 'desk-c.sqlite');
    const first = new DeskBackend({ dbPath: path, serverUrl: url, deskToken: token });
    await first.start();
    first.close();
    const offline = new DeskBackend({ dbPath: path, serverUrl: 'http://127.0.0.1:9', deskToken: token });
    await offline.start();
    try {
      const pulled = await offline.invoke('sync/pull-snapshot', undefined);
      expect(pulled.ok && pulled.value.connection).toBe('offline');
      const found = await offline.invoke('family/search', { query: '' });
      expect(found.ok && found.value.length).toBe(25);
    } finally {
      offline.close();
    }
  });
});
