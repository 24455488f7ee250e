// The desk's best estimate of server time: its own clock corrected by the offset observed in the `Date`
// header of sync responses. Used for the desk's early checks (deadlines) and the times it writes; the
// server never trusts it, and decisions are always the server's.

/** Offsets closer than this to the current one are noise (the header has one-second precision). */
const SIGNIFICANT_MS = 1_500;

export class TrustedClock {
  constructor(
    private readonly deskNow: () => Date,
    private offsetMs = 0,
  ) {}

  /** Desk clock + offset. */
  now(): Date {
    return new Date(this.deskNow().getTime() + this.offsetMs);
  }

  /** The raw desk clock (for measuring round trips). */
  deskTime(): number {
    return this.deskNow().getTime();
  }

  offset(): number {
    return this.offsetMs;
  }

  /** Restores an offset learned in an earlier session. */
  setOffset(offsetMs: number): void {
    if (Number.isFinite(offsetMs)) this.offsetMs = offsetMs;
  }

  /**
   * Learns from a response's `Date` header, read between `sentAt` and `receivedAt` (desk clock, ms).
   * Returns true when the offset changed significantly (worth persisting).
   */
  observe(dateHeader: string | null, sentAt: number, receivedAt: number): boolean {
    if (!dateHeader) return false;
    const serverSecond = Date.parse(dateHeader);
    if (Number.isNaN(serverSecond)) return false;
    const offset = Math.round(serverSecond + 500 - (sentAt + receivedAt) / 2);
    if (Math.abs(offset - this.offsetMs) < SIGNIFICANT_MS) return false;
    this.offsetMs = offset;
    return true;
  }
}
