// The desk contract: the typed map of commands and events that preload, the desk backend and renderer/desk share.
// Types only (plus the list of command names preload uses to refuse anything else).
import type { UnitCode } from '../../core/booking/units';
import type { DeskPaymentMode } from '../../core/sync/commands';
import type { AgentApi } from './agent';
import { AGENT_COMMANDS } from './agent';
import type { FamilyApi } from './family';
import { FAMILY_COMMANDS } from './family';
import type { PlanningApi } from './planning';
import { PLANNING_COMMANDS } from './planning';
import type { DocumentsApi } from './documents';
import { DOCUMENTS_COMMANDS } from './documents';
import type { CashierApi } from './cashier';
import { CASHIER_COMMANDS } from './cashier';
import type { CashJournalApi } from './cash-journal';
import { CASH_JOURNAL_COMMANDS } from './cash-journal';
import type { DemandesApi } from './demandes';
import { DEMANDES_COMMANDS } from './demandes';

export * from './agent';
export * from './family';
export * from './planning';
export * from './documents';
export * from './cashier';
export * from './cash-journal';
export * from './demandes';

/** A family as listed by search: what an agent needs to recognise it at a glance. */
export interface HouseholdListItem {
  id: string;
  code: string;
  titulaire: string;
  coTitulaire: string | null;
  children: string[];
  city: string | null;
  phone: string | null;
  email: string | null;
}

export interface TownInfo {
  name: string;
  householdCount: number;
}

/**
 * `never`: not synchronised yet; `update_required`: the server refuses this desk's version (426) and sync
 * stopped, outbox kept; `revoked`: the desk's enrolment was revoked (401) and sync stopped.
 */
export type SyncConnection = 'online' | 'offline' | 'never' | 'update_required' | 'revoked';

export interface SyncStatus {
  connection: SyncConnection;
  serverUrl: string;
  /** Change-log sequence of the server state this replica reflects. */
  cursor: number;
  /** Local commands not yet decided by the server. */
  pending: number;
  /** Rejected or waitlisted commands not yet marked handled (À traiter). */
  toHandle: number;
  lastSyncAt: string | null;
  /** Why the desk is offline / must be updated / was revoked, in French; null when all is well. */
  message: string | null;
}

export type BookingStateDto = 'reservee' | 'en_attente' | 'refusee' | 'annulee';

/** booking/set-day: the units a child should have for one activity on one day (the desired set). */
export interface BookingSetDayArgs {
  personId: string;
  activityId: string;
  siteId: string;
  /** YYYY-MM-DD (Europe/Paris). */
  day: string;
  units: UnitCode[];
  /** Required past the booking deadline; logged in the audit trail. */
  overrideReason?: string;
}

export interface BookingUnitState {
  unit: UnitCode;
  state: BookingStateDto;
  /** Written by a local command the server has not decided yet (shown as « en attente d'instruction »). */
  pending: boolean;
}

export interface BookingSetDayResult {
  /** Null when the child already had exactly these units: nothing was recorded. */
  opId: string | null;
  seq: number | null;
  day: string;
  /** The child's rows for that activity and day after the write. */
  units: BookingUnitState[];
}

export interface AllocationDto {
  invoiceId: string;
  amountCents: number;
}

export interface PaymentRecordArgs {
  householdId: string;
  mode: DeskPaymentMode;
  amountCents: number;
  /** Omitted: the household's open invoices are settled oldest first; anything left is credit. */
  allocations?: AllocationDto[];
  bank?: string;
  chequeNumber?: string;
  tpeReference?: string;
}

export interface PaymentRecordResult {
  opId: string;
  seq: number;
  paymentId: string;
  /** `<desk prefix>-<6 digits>`, gapless per desk. */
  receiptNumber: string;
  receivedAt: string;
  /** What went to each invoice (trimmed to what it owed). */
  allocated: AllocationDto[];
  /** The part of the payment that became the household's credit. */
  creditCents: number;
}

export interface PaymentReverseArgs {
  paymentId: string;
  reason: string;
}

export interface PaymentReverseResult {
  opId: string;
  seq: number;
  reversalId: string;
  receiptNumber: string;
}

/** A command the server refused or waitlisted, with the family to call (À traiter). */
export interface ToHandleItem {
  opId: string;
  seq: number;
  command: string;
  outcome: 'rejected' | 'waitlisted';
  code: string | null;
  /** Why, in French (the server's message). */
  reason: string;
  /** What was asked, in French ("Réservation du mercredi 14 octobre 2026 pour DUPONT Léa (…) : Matin"). */
  asked: string;
  household: { id: string; code: string; titulaire: string; phone: string | null } | null;
  agentName: string | null;
  createdAt: string;
  decidedAt: string | null;
}

/** An error as it crosses the process boundary: a code for code, a French message for people. */
export interface DeskError {
  code: string;
  message: string;
}

export type DeskResult<T> = { ok: true; value: T } | { ok: false; error: DeskError };

/** Every command the desk backend answers: name → argument and result types (features in their own files). */
export interface DeskApi
  extends AgentApi, FamilyApi, PlanningApi, DocumentsApi, CashierApi, CashJournalApi, DemandesApi {
  'town/get': { args: void; result: TownInfo };
  'family/search': { args: { query: string; limit?: number }; result: HouseholdListItem[] };
  'booking/set-day': { args: BookingSetDayArgs; result: BookingSetDayResult };
  'payment/record': { args: PaymentRecordArgs; result: PaymentRecordResult };
  'payment/reverse': { args: PaymentReverseArgs; result: PaymentReverseResult };
  'sync/status': { args: void; result: SyncStatus };
  /** Pushes pending commands and pulls the server's changes; resolves once settled (or offline). */
  'sync/now': { args: void; result: SyncStatus };
  /** Alias of `sync/now`, kept for older renderers. */
  'sync/pull-snapshot': { args: void; result: SyncStatus };
  'sync/to-handle': { args: void; result: ToHandleItem[] };
  /** Marks a rejected / waitlisted command handled. */
  'sync/acknowledge': { args: { opId: string }; result: { toHandle: number } };
}

export type DeskCommand = keyof DeskApi;
export type DeskArgs<K extends DeskCommand> = DeskApi[K]['args'];
export type DeskReturn<K extends DeskCommand> = DeskApi[K]['result'];

export const DESK_COMMANDS = [
  'town/get',
  'family/search',
  'booking/set-day',
  'payment/record',
  'payment/reverse',
  'sync/status',
  'sync/now',
  'sync/pull-snapshot',
  'sync/to-handle',
  'sync/acknowledge',
  ...AGENT_COMMANDS,
  ...FAMILY_COMMANDS,
  ...PLANNING_COMMANDS,
  ...DOCUMENTS_COMMANDS,
  ...CASHIER_COMMANDS,
  ...CASH_JOURNAL_COMMANDS,
  ...DEMANDES_COMMANDS,
] as const satisfies readonly DeskCommand[];

/** Events the backend pushes to the renderer. */
export interface DeskEvents {
  'sync/status': SyncStatus;
  /** The replica changed under the UI (pulled rows, settled or re-applied commands): refresh these tables. */
  'data/changed': { tables: string[]; cursor: number };
}

export const DESK_EVENTS = ['sync/status', 'data/changed'] as const satisfies readonly (keyof DeskEvents)[];

/** What preload exposes as `window.desk` (and the HTTP bridge client mimics in a browser). */
export interface DeskBridge {
  invoke<K extends DeskCommand>(name: K, args: DeskArgs<K>): Promise<DeskResult<DeskReturn<K>>>;
  on<E extends keyof DeskEvents>(event: E, listener: (payload: DeskEvents[E]) => void): () => void;
  /**
   * Electron only: prints a PDF (base64) through the system print dialog (`webContents.print`). Absent in a
   * browser, where the renderer prints the preview frame instead.
   */
  printPdf?(base64: string, title: string): Promise<DeskResult<{ printed: boolean }>>;
}

/** IPC channel names used between preload and main. */
export const DESK_INVOKE_CHANNEL = 'desk:invoke';
export const DESK_EVENT_CHANNEL = 'desk:event';
export const DESK_PRINT_CHANNEL = 'desk:print-pdf';
