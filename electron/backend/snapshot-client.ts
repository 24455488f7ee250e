// Downloads the server's desk snapshot into a local SQLite file, atomically (temp file, then rename), and the
// HTTP helpers every sync call shares (headers, errors with the server's French message).
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { SCHEMA_VERSION } from '../../db/migrate';
import {
  PROTOCOL_HEADER,
  SCHEMA_HEADER,
  SNAPSHOT_SEQ_HEADER,
  SYNC_PROTOCOL_VERSION,
  UPDATE_REQUIRED_MESSAGE,
} from '../../core/sync/protocol';

export type FetchLike = typeof fetch;

export class SyncHttpError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }
}

export const UNREACHABLE_MESSAGE = 'Le serveur est injoignable : le poste travaille hors ligne.';

export function unreachable(): SyncHttpError {
  return new SyncHttpError('SERVER_UNREACHABLE', UNREACHABLE_MESSAGE, 0);
}

export function syncHeaders(deskToken: string): Record<string, string> {
  return {
    authorization: `Bearer ${deskToken}`,
    [PROTOCOL_HEADER]: String(SYNC_PROTOCOL_VERSION),
    [SCHEMA_HEADER]: String(SCHEMA_VERSION),
  };
}

/** The error a failed response means, with the server's code and French message when it sent them. */
export async function errorFromResponse(response: Response): Promise<SyncHttpError> {
  const body = (await response.json().catch(() => ({}))) as { code?: unknown; message?: unknown };
  const code = typeof body.code === 'string' ? body.code : undefined;
  const message = typeof body.message === 'string' ? body.message : undefined;
  if (response.status === 426)
    return new SyncHttpError(code ?? 'DESK_UPDATE_REQUIRED', message ?? UPDATE_REQUIRED_MESSAGE, 426);
  if (response.status === 401)
    return new SyncHttpError(
      code ?? 'DESK_NOT_AUTHORISED',
      message ?? "Ce poste n'est plus autorisé à se synchroniser : contactez un administrateur.",
      401,
    );
  return new SyncHttpError(
    code ?? 'SYNC_FAILED',
    message ?? `Échec de la synchronisation (${response.status}).`,
    response.status,
  );
}

export interface SnapshotOptions {
  fetch?: FetchLike;
}

/** Fetches a snapshot into `targetPath`; returns the change-log sequence it reflects. */
export async function downloadSnapshot(
  serverUrl: string,
  deskToken: string,
  targetPath: string,
  options: SnapshotOptions = {},
): Promise<number> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(new URL('/sync/v1/snapshot', serverUrl), { headers: syncHeaders(deskToken) });
  } catch {
    throw unreachable();
  }
  if (!response.ok || !response.body) throw await errorFromResponse(response);
  const temp = `${targetPath}.download`;
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(temp));
    for (const suffix of ['-wal', '-shm']) rmSync(targetPath + suffix, { force: true });
    renameSync(temp, targetPath);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return Number(response.headers.get(SNAPSHOT_SEQ_HEADER) ?? 0);
}
