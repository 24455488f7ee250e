// One desk's sync engine (docs/SYNC.md): pushes the outbox in seq order, pulls the change log by cursor,
// listens to the server's SSE pokes, resyncs from a snapshot when told to — keeping the outbox — and
// reconnects with exponential backoff. An instance per desk: no module state, injectable fetch and clocks.
import type { ChangeRow } from '../../../core/sync/messages';
import type { DeskStore } from '../desk-store';
import { SyncHttpError } from '../snapshot-client';
import type { FetchLike } from '../snapshot-client';
import { Backoff, delay } from './backoff';
import { BlobTransfer } from './blob-upload';
import type { TrustedClock } from './clock';
import type { LocalCommands } from './local-commands';
import { isContiguous, parseChanges } from './pokes';
import { TransientStop, pushOutbox } from './push-outbox';
import { applyChanges } from './replica';
import { carryLocalState, openSnapshot, removeSqliteFiles } from './resync';
import { readSse } from './sse';
import { SyncApi } from './sync-api';

export type SyncConnection = 'never' | 'online' | 'offline' | 'update_required' | 'revoked';
export type SyncOutcome = 'ok' | 'offline' | 'retry' | 'update_required' | 'revoked' | 'stopped';

export interface SyncSession {
  store: DeskStore;
  commands: LocalCommands;
}

/** What the client needs from the desk backend that owns the database file. */
export interface SyncHost {
  readonly dbPath: string;
  session(): SyncSession;
  commandsFor(store: DeskStore): LocalCommands;
  /** Replaces the database file by `tempPath` (complete, closed) and reopens it — synchronously. */
  swapIn(tempPath: string): void;
  onConnection(connection: SyncConnection, message: string | null): void;
  /** After each successful sync, and whenever pulled or pushed changes moved the replica. */
  onSynced(change: { tables: string[]; lastSyncAt: string | null }): void;
}

export interface SyncClientOptions {
  serverUrl: string;
  deskToken: string;
  clock: TrustedClock;
  fetch?: FetchLike;
  random?: () => number;
  /** Ops per push (≤ 500). */
  batchSize?: number;
  /** Changes per pulled page. */
  pageLimit?: number;
  /**
   * Changes gathered (whole pages) before they are applied in one transaction (default 50,000): a catch-up
   * undoes and re-applies the live ops once per gathering instead of once per page. Bounds the memory a
   * long catch-up holds.
   */
  catchUpLimit?: number;
  /** Pull this often even without pokes (default 30 s). */
  pollIntervalMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Listen to /sync/v1/events (default true). */
  events?: boolean;
  onClockOffset?: (offsetMs: number) => void;
}

class Stopped extends Error {}

export class SyncClient {
  private readonly api: SyncApi;
  private readonly backoff: Backoff;
  /** Uploads the scans pending document.attach ops need, before each push. */
  private readonly blobs: BlobTransfer;
  private chain: Promise<unknown> = Promise.resolve();
  private running = false;
  private closed = false;
  private halted = false;
  private kicked = false;
  private looping = false;
  private listening = false;
  private wake: (() => void) | null = null;
  private abort = new AbortController();

  constructor(
    private readonly host: SyncHost,
    private readonly options: SyncClientOptions,
  ) {
    this.api = new SyncApi({
      serverUrl: options.serverUrl,
      deskToken: options.deskToken,
      clock: options.clock,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.onClockOffset ? { onClockOffset: options.onClockOffset } : {}),
    });
    this.backoff = this.newBackoff();
    this.blobs = new BlobTransfer({
      serverUrl: options.serverUrl,
      deskToken: options.deskToken,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  /** Starts the background loop (sync, then wait for a poke, a local write or the poll interval) and SSE. */
  start(): void {
    if (this.running || this.closed) return;
    this.running = true;
    this.halted = false;
    this.ensureLoops();
  }

  /** Stops every background activity; in-flight requests are aborted. */
  stop(): void {
    this.running = false;
    this.closed = true;
    this.abort.abort();
    this.wake?.();
  }

  /** First replica: downloads a snapshot to `path` (temp file, then rename). */
  downloadSnapshot(path: string): Promise<number> {
    return this.api.snapshot(path);
  }

  /** Asks the loop for a sync soon (after a local write). */
  kick(): void {
    this.kicked = true;
    // After the caller's reply: the write answers the agent first, the push starts on the next turn.
    setImmediate(() => this.wake?.());
  }

  /** Pushes everything pending and pulls until caught up; resolves when settled (or failed: see outcome). */
  syncNow(): Promise<SyncOutcome> {
    return this.exclusive(async () => {
      if (this.closed) return 'stopped';
      try {
        let held: TransientStop | null = null;
        for (let round = 0; round < 20; round += 1) {
          try {
            await this.pushAll();
          } catch (error) {
            // The server could not decide now: still bring its truth down, then retry later.
            if (!(error instanceof TransientStop)) throw error;
            held = error;
          }
          await this.pullAll();
          if (held || this.host.session().store.outbox.unsentFrom(1, 1).length === 0) break;
        }
        const lastSyncAt = this.options.clock.now().toISOString();
        const { store } = this.host.session();
        store.relaxedTransaction(() => store.state.set('last_sync_at', lastSyncAt));
        this.halted = false;
        this.ensureLoops();
        this.host.onConnection('online', null);
        this.host.onSynced({ tables: [], lastSyncAt });
        return held ? this.fail(held) : 'ok';
      } catch (error) {
        return this.fail(error);
      }
    });
  }

  private newBackoff(): Backoff {
    return new Backoff(this.options.backoffInitialMs, this.options.backoffMaxMs, this.options.random);
  }

  /** Runs sync work one piece at a time (push, pull, SSE apply, resync never interleave). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** (Re)starts the background loops that are not running (after start, or a sync that ended a halt). */
  private ensureLoops(): void {
    if (!this.running || this.halted) return;
    if (!this.looping) {
      this.looping = true;
      void this.loop().finally(() => (this.looping = false));
    }
    if (this.options.events !== false && !this.listening) {
      this.listening = true;
      void this.listen().finally(() => (this.listening = false));
    }
  }

  private async loop(): Promise<void> {
    while (this.running && !this.halted) {
      this.kicked = false;
      const outcome = await this.syncNow();
      if (!this.running || this.halted) break;
      if (outcome === 'ok') this.backoff.reset();
      await this.pause(outcome === 'ok' ? (this.options.pollIntervalMs ?? 30_000) : this.backoff.next());
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.kicked) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref?.();
      this.wake = done;
    });
  }

  private fail(error: unknown): SyncOutcome {
    if (error instanceof Stopped || this.closed) return 'stopped';
    if (error instanceof SyncHttpError) {
      if (error.status === 426 || error.status === 401) {
        this.halted = true;
        const connection = error.status === 426 ? 'update_required' : 'revoked';
        this.host.onConnection(connection, error.message);
        return connection;
      }
      if (error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504) {
        this.host.onConnection('offline', error.message);
        return 'offline';
      }
    }
    if (error instanceof TransientStop) this.host.onConnection('online', error.message);
    else console.warn('[desk] sync failed, will retry', error);
    return 'retry';
  }

  private checkOpen(): void {
    if (this.closed) throw new Stopped();
  }

  private async pushAll(): Promise<void> {
    await this.blobs.uploadPending(() => this.host.session().store, this.abort.signal);
    this.checkOpen();
    return pushOutbox({
      api: this.api,
      store: () => this.host.session().store,
      now: () => this.options.clock.now(),
      signal: this.abort.signal,
      batchSize: this.options.batchSize ?? 500,
      checkOpen: () => this.checkOpen(),
    });
  }

  /**
   * Pulls pages after the cursor until caught up. Pages are gathered (up to `catchUpLimit` changes) and
   * applied in ONE transaction: the live ops are undone and re-applied once for the whole catch-up, not once
   * per page (5,000 queued ops × every page was the cost of a reconnect), and every commit still leaves the
   * replica = server state at the new cursor + the live ops re-applied. Nothing is written between pages.
   */
  private async pullAll(): Promise<void> {
    const pageLimit = this.options.pageLimit ?? 5000;
    const catchUpLimit = Math.max(1, this.options.catchUpLimit ?? 50_000);
    for (;;) {
      const cursor = this.host.session().store.state.cursor();
      const changes: ChangeRow[] = [];
      let after = cursor;
      let hasMore = true;
      let resync = false;
      while (hasMore && changes.length < catchUpLimit) {
        const response = await this.api.pull(after, pageLimit, this.abort.signal);
        this.checkOpen();
        if (response.status === 'resync_required') {
          resync = true;
          break;
        }
        for (const change of response.changes) changes.push(change);
        after = Math.max(after, response.lastSeq);
        hasMore = response.hasMore;
      }
      if (resync) {
        await this.resync();
        continue;
      }
      this.apply(changes, after);
      if (!hasMore) return;
    }
  }

  private apply(changes: readonly ChangeRow[], lastSeq: number): void {
    const { store, commands } = this.host.session();
    const outcome = applyChanges(store, commands, changes, lastSeq, this.options.clock.now().toISOString());
    if (outcome.applied) this.host.onSynced({ tables: outcome.tables, lastSyncAt: null });
  }

  /** Replaces the replica by a fresh snapshot, carrying the outbox over; the file swap is atomic. */
  private async resync(): Promise<void> {
    const temp = `${this.host.dbPath}.resync`;
    removeSqliteFiles(temp);
    try {
      await this.api.snapshot(temp);
      const fresh = await openSnapshot(temp);
      try {
        this.checkOpen();
        const { store } = this.host.session();
        carryLocalState(store, fresh, this.host.commandsFor(fresh), this.options.clock.now().toISOString());
      } finally {
        fresh.close();
      }
      this.host.swapIn(temp);
    } finally {
      removeSqliteFiles(temp);
    }
    this.host.onSynced({ tables: ['*'], lastSyncAt: null });
  }

  /** Listens to the server's pokes; reconnects with backoff. */
  private async listen(): Promise<void> {
    const backoff = this.newBackoff();
    while (this.running && !this.halted) {
      try {
        const body = await this.api.events(this.abort.signal);
        backoff.reset();
        this.kick(); // catch up on what happened while disconnected
        for await (const event of readSse(body)) {
          if (!this.running) break;
          if (event.event === 'changes') void this.onChanges(event.data);
        }
      } catch (error) {
        if (!this.running) break;
        if (error instanceof SyncHttpError && (error.status === 426 || error.status === 401)) {
          void this.exclusive(async () => this.fail(error));
          break;
        }
      }
      await delay(backoff.next(), this.abort.signal);
    }
  }

  /** A poke: rows contiguous with the cursor are applied at once; anything else triggers a pull. */
  private onChanges(data: string): Promise<unknown> {
    return this.exclusive(async () => {
      if (this.closed) return;
      try {
        const { rows, after, lastSeq } = parseChanges(data);
        const cursor = this.host.session().store.state.cursor();
        const fresh = rows.filter((r) => r.seq > cursor).sort((a, b) => a.seq - b.seq);
        const end = Math.max(lastSeq ?? 0, fresh.at(-1)?.seq ?? 0);
        if (end <= cursor) return;
        if (isContiguous(cursor, fresh, after)) this.apply(fresh, end);
        else await this.pullAll();
      } catch (error) {
        this.fail(error);
      }
    });
  }
}
