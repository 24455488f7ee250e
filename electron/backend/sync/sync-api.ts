// The /sync/v1 calls of one desk, over an injectable `fetch`. Every response's `Date` header feeds the
// desk's trusted clock; failures become SyncHttpError (status 0 = unreachable, 426 = update, 401 = revoked).
import type { PullResponse, PushRequest, PushResponse } from '../../../core/sync/messages';
import { downloadSnapshot, errorFromResponse, syncHeaders, unreachable } from '../snapshot-client';
import type { FetchLike } from '../snapshot-client';
import type { TrustedClock } from './clock';

export interface SyncApiOptions {
  serverUrl: string;
  deskToken: string;
  fetch?: FetchLike;
  clock: TrustedClock;
  /** Called when the clock offset changed significantly (to persist it). */
  onClockOffset?: (offsetMs: number) => void;
}

export class SyncApi {
  private readonly fetch: FetchLike;

  constructor(private readonly options: SyncApiOptions) {
    const base = options.fetch ?? fetch;
    this.fetch = async (input, init) => {
      const sentAt = options.clock.deskTime();
      const response = await base(input, init);
      if (options.clock.observe(response.headers.get('date'), sentAt, options.clock.deskTime()))
        options.onClockOffset?.(options.clock.offset());
      return response;
    };
  }

  push(request: PushRequest, signal?: AbortSignal): Promise<PushResponse> {
    return this.json<PushResponse>('/sync/v1/push', {
      method: 'POST',
      body: JSON.stringify(request),
      headers: { 'content-type': 'application/json' },
      ...(signal ? { signal } : {}),
    });
  }

  pull(after: number, limit: number, signal?: AbortSignal): Promise<PullResponse> {
    return this.json<PullResponse>(`/sync/v1/pull?after=${after}&limit=${limit}`, signal ? { signal } : {});
  }

  /** Opens the SSE stream; the caller reads the body. */
  async events(signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const response = await this.send('/sync/v1/events', { signal, headers: { accept: 'text/event-stream' } });
    if (!response.ok || !response.body) throw await errorFromResponse(response);
    return response.body;
  }

  /** Downloads a snapshot into `targetPath` (temp file, then rename); returns the sequence it reflects. */
  snapshot(targetPath: string): Promise<number> {
    return downloadSnapshot(this.options.serverUrl, this.options.deskToken, targetPath, {
      fetch: this.fetch,
    });
  }

  private async json<T>(path: string, init: RequestInit): Promise<T> {
    const response = await this.send(path, init);
    if (!response.ok) throw await errorFromResponse(response);
    return (await response.json()) as T;
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    const headers = { ...syncHeaders(this.options.deskToken), ...(init.headers as Record<string, string>) };
    try {
      return await this.fetch(new URL(path, this.options.serverUrl), { ...init, headers });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw unreachable();
    }
  }
}
