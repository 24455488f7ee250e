// Child processes for the crash tests start from one esbuild bundle run with plain node (tsx costs ~0.5 s a
// start). Bundles go to node_modules/.cache/gf-sync-tests, so that what stays external (the native
// better-sqlite3, or every package) is resolved from the project's node_modules.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const cacheDir = join(here, '..', '..', 'node_modules', '.cache', 'gf-sync-tests');

/**
 * A CommonJS loader with a V8 code cache: the bundle is compiled once, later processes reuse the compiled code
 * (Node 20 has no module compile cache; this saves ~50 ms of every start).
 */
const LOADER = `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const file = path.resolve(process.argv[2]);
const cacheFile = file + '.v8cache';
let cachedData;
try { cachedData = fs.readFileSync(cacheFile); } catch {}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
const target = new Module(file, module);
target.filename = file;
target.paths = Module._nodeModulePaths(path.dirname(file));
process.argv.splice(1, 1);
script.runInThisContext().call(target.exports, target.exports, Module.createRequire(file), target, file, path.dirname(file));
if (cachedData === undefined || script.cachedDataRejected) {
  try { fs.writeFileSync(cacheFile + '.' + process.pid, script.createCachedData()); fs.renameSync(cacheFile + '.' + process.pid, cacheFile); } catch {}
}
`;

const bundles = new Map<string, Promise<string[]>>();

/** Writes `text` to `path` atomically (parallel test processes may write the same bundle). */
function writeAtomically(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

/**
 * Bundles `tests/sync/<entry>` once per process and returns the arguments for `node` that run it (append the
 * script's own). Everything but better-sqlite3 is inside the bundle (one file loads ~3× faster than kysely's
 * and zod's module graphs), unless `externalPackages` (then node resolves every package). Bundles are named by
 * their content hash and kept, with their V8 code cache, for the next run; stale ones go after a day.
 */
export function bundleScript(entry: string, { externalPackages = false } = {}): Promise<string[]> {
  let bundled = bundles.get(entry);
  if (!bundled) {
    bundled = (async () => {
      const { build } = await import('esbuild');
      mkdirSync(cacheDir, { recursive: true });
      const result = await build({
        entryPoints: [join(here, entry)],
        outfile: join(cacheDir, 'bundle.cjs'),
        write: false,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        ...(externalPackages
          ? { packages: 'external' as const }
          : { external: ['better-sqlite3', 'pdfmake'] }),
        logLevel: 'silent',
      });
      const code = result.outputFiles[0]!.text;
      const name = `${basename(entry, '.ts')}-${createHash('sha256').update(code).digest('hex').slice(0, 12)}`;
      const outfile = join(cacheDir, `${name}.cjs`);
      const loader = join(cacheDir, 'loader.cjs');
      if (!existsSync(outfile)) writeAtomically(outfile, code);
      writeAtomically(loader, LOADER);
      const dayAgo = Date.now() - 86_400_000;
      for (const file of readdirSync(cacheDir)) {
        const path = join(cacheDir, file);
        if (!path.startsWith(outfile) && path !== loader && statSync(path).mtimeMs < dayAgo)
          rmSync(path, { force: true });
      }
      return [loader, outfile];
    })();
    bundles.set(entry, bundled);
  }
  return bundled;
}

export interface ScriptProcess {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the next line matching `test` (or rejects on exit / timeout). */
  waitFor(test: (line: string) => boolean, timeoutMs: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: string[];
}

/** Runs `node <command…> <args…>`; every stdout line goes to `onLine` (and to `waitFor` waiters). */
export function spawnScript(
  command: string[],
  args: string[],
  onLine: (line: string) => void,
): ScriptProcess {
  const child = spawn(process.execPath, [...command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: cacheDir,
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<{ test: (line: string) => boolean; resolve: (line: string) => void }>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    onLine(line);
    for (const waiter of waiters) {
      if (waiter.test(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString());
    if (process.env.GF_WORKER_TRACE) process.stderr.write(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    stderr,
    exited,
    waitFor(test, timeoutMs) {
      return new Promise((resolve, reject) => {
        const waiter = { test, resolve };
        waiters.add(waiter);
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(`worker: no expected line within ${timeoutMs} ms (${stderr.join('').slice(-500)})`),
          );
        }, timeoutMs);
        void exited.then(() => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`worker exited before the expected line (${stderr.join('').slice(-500)})`));
        });
        const original = waiter.resolve;
        waiter.resolve = (line) => {
          clearTimeout(timer);
          original(line);
        };
      });
    },
  };
}
