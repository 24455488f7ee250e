// The desk side of docs/SYNC.md: local commands (one transaction each, with undo records and the outbox row),
// the replica (server truth + pending ops replayed), resync, and the per-desk sync client (push, pull, SSE).
export { LocalCommands } from './local-commands';
export type { LocalCommandsEnv, LocalWrite } from './local-commands';
export { applyChanges, replayLive } from './replica';
export type { ApplyOutcome } from './replica';
export { SyncClient } from './sync-client';
export type { SyncClientOptions, SyncConnection, SyncHost, SyncOutcome, SyncSession } from './sync-client';
export { TrustedClock } from './clock';
export { CASH_LIMIT_CENTS } from './payment-record';
