// Downloads the server's desk snapshot into a local SQLite file, atomically (temp file, then rename).
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
} from '../../core/sync/protocol';

export class SyncHttpError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function syncHeaders(deskToken: string): Record<string, string> {
  return {
    authorization: `Bearer ${deskToken}`,
    [PROTOCOL_HEADER]: String(SYNC_PROTOCOL_VERSION),
    [SCHEMA_HEADER]: String(SCHEMA_VERSION),
  };
}

/** Fetches a snapshot into `targetPath`; returns the change-log sequence it reflects. */
export async function downloadSnapshot(
  serverUrl: string,
  deskToken: string,
  targetPath: string,
): Promise<number> {
  let response: Response;
  try {
    response = await fetch(new URL('/sync/v1/snapshot', serverUrl), { headers: syncHeaders(deskToken) });
  } catch {
    throw new SyncHttpError(
      'SERVER_UNREACHABLE',
      'Le serveur est injoignable : le poste travaille hors ligne.',
      0,
    );
  }
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new SyncHttpError(
      body.code ?? 'SYNC_FAILED',
      body.message ?? `Échec de la synchronisation (${response.status}).`,
      response.status,
    );
  }
  const temp = `${targetPath}.download`;
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(temp));
    renameSync(temp, targetPath);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  for (const suffix of ['-wal', '-shm']) rmSync(targetPath + suffix, { force: true });
  return Number(response.headers.get(SNAPSHOT_SEQ_HEADER) ?? 0);
}
