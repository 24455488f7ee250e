// A fault-injecting `fetch` for desks under test: switch the network off (in-flight requests and SSE
// streams are cut, new ones fail like an unreachable host) and on again.
import type { FetchLike } from '../../../electron/backend/snapshot-client';

export class Network {
  online = true;
  /** Requests seen, by path (for assertions). */
  readonly requests: string[] = [];
  private readonly inFlight = new Set<AbortController>();

  readonly fetch: FetchLike = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    this.requests.push(url.pathname);
    if (!this.online) throw new TypeError('fetch failed');
    const controller = new AbortController();
    const outer = init?.signal;
    if (outer?.aborted) controller.abort();
    outer?.addEventListener('abort', () => controller.abort(), { once: true });
    // Kept after the headers arrive: an SSE body is still streaming and must be cut too.
    this.inFlight.add(controller);
    return fetch(input, { ...init, signal: controller.signal });
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
