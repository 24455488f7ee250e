/**
 * Desk enrolment, by an agent with role `administrateur` (HTTP Basic login:password):
 * - POST /sync/v1/admin/desks/:id/token  → a fresh token, shown once (only its SHA-256 is kept);
 * - POST /sync/v1/admin/desks/:id/revoke → the desk can no longer push, pull, download or listen.
 * No protocol headers needed (an administrator's tool, not a desk). Both are audited.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newId } from '../../core/ids';
import { syncStatements } from '../../db/repositories/sync-server';
import { authenticateAgent } from '../auth/agent-basic';
import { issueDeskToken, revokeDesk } from '../auth/desk-tokens';
import type { ChangeWriter } from '../sync/change-log';
import { writeWithChanges } from '../sync/change-log';
import type { ServerContext } from './server-context';
import { problem } from './server-context';

type DeskRequest = FastifyRequest<{ Params: { id: string } }>;

function audit(
  sqlite: BetterSqlite3.Database,
  changes: ChangeWriter,
  entry: { agentId: string; deskId: string; action: string },
): void {
  const id = newId();
  syncStatements(sqlite).insertAudit({
    id,
    at: changes.at,
    agent_id: entry.agentId,
    desk_id: entry.deskId,
    account_id: null,
    household_id: null,
    action: entry.action,
    entity: 'desks',
    entity_id: entry.deskId,
    reason: null,
    details_json: '{}',
  });
  changes.upsert('audit_log', id);
}

export function registerAdminRoutes(app: FastifyInstance, context: ServerContext): void {
  const { sqlite, db } = context.database;

  /** The administrator signed in, or null once the error answer is sent. */
  async function requireAdministrator(request: DeskRequest, reply: FastifyReply): Promise<string | null> {
    const auth = await authenticateAgent(
      db,
      request.headers.authorization,
      'administrateur',
      context.throttle,
      context.now(),
    );
    if (auth.ok) return auth.agent.id;
    if (auth.status === 401)
      void reply.header('www-authenticate', 'Basic realm="Guichet Famille", charset="UTF-8"');
    void reply.code(auth.status).send(problem(auth.code, auth.message));
    return null;
  }

  const unknownDesk = (reply: FastifyReply) =>
    reply.code(404).send(problem('DESK_NOT_FOUND', "Ce poste n'existe pas : créez-le d'abord."));

  app.post<{ Params: { id: string } }>('/sync/v1/admin/desks/:id/token', async (request, reply) => {
    const agentId = await requireAdministrator(request, reply);
    if (agentId === null) return reply;
    const deskId = request.params.id;
    const desk = syncStatements(sqlite).desk(deskId);
    if (!desk) return unknownDesk(reply);
    const now = context.now();
    const token = writeWithChanges(sqlite, now, (changes) => {
      const issued = issueDeskToken(sqlite, deskId, now);
      changes.upsert('desks', deskId);
      audit(sqlite, changes, { agentId, deskId, action: 'desk.enrol' });
      return issued;
    });
    return reply.code(201).send({
      deskId,
      deskName: desk.name,
      token,
      message: `Jeton du poste « ${desk.name} » : il ne sera plus jamais affiché, saisissez-le maintenant sur le poste.`,
    });
  });

  app.post<{ Params: { id: string } }>('/sync/v1/admin/desks/:id/revoke', async (request, reply) => {
    const agentId = await requireAdministrator(request, reply);
    if (agentId === null) return reply;
    const deskId = request.params.id;
    const desk = syncStatements(sqlite).desk(deskId);
    if (!desk) return unknownDesk(reply);
    const now = context.now();
    // Cut its event stream first: a revoked desk hears nothing more, not even its own revocation.
    context.events.disconnectDesk(deskId);
    writeWithChanges(sqlite, now, (changes) => {
      revokeDesk(sqlite, deskId, now);
      changes.upsert('desks', deskId);
      audit(sqlite, changes, { agentId, deskId, action: 'desk.revoke' });
    });
    return { deskId, revokedAt: syncStatements(sqlite).desk(deskId)?.revoked_at ?? now.toISOString() };
  });
}
