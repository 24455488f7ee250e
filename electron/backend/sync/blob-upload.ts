/**
 * Scans travel apart from their metadata ("metadata waits for its file", docs/SYNC.md): before each push the
 * sync client uploads the blobs that unsent `document.attach` ops point at, with the server's resumable upload
 * (server/http/blob-routes.ts): HEAD tells how many bytes the server holds, PATCH appends the next chunk from
 * there; the server verifies the SHA-256 once complete. Should the push still meet BLOB_MISSING (an upload cut
 * off), the op simply waits for the next round. The desk also downloads blobs it lacks (a piece scanned at
 * another desk, a parent's attachment) to show them.
 */
import type { DocumentAttachV1 } from '../../../core/sync/commands-documents';
import { documentStatements } from '../../../db/repositories/document-records';
import type { DeskStore } from '../desk-store';
import { errorFromResponse, syncHeaders, unreachable } from '../snapshot-client';
import type { FetchLike } from '../snapshot-client';

export interface BlobTransferOptions {
  serverUrl: string;
  deskToken: string;
  fetch?: FetchLike;
  /** Bytes per PATCH (default 1 MiB). */
  chunkBytes?: number;
}

const OFFSET_HEADER = 'upload-offset';
const COMPLETE_HEADER = 'x-gf-blob-complete';

/** The blobs unsent document.attach ops point at (in op order, each once). */
export function pendingBlobHashes(store: DeskStore): string[] {
  const hashes = new Set<string>();
  const rows = store.sqlite
    .prepare(
      `SELECT payload_json FROM outbox WHERE settled_at IS NULL AND command = 'document.attach'
         AND status IN ('pending', 'sent') ORDER BY seq`,
    )
    .all() as { payload_json: string }[];
  for (const row of rows) {
    const payload = JSON.parse(row.payload_json) as DocumentAttachV1;
    for (const file of payload.files) hashes.add(file.blobHash);
  }
  return [...hashes];
}

/**
 * Resync: the fresh snapshot only holds blobs the server already has; copy those of ops not yet accepted from
 * the old replica so they can still be uploaded. Call inside the transaction that carries the outbox.
 */
export function carryPendingBlobs(live: DeskStore, fresh: DeskStore): void {
  const from = documentStatements(live.sqlite);
  const to = documentStatements(fresh.sqlite);
  for (const hash of pendingBlobHashes(live)) {
    const blob = from.blobData(hash);
    if (blob && to.blobInfo(hash)?.complete !== 1)
      to.putBlob(hash, blob.content_type, blob.data, new Date().toISOString());
  }
}

/**
 * A pulled document_files row points at a blob the desk may not hold (blobs never travel in the change log):
 * note the blob as known-but-absent (`data` NULL) so the row's foreign key holds; `documents/file` fetches the
 * bytes when someone opens it.
 */
export function notePulledBlob(store: DeskStore, row: Record<string, unknown>): void {
  if (typeof row.blob_hash !== 'string') return;
  const contentType = typeof row.content_type === 'string' ? row.content_type : 'application/octet-stream';
  documentStatements(store.sqlite).blobPlaceholder(row.blob_hash, contentType, new Date().toISOString());
}

export class BlobTransfer {
  private readonly fetch: FetchLike;

  constructor(private readonly options: BlobTransferOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  /** Uploads every blob unsent document.attach ops need; returns how many were sent (already there: 0). */
  async uploadPending(store: () => DeskStore, signal?: AbortSignal): Promise<number> {
    let sent = 0;
    for (const hash of pendingBlobHashes(store())) {
      const blob = documentStatements(store().sqlite).blobData(hash);
      if (!blob) {
        console.warn(`[desk] blob ${hash} of a pending piece is missing locally: it cannot be uploaded`);
        continue;
      }
      if (await this.upload(hash, blob.content_type, blob.data, signal)) sent += 1;
    }
    return sent;
  }

  /** Resumable upload of one blob; false when the server already had it. */
  async upload(hash: string, contentType: string, data: Buffer, signal?: AbortSignal): Promise<boolean> {
    const head = await this.send(hash, { method: 'HEAD', ...(signal ? { signal } : {}) });
    if (!head.ok) throw await errorFromResponse(head);
    if (head.headers.get(COMPLETE_HEADER) === '1') return false;
    let offset = Number(head.headers.get(OFFSET_HEADER) ?? 0);
    const chunk = Math.max(1024, this.options.chunkBytes ?? 1024 * 1024);
    let restarts = 0;
    while (offset < data.length || data.length === 0) {
      const end = Math.min(data.length, offset + chunk);
      const response = await this.send(hash, {
        method: 'PATCH',
        body: new Uint8Array(data.subarray(offset, end)),
        headers: {
          'content-type': 'application/offset+octet-stream',
          [OFFSET_HEADER]: String(offset),
          'upload-length': String(data.length),
          'x-gf-content-type': contentType,
        },
        ...(signal ? { signal } : {}),
      });
      const serverOffset = Number(response.headers.get(OFFSET_HEADER) ?? NaN);
      if (response.ok) {
        const state = (await response.json()) as { offset: number; complete: boolean };
        if (state.complete) return true;
        offset = state.offset;
        continue;
      }
      // The server holds another number of bytes (a retried chunk, a restarted server): resume from there.
      if (
        (response.status === 409 || response.status === 422) &&
        Number.isFinite(serverOffset) &&
        restarts < 5
      ) {
        restarts += 1;
        offset = serverOffset;
        continue;
      }
      throw await errorFromResponse(response);
    }
    return true;
  }

  /** Fetches a blob the desk lacks and keeps it in the local store; null when the server does not have it. */
  async download(store: DeskStore, hash: string): Promise<{ content_type: string; data: Buffer } | null> {
    const response = await this.send(hash, { method: 'GET' });
    if (response.status === 404) return null;
    if (!response.ok) throw await errorFromResponse(response);
    const data = Buffer.from(await response.arrayBuffer());
    const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
    const docs = documentStatements(store.sqlite);
    store.transaction(() => docs.putBlob(hash, contentType, data, new Date().toISOString()));
    return { content_type: contentType, data };
  }

  private async send(hash: string, init: RequestInit): Promise<Response> {
    const headers = { ...syncHeaders(this.options.deskToken), ...(init.headers as Record<string, string>) };
    try {
      return await this.fetch(new URL(`/sync/v1/blobs/${hash}`, this.options.serverUrl), {
        ...init,
        headers,
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw unreachable();
    }
  }
}
