// What a local command's applier receives: the store, the op it belongs to, and the undo recorder.
import type { DeskStore } from '../desk-store';
import type { EffectRecorder } from './effects';

export interface ApplyContext {
  store: DeskStore;
  opId: string;
  opSeq: number;
  deskId: string;
  agentId: string;
  /** The instant written on rows (`updated_at`, …): the op's creation time, also when it is re-applied. */
  at: string;
  effects: EffectRecorder;
}

/** What an op tells the audit trail. */
export interface AuditFacts {
  householdId: string | null;
  entity: string;
  entityId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}
