/**
 * Parents' portal sign-in: accounts by login and cookie sessions (only the SHA-256
 * of a session token is stored). Server only: sessions are never replicated.
 * Prepared better-sqlite3 statements.
 */
import type { CitizenAccountStatus } from '../schema';
import { preparedFor } from './sync-server';

export interface CitizenLogin {
  id: string;
  household_id: string | null;
  person_id: string | null;
  login: string;
  email: string;
  password_hash: string;
  status: CitizenAccountStatus;
  last_login_at: string | null;
}

export interface CitizenSession {
  session_id: string;
  account_id: string;
  household_id: string | null;
  person_id: string | null;
  login: string;
  email: string;
  last_login_at: string | null;
  expires_at: string;
}

export const citizenSessionStatements = preparedFor((sqlite) => {
  const byLogin = sqlite.prepare(
    `SELECT id, household_id, person_id, login, email, password_hash, status, last_login_at
       FROM citizen_accounts WHERE login IN (?, ?) ORDER BY login = ? DESC LIMIT 1`,
  );
  const insertSession = sqlite.prepare(
    `INSERT INTO citizen_sessions (id, account_id, token_hash, created_at, expires_at, last_seen_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const session = sqlite.prepare(
    `SELECT s.id AS session_id, a.id AS account_id, a.household_id, a.person_id, a.login, a.email, a.last_login_at,
            s.expires_at
       FROM citizen_sessions s JOIN citizen_accounts a ON a.id = s.account_id
      WHERE s.token_hash = ? AND s.expires_at > ? AND a.status = 'actif'`,
  );
  const deleteSession = sqlite.prepare('DELETE FROM citizen_sessions WHERE token_hash = ?');
  const deleteExpired = sqlite.prepare('DELETE FROM citizen_sessions WHERE expires_at <= ?');
  const touchLogin = sqlite.prepare(
    'UPDATE citizen_accounts SET last_login_at = ?, updated_at = ? WHERE id = ?',
  );
  return {
    /** The account with this login (exact, or in lower case). */
    accountByLogin: (login: string): CitizenLogin | undefined => {
      const trimmed = login.trim();
      return byLogin.get(trimmed, trimmed.toLowerCase(), trimmed) as CitizenLogin | undefined;
    },
    insertSession: (row: {
      id: string;
      accountId: string;
      tokenHash: string;
      createdAt: string;
      expiresAt: string;
    }) => {
      insertSession.run(row.id, row.accountId, row.tokenHash, row.createdAt, row.expiresAt, row.createdAt);
    },
    /** The live session (not expired, account active) with this token hash. */
    session: (tokenHash: string, nowIso: string): CitizenSession | undefined =>
      session.get(tokenHash, nowIso) as CitizenSession | undefined,
    deleteSession: (tokenHash: string): boolean => deleteSession.run(tokenHash).changes > 0,
    deleteExpired: (nowIso: string): number => deleteExpired.run(nowIso).changes,
    recordLogin: (accountId: string, at: string): void => {
      touchLogin.run(at, at, accountId);
    },
  };
});
