// The À traiter list: local commands the server rejected or waitlisted, with the family to call back.
import type { OpResult } from '../../../core/sync/messages';
import { formatPhone } from '../../../core/validation/phone';
import type { ToHandleRow } from '../../../db/repositories/desk-outbox';
import { displayName } from '../../../db/repositories/households';
import type { ToHandleItem } from '../../contract';
import type { DeskStore } from '../desk-store';
import type { LocalCommands } from './local-commands';

const DEFAULT_REASONS = {
  rejected: 'Refusé par le serveur.',
  waitlisted: "Plus de place disponible : la demande est sur liste d'attente.",
} as const;

export function listToHandle(store: DeskStore, commands: LocalCommands): ToHandleItem[] {
  return store.outbox.toHandle().map((row) => toItem(row, commands));
}

function toItem(row: ToHandleRow, commands: LocalCommands): ToHandleItem {
  const outcome = row.status === 'waitlisted' ? 'waitlisted' : 'rejected';
  const result = row.result_json ? (JSON.parse(row.result_json) as Partial<OpResult>) : {};
  const phone = row.titulaire_mobile ?? row.titulaire_phone;
  return {
    opId: row.op_id,
    seq: row.seq,
    command: row.command,
    outcome,
    code: result.code ?? null,
    reason: result.message ?? DEFAULT_REASONS[outcome],
    asked: commands.describe(row),
    household:
      row.household_id && row.household_code
        ? {
            id: row.household_id,
            code: row.household_code,
            titulaire:
              row.titulaire_last_name === null
                ? ''
                : displayName({
                    usage_last_name: row.titulaire_last_name,
                    first_names: row.titulaire_first_names ?? '',
                  }),
            phone: phone ? formatPhone(phone) : null,
          }
        : null,
    agentName: row.agent_name,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  };
}
