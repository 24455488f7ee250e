/**
 * Identifiers: UUIDv7 (time-ordered, so rows created later sort later and
 * B-tree indexes stay compact). `newIdAt` is for deterministic generators
 * (demo town, tests): same inputs, same id.
 */
import { v7, validate, version } from 'uuid';
import { DomainError } from './errors';

export function newId(): string {
  return v7();
}

/** Deterministic UUIDv7 from a Unix time in milliseconds and 16 random bytes. */
export function newIdAt(msecs: number, random: Uint8Array): string {
  if (!Number.isInteger(msecs) || msecs < 0 || msecs > 2 ** 48 - 1) {
    throw new DomainError('ID_INVALID_TIMESTAMP', 'Horodatage invalide pour un identifiant.', { msecs });
  }
  if (random.length !== 16) {
    throw new DomainError(
      'ID_INVALID_RANDOM',
      'Il faut exactement 16 octets aléatoires pour un identifiant.',
      {
        length: random.length,
      },
    );
  }
  return v7({ msecs, random });
}

/** True for a UUID of version 7 in canonical lower-case text form. */
export function isId(text: string): boolean {
  return validate(text) && version(text) === 7 && text === text.toLowerCase();
}

/** The creation time (Unix milliseconds) encoded in a UUIDv7. */
export function idTimestamp(id: string): number {
  if (!isId(id)) throw new DomainError('ID_INVALID', 'Identifiant invalide.', { id });
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
