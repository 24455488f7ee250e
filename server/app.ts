// The central server: one Fastify app serving the sync API, the portal API and the built portal.
import { existsSync } from 'node:fs';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { OpenedDatabase } from '../db/open';
import { registerHealthRoutes } from './http/health';
import { registerPublicRoutes } from './http/public-api';
import { registerSyncRoutes } from './http/sync-routes';

export interface ServerOptions {
  database: OpenedDatabase;
  /** Folder of the built portal (vite build output); served at `/` when present. */
  portalDir?: string;
  logger?: boolean;
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  registerHealthRoutes(app, options.database);
  registerPublicRoutes(app, options.database);
  registerSyncRoutes(app, options.database);
  if (options.portalDir && existsSync(options.portalDir)) {
    await app.register(fastifyStatic, { root: options.portalDir, prefix: '/' });
    // The portal is a single-page app: unknown non-API paths get its index.html.
    app.setNotFoundHandler((request, reply) => {
      if (request.url.startsWith('/api/') || request.url.startsWith('/sync/')) {
        return reply.code(404).send({ code: 'NOT_FOUND', message: 'Ressource introuvable.' });
      }
      return reply.sendFile('index.html');
    });
  }
  return app;
}
