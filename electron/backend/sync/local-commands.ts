// The desk's commands. Each is ONE SQLite transaction that checks with the core rules, appends the outbox
// row (gapless seq), applies the change optimistically while capturing undo records, and writes the audit
// trail. `replay` re-applies a pending op over fresh server truth (no checks: the server decides).
import { DomainError } from '../../../core/errors';
import { newId } from '../../../core/ids';
import { COMMAND_SCHEMAS } from '../../../core/sync/commands';
import type {
  BookingSetDayV1,
  CommandName,
  CommandPayload,
  PaymentRecordV1,
  PaymentReverseV1,
} from '../../../core/sync/commands';
import type { OutboxRow } from '../../../db/repositories/desk-outbox';
import type { AgentRole } from '../../../db/schema';
import type { DeskStore } from '../desk-store';
import { applySetDay, checkSetDay, describeSetDay, setDayAudit } from './booking-set-day';
import type { ApplyContext, AuditFacts } from './command-context';
import { EffectRecorder } from './effects';
import {
  applyPaymentRecord,
  describePaymentRecord,
  paymentRecordAudit,
  preparePaymentRecord,
} from './payment-record';
import type { Allocation, PaymentDraft } from './payment-record';
import {
  applyPaymentReverse,
  describePaymentReverse,
  paymentReverseAudit,
  preparePaymentReverse,
} from './payment-reverse';
import type { ReverseDraft } from './payment-reverse';

/** Roles the server allows per command (server/sync/commands/index.ts). */
const BOOKING_ROLES: readonly AgentRole[] = ['accueil', 'regisseur', 'administrateur'];
const REVERSE_ROLES: readonly AgentRole[] = ['regisseur', 'administrateur'];

export interface LocalCommandsEnv {
  /** The desk's best estimate of server time (never trusted by the server). */
  now(): Date;
  /** The agent at the counter. */
  agentId(): string;
}

export interface LocalWrite {
  opId: string;
  seq: number;
}

export class LocalCommands {
  constructor(
    private readonly store: DeskStore,
    private readonly env: LocalCommandsEnv,
  ) {}

  /** booking.set_day; null when the child already has exactly these units (nothing to send). */
  setDay(input: BookingSetDayV1): (LocalWrite & { payload: BookingSetDayV1 }) | null {
    const payload = parse('booking.set_day', input);
    return this.store.transaction(() => {
      const now = this.env.now();
      const check = checkSetDay(this.store, payload, now);
      if (!check.changes) return null;
      const ctx = this.append('booking.set_day', payload, check.householdId, now, BOOKING_ROLES);
      applySetDay(ctx, payload);
      this.audit(ctx, 'booking.set_day', setDayAudit(this.store, payload));
      return { opId: ctx.opId, seq: ctx.opSeq, payload };
    });
  }

  /** payment.record, with the desk's next receipt number. */
  recordPayment(draft: PaymentDraft): LocalWrite & { payload: PaymentRecordV1; allocated: Allocation[] } {
    return this.store.transaction(() => {
      const now = this.env.now();
      const payload = parse(
        'payment.record',
        preparePaymentRecord(this.store, draft, { deskId: this.deskId(), now }),
      );
      const ctx = this.append('payment.record', payload, payload.householdId, now, BOOKING_ROLES);
      const allocated = applyPaymentRecord(ctx, payload);
      this.audit(ctx, 'payment.record', paymentRecordAudit(payload));
      return { opId: ctx.opId, seq: ctx.opSeq, payload, allocated };
    });
  }

  /** payment.reverse, with its own receipt number. */
  reversePayment(draft: ReverseDraft): LocalWrite & { payload: PaymentReverseV1 } {
    return this.store.transaction(() => {
      const now = this.env.now();
      this.requireAgent(REVERSE_ROLES);
      const prepared = preparePaymentReverse(this.store, draft, { deskId: this.deskId(), now });
      const payload = parse('payment.reverse', prepared.payload);
      const ctx = this.append('payment.reverse', payload, prepared.householdId, now, REVERSE_ROLES);
      applyPaymentReverse(ctx, payload);
      this.audit(ctx, 'payment.reverse', paymentReverseAudit(this.store, payload));
      return { opId: ctx.opId, seq: ctx.opSeq, payload };
    });
  }

  /** Re-applies a live op over the replica (inside the caller's transaction), capturing fresh undo records. */
  replay(op: OutboxRow): void {
    const ctx: ApplyContext = {
      store: this.store,
      opId: op.op_id,
      opSeq: op.seq,
      deskId: this.deskId(),
      agentId: op.agent_id,
      at: op.created_at,
      effects: new EffectRecorder(this.store, op.seq),
    };
    const payload: unknown = JSON.parse(op.payload_json);
    switch (op.command) {
      case 'booking.set_day': {
        const p = payload as BookingSetDayV1;
        applySetDay(ctx, p);
        return this.audit(ctx, op.command, setDayAudit(this.store, p));
      }
      case 'payment.record': {
        const p = payload as PaymentRecordV1;
        applyPaymentRecord(ctx, p);
        return this.audit(ctx, op.command, paymentRecordAudit(p));
      }
      case 'payment.reverse': {
        const p = payload as PaymentReverseV1;
        applyPaymentReverse(ctx, p);
        return this.audit(ctx, op.command, paymentReverseAudit(this.store, p));
      }
    }
  }

  /** What the op asked, in French, for the À traiter list. */
  describe(op: OutboxRow): string {
    const payload: unknown = JSON.parse(op.payload_json);
    switch (op.command) {
      case 'booking.set_day':
        return describeSetDay(this.store, payload as BookingSetDayV1);
      case 'payment.record':
        return describePaymentRecord(payload as PaymentRecordV1);
      case 'payment.reverse':
        return describePaymentReverse(this.store, payload as PaymentReverseV1);
      default:
        return op.command;
    }
  }

  private deskId(): string {
    const deskId = this.store.deskId();
    if (!deskId)
      throw new DomainError('DESK_UNKNOWN', "Ce poste n'est pas enregistré : synchronisez-le d'abord.");
    return deskId;
  }

  /** The agent at the counter, refused (as the server would) when unknown, inactive or without the role. */
  private requireAgent(roles: readonly AgentRole[]): string {
    const agentId = this.env.agentId();
    const agent = this.store.state.agent(agentId);
    if (!agent) throw new DomainError('AGENT_UNKNOWN', 'Agent inconnu sur ce poste : reconnectez-vous.');
    if (agent.active !== 1) throw new DomainError('AGENT_INACTIVE', 'Le compte de cet agent est désactivé.');
    if (!this.store.state.agentRoles(agentId).some((role) => roles.includes(role))) {
      throw new DomainError(
        'ROLE_NOT_ALLOWED',
        roles === REVERSE_ROLES
          ? 'Seul un régisseur ou un administrateur peut annuler un paiement.'
          : 'Votre rôle ne permet pas cette opération.',
      );
    }
    return agentId;
  }

  /** Appends the outbox row (seq = max + 1) and returns the context to apply the op under. */
  private append<N extends CommandName>(
    command: N,
    payload: CommandPayload<N>,
    householdId: string | null,
    now: Date,
    roles: readonly AgentRole[],
  ): ApplyContext {
    const deskId = this.deskId();
    const agentId = this.requireAgent(roles);
    const seq = this.store.outbox.nextSeq();
    const opId = newId();
    const at = now.toISOString();
    this.store.outbox.append({
      seq,
      opId,
      command,
      commandVersion: COMMAND_SCHEMAS[command].version,
      payloadJson: JSON.stringify(payload),
      agentId,
      householdId,
      createdAt: at,
    });
    return {
      store: this.store,
      opId,
      opSeq: seq,
      deskId,
      agentId,
      at,
      effects: new EffectRecorder(this.store, seq),
    };
  }

  private audit(ctx: ApplyContext, action: string, facts: AuditFacts): void {
    const id = newId();
    ctx.effects.capture('audit_log', [id]);
    this.store.state.audit({ id, at: ctx.at, agentId: ctx.agentId, deskId: ctx.deskId, action, ...facts });
  }
}

/** Validates a payload with the schema the server uses; a French message for the first problem. */
function parse<N extends CommandName>(command: N, input: unknown): CommandPayload<N> {
  const result = COMMAND_SCHEMAS[command].schema.safeParse(input);
  if (result.success) return result.data as CommandPayload<N>;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
  throw new DomainError(
    'COMMAND_INVALID',
    `Saisie invalide${where} : ${issue?.message ?? 'valeur refusée'}.`,
  );
}
