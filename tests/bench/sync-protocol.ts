// IPC between the sync benchmarks and their server process (tests/bench/sync-server-process.ts).

export interface ServerRequests {
  /** Creates the desk if its prefix is new, issues a fresh token. */
  enrolDesk: { name: string; prefix: string };
  /** Opens one session per account; answers the `cookie` header value of each. */
  openSessions: { accountIds: string[] };
  /** Starts (or stops) recording commit instants of booking rows; clears what was recorded. */
  track: { on: boolean };
  /** When the booking row of `person|activity|day` was first committed (epoch ms, fractional), or null. */
  commitTime: { key: string };
  /** The server's last change-log sequence. */
  lastSeq: Record<string, never>;
}

export interface ServerResponses {
  enrolDesk: { deskId: string; token: string };
  openSessions: string[];
  track: null;
  commitTime: number | null;
  lastSeq: number;
}

export type ServerRequestType = keyof ServerRequests;
export type ServerRequest<K extends ServerRequestType> = ServerRequests[K] & { type: K };

export type ServerMessage =
  | { type: 'ready'; url: string }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string };
