// One precise crash (docs/SYNC.md, "Resync"): a desk killed -9 at the instant it swaps a resynced replica in.
// Same worker and server as the kill -9 harness (kill9-harness.ts).
import { compactChangeLog } from '../../server/sync/change-log';
import { spawnScript } from './bundle';
import type { WorkerConfig } from './desk-worker';
import { SyncTown, agentIdOf, enrolDesk, startServer } from './support';
import { bundleDeskWorker } from './kill9-harness';

export interface SwapCrashReport {
  /** The worker was killed at the rename of its resynced copy (the window under test). */
  swapReached: boolean;
  /** Payments the worker reported committed, and those of them the server does not have. */
  reported: string[];
  lost: string[];
  problems: string[];
}

/**
 * One precise crash: a desk resyncing (change log compacted right after its push) takes a payment while the
 * snapshot downloads, then is killed -9 at the instant `swapIn` renames the resynced copy over its database.
 * Restarted on the same path, it finishes; every payment it reported must be on the server.
 */
export async function runSwapCrash({ seed = 1 }: { seed?: number } = {}): Promise<SwapCrashReport> {
  const command = await bundleDeskWorker();
  const town = new SyncTown('gf-swap-crash-');
  const report: SwapCrashReport = { swapReached: false, reported: [], lost: [], problems: [] };
  await town.seed({ families: 8, seed });
  const { desk, agentId, households } = town.onSeed((sqlite) => ({
    desk: enrolDesk(sqlite, 'SW'),
    agentId: agentIdOf(sqlite, 'agent.regie'),
    households: sqlite.prepare('SELECT id FROM households ORDER BY id LIMIT 5').pluck().all() as string[],
  }));
  let compact = false;
  const server = await startServer(town.serverCopy(), {
    prepare(app, database) {
      app.addHook('onSend', async (request, _reply, payload) => {
        if (compact && request.url.startsWith('/sync/v1/push')) {
          compact = false;
          compactChangeLog(database, Number.MAX_SAFE_INTEGER);
        }
        return payload;
      });
    },
  });
  const dbPath = town.file('desk-SW');
  const lines: string[] = [];
  const run = async (mode: WorkerConfig['mode']) => {
    const config: WorkerConfig = {
      dbPath,
      serverUrl: server.url,
      deskToken: desk.token,
      agentId,
      households,
      slots: [],
      seed,
      mode,
      batchSize: 10,
    };
    const worker = spawnScript(command, [JSON.stringify(config)], (line) => {
      lines.push(line);
      const [kind, what, id] = line.split(' ');
      if (kind === 'committed' && what === 'pay' && id) report.reported.push(id);
    });
    const exit = await worker.exited;
    if (mode !== 'swap-crash' && exit.code !== 0)
      report.problems.push(`${mode} run failed: ${worker.stderr.join('').slice(-800)}`);
    return exit;
  };
  try {
    await run('finish'); // the first replica
    compact = true;
    const exit = await run('swap-crash');
    report.swapReached = lines.includes('swap') && exit.signal === 'SIGKILL';
    await run('finish');
    const count = server.database.sqlite.prepare('SELECT COUNT(*) FROM payments WHERE id = ?').pluck();
    report.lost = report.reported.filter((id) => count.get(id) !== 1);
  } finally {
    await server.close();
    town.dispose();
  }
  return report;
}
