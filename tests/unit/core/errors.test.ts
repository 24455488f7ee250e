import { describe, expect, it } from 'vitest';
import { DomainError, err, errOf, isDomainError, ok, unwrap } from '../../../core/errors';
import type { Result } from '../../../core/errors';

describe('DomainError', () => {
  it('is an Error carrying a code, a French message and details', () => {
    const error = new DomainError('BOOKING_DEADLINE_PASSED', 'Les réservations sont closes.', {
      day: '2026-10-14',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('BOOKING_DEADLINE_PASSED');
    expect(error.message).toBe('Les réservations sont closes.');
    expect(error.details).toEqual({ day: '2026-10-14' });
    expect(isDomainError(error)).toBe(true);
    expect(isDomainError(new Error('x'))).toBe(false);
  });

  it('serialises to a plain object with code, message and details', () => {
    const error = new DomainError('X_Y', 'Message', { a: 1 });
    expect(JSON.parse(JSON.stringify(error))).toEqual({ code: 'X_Y', message: 'Message', details: { a: 1 } });
    expect(JSON.parse(JSON.stringify(new DomainError('X_Y', 'Message')))).toEqual({
      code: 'X_Y',
      message: 'Message',
    });
  });
});

describe('Result helpers', () => {
  it('ok wraps a value and unwrap gives it back', () => {
    const result: Result<number> = ok(42);
    expect(result).toEqual({ ok: true, value: 42 });
    expect(unwrap(result)).toBe(42);
  });

  it('err builds a failed result whose DomainError unwrap throws', () => {
    const result: Result<number> = err('SOME_CODE', 'Un message.', { x: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('SOME_CODE');
      expect(result.error.details).toEqual({ x: 1 });
    }
    expect(() => unwrap(result)).toThrow(DomainError);
  });

  it('errOf keeps the very same error', () => {
    const error = new DomainError('A', 'b');
    const result = errOf(error);
    expect(result.error).toBe(error);
  });
});
