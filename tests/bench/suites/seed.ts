// seed.town_20000.seconds: generating the 20,000-family demo town into a fresh file.
import { renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { BenchSuite } from '../lib';
import { median, metric } from '../lib';
import { BENCH_TOWN, seedBenchTown } from '../town';
import type { BenchTown } from '../town';

/** Seeding takes about a minute here: two runs, the median is reported. */
const RUNS = 2;

export const seedSuite: BenchSuite = {
  name: 'seed',
  description: `demo town of ${BENCH_TOWN.families} families (seed ${BENCH_TOWN.seed}, today ${BENCH_TOWN.today}), ${RUNS} runs`,
  async run(ctx) {
    const seconds: number[] = [];
    let last: BenchTown | null = null;
    for (let i = 0; i < RUNS; i++) {
      if (last) rmSync(last.file, { force: true });
      last = await seedBenchTown(ctx.tmpDir, `town-${i}.sqlite`);
      seconds.push(last.summary.seconds);
      ctx.log(`run ${i + 1}/${RUNS}: ${last.summary.seconds.toFixed(1)} s`);
    }
    const town = last!;
    const rows = Object.values(town.summary.counts).reduce((a, b) => a + b, 0);
    const bookings = town.summary.counts.bookings ?? 0;
    // The last town outlives this suite's folder: the next suites measure against it.
    const kept = path.join(ctx.sharedDir, 'town-20000.sqlite');
    renameSync(town.file, kept);
    ctx.shareTown({ file: kept, summary: town.summary });
    const value = median(seconds);
    return {
      metrics: {
        'seed.town_20000.seconds': metric(value, 's', RUNS),
        'seed.town_20000.rows': metric(rows, 'rows', 1),
        'seed.town_20000.bookings': metric(bookings, 'rows', 1),
        'seed.town_20000.rows_per_s': metric(rows / value, 'rows/s', RUNS),
      },
      // bench.md asks only to report this figure; the seed's own brief aims at under a minute.
      targets: [{ metric: 'seed.town_20000.seconds', op: '<=', value: 60 }],
    };
  },
};
