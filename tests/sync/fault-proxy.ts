// A loopback HTTP proxy that misbehaves on purpose: it drops responses after the server has acted (the classic
// "timeout after commit"), sends requests twice, and delays them. Deterministic from a seed.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32 } from '../support/random';

export interface FaultPlan {
  /** Probability that the server's response is thrown away (the socket is destroyed after the server answered). */
  dropResponse: number;
  /** Probability that the request is forwarded twice (the client sees the second answer). */
  duplicateRequest: number;
  /** Probability that the request waits `delayMs` before being forwarded. */
  delay: number;
  delayMs: number;
}

export interface FaultProxy {
  url: string;
  stats: { forwarded: number; dropped: number; duplicated: number; delayed: number };
  setPlan(plan: Partial<FaultPlan>): void;
  close(): Promise<void>;
}

function forward(
  target: URL,
  request: http.IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, host: target.host },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 502,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Proxies every request to `targetUrl`; streaming responses (SSE) are passed through untouched. */
export async function startFaultProxy(
  targetUrl: string,
  seed: number,
  plan: Partial<FaultPlan> = {},
): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const random = mulberry32(seed);
  let current: FaultPlan = { dropResponse: 0, duplicateRequest: 0, delay: 0, delayMs: 20, ...plan };
  const stats = { forwarded: 0, dropped: 0, duplicated: 0, delayed: 0 };

  const server = http.createServer((request, response) => {
    if (request.headers.accept === 'text/event-stream') {
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, host: target.host },
        },
        (res) => {
          response.writeHead(res.statusCode ?? 502, res.headers);
          res.pipe(response);
        },
      );
      upstream.on('error', () => response.destroy());
      request.on('close', () => upstream.destroy());
      upstream.end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks);
      try {
        if (random() < current.delay) {
          stats.delayed++;
          await new Promise((resolve) => setTimeout(resolve, current.delayMs));
        }
        let answer = await forward(target, request, body);
        stats.forwarded++;
        if (random() < current.duplicateRequest) {
          stats.duplicated++;
          answer = await forward(target, request, body);
        }
        if (random() < current.dropResponse) {
          stats.dropped++;
          response.destroy();
          return;
        }
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
      } catch {
        response.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    setPlan: (next) => (current = { ...current, ...next }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
