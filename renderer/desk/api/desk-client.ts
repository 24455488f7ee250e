// The only file that touches `window.desk`. In Electron, preload provides it; in a plain browser the
// desk backend's local HTTP bridge (same origin) carries the same contract.
import type { DeskArgs, DeskBridge, DeskCommand, DeskEvents, DeskReturn } from '../../../electron/contract';

declare global {
  interface Window {
    desk?: DeskBridge;
  }
}

const httpBridge: DeskBridge = {
  async invoke(name, args) {
    try {
      const response = await fetch(`/desk/invoke/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(args ?? {}),
      });
      return await response.json();
    } catch {
      return {
        ok: false,
        error: { code: 'DESK_BACKEND_UNREACHABLE', message: 'Le service local du poste ne répond pas.' },
      };
    }
  },
  on(event, listener) {
    const source = new EventSource('/desk/events');
    source.addEventListener(event, (message) => listener(JSON.parse((message as MessageEvent<string>).data)));
    return () => source.close();
  },
};

const bridge: DeskBridge = window.desk ?? httpBridge;

export class DeskCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Calls a desk command; resolves with its value or rejects with a DeskCallError carrying the French message. */
export async function call<K extends DeskCommand>(name: K, args: DeskArgs<K>): Promise<DeskReturn<K>> {
  const result = await bridge.invoke(name, args);
  if (!result.ok) throw new DeskCallError(result.error.code, result.error.message);
  return result.value;
}

export function onDeskEvent<E extends keyof DeskEvents>(
  event: E,
  listener: (payload: DeskEvents[E]) => void,
): () => void {
  return bridge.on(event, listener);
}

/**
 * Prints a PDF through Electron's print dialog when the desk runs in Electron; returns false in a browser, where
 * the caller prints its preview frame instead.
 */
export async function printPdfNatively(base64: string, title: string): Promise<boolean> {
  if (!bridge.printPdf) return false;
  const result = await bridge.printPdf(base64, title);
  if (!result.ok) throw new DeskCallError(result.error.code, result.error.message);
  return true;
}
