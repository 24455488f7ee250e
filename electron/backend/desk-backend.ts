// The desk backend: one instance per desk, in plain Node. Electron main wires it to IPC; tests wire it to HTTP.
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type {
  DeskApi,
  DeskArgs,
  DeskCommand,
  DeskEvents,
  DeskResult,
  DeskReturn,
  SyncStatus,
} from '../contract';
import { openDatabase } from '../../db/open';
import type { OpenedDatabase } from '../../db/open';
import { migrateToLatest } from '../../db/migrate';
import { createHandlers } from './handlers';
import type { DeskHandlers } from './handlers';
import { downloadSnapshot, SyncHttpError } from './snapshot-client';
import { toDeskError } from './errors';

export interface DeskBackendOptions {
  /** The desk's own SQLite file. */
  dbPath: string;
  serverUrl: string;
  /** Enrolment token issued by an administrator. */
  deskToken: string;
  now?: () => Date;
}

export class DeskBackend {
  private database: OpenedDatabase | null = null;
  private handlers: DeskHandlers | null = null;
  private readonly events = new EventEmitter();
  private status: SyncStatus;

  constructor(private readonly options: DeskBackendOptions) {
    this.status = {
      connection: 'never',
      serverUrl: options.serverUrl,
      cursor: 0,
      pending: 0,
      lastSyncAt: null,
    };
  }

  /** Opens the local store; an empty desk first pulls a snapshot of the server. */
  async start(): Promise<void> {
    mkdirSync(dirname(this.options.dbPath), { recursive: true });
    if (!existsSync(this.options.dbPath)) await this.pullSnapshot();
    else await this.open();
  }

  /** Replaces the local store with a fresh server snapshot. */
  async pullSnapshot(): Promise<SyncStatus> {
    this.closeDatabase();
    try {
      const cursor = await downloadSnapshot(
        this.options.serverUrl,
        this.options.deskToken,
        this.options.dbPath,
      );
      this.setStatus({ connection: 'online', cursor, lastSyncAt: this.now().toISOString() });
    } catch (error) {
      if (error instanceof SyncHttpError && error.code === 'SERVER_UNREACHABLE')
        this.setStatus({ connection: 'offline' });
      if (!existsSync(this.options.dbPath)) throw error;
    } finally {
      await this.open();
    }
    return this.status;
  }

  async invoke<K extends DeskCommand>(name: K, args: DeskArgs<K>): Promise<DeskResult<DeskReturn<K>>> {
    try {
      if (name === 'sync/pull-snapshot')
        return { ok: true, value: (await this.pullSnapshot()) as DeskReturn<K> };
      if (name === 'sync/status') return { ok: true, value: this.status as DeskReturn<K> };
      const handler = this.requireHandlers()[
        name as Exclude<DeskCommand, 'sync/status' | 'sync/pull-snapshot'>
      ] as (args: DeskArgs<K>) => Promise<DeskReturn<K>>;
      if (!handler)
        return { ok: false, error: { code: 'UNKNOWN_COMMAND', message: `Commande inconnue : ${name}` } };
      return { ok: true, value: await handler(args) };
    } catch (error) {
      return { ok: false, error: toDeskError(error) };
    }
  }

  on<E extends keyof DeskEvents>(event: E, listener: (payload: DeskEvents[E]) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  close(): void {
    this.closeDatabase();
    this.events.removeAllListeners();
  }

  private async open(): Promise<void> {
    this.database = openDatabase(this.options.dbPath);
    await migrateToLatest(this.database.db);
    this.handlers = createHandlers(this.database);
  }

  private closeDatabase(): void {
    this.database?.close();
    this.database = null;
    this.handlers = null;
  }

  private requireHandlers(): DeskHandlers {
    if (!this.handlers) throw new Error('Desk backend not started');
    return this.handlers;
  }

  private setStatus(change: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...change };
    this.events.emit('sync/status', this.status);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

export type { DeskApi };
