// A small in-memory limit on failed sign-ins per login (ANSSI: rate limiting rather than complex rules).
// Pure: the caller passes the time. Used by the server (agents, parents) and by the desk (offline agent sign-in).

export interface ThrottleOptions {
  /** Failures allowed within the window before the login is blocked. */
  maxFailures?: number;
  windowMs?: number;
}

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly maxFailures: number;
  private readonly windowMs: number;

  constructor(options: ThrottleOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60_000;
  }

  private recent(key: string, nowMs: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((at) => nowMs - at < this.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  /** Milliseconds to wait before trying this login again (0: go ahead). */
  retryAfterMs(login: string, nowMs: number): number {
    const recent = this.recent(login.trim().toLowerCase(), nowMs);
    if (recent.length < this.maxFailures) return 0;
    return Math.max(1, (recent[0] ?? nowMs) + this.windowMs - nowMs);
  }

  fail(login: string, nowMs: number): void {
    const key = login.trim().toLowerCase();
    this.failures.set(key, [...this.recent(key, nowMs), nowMs]);
  }

  succeed(login: string): void {
    this.failures.delete(login.trim().toLowerCase());
  }
}

/** "Trop de tentatives …" with the wait in minutes. */
export function tooManyAttemptsMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Trop de tentatives de connexion : réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}.`;
}
