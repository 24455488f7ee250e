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
import type { AuditSessionV1 } from '../../../core/sync/commands-agent';
import type { DemandeDecideV1 } from '../../../core/sync/commands-demandes';
import type { DocumentAttachV1 } from '../../../core/sync/commands-documents';
import { isFamilyCommandName } from '../../../core/sync/commands-family';
import type {
  HouseholdCreateV1,
  HouseholdIssueAccessKeyV1,
  HouseholdUpdateV1,
} from '../../../core/sync/commands-family';
import { parisDay } from '../../../core/calendar/paris';
import { documentStatements } from '../../../db/repositories/document-records';
import type { OutboxRow } from '../../../db/repositories/desk-outbox';
import type { AgentRole } from '../../../db/schema';
import type { DeskStore } from '../desk-store';
import { applyAuditSession, describeAuditSession } from './audit-session';
import { applySetDay, checkSetDay, describeSetDay, setDayAudit } from './booking-set-day';
import type { ApplyContext, AuditFacts } from './command-context';
import {
  applyDecideDemande,
  checkDecideDemande,
  decideDemandeAudit,
  describeDecideDemande,
} from './demande-decide';
import {
  applyAttachDocument,
  attachDocumentAudit,
  checkAttachDocument,
  describeAttachDocument,
} from './document-attach';
import { EffectRecorder } from './effects';
import {
  accessKeyAudit,
  applyHouseholdCreateLocal,
  applyHouseholdUpdateLocal,
  describeFamilyOp,
  prepareHouseholdCreate,
} from './household-commands';
import type { FamilyCreateDraft } from './household-commands';
import { isPlanningCommand, planningSpec } from './planning-commands';
import type { PlanningCommandName } from './planning-commands';
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
      applySetDay(ctx, payload, check.inputs);
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

  /** audit.session: a sign-in, sign-out, lock or unlock of the agent at the counter (electron/backend/sync/audit-session.ts). */
  recordSession(input: AuditSessionV1): LocalWrite {
    const payload = parse('audit.session', input);
    return this.store.transaction(() => {
      const ctx = this.append('audit.session', payload, null, this.env.now(), BOOKING_ROLES);
      applyAuditSession(ctx, payload);
      return { opId: ctx.opId, seq: ctx.opSeq };
    });
  }

  /** demande.decide: accept or refuse a parent's demande with a message (electron/backend/sync/demande-decide.ts). */
  decideDemande(input: DemandeDecideV1): LocalWrite & { payload: DemandeDecideV1 } {
    const payload = parse('demande.decide', input);
    return this.store.transaction(() => {
      const { householdId } = checkDecideDemande(this.store, payload);
      const ctx = this.append('demande.decide', payload, householdId, this.env.now(), BOOKING_ROLES);
      applyDecideDemande(ctx, payload);
      this.audit(ctx, 'demande.decide', decideDemandeAudit(this.store, payload));
      return { opId: ctx.opId, seq: ctx.opSeq, payload };
    });
  }

  /**
   * document.attach: stores the files' bytes in the blob store and records the piece, in one transaction
   * (electron/backend/sync/document-attach.ts); the sync client uploads the blobs before pushing the op.
   */
  attachDocument(
    input: DocumentAttachV1,
    blobs: readonly { hash: string; contentType: string; bytes: Buffer }[],
  ): LocalWrite & { payload: DocumentAttachV1 } {
    const payload = parse('document.attach', input);
    return this.store.transaction(() => {
      const now = this.env.now();
      const docs = documentStatements(this.store.sqlite);
      for (const blob of blobs) docs.putBlob(blob.hash, blob.contentType, blob.bytes, now.toISOString());
      checkAttachDocument(this.store, payload);
      const ctx = this.append('document.attach', payload, payload.householdId, now, BOOKING_ROLES);
      applyAttachDocument(ctx, payload);
      this.audit(ctx, 'document.attach', attachDocumentAudit(payload));
      return { opId: ctx.opId, seq: ctx.opSeq, payload };
    });
  }

  /** inscription.create, inscription.decide, absence.record (electron/backend/sync/planning-commands.ts). */
  planning<N extends PlanningCommandName>(
    command: N,
    input: CommandPayload<N>,
  ): LocalWrite & { payload: CommandPayload<N> } {
    const payload = parse(command, input);
    const spec = planningSpec(command);
    return this.store.transaction(() => {
      const now = this.env.now();
      const householdId = spec.check(this.store, payload, now);
      const ctx = this.append(command, payload, householdId, now, BOOKING_ROLES);
      spec.apply(ctx, payload);
      this.audit(ctx, command, spec.audit(this.store, payload));
      return { opId: ctx.opId, seq: ctx.opSeq, payload };
    });
  }

  /** household.create: the family under the desk's provisional code (electron/backend/sync/household-commands.ts). */
  createHousehold(draft: FamilyCreateDraft): LocalWrite & { payload: HouseholdCreateV1 } {
    return this.store.transaction(() => {
      const now = this.env.now();
      const prepared = prepareHouseholdCreate(this.store, draft, {
        deskId: this.deskId(),
        today: parisDay(now),
      });
      const payload = parse('household.create', prepared);
      const ctx = this.append('household.create', payload, payload.householdId, now, BOOKING_ROLES);
      this.audit(ctx, 'household.create', applyHouseholdCreateLocal(ctx, payload));
      return { opId: ctx.opId, seq: ctx.opSeq, payload };
    });
  }

  /** household.update: one edit of a family file; null when it changes nothing (no op). */
  updateHousehold(input: HouseholdUpdateV1): (LocalWrite & { payload: HouseholdUpdateV1 }) | null {
    const payload = parse('household.update', input);
    const nothing = new Error('nothing changed');
    try {
      return this.store.transaction(() => {
        const ctx = this.append(
          'household.update',
          payload,
          payload.householdId,
          this.env.now(),
          BOOKING_ROLES,
        );
        const facts = applyHouseholdUpdateLocal(ctx, payload, 'first');
        if (facts === null) throw nothing;
        this.audit(ctx, 'household.update', facts);
        return { opId: ctx.opId, seq: ctx.opSeq, payload };
      });
    } catch (error) {
      if (error === nothing) return null;
      throw error;
    }
  }

  /** household.issue_access_key: only the key's hash is recorded and sent. */
  issueAccessKey(input: HouseholdIssueAccessKeyV1): LocalWrite & { payload: HouseholdIssueAccessKeyV1 } {
    const payload = parse('household.issue_access_key', input);
    return this.store.transaction(() => {
      const ctx = this.append(
        'household.issue_access_key',
        payload,
        payload.householdId,
        this.env.now(),
        BOOKING_ROLES,
      );
      this.audit(ctx, 'household.issue_access_key', accessKeyAudit(payload));
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
    if (isPlanningCommand(op.command)) {
      const spec = planningSpec(op.command);
      spec.apply(ctx, payload as CommandPayload<typeof op.command>);
      return this.audit(
        ctx,
        op.command,
        spec.audit(this.store, payload as CommandPayload<typeof op.command>),
      );
    }
    if (isFamilyCommandName(op.command)) {
      const facts =
        op.command === 'household.create'
          ? applyHouseholdCreateLocal(ctx, payload as HouseholdCreateV1)
          : op.command === 'household.update'
            ? applyHouseholdUpdateLocal(ctx, payload as HouseholdUpdateV1, 'replay')
            : accessKeyAudit(payload as HouseholdIssueAccessKeyV1);
      return facts ? this.audit(ctx, op.command, facts) : undefined;
    }
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
      case 'audit.session':
        return applyAuditSession(ctx, payload as AuditSessionV1);
      case 'demande.decide': {
        const p = payload as DemandeDecideV1;
        applyDecideDemande(ctx, p);
        return this.audit(ctx, op.command, decideDemandeAudit(this.store, p));
      }
      case 'document.attach': {
        const p = payload as DocumentAttachV1;
        applyAttachDocument(ctx, p);
        return this.audit(ctx, op.command, attachDocumentAudit(p));
      }
    }
  }

  /** What the op asked, in French, for the À traiter list. */
  describe(op: OutboxRow): string {
    const payload: unknown = JSON.parse(op.payload_json);
    if (isPlanningCommand(op.command)) {
      return planningSpec(op.command).describe(this.store, payload as CommandPayload<typeof op.command>);
    }
    if (isFamilyCommandName(op.command)) return describeFamilyOp(this.store, op.command, payload);
    switch (op.command) {
      case 'booking.set_day':
        return describeSetDay(this.store, payload as BookingSetDayV1);
      case 'payment.record':
        return describePaymentRecord(payload as PaymentRecordV1);
      case 'payment.reverse':
        return describePaymentReverse(this.store, payload as PaymentReverseV1);
      case 'audit.session':
        return describeAuditSession(payload as AuditSessionV1);
      case 'demande.decide':
        return describeDecideDemande(this.store, payload as DemandeDecideV1);
      case 'document.attach':
        return describeAttachDocument(payload as DocumentAttachV1);
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
    ctx.effects.captureNew('audit_log', [id]);
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
