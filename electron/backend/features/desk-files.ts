// Files the desk handles besides its database: the scanner folder it watches ("À classer") and the server's
// blob store (uploading scans, fetching pieces this desk does not hold). Built by DeskBackend, given to handlers.
import { dirname, join } from 'node:path';
import type { FetchLike } from '../snapshot-client';
import { BlobTransfer } from '../sync/blob-upload';
import { ScanInbox } from './scan-inbox';

export interface DeskFiles {
  scans: ScanInbox;
  blobs: BlobTransfer;
}

export interface DeskFilesOptions {
  dbPath: string;
  /** Default: `<folder of the database>/scans`. */
  scanDir?: string;
  serverUrl: string;
  deskToken: string;
  fetch?: FetchLike;
  /** Files appeared in or left the scanner folder. */
  onScansChanged: () => void;
}

export function createDeskFiles(options: DeskFilesOptions): DeskFiles {
  return {
    scans: new ScanInbox(options.scanDir ?? join(dirname(options.dbPath), 'scans'), options.onScansChanged),
    blobs: new BlobTransfer({
      serverUrl: options.serverUrl,
      deskToken: options.deskToken,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
  };
}
