// Password checks for agents and parents: the scrypt format of db/seed/passwords.ts, with constant work for unknown logins.
import { hashPasswordSync, verifyPassword } from '../../db/seed/passwords';

let dummyHash: string | undefined;

/**
 * True when `password` matches `storedHash`. With no stored hash (unknown login) a
 * dummy hash is checked anyway, so a wrong login takes as long as a wrong password.
 */
export async function checkPassword(
  password: string,
  storedHash: string | null | undefined,
): Promise<boolean> {
  if (storedHash) return verifyPassword(password, storedHash);
  dummyHash ??= hashPasswordSync('guichet-famille-dummy-password');
  await verifyPassword(password, dummyHash);
  return false;
}
