// `npm run bench [-- suite…]`: runs the named suites (all when none is named), in
// registry order, each writing bench-results/<suite>.json (docs: bench.md).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchContext, SuiteResult } from './lib';
import { checkTargets, machineInfo, writeSuiteResult } from './lib';
import { SUITES } from './suites';
import { BENCH_TOWN, seedBenchTown } from './town';
import type { BenchTown } from './town';

async function main(): Promise<number> {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = asked.filter((name) => !(name in SUITES));
  if (unknown.length > 0) {
    console.error(`Unknown suite(s): ${unknown.join(', ')}. Known: ${Object.keys(SUITES).join(', ')}.`);
    return 2;
  }
  const names = Object.keys(SUITES).filter((name) => asked.length === 0 || asked.includes(name));
  const sharedDir = mkdtempSync(path.join(os.tmpdir(), 'gf-bench-'));
  const results = new Map<string, SuiteResult>();
  let shared: Promise<BenchTown> | null = null;
  let failures = 0;
  let missed = 0;
  const machine = machineInfo();
  console.log(`bench: ${names.join(', ')} — ${machine.cpus} CPUs, Node ${machine.node}`);
  try {
    for (const name of names) {
      const suite = await SUITES[name]!();
      const tmpDir = mkdtempSync(path.join(sharedDir, `${name}-`));
      const log = (line: string) => console.log(`  [${name}] ${line}`);
      const ctx: BenchContext = {
        tmpDir,
        sharedDir,
        results,
        log,
        town: () => {
          shared ??= (async () => {
            log(`seeding the bench town (${BENCH_TOWN.families} families)…`);
            const town = await seedBenchTown(sharedDir);
            log(`bench town seeded in ${town.summary.seconds.toFixed(1)} s`);
            return town;
          })();
          return shared;
        },
        shareTown: (town) => {
          shared = Promise.resolve(town);
        },
      };
      console.log(`\n▶ ${name}: ${suite.description}`);
      const started = Date.now();
      try {
        const { metrics, targets = [] } = await suite.run(ctx);
        const result = writeSuiteResult(name, metrics);
        results.set(name, result);
        for (const [metricName, m] of Object.entries(metrics)) {
          console.log(`  ${metricName} = ${m.value} ${m.unit} (n=${m.n})`);
        }
        const check = checkTargets(metrics, targets);
        for (const line of check.lines) console.log(line);
        missed += check.missed;
        console.log(`  → bench-results/${name}.json (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      } catch (error) {
        failures++;
        console.error(`  ✗ ${name} failed:`, error);
      } finally {
        rmSync(tmpDir, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(sharedDir, { recursive: true, force: true });
  }
  console.log(
    `\nbench: ${names.length - failures} suite(s) ran, ${failures} failed, ${missed} target(s) missed.`,
  );
  return failures > 0 ? 1 : 0;
}

process.exitCode = await main();
