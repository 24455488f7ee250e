/**
 * Errors as values. A DomainError carries a stable UPPER_SNAKE `code` (for code and
 * tests) and a French `message` (shown to people as is). Rules return `Result<T>`;
 * they throw only on programming errors (a malformed argument no user could type).
 */

export class DomainError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /** Plain object that survives JSON, IPC and structured clone. */
  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export type Ok<T> = { ok: true; value: T };
export type Err = { ok: false; error: DomainError };
export type Result<T> = Ok<T> | Err;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err(code: string, message: string, details?: Record<string, unknown>): Err {
  return { ok: false, error: new DomainError(code, message, details) };
}

/** Wraps an existing DomainError (e.g. one returned by a lower-level rule). */
export function errOf(error: DomainError): Err {
  return { ok: false, error };
}

/** The value of a successful result; throws the DomainError otherwise. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
