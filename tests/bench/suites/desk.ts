// The desk backend's reads on the bench town (bench.md): `desk.search.p95_ms` — family search through
// `invoke('family/search')` with queries an agent types (prefixes of real names, accent-free; phones, e-mails,
// household codes) — and `desk.booking_grid.p95_ms` when a booking-grid command exists.
// The desk is a real replica: a server process serves the town, the desk downloads its snapshot.
// GF_BENCH_QUICK=1 runs it on a small town (iteration only).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { addDays } from '../../../core/calendar/paris';
import { normalizeForSearch } from '../../../core/search';
import { phoneDigits } from '../../../db/repositories/households';
import type { DeskBackend } from '../../../electron/backend/desk-backend';
import { DESK_COMMANDS } from '../../../electron/contract';
import type { BenchContext, BenchSuite, Metrics, Target } from '../lib';
import { metric, percentile } from '../lib';
import {
  QUICK,
  ServerProcess,
  WHATIF_ANALYZE,
  copyDatabase,
  describeMs,
  scaled,
  sharedReplicaPath,
  startDesk,
  suiteTown,
} from '../sync-harness';
import type { SuiteTown } from '../sync-harness';
import { mulberry32 } from '../../support/random';

const N = {
  searches: scaled(1_000, 300),
  warmUp: scaled(100, 30),
  grids: scaled(500, 150),
};

const TARGETS: Target[] = [
  { metric: 'desk.search.p95_ms', op: '<=', value: 10 },
  { metric: 'desk.booking_grid.p95_ms', op: '<=', value: 15 },
];

export const deskSuite: BenchSuite = {
  name: 'desk',
  description:
    'desk backend reads on a replica of the bench town: family search, booking grid' +
    (QUICK ? ' — QUICK MODE (small town: not the real figures)' : '') +
    (WHATIF_ANALYZE ? ' — WHAT-IF MODE (ANALYZE run on the server copy: not the product as it is)' : ''),
  async run(ctx) {
    const town = await suiteTown(ctx);
    const desk = await replicaDesk(ctx, town);
    const metrics: Metrics = {};
    const targets: Target[] = [TARGETS[0]!];
    try {
      await search(ctx, desk, metrics);
      if (await bookingGrid(ctx, desk, metrics)) targets.push(TARGETS[1]!);
    } finally {
      desk.close();
    }
    return { metrics, targets };
  },
};

/**
 * A desk replica of the town: the one the sync suite left in the shared folder when it ran before in this
 * process (a copy: this suite may write), else a desk started empty against a server process serving a copy
 * of the town (snapshot over HTTP).
 */
async function replicaDesk(ctx: BenchContext, town: SuiteTown): Promise<DeskBackend> {
  const dbPath = path.join(ctx.tmpDir, 'desk', 'desk.sqlite');
  const shared = sharedReplicaPath(ctx, town);
  if (existsSync(shared)) {
    copyDatabase(shared, dbPath);
    ctx.log('desk replica: the one the sync suite downloaded in this run');
    return startDesk({ dbPath, serverUrl: 'http://127.0.0.1:9', deskToken: 'offline', autoSync: false });
  }
  const serverFile = path.join(ctx.tmpDir, 'server.sqlite');
  copyDatabase(town.file, serverFile);
  if (WHATIF_ANALYZE) {
    const sqlite = new BetterSqlite3(serverFile);
    sqlite.exec('ANALYZE');
    sqlite.close();
  }
  const server = await ServerProcess.start(serverFile);
  try {
    const { token } = await server.request('enrolDesk', { name: 'Poste bench recherche', prefix: 'BNS' });
    const started = performance.now();
    const desk = await startDesk({ dbPath, serverUrl: server.url, deskToken: token, autoSync: false });
    ctx.log(`desk replica downloaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return desk;
  } finally {
    // The desk reads its own file from now on: the server is no longer needed.
    await server.close();
  }
}

const accentFree = (text: string) => normalizeForSearch(text).replace(/\s+/g, ' ').trim();

interface Searchable {
  code: string;
  usage_last_name: string;
  first_names: string;
  mobile: string | null;
  phone: string | null;
  email: string | null;
}

/**
 * Queries an agent would type, drawn from the replica's households (titulaires, co-titulaires, children):
 * 3–8 first letters of a last or first name, accent-free ("becassine"), a last name and the start of a first
 * name, the start of a phone number in national form (or its last digits), the start of an e-mail address,
 * a household code or its start.
 */
function searchQueries(desk: DeskBackend, count: number): { query: string; kind: string }[] {
  const sqlite = desk.session().store.sqlite;
  const people = sqlite
    .prepare(
      `SELECT h.code, p.usage_last_name, p.first_names, p.mobile, p.phone, p.email
       FROM households h JOIN household_members m ON m.household_id = h.id
       JOIN persons p ON p.id = m.person_id
       WHERE m.role IN ('titulaire', 'co_titulaire', 'enfant') ORDER BY h.id, m.person_id`,
    )
    .all() as Searchable[];
  const withPhone = people.filter((p) => phoneDigits(p.mobile ?? p.phone ?? '').length >= 10);
  const withEmail = people.filter((p) => p.email !== null && p.email.includes('@'));
  const random = mulberry32(2026);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const prefix = (word: string) => word.slice(0, Math.min(word.length, int(3, 8)));
  const word = (text: string) => accentFree(text).split(' ')[0] ?? '';
  const queries: { query: string; kind: string }[] = [];
  while (queries.length < count) {
    const roll = random();
    let q: { query: string; kind: string };
    if (roll < 0.35) q = { query: prefix(word(pick(people).usage_last_name)), kind: 'last name' };
    else if (roll < 0.5) q = { query: prefix(word(pick(people).first_names)), kind: 'first name' };
    else if (roll < 0.65) {
      const p = pick(people);
      q = {
        query: `${word(p.usage_last_name)} ${prefix(word(p.first_names))}`,
        kind: 'last name + first name',
      };
    } else if (roll < 0.78) {
      const p = pick(withPhone);
      const digits = phoneDigits(p.mobile ?? p.phone ?? '');
      q =
        random() < 0.6
          ? { query: digits.slice(0, int(6, 10)), kind: 'phone (start)' }
          : { query: digits.slice(-int(4, 6)), kind: 'phone (last digits)' };
    } else if (roll < 0.9) {
      q = { query: prefix(pick(withEmail).email!.split('@')[0]!), kind: 'e-mail' };
    } else {
      const code = pick(people).code;
      q =
        random() < 0.5
          ? { query: code, kind: 'household code' }
          : { query: prefix(code), kind: 'code (start)' };
    }
    if (q.query.replace(/[\s-]/g, '').length >= 3) queries.push(q);
  }
  return queries;
}

async function search(ctx: BenchContext, desk: DeskBackend, metrics: Metrics): Promise<void> {
  const households = (
    desk.session().store.sqlite.prepare('SELECT COUNT(*) AS n FROM households').get() as { n: number }
  ).n;
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
 * desk.booking_grid.p95_ms: `invoke('booking/grid')` for a child's summer grid — the ALSH grandes vacances
 * period (≈ 2 months × 4 units, places left per cell, deadlines, the child's bookings), random children of the
 * town at their age group's site. Also `desk.booking_grid_booked.p95_ms`: two months of a child's mercredis
 * from the rentrée, where the seed has bookings to read. Returns whether it was measured.
 */
async function bookingGrid(ctx: BenchContext, desk: DeskBackend, metrics: Metrics): Promise<boolean> {
  const grid = (DESK_COMMANDS as readonly string[]).filter((name) => /grid|grille/i.test(name));
  if (!grid.includes('booking/grid')) {
    ctx.log(
      `SKIPPED desk.booking_grid.p95_ms: the desk contract has no booking/grid command (${grid.join(', ')}).`,
    );
    return false;
  }
  const sqlite = desk.session().store.sqlite;
  const children = sqlite
    .prepare(
      `SELECT p.id, COALESCE(p.school_level, 'elementaire') AS ageGroup FROM household_members m
         JOIN persons p ON p.id = m.person_id WHERE m.role = 'enfant' ORDER BY p.id`,
    )
    .all() as { id: string; ageGroup: string }[];
  const siteOf = (code: string) =>
    new Map(
      (
        sqlite
          .prepare(
            `SELECT s.kind, s.id, a.id AS activityId FROM activities a JOIN activity_sites x ON x.activity_id = a.id
               JOIN sites s ON s.id = x.site_id WHERE a.code = ?`,
          )
          .all(code) as { kind: string; id: string; activityId: string }[]
      ).map((r) => [r.kind, r]),
    );
  const summer = sqlite
    .prepare(
      `SELECT p.start_day AS start, p.end_day AS end FROM periods p JOIN activities a ON a.id = p.activity_id
        WHERE a.code = 'ALSH_GV' ORDER BY p.start_day LIMIT 1`,
    )
    .get() as { start: string; end: string } | undefined;
  const rentree = sqlite
    .prepare(
      `SELECT p.start_day AS start FROM periods p JOIN activities a ON a.id = p.activity_id
        WHERE a.code = 'ALSH_MER' ORDER BY p.start_day LIMIT 1`,
    )
    .get() as { start: string } | undefined;
  if (!summer || !rentree || children.length === 0) {
    ctx.log('SKIPPED desk.booking_grid.p95_ms: the town has no summer period or no children.');
    return false;
  }
  const random = mulberry32(4242);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const measure = async (code: string, from: string, to: string, label: string): Promise<number[]> => {
    const sites = siteOf(code);
    const samples: number[] = [];
    let cells = 0;
    let booked = 0;
    for (let i = 0; i < N.warmUp + N.grids; i++) {
      const child = pick(children);
      const site = sites.get(child.ageGroup) ?? [...sites.values()][0]!;
      const started = performance.now();
      const result = await desk.invoke('booking/grid', {
        personId: child.id,
        activityId: site.activityId,
        siteId: site.id,
        from,
        to,
      });
      const ms = performance.now() - started;
      if (!result.ok) throw new Error(`booking/grid: ${result.error.code} ${result.error.message}`);
      if (i < N.warmUp) continue;
      samples.push(ms);
      for (const day of result.value.days) {
        cells += day.cells.length;
        booked += day.cells.filter((c) => c.booking !== null).length;
      }
    }
    ctx.log(
      `${label} (${from} → ${to}): ${describeMs(samples)}; ${(cells / samples.length).toFixed(0)} cells, ` +
        `${(booked / samples.length).toFixed(1)} booked cells per grid on average`,
    );
    return samples;
  };
  const summerSamples = await measure(
    'ALSH_GV',
    summer.start,
    summer.end,
    'summer grid (ALSH grandes vacances)',
  );
  const bookedTo = addDays(rentree.start, 60);
  const bookedSamples = await measure('ALSH_MER', rentree.start, bookedTo, 'mercredis grid from the rentrée');
  metrics['desk.booking_grid.p95_ms'] = metric(percentile(summerSamples, 95), 'ms', summerSamples.length);
  metrics['desk.booking_grid.p50_ms'] = metric(percentile(summerSamples, 50), 'ms', summerSamples.length);
  metrics['desk.booking_grid_booked.p95_ms'] = metric(
    percentile(bookedSamples, 95),
    'ms',
    bookedSamples.length,
  );
  return true;
}
