// `npm test`: format check, lint, typecheck, build, then every Vitest project (unit, integration, sync, e2e).
// Prints one closing line `N passed, N failed[, N skipped]` summed over all suites and writes it to
// test-results/summary.json; exits non-zero if any step or test failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const failedSteps = [];

function step(name, command, args) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) failedSteps.push(name);
  return result.status === 0;
}

step('format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']);
step('lint', 'npx', ['eslint', '.', '--max-warnings', '0']);
step('typecheck', 'npm', ['run', '-s', 'typecheck']);
const built = step('build', 'npm', ['run', '-s', 'build']);

const report = 'test-results/vitest.json';
const projects = built ? [] : ['--project', 'unit', '--project', 'integration'];
step('tests', 'npx', [
  'vitest',
  'run',
  ...projects,
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${report}`,
]);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed = results.numPassedTests ?? 0;
  failed = results.numFailedTests ?? 0;
  // A file that failed without any failing test (it did not load, or a hook threw) counts once.
  for (const file of results.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((test) => test.status === 'failed').length;
    if (file.status === 'failed' && failedTests === 0) failed += 1;
  }
  skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
}
// A failed check (format, lint, typecheck, build) counts as a failure too, so the closing line never hides it.
failed += failedSteps.filter((name) => name !== 'tests').length;
if (failedSteps.length > 0) console.log(`\nFailed steps: ${failedSteps.join(', ')}`);
writeFileSync('test-results/summary.json', JSON.stringify({ passed, failed, skipped, failedSteps }, null, 2));
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length > 0 || failed > 0 ? 1 : 0);
