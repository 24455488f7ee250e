// demande.decide v1 — an agent accepts or refuses a parent's demande, with a message to the family.
import { z } from 'zod';
import { DEMANDE_DECISIONS } from '../demandes/labels';

/**
 * The server appends to the demande's numbered history, posts `message` in the family's thread for that demande
 * and e-mails the family (after commit, from its mail outbox). A demande already decided is refused.
 */
export const demandeDecideV1 = z.object({
  demandeId: z.string().uuid(),
  decision: z.enum(DEMANDE_DECISIONS),
  message: z.string().trim().min(3, 'Écrivez un message à la famille (3 caractères au moins).').max(4000),
});
export type DemandeDecideV1 = z.infer<typeof demandeDecideV1>;

export const DEMANDE_COMMAND_SCHEMAS = {
  'demande.decide': { version: 1, schema: demandeDecideV1 },
} as const;
