// Shared helpers of the benchmark suites: statistics, machine info, the result
// writer (format of docs: bench-results/<suite>.json) and target reporting.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchTown } from './town';

export interface Metric {
  value: number;
  unit: string;
  /** How many samples (runs, requests, rows…) the value summarises. */
  n: number;
}

export type Metrics = Record<string, Metric>;

export interface SuiteResult {
  suite: string;
  at: string;
  machine: { cpus: number; node: string };
  metrics: Metrics;
}

/** A target a metric is checked against, printed next to it. */
export interface Target {
  metric: string;
  op: '<=' | '>=';
  value: number;
}

export interface BenchContext {
  /** A fresh temporary folder for this suite, removed after it ran. */
  tmpDir: string;
  /** A temporary folder kept until every suite of this process ran (the shared town lives there). */
  sharedDir: string;
  /** Results of suites already run in this process (e.g. the baseline for sync). */
  results: Map<string, SuiteResult>;
  log: (line: string) => void;
  /**
   * The 20,000-family bench town (tests/bench/town.ts), seeded once per process
   * and shared by the suites; read-only.
   */
  town: () => Promise<BenchTown>;
  /** Hands a freshly seeded bench town to the suites that follow (the seed suite does). */
  shareTown: (town: BenchTown) => void;
}

export interface BenchSuite {
  name: string;
  description: string;
  run: (ctx: BenchContext) => Promise<{ metrics: Metrics; targets?: Target[] }>;
}

export function machineInfo(): { cpus: number; node: string } {
  return { cpus: os.availableParallelism?.() ?? os.cpus().length, node: process.version };
}

/** Percentile by linear interpolation between closest ranks (p in [0, 100]). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = samples.slice().sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Milliseconds a synchronous or asynchronous function takes. */
export async function timeMs(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function metric(value: number, unit: string, n: number): Metric {
  return { value: round(value), unit, n };
}

export function resultsDir(): string {
  return path.resolve(process.env.BENCH_RESULTS_DIR ?? 'bench-results');
}

/** Writes bench-results/<suite>.json and returns the written result. */
export function writeSuiteResult(suite: string, metrics: Metrics, at: Date = new Date()): SuiteResult {
  const result: SuiteResult = {
    suite,
    at: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    machine: machineInfo(),
    metrics,
  };
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${suite}.json`), JSON.stringify(result, null, 2) + '\n');
  return result;
}

/** Lines telling, for each target, whether it is met ("MISSED" otherwise). */
export function checkTargets(
  metrics: Metrics,
  targets: readonly Target[],
): { lines: string[]; missed: number } {
  const lines: string[] = [];
  let missed = 0;
  for (const t of targets) {
    const m = metrics[t.metric];
    if (!m) {
      lines.push(`  target ${t.metric} ${t.op} ${t.value}: NOT MEASURED`);
      missed++;
      continue;
    }
    const ok = t.op === '<=' ? m.value <= t.value : m.value >= t.value;
    if (!ok) missed++;
    lines.push(`  target ${t.metric} ${t.op} ${t.value}: ${ok ? 'met' : 'MISSED'} (${m.value} ${m.unit})`);
  }
  return { lines, missed };
}

export function withTmpDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}
