/**
 * Parents' demandes over the portal API (session cookie, like POST /api/v1/bookings):
 * - POST /api/v1/demandes {type, subject, details?, message?, attachments?: [{filename, contentBase64,
 *   qualification?, title?}]} → 201 {demandeId, number, status, createdAt, attachments}. Files are checked by
 *   content (pdf, png, jpg, bmp, odt, docx, doc; ≤ 3 200 Ko; ≤ 4). `Idempotency-Key` makes a retry land once.
 * - GET /api/v1/demandes → the household's demandes, newest first, with their history.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isDomainError } from '../../core/errors';
import { DEMANDE_TYPES } from '../../core/demandes/labels';
import { checkPieceBytes } from '../../core/documents/detect';
import { checkPieceFileCount, qualificationLabel, qualificationOf } from '../../core/documents/pieces';
import type { CitizenSession } from '../../db/repositories/citizen-sessions';
import { createParentDemande } from '../sync/portal-demandes';
import type { CheckedAttachment } from '../sync/portal-demandes';
import { IdempotencyKeyReusedError } from '../sync/portal-ops';
import type { ServerContext } from './server-context';
import { problem } from './server-context';

const BODY_LIMIT = 24 * 1024 * 1024;

const demandeSchema = z
  .object({
    type: z.enum(DEMANDE_TYPES),
    subject: z.string().trim().min(3).max(200),
    details: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean()])).optional(),
    message: z.string().trim().min(1).max(4000).optional(),
    attachments: z
      .array(
        z.object({
          filename: z.string().trim().min(1).max(255),
          contentBase64: z.string().min(1),
          qualification: z.string().optional(),
          title: z.string().trim().min(1).max(200).optional(),
        }),
      )
      .max(16)
      .optional(),
  })
  .strict();

type RequireSession = (request: FastifyRequest, reply: FastifyReply) => CitizenSession | null;

export function registerPortalDemandeRoutes(
  app: FastifyInstance,
  context: ServerContext,
  requireSession: RequireSession,
): void {
  const { sqlite } = context.database;

  app.post('/api/v1/demandes', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const session = requireSession(request, reply);
    if (!session) return reply;
    if (session.household_id === null) {
      return reply
        .code(403)
        .send(
          problem(
            'NO_HOUSEHOLD',
            "Votre espace n'est pas encore relié à un dossier famille : contactez la mairie.",
          ),
        );
    }
    const body = demandeSchema.safeParse(request.body);
    if (!body.success) {
      return reply
        .code(400)
        .send(
          problem(
            'INVALID_DEMANDE',
            'Demande mal formée : type, objet (3 caractères au moins) et pièces jointes attendus.',
          ),
        );
    }
    const input = body.data;
    const attachments: CheckedAttachment[] = [];
    try {
      if (input.attachments && input.attachments.length > 0) checkPieceFileCount(input.attachments.length);
      for (const file of input.attachments ?? []) {
        const bytes = Buffer.from(file.contentBase64, 'base64');
        const { contentType } = await checkPieceBytes(file.filename, bytes);
        const qualification =
          file.qualification && qualificationOf(file.qualification) ? file.qualification : 'scan';
        attachments.push({
          filename: file.filename,
          contentType,
          bytes,
          qualification,
          title: file.title ?? qualificationLabel(qualification),
        });
      }
    } catch (error) {
      if (isDomainError(error)) return reply.code(400).send(problem(error.code, error.message));
      throw error;
    }
    const key = request.headers['idempotency-key'];
    try {
      const created = createParentDemande(
        sqlite,
        { accountId: session.account_id, householdId: session.household_id, personId: session.person_id },
        {
          type: input.type,
          subject: input.subject,
          details: input.details ?? {},
          ...(input.message ? { message: input.message } : {}),
          attachments,
        },
        {
          now: context.now(),
          ...(typeof key === 'string' && key.length > 0 && key.length <= 200 ? { idempotencyKey: key } : {}),
        },
      );
      return reply.code(201).send(created);
    } catch (error) {
      if (error instanceof IdempotencyKeyReusedError)
        return reply.code(409).send(problem(error.code, error.message));
      throw error;
    }
  });

  app.get('/api/v1/demandes', async (request, reply) => {
    const session = requireSession(request, reply);
    if (!session) return reply;
    if (session.household_id === null) return [];
    const demandes = sqlite
      .prepare(
        `SELECT id, number, type, status, subject, created_at AS createdAt, decided_at AS decidedAt
         FROM demandes WHERE household_id = ? ORDER BY created_at DESC, id DESC LIMIT 200`,
      )
      .all(session.household_id) as { id: string }[];
    const events = sqlite.prepare(
      'SELECT seq, status, comment, actor_kind AS actorKind, at FROM demande_events WHERE demande_id = ? ORDER BY seq',
    );
    return demandes.map((d) => ({ ...d, history: events.all(d.id) }));
  });
}
