// Password hashing with node's scrypt (memory-hard, as ANSSI recommends for
// password storage). Stored form: `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>`.
// Lives under db/seed/ for now; meant to move to a shared place (db/ or server/auth/).
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

const LOG_N = 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEM = 128 * 1024 * 1024;

interface ParsedHash {
  logN: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function format(logN: number, r: number, p: number, salt: Buffer, hash: Buffer): string {
  return `scrypt$${logN}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function parse(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const logN = Number(parts[1]);
  const r = Number(parts[2]);
  const p = Number(parts[3]);
  if (![logN, r, p].every((n) => Number.isInteger(n) && n > 0) || logN > 20) return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const hash = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length < 8 || hash.length < 16) return null;
  return { logN, r, p, salt, hash };
}

/** Hashes a password with a fresh random salt (or the given one: the demo seed
 * passes a salt drawn from its PRNG so that seeding stays deterministic). */
export function hashPassword(password: string, salt?: Uint8Array): Promise<string> {
  const s = salt ? Buffer.from(salt) : randomBytes(16);
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      s,
      KEY_LENGTH,
      { N: 2 ** LOG_N, r: R, p: P, maxmem: MAX_MEM },
      (err, key) => {
        if (err) reject(err);
        else resolve(format(LOG_N, R, P, s, key));
      },
    );
  });
}

/** Synchronous variant, for scripts (the seed) that run inside one SQLite transaction. */
export function hashPasswordSync(password: string, salt?: Uint8Array): string {
  const s = salt ? Buffer.from(salt) : randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), s, KEY_LENGTH, {
    N: 2 ** LOG_N,
    r: R,
    p: P,
    maxmem: MAX_MEM,
  });
  return format(LOG_N, R, P, s, key);
}

/** True when `password` matches the stored hash; false for a wrong password or a malformed hash. */
export function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return Promise.resolve(false);
  const { logN, r, p, salt, hash } = parsed;
  return new Promise((resolve) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      hash.length,
      { N: 2 ** logN, r, p, maxmem: MAX_MEM },
      (err, key) => {
        resolve(!err && key.length === hash.length && timingSafeEqual(key, hash));
      },
    );
  });
}
