// A small `fetch` over node:http (keep-alive) for the desk worker: the global fetch costs ~70 ms to load in a
// fresh process and ~5 ms per loopback call on this kind of machine, node:http ~2 ms. Enough of a Response for
// the desk's sync calls (ok, status, headers.get, json, text); snapshots and SSE streams go to the real fetch.
import http from 'node:http';
import type { FetchLike } from '../../electron/backend/snapshot-client';

function headerList(headers: RequestInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return { ...(headers as Record<string, string>) };
}

function abortError(): Error {
  const error = new Error('The operation was aborted.');
  error.name = 'AbortError';
  return error;
}

export function httpFetch(fallback: FetchLike = fetch): FetchLike {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const call = (input: Parameters<FetchLike>[0], init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.endsWith('/snapshot') || url.pathname.endsWith('/events')) return fallback(input, init);
    return new Promise<Response>((resolve, reject) => {
      const signal = init?.signal ?? undefined;
      if (signal?.aborted) return reject(abortError());
      const headers = headerList(init?.headers);
      const body = typeof init?.body === 'string' ? init.body : undefined;
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const request = http.request(url, { method: init?.method ?? 'GET', headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('aborted', () => reject(new TypeError('fetch failed')));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            headers: {
              get(name: string): string | null {
                const value = response.headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
              },
            },
            body: null,
            json: async () => JSON.parse(text) as unknown,
            text: async () => text,
          } as unknown as Response);
        });
      });
      request.on('error', (error) =>
        reject(signal?.aborted ? abortError() : new TypeError('fetch failed', { cause: error })),
      );
      signal?.addEventListener('abort', () => request.destroy(abortError()), { once: true });
      request.end(body);
    });
  };
  return call as FetchLike;
}
