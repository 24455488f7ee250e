// A desk killed with SIGKILL in the middle of pushing, 200 times: a real desk process, a real server, the same
// SQLite file across restarts. Nothing committed at the counter is lost, nothing is doubled, receipts stay
// gapless, every op ends with exactly one result (see kill9-harness.ts; the benchmark runs it 1,000 times).
import { expect, it } from 'vitest';
import { runKill9 } from './kill9-harness';
import { runSwapCrash } from './swap-crash-harness';

const KILLS = 200;

it(`loses and doubles no payment when a desk is killed -9 ${KILLS} times while pushing`, async () => {
  const seed = Number(process.env.GF_KILL9_SEED ?? 20_261_122);
  const report = await runKill9(KILLS, { seed, log: (line) => console.info(`[kill9] ${line}`) });
  console.info(
    `[kill9] seed ${seed}: ${report.runs} kills (${JSON.stringify(report.kills)}, ${report.killsMidPush} mid-push) in ` +
      `${report.seconds.toFixed(1)} s; committed ${JSON.stringify(report.committed)}; ${report.compactions} compactions, ` +
      `${report.snapshots} snapshots; per run ${JSON.stringify(report.averageMs)}`,
  );
  expect(report.problems).toEqual([]);
  expect(report).toMatchObject({ runs: KILLS, lost: 0, duplicated: 0, unfinished: 0 });
  // The kills did land where it hurts: while the server read a push, right after it acted, and anywhere else.
  expect(report.kills.request).toBeGreaterThan(0);
  expect(report.kills.response).toBeGreaterThan(0);
  expect(report.killsMidPush).toBeGreaterThan(KILLS / 3);
  expect(report.committed.payments).toBeGreaterThan(KILLS / 2);
  expect(report.committed.reversals).toBeGreaterThan(0);
  expect(report.committed.bookings).toBeGreaterThan(KILLS / 4);
  // Some runs resynced from a snapshot (change log compacted right after a push), killed or not on the way.
  expect(report.compactions).toBeGreaterThan(KILLS / 10);
  expect(report.snapshots).toBeGreaterThan(report.compactions);
}, 300_000);

// DeskBackend.swapIn used to delete the live database before renaming the resynced copy over it: a kill in between
// left no database, the restart downloaded a fresh snapshot, and the outbox carried into `<db>.resync` — with the
// payment taken during the resync — was never pushed (fixed in electron/backend/desk-backend.ts).
it('loses no payment when a desk is killed -9 at the instant it swaps in its resynced replica', async () => {
  const report = await runSwapCrash({ seed: 5 });
  expect(report.swapReached).toBe(true);
  expect(report.reported).toHaveLength(2);
  expect(report.problems).toEqual([]);
  expect(report.lost).toEqual([]);
});
