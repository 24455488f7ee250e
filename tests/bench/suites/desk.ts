// The desk backend's reads on the bench town (bench.md): `desk.search.p95_ms` — family search through
// `invoke('family/search')` with queries an agent types (prefixes of real names, accent-free; phones, e-mails,
// household codes) — and `desk.booking_grid.p95_ms` when a booking-grid command exists.
// The desk is a real replica: a server process serves the town, the desk downloads its snapshot.
// GF_BENCH_QUICK=1 runs it on a small town (iteration only).
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { normalizeForSearch } from '../../../core/search';
import type { DeskBackend } from '../../../electron/backend/desk-backend';
import { DESK_COMMANDS } from '../../../electron/contract';
import type { BenchContext, BenchSuite, Metrics, Target } from '../lib';
import { metric, percentile } from '../lib';
import { QUICK, ServerProcess, describeMs, rng, scaled, startDesk, suiteTown } from '../sync-harness';

const N = {
  searches: scaled(1_000, 300),
  warmUp: scaled(100, 30),
};

const TARGETS: Target[] = [
  { metric: 'desk.search.p95_ms', op: '<=', value: 10 },
  { metric: 'desk.booking_grid.p95_ms', op: '<=', value: 15 },
];

export const deskSuite: BenchSuite = {
  name: 'desk',
  description:
    'desk backend reads on a replica of the bench town: family search, booking grid' +
    (QUICK ? ' — QUICK MODE (small town: not the real figures)' : ''),
  async run(ctx) {
    const town = await suiteTown(ctx);
    const desk = await replicaDesk(ctx, town.file);
    const metrics: Metrics = {};
    const targets: Target[] = [TARGETS[0]!];
    try {
      await search(ctx, desk, metrics);
      if (await bookingGrid(ctx)) targets.push(TARGETS[1]!);
    } finally {
      desk.close();
    }
    return { metrics, targets };
  },
};

/** A desk started empty against a server process serving a copy of the town (snapshot over HTTP). */
async function replicaDesk(ctx: BenchContext, townFile: string): Promise<DeskBackend> {
  const serverFile = path.join(ctx.tmpDir, 'server.sqlite');
  copyFileSync(townFile, serverFile);
  for (const suffix of ['-wal', '-shm']) if (existsSync(townFile + suffix)) copyFileSync(townFile + suffix, serverFile + suffix);
  const server = await ServerProcess.start(serverFile);
  try {
    const { token } = await server.request('enrolDesk', { name: 'Poste bench recherche', prefix: 'BNS' });
    const started = performance.now();
    const desk = await startDesk({
      dbPath: path.join(ctx.tmpDir, 'desk', 'desk.sqlite'),
      serverUrl: server.url,
      deskToken: token,
      autoSync: false,
    });
    ctx.log(`desk replica ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return desk;
  } finally {
    // The desk reads its own file from now on: the server is no longer needed.
    await server.close();
  }
}

const accentFree = (text: string) => normalizeForSearch(text).replace(/\s+/g, ' ').trim();

/** Queries an agent would type, drawn from the replica's households. */
function searchQueries(desk: DeskBackend, count: number): { query: string; kind: string }[] {
  const sqlite = desk.session().store.sqlite;
  const people = sqlite
    .prepare(
      `SELECT h.code, m.role, p.usage_last_name, p.first_names, p.mobile, p.phone, p.email
       FROM households h JOIN household_members m ON m.household_id = h.id
       JOIN persons p ON p.id = m.person_id
       WHERE m.role IN ('titulaire', 'co_titulaire', 'enfant') ORDER BY h.id, m.person_id`,
    )
    .all() as {
    code: string;
    role: string;
    usage_last_name: string;
    first_names: string;
    mobile: string | null;
    phone: string | null;
    email: string | null;
  }[];
  const random = rng(2026);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const prefix = (word: string) => word.slice(0, Math.min(word.length, int(3, 8)));
  const queries: { query: string; kind: string }[] = [];
  while (queries.length < count) {
    const p = people[Math.floor(random() * people.length)]!;
    const last = accentFree(p.usage_last_name).split(' ')[0] ?? '';
    const first = accentFree(p.first_names).split(' ')[0] ?? '';
    const roll = random();
    let q: { query: string; kind: string } | null = null;
    if (roll < 0.35) q = { query: prefix(last), kind: 'last name' };
    else if (roll < 0.5) q = { query: prefix(first), kind: 'first name' };
    else if (roll < 0.65) q = { query: `${last} ${prefix(first)}`, kind: 'last + first name' };
    else if (roll < 0.78) {
      const digits = (p.mobile ?? p.phone ?? '').replace(/\D/g, '');
      // The start of a number as typed (06 12 3…) or its last digits.
      if (digits.length >= 8) q = random() < 0.5 ? { query: digits.slice(0, int(6, 10)), kind: 'phone' } : { query: digits.slice(-int(4, 6)), kind: 'phone end' };
    } else if (roll < 0.9) {
      if (p.email) q = { query: prefix(p.email.split('@')[0]!), kind: 'e-mail' };
    } else {
      q = random() < 0.5 ? { query: p.code, kind: 'code' } : { query: prefix(p.code), kind: 'code prefix' };
    }
    if (q && q.query.replace(/\s/g, '').length >= 3) queries.push(q);
  }
  return queries;
}

async function search(ctx: BenchContext, desk: DeskBackend, metrics: Metrics): Promise<void> {
  const households = (desk.session().store.sqlite.prepare('SELECT COUNT(*) AS n FROM households').get() as { n: number }).n;
  const queries = searchQueries(desk, N.warmUp + N.searches);
  ctx.log(`family search over ${households} households: ${N.warmUp} warm-up + ${N.searches} queries`);
  const samples: number[] = [];
  const byKind = new Map<string, number[]>();
  let empty = 0;
  for (let i = 0; i < queries.length; i++) {
    const { query, kind } = queries[i]!;
    const started = performance.now();
    const result = await desk.invoke('family/search', { query, limit: 50 });
    const ms = performance.now() - started;
    if (!result.ok) throw new Error(`family/search "${query}": ${result.error.code} ${result.error.message}`);
    if (i < N.warmUp) continue;
    if (result.value.length === 0) empty++;
    samples.push(ms);
    byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
  }
  ctx.log(`search: ${describeMs(samples)}; ${empty} queries found nothing`);
  for (const [kind, list] of [...byKind.entries()].sort()) ctx.log(`  ${kind}: ${describeMs(list)}`);
  const slowest = queries
    .slice(N.warmUp)
    .map((q, i) => ({ ...q, ms: samples[i]! }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5);
  ctx.log(`  slowest: ${slowest.map((s) => `"${s.query}" (${s.kind}) ${s.ms.toFixed(1)} ms`).join('; ')}`);
  metrics['desk.search.p95_ms'] = metric(percentile(samples, 95), 'ms', samples.length);
  metrics['desk.search.p50_ms'] = metric(percentile(samples, 50), 'ms', samples.length);
  metrics['desk.search.p99_ms'] = metric(percentile(samples, 99), 'ms', samples.length);
  metrics['desk.search.households'] = metric(households, 'households', 1);
}

/**
 * desk.booking_grid.p95_ms needs a booking-grid command (a child's summer grid: 2 months × 4 units with the
 * places left per cell). Measured when the contract has one; otherwise skipped, saying why. Returns whether
 * it was measured.
 */
async function bookingGrid(ctx: BenchContext): Promise<boolean> {
  const grid = (DESK_COMMANDS as readonly string[]).filter((name) => /grid|grille/i.test(name));
  if (grid.length === 0) {
    ctx.log(
      'SKIPPED desk.booking_grid.p95_ms: the desk contract (electron/contract DESK_COMMANDS) has no booking-grid ' +
        'command, and db/repositories has no grid query (DeskBookings only reads one child-day at a time, ' +
        'and no desk repository reads capacities): nothing to measure yet.',
    );
    return false;
  }
  ctx.log(
    `SKIPPED desk.booking_grid.p95_ms: the contract now has ${grid.join(', ')}, which this suite does not call ` +
      'yet — add it here (tests/bench/suites/desk.ts).',
  );
  return false;
}
