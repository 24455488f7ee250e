// The bench machine itself: flushing and settling its disk between phases, and a thread's scheduler counters
// (how long it ran, how long it waited for a CPU) to explain a latency tail.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Flushes every file's dirty pages to disk (sync(2)) before a timed phase: the write-back of the gigabytes an
 * earlier phase wrote (replicas, snapshots) would otherwise go on during the measurement and slow its fsyncs.
 */
export function flushDisk(): void {
  execFileSync('sync');
}

/**
 * Writes everything out, then waits: after the multi-GB snapshot copies of a run, this VM's virtual disk stays
 * slow for tens of seconds (the host is still writing them back; the guest's own counters show nothing), which
 * added ~0.5 ms to the desk writes' p95 in the lab. GF_BENCH_SETTLE_MS overrides the wait.
 */
export async function settleDisk(defaultMs: number): Promise<number> {
  flushDisk();
  const ms = Number(process.env.GF_BENCH_SETTLE_MS ?? defaultMs);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}

/**
 * The calling thread's scheduler counters (Linux /proc/thread-self/schedstat): time on a CPU and time spent
 * runnable but waiting for one, in ms; null where the file does not exist.
 */
export function threadSchedstat(): { onCpuMs: number; waitMs: number } | null {
  try {
    const [onCpu, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return { onCpuMs: onCpu! / 1e6, waitMs: wait! / 1e6 };
  } catch {
    return null;
  }
}
