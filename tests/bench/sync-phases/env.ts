// What the sync suite's phases share: sample counts, time budgets, the enrolled desks, the command arguments.
import type { BenchContext, Metrics } from '../lib';
import { scaled } from '../sync-harness';
import type { Slot, SlotPool } from '../slot-pool';
import type { ServerProcess, SuiteTown } from '../sync-harness';

export const DEMO_PASSWORD = 'Demo2026!';

export const N = {
  deskWrites: scaled(2_000, 400),
  /** Enough writes for the JIT to settle: with 100, TurboFan's background compiles were still taking the CPU. */
  deskWritesWarmUp: scaled(2_000, 40),
  portalSamples: scaled(250, 100),
  portalWarmUp: scaled(20, 10),
  portalParents: 10,
  partitionOpsPerDesk: scaled(5_000, 300),
  partitionParents: scaled(2_000, 300),
  parentConcurrency: 64,
  /** Full-size runs of the baseline insert after a partial warm-up (each ~30 s on the 20,000-family town). */
  baselineRuns: scaled(2, 3),
  baselineWarmUpRows: 200_000,
  kill9Runs: Number(process.env.GF_BENCH_KILL9_RUNS ?? scaled(1_000, 20)),
};

/** Time budgets (ms) of the phases whose duration depends on the product's speed (GF_BENCH_BUDGET_SCALE × them). */
const BUDGET_SCALE = Number(process.env.GF_BENCH_BUDGET_SCALE ?? 1);
export const BUDGET = {
  /** Warm-up writes stop after this long even when fewer than planned. */
  deskWritesWarmUp: 15_000 * BUDGET_SCALE,
  deskWrites: 45_000 * BUDGET_SCALE,
  portal: 60_000 * BUDGET_SCALE,
  partitionQueue: 60_000 * BUDGET_SCALE,
  partitionSettle: 90_000 * BUDGET_SCALE,
};

export interface EnrolledDesk {
  deskId: string;
  token: string;
  dbPath: string;
}

export interface Env {
  ctx: BenchContext;
  town: SuiteTown;
  server: ServerProcess;
  slots: SlotPool;
  metrics: Metrics;
  /** Things that went wrong or were cut short, printed at the end. */
  notes: string[];
  desks: { a: EnrolledDesk; b: EnrolledDesk; c: EnrolledDesk };
}

export function bookingArgs(slot: Slot) {
  return {
    personId: slot.personId,
    activityId: slot.activityId,
    siteId: slot.siteId,
    day: slot.day,
    units: slot.units,
  };
}

export function paymentArgs(slots: SlotPool, i: number) {
  const cash = i % 4 === 1;
  return {
    householdId: slots.randomHousehold(),
    mode: cash ? ('especes' as const) : ('carte' as const),
    amountCents: 500 + ((i * 7919) % 25_000),
    ...(cash ? {} : { tpeReference: `TPE-${i}` }),
  };
}
