// The benchmark suites, by name, in the order `npm run bench` runs them. To add
// one: write tests/bench/suites/<name>.ts exporting a BenchSuite and add a line
// here (loaded lazily, so a suite's dependencies load only when it runs).
import type { BenchSuite } from '../lib';

export const SUITES: Readonly<Record<string, () => Promise<BenchSuite>>> = {
  seed: async () => (await import('./seed')).seedSuite,
  baseline: async () => (await import('./baseline')).baselineSuite,
  sync: async () => (await import('./sync')).syncSuite,
  desk: async () => (await import('./desk')).deskSuite,
};
