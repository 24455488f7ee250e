// The desk backend: one instance per desk, in plain Node. Electron main wires it to IPC; tests wire it to HTTP.
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type {
  DeskApi,
  DeskArgs,
  DeskCommand,
  DeskEvents,
  DeskResult,
  DeskReturn,
  SyncConnection,
  SyncStatus,
} from '../contract';
import { DomainError } from '../../core/errors';
import { createHandlers } from './handlers';
import type { DeskHandlers } from './handlers';
import { DeskStore } from './desk-store';
import { SyncHttpError } from './snapshot-client';
import type { FetchLike } from './snapshot-client';
import { toDeskError } from './errors';
import { TrustedClock } from './sync/clock';
import { LocalCommands } from './sync/local-commands';
import { SyncClient } from './sync/sync-client';
import type { SyncClientOptions, SyncHost, SyncSession } from './sync/sync-client';

export interface DeskBackendOptions {
  /** The desk's own SQLite file. */
  dbPath: string;
  serverUrl: string;
  /** Enrolment token issued by an administrator. */
  deskToken: string;
  /** The desk's clock (never trusted for decisions; corrected by the server's `Date` header). */
  now?: () => Date;
  /** The agent at the counter (until sign-in exists); default: the first active agent with role accueil. */
  agentId?: string;
  fetch?: FetchLike;
  random?: () => number;
  /** Run the background sync (push/pull loop + SSE) from `start()`; default true. */
  autoSync?: boolean;
  sync?: Pick<
    SyncClientOptions,
    'batchSize' | 'pageLimit' | 'pollIntervalMs' | 'backoffInitialMs' | 'backoffMaxMs' | 'events'
  >;
}

type BackendCommand = 'sync/status' | 'sync/now' | 'sync/pull-snapshot';

export class DeskBackend implements SyncHost {
  readonly dbPath: string;
  private current: SyncSession | null = null;
  private readonly handlers: DeskHandlers;
  private readonly events = new EventEmitter();
  private readonly clock: TrustedClock;
  private readonly client: SyncClient;
  private connection: SyncConnection = 'never';
  private message: string | null = null;

  constructor(private readonly options: DeskBackendOptions) {
    this.dbPath = options.dbPath;
    this.clock = new TrustedClock(options.now ?? (() => new Date()));
    this.client = new SyncClient(this, {
      serverUrl: options.serverUrl,
      deskToken: options.deskToken,
      clock: this.clock,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...options.sync,
      onClockOffset: (offset) => this.saveClockOffset(offset),
    });
    this.handlers = createHandlers({
      session: () => this.session(),
      changed: (wrote) => {
        if (wrote) this.client.kick();
        this.emitStatus();
      },
      now: () => this.clock.now(),
    });
  }

  /** Opens the local store (an empty desk first downloads a snapshot) and starts syncing. */
  async start(): Promise<void> {
    mkdirSync(dirname(this.dbPath), { recursive: true });
    if (!existsSync(this.dbPath)) {
      try {
        await this.client.downloadSnapshot(this.dbPath);
        this.connection = 'online';
        this.message = null;
      } catch (error) {
        this.setConnection(connectionOf(error), error instanceof Error ? error.message : null);
        throw error;
      }
    }
    await this.open();
    if (this.options.autoSync !== false) this.client.start();
  }

  /** Pushes pending commands, pulls the server's changes; resolves with the status once settled. */
  async syncNow(): Promise<SyncStatus> {
    await this.client.syncNow();
    return this.status();
  }

  async invoke<K extends DeskCommand>(name: K, args: DeskArgs<K>): Promise<DeskResult<DeskReturn<K>>> {
    try {
      if (name === 'sync/now' || name === 'sync/pull-snapshot')
        return { ok: true, value: (await this.syncNow()) as DeskReturn<K> };
      if (name === 'sync/status') return { ok: true, value: this.status() as DeskReturn<K> };
      const handler = this.handlers[name as Exclude<DeskCommand, BackendCommand>] as
        ((args: DeskArgs<K>) => Promise<DeskReturn<K>>) | undefined;
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

  status(): SyncStatus {
    const store = this.current?.store;
    return {
      connection: this.connection,
      serverUrl: this.options.serverUrl,
      cursor: store?.state.cursor() ?? 0,
      pending: store?.outbox.pendingCount() ?? 0,
      toHandle: store?.outbox.toHandleCount() ?? 0,
      lastSyncAt: store?.state.get('last_sync_at') ?? null,
      message: this.message,
    };
  }

  close(): void {
    this.client.stop();
    this.current?.store.close();
    this.current = null;
    this.events.removeAllListeners();
  }

  // SyncHost

  session(): SyncSession {
    if (!this.current) throw new DomainError('DESK_NOT_STARTED', "Le poste n'est pas encore démarré.");
    return this.current;
  }

  commandsFor(store: DeskStore): LocalCommands {
    return new LocalCommands(store, { now: () => this.clock.now(), agentId: () => this.agentId(store) });
  }

  swapIn(tempPath: string): void {
    this.current?.store.close();
    this.current = null;
    // Only the closed database's -wal/-shm go: the rename replaces the file itself atomically, so a crash leaves
    // the old database or the new one, never none (deleting it first lost the outbox carried into tempPath).
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(this.dbPath + suffix, { force: true });
    renameSync(tempPath, this.dbPath);
    this.attach(DeskStore.openMigrated(this.dbPath));
  }

  onConnection(connection: SyncConnection, message: string | null): void {
    this.setConnection(connection, message);
  }

  onSynced({ tables }: { tables: string[]; lastSyncAt: string | null }): void {
    if (tables.length > 0 && this.current)
      this.events.emit('data/changed', { tables, cursor: this.current.store.state.cursor() });
    this.emitStatus();
  }

  private async open(): Promise<void> {
    this.attach(await DeskStore.open(this.dbPath));
  }

  private attach(store: DeskStore): void {
    this.current = { store, commands: this.commandsFor(store) };
    const saved = store.state.get('clock_offset_ms');
    if (this.clock.offset() !== 0) this.saveClockOffset(this.clock.offset());
    else if (saved !== null) this.clock.setOffset(Number(saved));
    if (this.connection === 'never' && store.state.get('last_sync_at') !== null) this.connection = 'offline';
  }

  private agentId(store: DeskStore): string {
    const agentId = this.options.agentId ?? store.state.firstAgentWithRole('accueil')?.id;
    if (!agentId) throw new DomainError('AGENT_UNKNOWN', 'Aucun agent connu sur ce poste : synchronisez-le.');
    return agentId;
  }

  private saveClockOffset(offset: number): void {
    const store = this.current?.store;
    store?.transaction(() => store.state.set('clock_offset_ms', String(offset)));
  }

  private setConnection(connection: SyncConnection, message: string | null): void {
    if (connection === this.connection && message === this.message) return;
    this.connection = connection;
    this.message = message;
    this.emitStatus();
  }

  private emitStatus(): void {
    if (this.events.listenerCount('sync/status') > 0) this.events.emit('sync/status', this.status());
  }
}

function connectionOf(error: unknown): SyncConnection {
  if (!(error instanceof SyncHttpError)) return 'offline';
  if (error.status === 426) return 'update_required';
  if (error.status === 401) return 'revoked';
  return 'offline';
}

export type { DeskApi };
