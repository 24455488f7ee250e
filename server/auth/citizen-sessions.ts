// Parents' sessions: a random token in an httpOnly signed cookie; the server keeps only its SHA-256, with an expiry.
import { createHash, randomBytes } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { newId } from '../../core/ids';
import { citizenSessionStatements } from '../../db/repositories/citizen-sessions';
import type { CitizenSession } from '../../db/repositories/citizen-sessions';

export const SESSION_COOKIE = 'gf_session';
export const SESSION_TTL_MS = 12 * 3_600_000;

const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Opens a session for the account; returns the token to put in the cookie (shown once) and its expiry. */
export function openCitizenSession(
  sqlite: BetterSqlite3.Database,
  accountId: string,
  now: Date,
): { token: string; expiresAt: Date } {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const q = citizenSessionStatements(sqlite);
  q.deleteExpired(now.toISOString());
  q.insertSession({
    id: newId(),
    accountId,
    tokenHash: hashToken(token),
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
  });
  return { token, expiresAt };
}

export function findCitizenSession(
  sqlite: BetterSqlite3.Database,
  token: string,
  now: Date,
): CitizenSession | null {
  return citizenSessionStatements(sqlite).session(hashToken(token), now.toISOString()) ?? null;
}

export function closeCitizenSession(sqlite: BetterSqlite3.Database, token: string): void {
  citizenSessionStatements(sqlite).deleteSession(hashToken(token));
}
