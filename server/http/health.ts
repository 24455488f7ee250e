// GET /healthz: liveness plus the schema version, for load balancers and desks.
import type { FastifyInstance } from 'fastify';
import type { OpenedDatabase } from '../../db/open';
import { SCHEMA_VERSION } from '../../db/migrate';
import { SYNC_PROTOCOL_VERSION } from '../../core/sync/protocol';

export function registerHealthRoutes(app: FastifyInstance, database: OpenedDatabase): void {
  app.get('/healthz', async () => {
    database.sqlite.prepare('SELECT 1').get();
    return { status: 'ok', schemaVersion: SCHEMA_VERSION, protocolVersion: SYNC_PROTOCOL_VERSION };
  });
}
