// What every desk command handler receives from the backend, and the shape of a feature's handler map.
import type { DeskStore } from './desk-store';
import type { LocalCommands } from './sync/local-commands';

export interface HandlerDeps {
  /** The current store and commands (the file is swapped on resync). */
  session(): { store: DeskStore; commands: LocalCommands };
  /** After a local write or acknowledgement: refresh the status, wake the sync client. */
  changed(wrote: boolean): void;
  /** The desk's best estimate of server time. */
  now(): Date;
}

/** One async function per command of a feature's API. */
export type FeatureHandlers<Api> = {
  [K in keyof Api]: Api[K] extends { args: infer A; result: infer R } ? (args: A) => Promise<R> : never;
};
