// The desk contract: the typed map of commands and events that preload, the desk backend and renderer/desk share.
// Types only (plus the list of command names preload uses to refuse anything else).

/** A family as listed by search: what an agent needs to recognise it at a glance. */
export interface HouseholdListItem {
  id: string;
  code: string;
  titulaire: string;
  coTitulaire: string | null;
  children: string[];
  city: string | null;
  phone: string | null;
  email: string | null;
}

export interface TownInfo {
  name: string;
  householdCount: number;
}

export type SyncConnection = 'online' | 'offline' | 'never';

export interface SyncStatus {
  connection: SyncConnection;
  serverUrl: string;
  /** Change-log sequence of the server state this replica reflects. */
  cursor: number;
  pending: number;
  lastSyncAt: string | null;
}

/** An error as it crosses the process boundary: a code for code, a French message for people. */
export interface DeskError {
  code: string;
  message: string;
}

export type DeskResult<T> = { ok: true; value: T } | { ok: false; error: DeskError };

/** Every command the desk backend answers: name → argument and result types. */
export interface DeskApi {
  'town/get': { args: void; result: TownInfo };
  'family/search': { args: { query: string; limit?: number }; result: HouseholdListItem[] };
  'sync/status': { args: void; result: SyncStatus };
  'sync/pull-snapshot': { args: void; result: SyncStatus };
}

export type DeskCommand = keyof DeskApi;
export type DeskArgs<K extends DeskCommand> = DeskApi[K]['args'];
export type DeskReturn<K extends DeskCommand> = DeskApi[K]['result'];

export const DESK_COMMANDS = [
  'town/get',
  'family/search',
  'sync/status',
  'sync/pull-snapshot',
] as const satisfies readonly DeskCommand[];

/** Events the backend pushes to the renderer. */
export interface DeskEvents {
  'sync/status': SyncStatus;
}

/** What preload exposes as `window.desk` (and the HTTP bridge client mimics in a browser). */
export interface DeskBridge {
  invoke<K extends DeskCommand>(name: K, args: DeskArgs<K>): Promise<DeskResult<DeskReturn<K>>>;
  on<E extends keyof DeskEvents>(event: E, listener: (payload: DeskEvents[E]) => void): () => void;
}

/** IPC channel names used between preload and main. */
export const DESK_INVOKE_CHANNEL = 'desk:invoke';
export const DESK_EVENT_CHANNEL = 'desk:event';
