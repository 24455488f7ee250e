/**
 * The commands the server runs, by name and version: payload schema (from core),
 * handler, and the agent roles allowed to send it from a desk.
 *
 * Roles: bookings — accueil, regisseur, administrateur. payment.record — accueil too:
 * the counter agent takes cash and card payments as the régie's mandataire (the demo
 * town's accueil agent does). payment.reverse — regisseur and administrateur only:
 * correcting the cash book is the régisseur's call.
 * An agent deactivated since may still have payments pushed (facts taken while the desk
 * was offline are never lost); a booking needs an active agent.
 */
import type { ZodType } from 'zod';
import { COMMAND_SCHEMAS } from '../../../core/sync/commands';
import type { AgentRole } from '../../../db/schema';
import { recordAgentSession } from './audit-session';
import { recordAbsence } from './absence-record';
import { setBookingDay } from './booking-set-day';
import type { CommandHandler } from './context';
import { createInscription } from './inscription-create';
import { decideInscription } from './inscription-decide';
import { FAMILY_COMMANDS } from './family-commands';
import { decideDemande } from './demande-decide';
import { attachDocument } from './document-attach';
import { recordPayment } from './payment-record';
import { reversePayment } from './payment-reverse';

export interface CommandDefinition<P = unknown> {
  name: string;
  version: number;
  schema: ZodType<P>;
  handler: CommandHandler<P>;
  roles: readonly AgentRole[];
  requiresActiveAgent: boolean;
}

function define<P>(definition: CommandDefinition<P>): CommandDefinition {
  return definition as unknown as CommandDefinition;
}

const COMMANDS: readonly CommandDefinition[] = [
  define({
    name: 'booking.set_day',
    version: COMMAND_SCHEMAS['booking.set_day'].version,
    schema: COMMAND_SCHEMAS['booking.set_day'].schema,
    handler: setBookingDay,
    roles: ['accueil', 'regisseur', 'administrateur'],
    requiresActiveAgent: true,
  }),
  define({
    name: 'payment.record',
    version: COMMAND_SCHEMAS['payment.record'].version,
    schema: COMMAND_SCHEMAS['payment.record'].schema,
    handler: recordPayment,
    roles: ['accueil', 'regisseur', 'administrateur'],
    requiresActiveAgent: false,
  }),
  define({
    name: 'payment.reverse',
    version: COMMAND_SCHEMAS['payment.reverse'].version,
    schema: COMMAND_SCHEMAS['payment.reverse'].schema,
    handler: reversePayment,
    roles: ['regisseur', 'administrateur'],
    requiresActiveAgent: false,
  }),
  define({
    name: 'audit.session',
    version: COMMAND_SCHEMAS['audit.session'].version,
    schema: COMMAND_SCHEMAS['audit.session'].schema,
    handler: recordAgentSession,
    roles: ['accueil', 'regisseur', 'administrateur'],
    requiresActiveAgent: false,
  }),
  define({
    name: 'demande.decide',
    version: COMMAND_SCHEMAS['demande.decide'].version,
    schema: COMMAND_SCHEMAS['demande.decide'].schema,
    handler: decideDemande,
    roles: ['accueil', 'regisseur', 'administrateur'],
    requiresActiveAgent: true,
  }),
  define({
    name: 'document.attach',
    version: COMMAND_SCHEMAS['document.attach'].version,
    schema: COMMAND_SCHEMAS['document.attach'].schema,
    handler: attachDocument,
    roles: ['accueil', 'regisseur', 'administrateur'],
    requiresActiveAgent: false,
  }),
  ...FAMILY_COMMANDS,
  define({
    name: 'inscription.create',
    version: COMMAND_SCHEMAS['inscription.create'].version,
    schema: COMMAND_SCHEMAS['inscription.create'].schema,
    handler: createInscription,
    roles: ['accueil', 'regisseur', 'administrateur'],
    requiresActiveAgent: true,
  }),
  define({
    name: 'inscription.decide',
    version: COMMAND_SCHEMAS['inscription.decide'].version,
    schema: COMMAND_SCHEMAS['inscription.decide'].schema,
    handler: decideInscription,
    roles: ['accueil', 'regisseur', 'administrateur'],
    requiresActiveAgent: true,
  }),
  define({
    name: 'absence.record',
    version: COMMAND_SCHEMAS['absence.record'].version,
    schema: COMMAND_SCHEMAS['absence.record'].schema,
    handler: recordAbsence,
    roles: ['accueil', 'regisseur', 'administrateur'],
    requiresActiveAgent: true,
  }),
];

const BY_KEY = new Map(COMMANDS.map((command) => [`${command.name}@${command.version}`, command]));

export function findCommand(name: string, version: number): CommandDefinition | undefined {
  return BY_KEY.get(`${name}@${version}`);
}

export type { CommandActor, CommandContext, CommandHandler, CommandResult } from './context';
