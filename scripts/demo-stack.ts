// Starts the whole product on one machine: the central server (seeded demo town) and one desk.
// Used by `npm start` and by the end-to-end tests, so both run exactly the same assembly.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../db/open';
import { migrateToLatest } from '../db/migrate';
import { parisToday, seedDatabaseFile } from '../db/seed';
import { buildServer } from '../server/app';
import { issueDeskToken } from '../server/auth/desk-tokens';
import { DeskBackend } from '../electron/backend/desk-backend';
import { startDeskBridge } from '../electron/backend/http-bridge';

export const ROOT = resolve(import.meta.dirname, '..');
export const PORTAL_DIR = join(ROOT, 'dist/portal');
export const DESK_RENDERER_DIR = join(ROOT, 'out/renderer');

export interface DemoStackOptions {
  dataDir: string;
  families?: number;
  seed?: number;
  serverPort?: number;
  deskPort?: number;
  host?: string;
  /** Start the desk backend + HTTP bridge in this process (no Electron). */
  browserDesk?: boolean;
  /** Agents sign in at the desk (default true, as in the product; e2e tests use tests/e2e/desk-sign-in.ts). */
  requireSignIn?: boolean;
}

export interface DemoStack {
  serverUrl: string;
  deskUrl: string | null;
  deskToken: string;
  server: FastifyInstance;
  desk: DeskBackend | null;
  stop(): Promise<void>;
}

export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  mkdirSync(options.dataDir, { recursive: true });
  const serverDbPath = join(options.dataDir, 'server.sqlite');
  if (!existsSync(serverDbPath)) {
    await seedDatabaseFile(serverDbPath, {
      families: options.families ?? 300,
      seed: options.seed ?? 1,
      today: parisToday(),
    });
  }
  const database = openDatabase(serverDbPath);
  await migrateToLatest(database.db);
  const deskRow = database.sqlite.prepare('SELECT id FROM desks ORDER BY id LIMIT 1').get() as { id: string };
  const deskToken = issueDeskToken(database.sqlite, deskRow.id);

  const server = await buildServer({ database, portalDir: PORTAL_DIR });
  const serverUrl = await server.listen({
    host: options.host ?? '127.0.0.1',
    port: options.serverPort ?? 8080,
  });

  let desk: DeskBackend | null = null;
  let deskUrl: string | null = null;
  let bridge: FastifyInstance | null = null;
  if (options.browserDesk !== false) {
    desk = new DeskBackend({
      dbPath: join(options.dataDir, 'desk-1.sqlite'),
      serverUrl,
      deskToken,
      requireSignIn: options.requireSignIn ?? true,
    });
    await desk.start();
    const started = await startDeskBridge(desk, {
      port: options.deskPort ?? 8081,
      rendererDir: DESK_RENDERER_DIR,
    });
    bridge = started.app;
    deskUrl = started.url;
  }

  return {
    serverUrl,
    deskUrl,
    deskToken,
    server,
    desk,
    async stop() {
      await bridge?.close();
      desk?.close();
      await server.close();
      database.close();
    },
  };
}
