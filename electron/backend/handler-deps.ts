// What every desk command handler receives from the backend, and the shape of a feature's handler map.
import type { AgentSession } from './agent-session';
import type { DeskStore } from './desk-store';
import type { DeskFiles } from './features/desk-files';
import type { LocalCommands } from './sync/local-commands';

export interface HandlerDeps {
  /** The current store and commands (the file is swapped on resync). */
  session(): { store: DeskStore; commands: LocalCommands };
  /** After a local write or acknowledgement: refresh the status, wake the sync client. */
  changed(wrote: boolean): void;
  /** The desk's best estimate of server time. */
  now(): Date;
  /** Who is at the counter (signed-in agent, lock): `agentSession.current()?.agentId`. */
  agentSession: AgentSession;
  /** The scanner folder ("À classer") and the server's blob store (documents, demandes). */
  files: DeskFiles;
}

/** One async function per command of a feature's API. */
export type FeatureHandlers<Api> = {
  [K in keyof Api]: Api[K] extends { args: infer A; result: infer R } ? (args: A) => Promise<R> : never;
};
