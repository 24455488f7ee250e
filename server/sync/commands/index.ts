/**
 * The commands the server runs, by name and version: payload schema (from core),
 * handler, and the agent roles allowed to send it from a desk.
 *
 * Roles: bookings — accueil, regisseur, administrateur. payment.record — accueil too:
 * the counter agent takes cash and card payments as the régie's mandataire (the demo
 * town's accueil agent does). payment.reverse — regisseur and administrateur only:
 * correcting the cash book is the régisseur's call.
 * An agent deactivated since may still have payments pushed (facts taken while the desk
 * was offline are never lost); a booking needs an active agent. Family-file commands need an active agent too.
 */
import type { ZodType, z } from 'zod';
import { COMMAND_SCHEMAS } from '../../../core/sync/commands';
import type { AgentRole } from '../../../db/schema';
import { recordAgentSession } from './audit-session';
import { recordAbsence } from './absence-record';
import { setBookingDay } from './booking-set-day';
import type { CommandHandler } from './context';
import { createInscription } from './inscription-create';
import { decideInscription } from './inscription-decide';
import { createHousehold } from './household-create';
import { issueAccessKey } from './household-issue-access-key';
import { updateHousehold } from './household-update';
import { decideDemande } from './demande-decide';
import { attachDocument } from './document-attach';
import { recordPayment } from './payment-record';
import { reversePayment } from './payment-reverse';
import type { PrintedReceipt } from './payment-shared';

export interface CommandDefinition<P = unknown> {
  name: string;
  version: number;
  schema: ZodType<P>;
  handler: CommandHandler<P>;
  roles: readonly AgentRole[];
  requiresActiveAgent: boolean;
  /** The receipt the desk printed for this command, read from a well-formed payload (payment commands). */
  printedReceipt?: (payload: P) => PrintedReceipt;
}

const COUNTER = ['accueil', 'regisseur', 'administrateur'] as const;
const REGIE = ['regisseur', 'administrateur'] as const;

type CommandName = keyof typeof COMMAND_SCHEMAS;
type PayloadOf<N extends CommandName> = z.output<(typeof COMMAND_SCHEMAS)[N]['schema']>;

/** A command's definition, with its version and schema taken from core's catalogue under the same name. */
function command<N extends CommandName>(
  name: N,
  handler: CommandHandler<PayloadOf<N>>,
  roles: readonly AgentRole[],
  requiresActiveAgent: boolean,
  printedReceipt?: (payload: PayloadOf<N>) => PrintedReceipt,
): CommandDefinition {
  const { version, schema } = COMMAND_SCHEMAS[name];
  return {
    name,
    version,
    schema,
    handler,
    roles,
    requiresActiveAgent,
    ...(printedReceipt ? { printedReceipt } : {}),
  } as unknown as CommandDefinition;
}

const receiptOf = (payload: PrintedReceipt): PrintedReceipt => ({
  receiptNumber: payload.receiptNumber,
  receivedAt: payload.receivedAt,
});

// Facts taken offline (payments, session events, scans) never need an active agent: they must never be lost.
const COMMANDS: readonly CommandDefinition[] = [
  command('booking.set_day', setBookingDay, COUNTER, true),
  command('payment.record', recordPayment, COUNTER, false, receiptOf),
  command('payment.reverse', reversePayment, REGIE, false, receiptOf),
  command('audit.session', recordAgentSession, COUNTER, false),
  command('demande.decide', decideDemande, COUNTER, true),
  command('document.attach', attachDocument, COUNTER, false),
  command('household.create', createHousehold, COUNTER, true),
  command('household.update', updateHousehold, COUNTER, true),
  command('household.issue_access_key', issueAccessKey, COUNTER, true),
  command('inscription.create', createInscription, COUNTER, true),
  command('inscription.decide', decideInscription, COUNTER, true),
  command('absence.record', recordAbsence, COUNTER, true),
];

const BY_KEY = new Map(COMMANDS.map((command) => [`${command.name}@${command.version}`, command]));

export function findCommand(name: string, version: number): CommandDefinition | undefined {
  return BY_KEY.get(`${name}@${version}`);
}

export type { CommandActor, CommandContext, CommandHandler, CommandResult } from './context';
