// 5. kill -9 mid-push (tests/sync/kill9-harness.ts, by its own author).
import { performance } from 'node:perf_hooks';
import type { BenchContext, Metrics } from '../lib';
import { metric } from '../lib';
import { N } from './env';

interface Kill9Report {
  runs: number;
  lost: number;
  duplicated: number;
  problems?: string[];
}

export async function kill9(ctx: BenchContext, metrics: Metrics, notes: string[]): Promise<void> {
  if (N.kill9Runs <= 0) {
    notes.push('sync.kill9.* not measured: GF_BENCH_KILL9_RUNS=0');
    return;
  }
  // A variable specifier: the suite loads (and typechecks) whether the harness exists yet or not.
  const specifier = '../../sync/kill9-harness';
  let harness: Record<string, unknown>;
  try {
    harness = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const why = `tests/sync/kill9-harness.ts could not be loaded (${(error as Error).message.split('\n')[0]}): sync.kill9.* not measured`;
    ctx.log(why);
    notes.push(why);
    return;
  }
  const run = harness.runKill9;
  if (typeof run !== 'function') {
    notes.push(
      `tests/sync/kill9-harness.ts exports no runKill9 (exports: ${Object.keys(harness).join(', ')})`,
    );
    return;
  }
  ctx.log(`kill -9 harness: ${N.kill9Runs} runs…`);
  const started = performance.now();
  let lastProgress = started;
  const result = (await (
    run as (
      iterations: number,
      options: { seed: number; log?: (line: string) => void },
    ) => Promise<Kill9Report>
  )(N.kill9Runs, {
    seed: 1,
    log: (line) => {
      if (performance.now() - lastProgress < 30_000) return;
      lastProgress = performance.now();
      ctx.log(`  kill -9: ${line}`);
    },
  })) as Partial<Kill9Report>;
  const seconds = (performance.now() - started) / 1000;
  ctx.log(`kill -9: ${JSON.stringify(result)} in ${seconds.toFixed(1)} s`);
  if (
    typeof result.runs !== 'number' ||
    typeof result.lost !== 'number' ||
    typeof result.duplicated !== 'number'
  ) {
    notes.push(`runKill9 answered ${JSON.stringify(result)}: expected { runs, lost, duplicated }`);
    return;
  }
  if (result.problems && result.problems.length > 0) notes.push(`kill -9: ${result.problems.join('; ')}`);
  metrics['sync.kill9.runs'] = metric(result.runs, 'runs', result.runs);
  metrics['sync.kill9.lost'] = metric(result.lost, 'ops', result.runs);
  metrics['sync.kill9.duplicated'] = metric(result.duplicated, 'ops', result.runs);
  metrics['sync.kill9.seconds'] = metric(seconds, 's', result.runs);
}
