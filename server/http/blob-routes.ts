/**
 * Blobs (scans) over /sync/v1/blobs/:sha256, desk-authenticated, uploaded apart from metadata:
 * - HEAD  → `upload-offset`: bytes the server holds; `x-gf-blob-complete`: 1 when stored and verified;
 * - PATCH (`upload-offset`, `upload-length`, body = next chunk) → appends; verifies the SHA-256 when complete;
 * - PUT   (body = the whole file) → stores it at once (small files);
 * - GET   → the bytes.
 * Bodies are `application/offset+octet-stream` or `application/octet-stream`; the file's own type
 * travels in `x-gf-content-type`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { blobStatements } from '../../db/repositories/blob-store';
import { BlobUploadError, isBlobHash } from '../sync/blob-uploads';
import type { ServerContext } from './server-context';
import { problem } from './server-context';
import { requireDesk } from './sync-routes';

export const CHUNK_BODY_LIMIT = 16 * 1024 * 1024;
const OFFSET_HEADER = 'upload-offset';
const LENGTH_HEADER = 'upload-length';
const COMPLETE_HEADER = 'x-gf-blob-complete';
const TYPE_HEADER = 'x-gf-content-type';

const headerNumber = (value: string | string[] | undefined): number =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;

const contentTypeOf = (value: string | string[] | undefined): string =>
  typeof value === 'string' && /^[\w.+-]+\/[\w.+-]+$/.test(value) ? value : 'application/octet-stream';

function sendUploadError(reply: FastifyReply, error: unknown): FastifyReply {
  if (!(error instanceof BlobUploadError)) throw error;
  if (error.offset !== undefined) void reply.header(OFFSET_HEADER, String(error.offset));
  return reply.code(error.status).send(problem(error.code, error.message));
}

export function registerBlobRoutes(app: FastifyInstance, context: ServerContext): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      ['application/offset+octet-stream', 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: CHUNK_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );

    scope.head<{ Params: { sha256: string } }>('/sync/v1/blobs/:sha256', async (request, reply) => {
      if (requireDesk(context.database, request, reply) === null) return reply;
      if (!isBlobHash(request.params.sha256)) return reply.code(400).send();
      const state = context.uploads.state(request.params.sha256);
      return reply
        .header(OFFSET_HEADER, String(state.offset))
        .header(COMPLETE_HEADER, state.complete ? '1' : '0')
        .code(200)
        .send();
    });

    scope.patch<{ Params: { sha256: string } }>(
      '/sync/v1/blobs/:sha256',
      { bodyLimit: CHUNK_BODY_LIMIT },
      async (request, reply) => {
        if (requireDesk(context.database, request, reply) === null) return reply;
        const hash = request.params.sha256;
        const offset = headerNumber(request.headers[OFFSET_HEADER]);
        const length = headerNumber(request.headers[LENGTH_HEADER]);
        if (
          !isBlobHash(hash) ||
          !Buffer.isBuffer(request.body) ||
          Number.isNaN(offset) ||
          Number.isNaN(length)
        ) {
          return reply
            .code(400)
            .send(
              problem(
                'INVALID_UPLOAD',
                'Envoi mal formé : empreinte SHA-256 en minuscules, en-têtes upload-offset et upload-length, corps application/offset+octet-stream.',
              ),
            );
        }
        try {
          const state = context.uploads.append(hash, request.body, {
            offset,
            length,
            contentType: contentTypeOf(request.headers[TYPE_HEADER]),
            now: context.now(),
          });
          return reply.header(OFFSET_HEADER, String(state.offset)).send(state);
        } catch (error) {
          return sendUploadError(reply, error);
        }
      },
    );

    scope.put<{ Params: { sha256: string } }>(
      '/sync/v1/blobs/:sha256',
      { bodyLimit: CHUNK_BODY_LIMIT },
      async (request, reply) => {
        if (requireDesk(context.database, request, reply) === null) return reply;
        const hash = request.params.sha256;
        if (!isBlobHash(hash) || !Buffer.isBuffer(request.body)) {
          return reply
            .code(400)
            .send(
              problem('INVALID_UPLOAD', 'Envoi mal formé : empreinte SHA-256 et corps binaire attendus.'),
            );
        }
        try {
          context.uploads.discardPartial(hash);
          const state = context.uploads.append(hash, request.body, {
            offset: 0,
            length: request.body.length,
            contentType: contentTypeOf(request.headers[TYPE_HEADER]),
            now: context.now(),
          });
          return reply.header(OFFSET_HEADER, String(state.offset)).code(201).send(state);
        } catch (error) {
          return sendUploadError(reply, error);
        }
      },
    );

    scope.get<{ Params: { sha256: string } }>(
      '/sync/v1/blobs/:sha256',
      { exposeHeadRoute: false },
      async (request, reply) => {
        if (requireDesk(context.database, request, reply) === null) return reply;
        const hash = request.params.sha256;
        const blobs = blobStatements(context.database.sqlite);
        const stored = isBlobHash(hash) && !blobs.isPrivateOnly(hash) ? blobs.data(hash) : undefined;
        if (!stored)
          return reply
            .code(404)
            .send(problem('BLOB_NOT_FOUND', "Ce fichier n'est pas (encore) sur le serveur."));
        return reply.header('content-type', stored.content_type).send(stored.data);
      },
    );
  });
}
