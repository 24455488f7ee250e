import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../core/errors';
import { idTimestamp, isId, newId, newIdAt } from '../../../core/ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newId', () => {
  it('gives a fresh lower-case UUIDv7 each time', () => {
    const ids = Array.from({ length: 50 }, () => newId());
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(50);
  });

  it('encodes the current time', () => {
    const before = Date.now();
    const id = newId();
    expect(idTimestamp(id)).toBeGreaterThanOrEqual(before);
    expect(idTimestamp(id)).toBeLessThanOrEqual(Date.now());
  });
});

describe('newIdAt', () => {
  const random = Uint8Array.from({ length: 16 }, (_, index) => index * 7);

  it('is deterministic: the same time and bytes give the same id', () => {
    expect(newIdAt(1_790_000_000_000, random)).toBe(newIdAt(1_790_000_000_000, random));
    expect(newIdAt(1_790_000_000_000, random)).toMatch(UUID_V7);
  });

  it('puts the milliseconds in the first 48 bits', () => {
    const msecs = Date.UTC(2026, 6, 6, 8, 30);
    const id = newIdAt(msecs, random);
    expect(id.slice(0, 8) + id.slice(9, 13)).toBe(msecs.toString(16).padStart(12, '0'));
    expect(idTimestamp(id)).toBe(msecs);
  });

  it('refuses a random buffer that is not 16 bytes or a negative time', () => {
    expect(() => newIdAt(0, new Uint8Array(15))).toThrow(DomainError);
    expect(() => newIdAt(-1, random)).toThrow(DomainError);
  });

  it('sorts ids by creation time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 47 }),
        fc.integer({ min: 0, max: 2 ** 47 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (t1, t2, r1, r2) => {
          fc.pre(t1 !== t2);
          const [a, b] = [newIdAt(t1, r1), newIdAt(t2, r2)];
          expect(a < b).toBe(t1 < t2);
          expect(isId(a) && isId(b)).toBe(true);
        },
      ),
    );
  });
});

describe('isId', () => {
  it('accepts UUIDv7 only', () => {
    expect(isId(newId())).toBe(true);
    expect(isId('f47ac10b-58cc-4372-a567-0e02b2c3d479')).toBe(false); // v4
    expect(isId('not-an-id')).toBe(false);
    expect(isId(newId().toUpperCase())).toBe(false);
  });
});
