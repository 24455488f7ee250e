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
import { AgentSession, DEFAULT_AUTO_LOCK_MINUTES } from './agent-session';
import type { SessionRecord } from './agent-session';
import { createDeskFiles } from './features/desk-files';
import type { DeskFiles } from './features/desk-files';
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
  /**
   * Signed in as this agent from the start, without a password (tests, embedding code); it never locks itself
   * when idle. Without it: see `requireSignIn`.
   */
  agentId?: string;
  /**
   * Agents must sign in (`session/sign-in`) before any other command: the product (Electron main, demo stack).
   * Default false: without `agentId`, the first active accueil agent acts (tests written before sign-in).
   */
  requireSignIn?: boolean;
  /** Idle minutes before a signed-in desk locks itself (default 10; 0: never). */
  autoLockMinutes?: number;
  fetch?: FetchLike;
  /** The scanner's output folder the desk watches ("À classer"); default `<folder of dbPath>/scans`. */
  scanDir?: string;
  random?: () => number;
  /** Run the background sync (push/pull loop + SSE) from `start()`; default true. */
  autoSync?: boolean;
  sync?: Pick<
    SyncClientOptions,
    'batchSize' | 'pageLimit' | 'pollIntervalMs' | 'backoffInitialMs' | 'backoffMaxMs' | 'events'
  >;
}

type BackendCommand = 'sync/status' | 'sync/now' | 'sync/pull-snapshot';

/** Commands answered while nobody is signed in or the desk is locked (besides `session/*`): nothing private. */
const OPEN_COMMANDS: ReadonlySet<DeskCommand> = new Set<DeskCommand>(['sync/status', 'town/get']);

export class DeskBackend implements SyncHost {
  readonly dbPath: string;
  private current: SyncSession | null = null;
  private readonly handlers: DeskHandlers;
  private readonly events = new EventEmitter();
  private readonly clock: TrustedClock;
  private readonly client: SyncClient;
  private connection: SyncConnection = 'never';
  private message: string | null = null;
  /** Who is at the counter: sign-in, lock, idle timer (electron/backend/agent-session.ts). */
  readonly agentSession: AgentSession;
  /** The watched scanner folder and the server's blob store. */
  readonly files: DeskFiles;

  constructor(private readonly options: DeskBackendOptions) {
    this.dbPath = options.dbPath;
    const deskNow = options.now ?? (() => new Date());
    this.clock = new TrustedClock(deskNow);
    const implicitAgentId = options.agentId;
    this.agentSession = new AgentSession({
      nowMs: () => deskNow().getTime(),
      autoLockMs: autoLockMinutesOf(options.autoLockMinutes) * 60_000,
      implicitAgent:
        implicitAgentId !== undefined
          ? () => implicitAgentId
          : options.requireSignIn
            ? null
            : () => this.current?.store.state.firstAgentWithRole('accueil')?.id ?? null,
      record: (event) => this.recordSession(event),
    });
    this.client = new SyncClient(this, {
      serverUrl: options.serverUrl,
      deskToken: options.deskToken,
      clock: this.clock,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...options.sync,
      onClockOffset: (offset) => this.saveClockOffset(offset),
    });
    this.files = createDeskFiles({
      dbPath: options.dbPath,
      serverUrl: options.serverUrl,
      deskToken: options.deskToken,
      ...(options.scanDir ? { scanDir: options.scanDir } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      onScansChanged: () =>
        this.events.emit('data/changed', {
          tables: ['scans'],
          cursor: this.current?.store.state.cursor() ?? 0,
        }),
    });
    this.handlers = createHandlers({
      session: () => this.session(),
      changed: (wrote) => {
        if (wrote) this.client.kick();
        this.emitStatus();
      },
      now: () => this.clock.now(),
      agentSession: this.agentSession,
      files: this.files,
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
    await this.files.scans.start();
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
      if (!name.startsWith('session/') && !OPEN_COMMANDS.has(name)) this.requireAgent();
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
    this.files.scans.stop();
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
    return new LocalCommands(store, {
      now: () => this.clock.now(),
      agentId: () => this.agentSession.actingAgentId(),
    });
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

  /** Refuses a command while nobody is signed in or the desk is locked; ends a session whose account was disabled. */
  private requireAgent(): void {
    const session = this.agentSession.requireUnlocked();
    if (session.implicit || !this.current) return;
    const agent = this.current.store.state.agent(session.agentId);
    if (agent && agent.active === 1) return;
    this.agentSession.signOut('compte_desactive');
    throw new DomainError('NOT_SIGNED_IN', 'Ce compte agent a été désactivé : la session est fermée.');
  }

  /** Writes a session event as an `audit.session` op (synced to the server's audit trail). */
  private recordSession(event: SessionRecord): void {
    const { commands } = this.session();
    commands.recordSession({
      event: event.event,
      at: new Date(event.atMs + this.clock.offset()).toISOString(),
      ...(event.reason ? { reason: event.reason } : {}),
    });
    this.client.kick();
    this.emitStatus();
  }

  private saveClockOffset(offset: number): void {
    const store = this.current?.store;
    store?.relaxedTransaction(() => store.state.set('clock_offset_ms', String(offset)));
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

/** The idle delay in minutes: the option when it is a number ≥ 0, else the default (10). */
function autoLockMinutesOf(minutes: number | undefined): number {
  return minutes !== undefined && Number.isFinite(minutes) && minutes >= 0
    ? minutes
    : DEFAULT_AUTO_LOCK_MINUTES;
}

function connectionOf(error: unknown): SyncConnection {
  if (!(error instanceof SyncHttpError)) return 'offline';
  if (error.status === 426) return 'update_required';
  if (error.status === 401) return 'revoked';
  return 'offline';
}

export type { DeskApi };
