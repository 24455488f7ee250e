// Who is at the counter: the signed-in agent of this desk, the lock, the idle timer and the sign-in throttle.
// One per desk backend (a desk serves one agent at a time). Pure state over an injected local clock; every
// change is written to the audit trail through `record` (the `audit.session` command, synced to the server).
import { LoginThrottle, tooManyAttemptsMessage } from '../../core/auth/login-throttle';
import { DomainError } from '../../core/errors';
import type { SessionEvent, SessionReason } from '../../core/sync/commands-agent';

export const DEFAULT_AUTO_LOCK_MINUTES = 10;

export type LockReason = 'manuel' | 'inactivite';

/** A session event to audit; `atMs` on the desk's local clock. */
export interface SessionRecord {
  event: SessionEvent;
  atMs: number;
  reason?: SessionReason;
}

export interface AgentSessionOptions {
  /** The desk's local clock (ms); injected by tests. */
  nowMs(): number;
  /** Idle time before the desk locks itself; 0 = never. */
  autoLockMs: number;
  /**
   * The agent signed in without a password (tests, embedding code): `DeskBackendOptions.agentId`, or the first
   * accueil agent when sign-in is not required. Null: nobody until someone signs in. An implicit session never
   * locks itself when idle.
   */
  implicitAgent: (() => string | null) | null;
  /** Writes the event to the audit trail, as the agent currently in the session. */
  record(event: SessionRecord): void;
}

export interface SessionSnapshot {
  agentId: string;
  locked: boolean;
  lockReason: LockReason | null;
  /** Local ms; null for an implicit session. */
  signedInAtMs: number | null;
  implicit: boolean;
}

export const NOT_SIGNED_IN_MESSAGE = "Aucun agent n'est connecté à ce poste : identifiez-vous.";
export const SESSION_LOCKED_MESSAGE =
  'Le poste est verrouillé : saisissez votre mot de passe pour reprendre.';

export class AgentSession {
  private mode: 'implicit' | 'explicit';
  private agentId: string | null = null;
  private lockReason: LockReason | null = null;
  private signedInAtMs: number | null = null;
  private lastActivityMs = 0;
  private readonly throttle = new LoginThrottle({ maxFailures: 5, windowMs: 15 * 60_000 });

  constructor(private readonly options: AgentSessionOptions) {
    this.mode = options.implicitAgent ? 'implicit' : 'explicit';
  }

  get autoLockMs(): number {
    return this.options.autoLockMs;
  }

  /** The session now (after locking it if it has been idle too long); null when nobody is signed in. */
  current(): SessionSnapshot | null {
    this.expireIfIdle();
    return this.peek();
  }

  private peek(): SessionSnapshot | null {
    if (this.mode === 'implicit') {
      const agentId = this.options.implicitAgent?.() ?? null;
      return agentId
        ? { agentId, locked: false, lockReason: null, signedInAtMs: null, implicit: true }
        : null;
    }
    if (this.agentId === null) return null;
    return {
      agentId: this.agentId,
      locked: this.lockReason !== null,
      lockReason: this.lockReason,
      signedInAtMs: this.signedInAtMs,
      implicit: false,
    };
  }

  /** The agent of local commands (also while locked: a lock is recorded as that agent). */
  actingAgentId(): string {
    const session = this.current();
    if (!session) throw new DomainError('NOT_SIGNED_IN', NOT_SIGNED_IN_MESSAGE);
    return session.agentId;
  }

  /** The agent, for a command the renderer may only run signed in and unlocked. */
  requireUnlocked(): SessionSnapshot {
    const session = this.current();
    if (!session) throw new DomainError('NOT_SIGNED_IN', NOT_SIGNED_IN_MESSAGE);
    if (session.locked) throw new DomainError('SESSION_LOCKED', SESSION_LOCKED_MESSAGE);
    return session;
  }

  /** The agent is active at the counter (input in the window): postpones the idle lock. */
  touch(): void {
    const session = this.current();
    if (session && !session.locked) this.lastActivityMs = this.options.nowMs();
  }

  /** Refuses at once a login blocked by too many failures (TOO_MANY_ATTEMPTS). */
  checkThrottle(login: string): void {
    const wait = this.throttle.retryAfterMs(login, this.options.nowMs());
    if (wait > 0) throw new DomainError('TOO_MANY_ATTEMPTS', tooManyAttemptsMessage(wait));
  }

  failed(login: string): void {
    this.throttle.fail(login, this.options.nowMs());
  }

  /**
   * `agentId` proved its password: it becomes the agent of the desk. The same agent on a locked desk unlocks it;
   * another agent ends the previous session first (recorded as a sign-out, reason `changement_agent`).
   */
  signIn(agentId: string, login: string): void {
    this.throttle.succeed(login);
    const previous = this.current();
    if (previous && previous.agentId === agentId && !previous.implicit) {
      if (previous.locked) this.unlock();
      else this.lastActivityMs = this.options.nowMs();
      return;
    }
    if (previous && !previous.implicit) this.signOut('changement_agent');
    const now = this.options.nowMs();
    this.mode = 'explicit';
    this.agentId = agentId;
    this.lockReason = null;
    this.signedInAtMs = now;
    this.lastActivityMs = now;
    try {
      this.options.record({ event: 'sign_in', atMs: now });
    } catch (error) {
      this.clear();
      throw error;
    }
  }

  /** The agent proved its password on the lock screen. */
  unlock(): void {
    if (this.mode === 'implicit' || this.agentId === null || this.lockReason === null) return;
    const now = this.options.nowMs();
    const reason = this.lockReason;
    this.lockReason = null;
    this.lastActivityMs = now;
    try {
      this.options.record({ event: 'unlock', atMs: now });
    } catch (error) {
      this.lockReason = reason;
      throw error;
    }
  }

  lock(reason: LockReason, atMs = this.options.nowMs()): void {
    if (reason === 'manuel') this.expireIfIdle();
    const session = this.peek();
    if (!session || session.locked) return;
    this.mode = 'explicit';
    this.agentId = session.agentId;
    this.signedInAtMs ??= atMs;
    this.lockReason = reason;
    this.recordQuietly({ event: 'lock', atMs, reason });
  }

  signOut(reason: SessionReason = 'manuel'): void {
    const session = this.current();
    if (session && !session.implicit)
      this.recordQuietly({ event: 'sign_out', atMs: this.options.nowMs(), reason });
    this.clear();
  }

  private clear(): void {
    this.mode = 'explicit';
    this.agentId = null;
    this.lockReason = null;
    this.signedInAtMs = null;
  }

  /** Locks a signed-in desk idle for `autoLockMs`, dated when the idle time ran out. */
  private expireIfIdle(): void {
    if (this.mode !== 'explicit' || this.agentId === null || this.lockReason !== null) return;
    if (this.options.autoLockMs <= 0) return;
    const expiresAt = this.lastActivityMs + this.options.autoLockMs;
    if (this.options.nowMs() >= expiresAt) this.lock('inactivite', expiresAt);
  }

  /** A lock or sign-out always happens, even when its audit row cannot be written (the desk must not stay open). */
  private recordQuietly(event: SessionRecord): void {
    try {
      this.options.record(event);
    } catch (error) {
      console.error(`[desk] audit of session.${event.event} failed:`, error);
    }
  }
}
