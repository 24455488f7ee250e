// Sync API, version 1: the snapshot a desk starts from (push and pull by cursor come with the sync engine).
import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OpenedDatabase } from '../../db/open';
import { SCHEMA_VERSION } from '../../db/migrate';
import { authenticateDesk, DeskAuthError } from '../auth/desk-tokens';
import { buildDeskSnapshot } from '../sync/snapshot';
import {
  PROTOCOL_HEADER,
  SCHEMA_HEADER,
  SNAPSHOT_SEQ_HEADER,
  SYNC_PROTOCOL_VERSION,
  UPDATE_REQUIRED_MESSAGE,
} from '../../core/sync/protocol';

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

export function registerSyncRoutes(app: FastifyInstance, database: OpenedDatabase): void {
  app.get('/sync/v1/snapshot', async (request, reply) => {
    if (!checkVersions(request, reply)) return reply;
    let deskId: string;
    try {
      deskId = authenticateDesk(database.sqlite, request.headers.authorization);
    } catch (error) {
      if (error instanceof DeskAuthError)
        return reply.code(401).send({ code: error.code, message: error.message });
      throw error;
    }
    const snapshot = buildDeskSnapshot(database.sqlite, deskId);
    const stream = createReadStream(snapshot.path);
    stream.on('close', () => snapshot.dispose());
    return reply
      .header('content-type', 'application/vnd.sqlite3')
      .header(SNAPSHOT_SEQ_HEADER, String(snapshot.seq))
      .send(stream);
  });
}
