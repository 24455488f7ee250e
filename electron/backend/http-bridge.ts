// A local HTTP bridge over the desk backend, for running renderer/desk in a plain browser (tests, no-Electron machines).
// Listens on loopback only. Electron does not use it: there, preload + IPC carry the same contract.
import { existsSync } from 'node:fs';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { DESK_COMMANDS, DESK_EVENTS } from '../contract';
import type { DeskCommand } from '../contract';
import type { DeskBackend } from './desk-backend';

export interface DeskBridgeOptions {
  port?: number;
  /** Built renderer/desk (electron-vite output `out/renderer`). */
  rendererDir?: string;
}

export async function startDeskBridge(
  backend: DeskBackend,
  options: DeskBridgeOptions = {},
): Promise<{ app: FastifyInstance; url: string }> {
  // Scans travel base64 through the contract (4 files × 3 200 Ko): well above Fastify's 1 MiB default.
  const app = Fastify({ bodyLimit: 32 * 1024 * 1024 });
  const commands = new Set<string>(DESK_COMMANDS);

  app.post<{ Params: { name: string }; Body: unknown }>('/desk/invoke/*', async (request, reply) => {
    const name = (request.params as Record<string, string>)['*'] ?? '';
    if (!commands.has(name))
      return reply
        .code(404)
        .send({ ok: false, error: { code: 'UNKNOWN_COMMAND', message: `Commande inconnue : ${name}` } });
    return backend.invoke(name as DeskCommand, request.body as never);
  });

  app.get('/desk/events', (request, reply) => {
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const offs = DESK_EVENTS.map((event) =>
      backend.on(event, (payload) =>
        reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`),
      ),
    );
    request.raw.on('close', () => offs.forEach((off) => off()));
  });

  if (options.rendererDir && existsSync(options.rendererDir)) {
    await app.register(fastifyStatic, { root: options.rendererDir });
  }
  const url = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return { app, url };
}
