// Desk enrolment tokens: an administrator issues a token to a desk; only its SHA-256 is stored.
import { createHash, randomBytes } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';

export class DeskAuthError extends Error {
  readonly code = 'DESK_NOT_AUTHORISED';
  constructor() {
    super("Ce poste n'est pas autorisé à se synchroniser (jeton absent, inconnu ou révoqué).");
  }
}

const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Issues a fresh token for a desk (replacing any previous one) and returns it in clear, once. */
export function issueDeskToken(sqlite: BetterSqlite3.Database, deskId: string, now = new Date()): string {
  const token = randomBytes(32).toString('base64url');
  const changed = sqlite
    .prepare(
      'UPDATE desks SET token_hash = ?, enrolled_at = ?, revoked_at = NULL, updated_at = ? WHERE id = ?',
    )
    .run(hashToken(token), now.toISOString(), now.toISOString(), deskId).changes;
  if (changed !== 1) throw new Error(`Unknown desk ${deskId}`);
  return token;
}

/** Returns the desk id a bearer token belongs to, or throws DeskAuthError. */
export function authenticateDesk(sqlite: BetterSqlite3.Database, authorization: string | undefined): string {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : '';
  if (!token) throw new DeskAuthError();
  const row = sqlite
    .prepare('SELECT id FROM desks WHERE token_hash = ? AND revoked_at IS NULL')
    .get(hashToken(token)) as { id: string } | undefined;
  if (!row) throw new DeskAuthError();
  return row.id;
}

/** Revokes a desk: every later sync call with its token answers 401. False when the desk is unknown. */
export function revokeDesk(sqlite: BetterSqlite3.Database, deskId: string, now = new Date()): boolean {
  return (
    sqlite
      .prepare('UPDATE desks SET revoked_at = COALESCE(revoked_at, ?), updated_at = ? WHERE id = ?')
      .run(now.toISOString(), now.toISOString(), deskId).changes === 1
  );
}
