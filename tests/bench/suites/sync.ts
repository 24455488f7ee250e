// The sync engine's figures (bench.md), on the bench town, with the server in its own process (real HTTP on
// 127.0.0.1) and the desks (DeskBackend) in this one:
// - sync.initial_replica.*: an empty desk → full replica, against the raw-insert baseline measured here;
// - sync.desk_write.p95_ms: a desk command committed locally and durably (synchronous = FULL);
// - sync.portal_to_desk.p95_ms: a parent's booking committed on the server → the row in a connected desk;
// - sync.partition_day.settle_s: 3 desks × 5,000 queued ops + 2,000 parents' bookings, reconnect → settled
//   (every op's final result recorded at its desk, every parent answered); converged_s: → every desk has
//   applied the server's changes too;
// - sync.oversubscribed: places beyond capacity on the server after all of it;
// - sync.kill9.*: tests/sync/kill9-harness.ts, 1,000 runs.
// Each phase has a time budget: when the product is too slow to reach the planned sample count in it, the
// phase stops, reports what it measured (n) and says so — the whole run stays bounded.
// GF_BENCH_QUICK=1: a small town, fewer operations (iteration only). GF_BENCH_SYNC_ONLY=initial_replica,
// desk_write or partition_day: that phase alone (iteration; the other two still start from a downloaded
// replica, without the baseline). GF_BENCH_KILL9_RUNS overrides the runs
// (0: skipped). GF_BENCH_BUDGET_SCALE multiplies the time budgets.
// GF_BENCH_WHATIF_ANALYZE=1: what-if, NOT the product — runs ANALYZE on the server's copy first (snapshots
// then carry sqlite_stat1 to the desks), to see the figures once the query planner has statistics.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import type { BenchSuite, Metrics, Target } from '../lib';
import { metric } from '../lib';
import {
  QUICK,
  ServerProcess,
  WHATIF_ANALYZE,
  copyDatabase,
  oversubscriptionOf,
  suiteTown,
} from '../sync-harness';
import type { Oversubscription } from '../sync-harness';
import { SlotPool } from '../slot-pool';
import { connectedDesk } from '../sync-phases/connected-desk';
import type { Env, EnrolledDesk } from '../sync-phases/env';
import { initialReplica } from '../sync-phases/initial-replica';
import { kill9 } from '../sync-phases/kill9';
import { partitionDay } from '../sync-phases/partition-day';

const TARGETS: Target[] = [
  { metric: 'sync.initial_replica.ratio_to_baseline', op: '<=', value: 1 },
  { metric: 'sync.partition_day.settle_s', op: '<=', value: 20 },
  { metric: 'sync.portal_to_desk.p95_ms', op: '<=', value: 10 },
  { metric: 'sync.desk_write.p95_ms', op: '<=', value: 2 },
  { metric: 'sync.kill9.runs', op: '>=', value: 1_000 },
  { metric: 'sync.kill9.lost', op: '<=', value: 0 },
  { metric: 'sync.kill9.duplicated', op: '<=', value: 0 },
  { metric: 'sync.oversubscribed', op: '<=', value: 0 },
];

/** GF_BENCH_SYNC_ONLY values: one phase alone. */
const ONLY_PHASES: Record<string, 'initial_replica' | 'desk_write' | 'partition_day' | undefined> = {
  initial_replica: 'initial_replica',
  desk_write: 'desk_write',
  partition_day: 'partition_day',
};

export const syncSuite: BenchSuite = {
  name: 'sync',
  description:
    'desk ⇄ server over real HTTP (server in its own process): initial replica vs baseline, local writes, ' +
    'portal → desk latency, partition day, oversubscription, kill -9' +
    (QUICK ? ' — QUICK MODE (small town, fewer ops: not the real figures)' : '') +
    (WHATIF_ANALYZE ? ' — WHAT-IF MODE (ANALYZE run on the server copy: not the product as it is)' : ''),
  async run(ctx) {
    const town = await suiteTown(ctx);
    ctx.log(`town: ${town.families} families${QUICK ? ' (quick mode)' : ''}`);
    const serverFile = path.join(ctx.tmpDir, 'server.sqlite');
    copyDatabase(town.file, serverFile);
    if (WHATIF_ANALYZE) {
      const started = performance.now();
      const sqlite = new BetterSqlite3(serverFile);
      sqlite.exec('ANALYZE');
      sqlite.close();
      ctx.log(
        `WHAT-IF: ANALYZE on the server copy took ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    const before = oversubscriptionOf(serverFile);
    const slots = new SlotPool(town.file);
    ctx.log(`bookable days from ${slots.firstDay}; seeded town: ${describeOver(before)}`);

    const metrics: Metrics = {};
    const notes: string[] = [];
    const server = await ServerProcess.start(serverFile);
    ctx.log(`server process ${server.pid} listening on ${server.url}`);
    try {
      // Enrolled before the first snapshot, so that every replica knows the three desks (receipt prefixes).
      const enrol = async (name: string, prefix: string, folder: string): Promise<EnrolledDesk> => ({
        ...(await server.request('enrolDesk', { name, prefix })),
        dbPath: path.join(ctx.tmpDir, folder, 'desk.sqlite'),
      });
      const desks = {
        a: await enrol('Poste bench A', 'BNA', 'desk-a'),
        b: await enrol('Poste bench B', 'BNB', 'desk-b'),
        c: await enrol('Poste bench C', 'BNC', 'desk-c'),
      };
      const env: Env = { ctx, town, server, slots, metrics, notes, desks };
      const only = ONLY_PHASES[process.env.GF_BENCH_SYNC_ONLY ?? ''];
      await initialReplica(env, !only || only === 'initial_replica');
      if (!only || only === 'desk_write') await connectedDesk(env, !only);
      if (!only || only === 'partition_day') await partitionDay(env);
      if (only) return { metrics, targets: TARGETS.filter((t) => t.metric.startsWith(`sync.${only}.`)) };
    } finally {
      await server.close();
    }

    const after = oversubscriptionOf(serverFile);
    ctx.log(`server after every sync benchmark: ${describeOver(after)}`);
    metrics['sync.oversubscribed'] = metric(after.over, 'places', after.cells);
    if (before.over > 0)
      notes.push(`the seeded town itself already had ${before.over} place(s) beyond capacity`);

    await kill9(ctx, metrics, notes);

    for (const note of notes) ctx.log(`NOTE: ${note}`);
    return { metrics, targets: TARGETS };
  },
};

function describeOver(o: Oversubscription): string {
  return (
    `${o.over} place(s) beyond capacity over ${o.cells} capacity cells` +
    ` (taken ≠ reservee count in ${o.mismatched} cell(s); ${o.withoutCell} reservee booking(s) without a cell)`
  );
}
