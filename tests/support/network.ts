// A switchable network for desks under test: offline cuts what is in flight (SSE streams included) and fails new
// calls like an unreachable host. The caller's own signal still aborts its request; `AbortSignal.any` links the
// two without piling listeners onto a desk's long-lived signal.
import type { FetchLike } from '../../electron/backend/snapshot-client';

export class Network {
  online = true;
  /** Paths requested, in order (for assertions). */
  readonly requests: string[] = [];
  private inFlight = new Set<AbortController>();

  readonly fetch: FetchLike = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    this.requests.push(url.pathname);
    if (!this.online) throw new TypeError('fetch failed');
    const cut = new AbortController();
    this.inFlight.add(cut);
    const signal = init?.signal ? AbortSignal.any([init.signal, cut.signal]) : cut.signal;
    return fetch(input, { ...init, signal });
  };

  goOffline(): void {
    this.online = false;
    for (const controller of this.inFlight) controller.abort();
    this.inFlight = new Set();
  }

  goOnline(): void {
    this.online = true;
  }
}
