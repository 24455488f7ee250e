// The 20,000-family demo town every benchmark measures against: same families,
// seed and "today" in every suite, so figures compare from one run to the next.
import path from 'node:path';
import { seedDatabaseFile } from '../../db/seed';
import type { DemoTownSummary } from '../../db/seed';

export const BENCH_TOWN = {
  families: 20_000,
  seed: 1,
  /** Fixed, so that the town (and its row counts) does not change with the date of the run. */
  today: process.env.BENCH_TODAY ?? '2026-11-23',
} as const;

export interface BenchTown {
  /** A seeded SQLite file; treat it as read-only (copy it to write). */
  file: string;
  summary: DemoTownSummary & { seconds: number };
}

/** Seeds the bench town into `dir` (the file `town-20000.sqlite`). */
export async function seedBenchTown(dir: string, name = 'town-20000.sqlite'): Promise<BenchTown> {
  const file = path.join(dir, name);
  const summary = await seedDatabaseFile(file, { ...BENCH_TOWN, force: true });
  return { file, summary };
}
