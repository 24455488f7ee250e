// 1. Empty desk → full replica, vs the raw-insert baseline measured in the same run.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FetchLike } from '../../../electron/backend/snapshot-client';
import { median, metric } from '../lib';
import { copyDatabase, replicaForDesk, replicatedRows, sharedReplicaPath, startDesk } from '../sync-harness';
import { loadBookingRows, timeBulkInsert } from '../suites/baseline';
import { N } from './env';
import type { Env } from './env';

export async function initialReplica(env: Env, withBaseline: boolean): Promise<void> {
  const { ctx, server, metrics, desks } = env;
  // Only to split the figure: when the server's answer (the snapshot it builds) starts.
  let snapshotHeadersAt = 0;
  const timedFetch: FetchLike = async (input, init) => {
    const response = await fetch(input, init);
    if (String(input instanceof Request ? input.url : input).includes('/snapshot'))
      snapshotHeadersAt = performance.now();
    return response;
  };
  const started = performance.now();
  const desk = await startDesk({
    dbPath: desks.a.dbPath,
    serverUrl: server.url,
    deskToken: desks.a.token,
    fetch: timedFetch,
    autoSync: false,
  });
  const opened = performance.now();
  const status = await desk.syncNow();
  const seconds = (performance.now() - started) / 1000;
  if (status.connection !== 'online') throw new Error(`desk A is ${status.connection}: ${status.message}`);
  const counts = replicatedRows(desk.session().store.sqlite);
  desk.close();
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  const bookings = counts.bookings ?? 0;
  const rowsPerS = rows / seconds;
  ctx.log(
    `initial replica: ${rows} rows (${bookings} bookings, ${Object.keys(counts).length} tables) in ` +
      `${seconds.toFixed(2)} s = ${rowsPerS.toFixed(0)} rows/s (start() → synced, snapshot over HTTP)`,
  );
  ctx.log(
    `  server builds the snapshot until ${((snapshotHeadersAt - started) / 1000).toFixed(2)} s; download + open ` +
      `${((opened - snapshotHeadersAt) / 1000).toFixed(2)} s; first sync ${((performance.now() - opened) / 1000).toFixed(2)} s`,
  );
  // The other desks start from the same replica (a snapshot differs between desks only by sync_state.desk_id),
  // as does the desk suite: copies instead of three more downloads of the whole town.
  replicaForDesk(desks.a.dbPath, desks.b.dbPath, desks.b.deskId);
  replicaForDesk(desks.a.dbPath, desks.c.dbPath, desks.c.deskId);
  copyDatabase(desks.a.dbPath, sharedReplicaPath(ctx, env.town));

  if (!withBaseline) return;
  // The baseline on the same number of booking rows (the desk's), same run, same machine.
  let bookingRows: unknown[][] | null = loadBookingRows(env.town.file);
  if (bookingRows.length > bookings) bookingRows = bookingRows.slice(0, bookings);
  const n = bookingRows.length;
  const file = path.join(ctx.tmpDir, 'baseline.sqlite');
  const warmUpRows = bookingRows.slice(0, Math.min(n, N.baselineWarmUpRows));
  const warmUp = await timeBulkInsert(file, warmUpRows);
  ctx.log(`baseline warm-up (${warmUpRows.length} rows): ${(warmUpRows.length / warmUp).toFixed(0)} rows/s`);
  const runs: number[] = [];
  for (let i = 0; i < N.baselineRuns; i++) {
    runs.push(n / (await timeBulkInsert(file, bookingRows)));
    ctx.log(`baseline run ${i + 1}/${N.baselineRuns} (${n} rows): ${runs[i]!.toFixed(0)} rows/s`);
  }
  bookingRows = null;
  const baseline = median(runs);
  metrics['sync.initial_replica.rows_per_s'] = metric(rowsPerS, 'rows/s', rows);
  metrics['sync.initial_replica.seconds'] = metric(seconds, 's', 1);
  metrics['sync.initial_replica.rows'] = metric(rows, 'rows', 1);
  metrics['sync.initial_replica.baseline_rows_per_s'] = metric(baseline, 'rows/s', N.baselineRuns);
  metrics['sync.initial_replica.baseline_rows'] = metric(n, 'rows', 1);
  metrics['sync.initial_replica.ratio_to_baseline'] = metric(baseline / rowsPerS, 'ratio', 1);
}
