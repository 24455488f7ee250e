// The desk's domain handlers, by `domain/action` name: plain async functions over the local store.
import type {
  BookingSetDayResult,
  BookingStateDto,
  DeskApi,
  HouseholdListItem,
  PaymentRecordResult,
} from '../contract';
import type { UnitCode } from '../../core/booking/units';
import { countHouseholds, searchHouseholds } from '../../db/repositories/households';
import { getTown } from '../../db/repositories/town';
import { formatPhone } from '../../core/validation/phone';
import type { DeskStore } from './desk-store';
import type { HandlerDeps } from './handler-deps';
import { createAgentHandlers } from './features/agent';
import { createFamilyHandlers } from './features/family';
import { createPlanningHandlers } from './features/planning';
import { createDocumentsHandlers } from './features/documents';
import { createCashierHandlers } from './features/cashier';
import { createCashJournalHandlers } from './features/cash-journal';
import { createDemandesHandlers } from './features/demandes';
import { listToHandle } from './sync/to-handle';

/** Commands the backend answers itself (they need the sync client). */
type BackendCommand = 'sync/status' | 'sync/now' | 'sync/pull-snapshot';
type LocalCommand = Exclude<keyof DeskApi, BackendCommand>;

export type DeskHandlers = {
  [K in LocalCommand]: (args: DeskApi[K]['args']) => Promise<DeskApi[K]['result']>;
};

export type { HandlerDeps } from './handler-deps';

export function createHandlers(deps: HandlerDeps): DeskHandlers {
  const { session, changed, now } = deps;
  return {
    ...createAgentHandlers(deps),
    ...createFamilyHandlers(deps),
    ...createPlanningHandlers(deps),
    ...createDocumentsHandlers(deps),
    ...createCashierHandlers(deps),
    ...createCashJournalHandlers(deps),
    ...createDemandesHandlers(deps),

    'town/get': async () => {
      const { db } = session().store.database;
      const [town, householdCount] = await Promise.all([getTown(db), countHouseholds(db)]);
      return { name: town?.name ?? '', householdCount };
    },
    'family/search': async ({ query, limit }) => {
      const { db } = session().store.database;
      const rows = await searchHouseholds(db, { query, limit: Math.min(limit ?? 50, 200) });
      return rows.map((row): HouseholdListItem => ({
        id: row.id,
        code: row.code,
        titulaire: row.titulaire,
        coTitulaire: row.coTitulaire,
        children: row.children,
        city: row.city,
        phone: row.phone ? formatPhone(row.phone) : null,
        email: row.email,
      }));
    },
    'booking/set-day': async (args) => {
      const { store, commands } = session();
      const write = commands.setDay(args);
      if (write) changed(true);
      return dayState(store, args, write);
    },
    'payment/record': async (args) => {
      const { commands } = session();
      const write = commands.recordPayment(args);
      changed(true);
      const allocatedCents = write.allocated.reduce((sum, a) => sum + a.amountCents, 0);
      const result: PaymentRecordResult = {
        opId: write.opId,
        seq: write.seq,
        paymentId: write.payload.paymentId,
        receiptNumber: write.payload.receiptNumber,
        receivedAt: write.payload.receivedAt,
        allocated: write.allocated,
        creditCents: write.payload.amountCents - allocatedCents,
      };
      return result;
    },
    'payment/reverse': async (args) => {
      const { commands } = session();
      const write = commands.reversePayment(args);
      changed(true);
      return {
        opId: write.opId,
        seq: write.seq,
        reversalId: write.payload.reversalId,
        receiptNumber: write.payload.receiptNumber,
      };
    },
    'sync/to-handle': async () => {
      const { store, commands } = session();
      return listToHandle(store, commands);
    },
    'sync/acknowledge': async ({ opId }) => {
      const { store } = session();
      const at = now().toISOString();
      store.transaction(() => store.outbox.acknowledge(opId, at));
      changed(false);
      return { toHandle: store.outbox.toHandleCount() };
    },
  };
}

function dayState(
  store: DeskStore,
  args: DeskApi['booking/set-day']['args'],
  write: { opId: string; seq: number } | null,
): BookingSetDayResult {
  const units = new Map(store.bookings.units(args.activityId).map((u) => [u.id, u.code as UnitCode]));
  // Only the ops behind this day's rows matter: a lookup by op id each, not the whole live outbox.
  const live = new Map<string, boolean>();
  const isLive = (opId: string): boolean => {
    let known = live.get(opId);
    if (known === undefined) live.set(opId, (known = store.outbox.isLive(opId)));
    return known;
  };
  return {
    opId: write?.opId ?? null,
    seq: write?.seq ?? null,
    day: args.day,
    units: store.bookings
      .bookingsOfDay(args.personId, args.activityId, args.day)
      .filter((b) => units.has(b.unit_id))
      .map((b) => ({
        unit: units.get(b.unit_id) as UnitCode,
        state: b.state as BookingStateDto,
        pending: b.origin_op_id !== null && isLive(b.origin_op_id),
      })),
  };
}
