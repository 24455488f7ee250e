// Turns anything thrown inside a handler into the contract's { code, message } with a French message.
import type { DeskError } from '../contract';

export function toDeskError(error: unknown): DeskError {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const { code, message } = error as { code: unknown; message: unknown };
    if (typeof code === 'string' && typeof message === 'string' && /^[A-Z_]+$/.test(code))
      return { code, message };
  }
  console.error('[desk] unexpected error', error);
  return {
    code: 'INTERNAL',
    message: 'Une erreur inattendue est survenue. Réessayez ; si elle persiste, prévenez le support.',
  };
}
