// The central server: one Fastify app serving the sync API, the portal API and the built portal.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { OpenedDatabase } from '../db/open';
import { LoginThrottle } from './auth/login-throttle';
import { registerAdminRoutes } from './http/admin-routes';
import { registerBlobRoutes } from './http/blob-routes';
import { registerHealthRoutes } from './http/health';
import { registerPortalRoutes } from './http/portal-routes';
import { registerPublicRoutes } from './http/public-api';
import type { ServerContext } from './http/server-context';
import { DeskEventHub, registerSyncEventRoutes } from './http/sync-events';
import { registerSyncRoutes } from './http/sync-routes';
import { BlobUploads } from './sync/blob-uploads';
import { startPlannerStatsJob } from './jobs/planner-stats';
import { startMailService } from './mail';
import type { MailOptions } from './mail';

export interface ServerOptions {
  database: OpenedDatabase;
  /** Folder of the built portal (vite build output); served at `/` when present. */
  portalDir?: string;
  logger?: boolean;
  /** Server clock (tests pin it); deadlines and timestamps use it. Default: the system clock. */
  now?: () => Date;
  /**
   * Secret signing the parents' session cookie. Default: GF_COOKIE_SECRET, else a random one
   * (sessions then end when the server restarts).
   */
  cookieSecret?: string;
  /** Where partial blob uploads wait (default: `<database file>.uploads/`). */
  blobUploadDir?: string;
  /** E-mail to families (mail outbox sender): SMTP from GF_SMTP_URL by default, else only logged. */
  mail?: MailOptions;
}

function defaultUploadDir(database: OpenedDatabase): string {
  const file = database.sqlite.name;
  return file && file !== ':memory:' ? `${file}.uploads` : join(tmpdir(), `gf-blob-uploads-${process.pid}`);
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  const { database } = options;
  const context: ServerContext = {
    database,
    now: options.now ?? (() => new Date()),
    events: new DeskEventHub(database.sqlite),
    uploads: new BlobUploads(database.sqlite, options.blobUploadDir ?? defaultUploadDir(database)),
    throttle: new LoginThrottle(),
  };
  // SSE streams never end by themselves: close them so that app.close() does not wait for them.
  app.addHook('preClose', async () => context.events.close());
  const plannerStats = startPlannerStatsJob(database.sqlite, { log: (message) => app.log.info(message) });
  app.addHook('onClose', async () => plannerStats.stop());
  const mailSender = startMailService(database.sqlite, options.mail, options.now);
  app.addHook('onClose', async () => mailSender?.stop());
  await app.register(fastifyCookie, {
    secret: options.cookieSecret ?? process.env.GF_COOKIE_SECRET ?? randomBytes(32).toString('base64url'),
  });
  registerHealthRoutes(app, database);
  registerPublicRoutes(app, database);
  registerSyncRoutes(app, context);
  registerSyncEventRoutes(app, context);
  registerBlobRoutes(app, context);
  registerAdminRoutes(app, context);
  registerPortalRoutes(app, context);
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
