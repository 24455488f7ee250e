// The family-file commands the server runs (registered in ./index.ts). Any counter agent may create and edit a
// family file and print its access letter; an active agent is required (these are not facts taken offline
// that must never be lost, like payments: a deactivated agent's pending edits are refused).
import { FAMILY_COMMAND_SCHEMAS } from '../../../core/sync/commands-family';
import type { CommandDefinition } from './index';
import { createHousehold } from './household-create';
import { issueAccessKey } from './household-issue-access-key';
import { updateHousehold } from './household-update';

const ROLES = ['accueil', 'regisseur', 'administrateur'] as const;

function define<P>(definition: CommandDefinition<P>): CommandDefinition {
  return definition as unknown as CommandDefinition;
}

export const FAMILY_COMMANDS: readonly CommandDefinition[] = [
  define({
    name: 'household.create',
    version: FAMILY_COMMAND_SCHEMAS['household.create'].version,
    schema: FAMILY_COMMAND_SCHEMAS['household.create'].schema,
    handler: createHousehold,
    roles: ROLES,
    requiresActiveAgent: true,
  }),
  define({
    name: 'household.update',
    version: FAMILY_COMMAND_SCHEMAS['household.update'].version,
    schema: FAMILY_COMMAND_SCHEMAS['household.update'].schema,
    handler: updateHousehold,
    roles: ROLES,
    requiresActiveAgent: true,
  }),
  define({
    name: 'household.issue_access_key',
    version: FAMILY_COMMAND_SCHEMAS['household.issue_access_key'].version,
    schema: FAMILY_COMMAND_SCHEMAS['household.issue_access_key'].schema,
    handler: issueAccessKey,
    roles: ROLES,
    requiresActiveAgent: true,
  }),
];
