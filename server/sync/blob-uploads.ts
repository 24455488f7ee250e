/**
 * Resumable, content-addressed uploads of blobs (scans): chunks are appended to a
 * partial file `<dir>/<sha256>.part` at the offset the client says it resumes from;
 * when the announced length is reached the SHA-256 is verified and the bytes go into
 * `blobs.data`. Synchronous file I/O: two chunks of one blob never interleave.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { blobStatements } from '../../db/repositories/blob-store';

export const MAX_BLOB_BYTES = 64 * 1024 * 1024;
const HASH = /^[0-9a-f]{64}$/;

export class BlobUploadError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Bytes the server holds for this blob, when that helps the client resume. */
    readonly offset?: number,
  ) {
    super(message);
  }
}

export function isBlobHash(text: string): boolean {
  return HASH.test(text);
}

export interface UploadState {
  /** Bytes received so far (the full size when complete). */
  offset: number;
  complete: boolean;
}

export class BlobUploads {
  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly dir: string,
  ) {}

  private partPath(hash: string): string {
    return join(this.dir, `${hash}.part`);
  }

  state(hash: string): UploadState {
    const stored = blobStatements(this.sqlite).info(hash);
    if (stored?.complete === 1) return { offset: stored.size, complete: true };
    const part = this.partPath(hash);
    return { offset: existsSync(part) ? statSync(part).size : 0, complete: false };
  }

  /** Appends `chunk` at `offset` of an upload of `length` bytes; stores and verifies the blob once complete. */
  append(
    hash: string,
    chunk: Buffer,
    at: { offset: number; length: number; contentType: string; now: Date },
  ): UploadState {
    if (!Number.isSafeInteger(at.length) || at.length < 0 || at.length > MAX_BLOB_BYTES) {
      throw new BlobUploadError(
        413,
        'BLOB_TOO_LARGE',
        'Fichier trop volumineux pour être envoyé au serveur.',
      );
    }
    const current = this.state(hash);
    if (current.complete) return current;
    if (at.offset !== current.offset) {
      throw new BlobUploadError(
        409,
        'UPLOAD_OFFSET_MISMATCH',
        `Reprise de l'envoi à un mauvais endroit : le serveur a reçu ${current.offset} octets.`,
        current.offset,
      );
    }
    if (current.offset + chunk.length > at.length) {
      throw new BlobUploadError(
        400,
        'UPLOAD_TOO_LONG',
        'Le fichier envoyé dépasse la taille annoncée.',
        current.offset,
      );
    }
    mkdirSync(this.dir, { recursive: true });
    const part = this.partPath(hash);
    appendFileSync(part, chunk);
    const offset = current.offset + chunk.length;
    if (offset < at.length) return { offset, complete: false };
    const bytes = readFileSync(part);
    rmSync(part, { force: true });
    if (createHash('sha256').update(bytes).digest('hex') !== hash) {
      throw new BlobUploadError(
        422,
        'BLOB_HASH_MISMATCH',
        "Le fichier reçu ne correspond pas à son empreinte : il a été abîmé pendant l'envoi, renvoyez-le.",
        0,
      );
    }
    blobStatements(this.sqlite).store(hash, at.contentType, bytes, at.now.toISOString());
    return { offset: bytes.length, complete: true };
  }

  /** Forgets a partial upload (a PUT restarts from zero). */
  discardPartial(hash: string): void {
    rmSync(this.partPath(hash), { force: true });
  }
}
