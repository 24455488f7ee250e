// Sync API, version 1 (docs/SYNC.md): the snapshot a desk starts from, push of its commands, pull of the change log.
import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { OpenedDatabase } from '../../db/open';
import { SCHEMA_VERSION } from '../../db/migrate';
import { authenticateDesk, DeskAuthError } from '../auth/desk-tokens';
import { buildDeskSnapshot } from '../sync/snapshot';
import { processPush } from '../sync/push';
import { DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, pullChanges } from '../sync/pull';
import {
  PROTOCOL_HEADER,
  SCHEMA_HEADER,
  SNAPSHOT_SEQ_HEADER,
  SYNC_PROTOCOL_VERSION,
  UPDATE_REQUIRED_MESSAGE,
} from '../../core/sync/protocol';
import type { ServerContext } from './server-context';
import { problem } from './server-context';

/** Ops per push, and the body limit that fits them (allocations included). */
export const MAX_OPS_PER_PUSH = 500;
export const PUSH_BODY_LIMIT = 16 * 1024 * 1024;

/** Refuses desks speaking an older protocol or schema, with the French message the agent will see. */
function checkVersions(request: FastifyRequest, reply: FastifyReply): boolean {
  const protocol = Number(request.headers[PROTOCOL_HEADER]);
  const schema = Number(request.headers[SCHEMA_HEADER]);
  if (protocol === SYNC_PROTOCOL_VERSION && schema === SCHEMA_VERSION) return true;
  void reply.code(426).send({
    code: 'DESK_UPDATE_REQUIRED',
    message: UPDATE_REQUIRED_MESSAGE,
    serverProtocol: SYNC_PROTOCOL_VERSION,
    serverSchema: SCHEMA_VERSION,
  });
  return false;
}

/** Versions, then the desk's bearer token: the desk id, or null once the error answer is sent (426 / 401). */
export function requireDesk(
  database: OpenedDatabase,
  request: FastifyRequest,
  reply: FastifyReply,
): string | null {
  if (!checkVersions(request, reply)) return null;
  try {
    return authenticateDesk(database.sqlite, request.headers.authorization);
  } catch (error) {
    if (error instanceof DeskAuthError) {
      void reply.code(401).send(problem(error.code, error.message));
      return null;
    }
    throw error;
  }
}

const syncOpSchema = z.object({
  opId: z.string().min(1).max(100),
  deskSeq: z.number().int().min(1),
  command: z.string().min(1).max(100),
  commandVersion: z.number().int().min(1),
  payload: z.unknown(),
  agentId: z.string().min(1).max(100),
  createdAt: z.string().max(40),
});

const pushRequestSchema = z.object({ ops: z.array(syncOpSchema).max(MAX_OPS_PER_PUSH) });

const pullQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
});

export function registerSyncRoutes(app: FastifyInstance, context: ServerContext): void {
  const { database } = context;

  app.get('/sync/v1/snapshot', async (request, reply) => {
    const deskId = requireDesk(database, request, reply);
    if (deskId === null) return reply;
    const snapshot = buildDeskSnapshot(database.sqlite, deskId);
    const stream = createReadStream(snapshot.path);
    stream.on('close', () => snapshot.dispose());
    return reply
      .header('content-type', 'application/vnd.sqlite3')
      .header(SNAPSHOT_SEQ_HEADER, String(snapshot.seq))
      .send(stream);
  });

  app.post('/sync/v1/push', { bodyLimit: PUSH_BODY_LIMIT }, async (request, reply) => {
    const deskId = requireDesk(database, request, reply);
    if (deskId === null) return reply;
    const parsed = pushRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      return reply
        .code(400)
        .send(
          problem(
            'INVALID_PUSH',
            `Lot d'opérations mal formé (au plus ${MAX_OPS_PER_PUSH} opérations, champs opId, deskSeq, command, commandVersion, payload, agentId, createdAt).`,
          ),
        );
    }
    return processPush(database, deskId, parsed.data.ops, {
      now: context.now,
      logError: (message, details) => request.log.error(details, message),
    });
  });

  app.get('/sync/v1/pull', async (request, reply) => {
    const deskId = requireDesk(database, request, reply);
    if (deskId === null) return reply;
    const query = pullQuerySchema.safeParse(request.query);
    if (!query.success) {
      return reply
        .code(400)
        .send(
          problem(
            'INVALID_QUERY',
            `Paramètres attendus : after (entier ≥ 0) et limit (1 à ${MAX_PULL_LIMIT}).`,
          ),
        );
    }
    return pullChanges(database, query.data.after, query.data.limit);
  });
}
