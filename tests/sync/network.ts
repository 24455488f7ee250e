// A switchable network for desks under test (as tests/integration/desk-sync/network.ts): offline cuts what is in
// flight and fails new calls like an unreachable host. The link to the caller's abort signal is dropped once
// the answer's headers are in, so that a desk's long-lived signal does not collect one listener per call.
import type { FetchLike } from '../../electron/backend/snapshot-client';

export class Network {
  online = true;
  /** Paths requested, in order (for assertions). */
  readonly requests: string[] = [];
  private readonly inFlight = new Set<AbortController>();

  readonly fetch: FetchLike = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    this.requests.push(url.pathname);
    if (!this.online) throw new TypeError('fetch failed');
    const controller = new AbortController();
    const outer = init?.signal;
    const forward = (): void => controller.abort();
    if (outer?.aborted) controller.abort();
    outer?.addEventListener('abort', forward, { once: true });
    this.inFlight.add(controller);
    try {
      return await fetch(input, { ...init, signal: controller.signal });
    } finally {
      outer?.removeEventListener('abort', forward);
    }
  };

  goOffline(): void {
    this.online = false;
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  goOnline(): void {
    this.online = true;
  }
}
