// What the route modules share: the database, the server clock, the desks' event stream, blob uploads, sign-in limits.
import type { OpenedDatabase } from '../../db/open';
import type { LoginThrottle } from '../auth/login-throttle';
import type { BlobUploads } from '../sync/blob-uploads';
import type { DeskEventHub } from './sync-events';

export interface ServerContext {
  database: OpenedDatabase;
  /** The server clock (injectable for tests): deadlines and timestamps use it. */
  now: () => Date;
  events: DeskEventHub;
  uploads: BlobUploads;
  /** Failed sign-ins per login (parents and agents). */
  throttle: LoginThrottle;
}

/** The French error body every route answers with. */
export function problem(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { code, message, ...extra };
}
