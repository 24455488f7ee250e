// Desks against the real sync server (server/app.ts buildServer), over real HTTP on 127.0.0.1: the server
// judges contested places, desks replay and settle, clocks of desks decide nothing.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { addDays } from '../../../core/calendar/paris';
import type { UnitCode } from '../../../core/booking/units';
import { openDatabase } from '../../../db/open';
import type { OpenedDatabase } from '../../../db/open';
import { buildServer } from '../../../server/app';
import { issueDeskToken } from '../../../server/auth/desk-tokens';
import { changeFeedOf } from '../../../server/sync/change-log';
import type { DeskBackend } from '../../../electron/backend/desk-backend';
import type { DeskBackendOptions } from '../../../electron/backend/desk-backend';
import {
  TODAY,
  TownFiles,
  addDesk,
  agentId,
  bookableDays,
  call,
  pastDeadlineDay,
  refusal,
  startDesk,
} from './fixtures';
import type { BookableDay } from './fixtures';
import { Network } from './network';

const files = new TownFiles();
let database: OpenedDatabase;
let server: FastifyInstance;
let url: string;
const desks: DeskBackend[] = [];

beforeAll(async () => {
  await files.seed();
});

afterAll(() => files.dispose());

beforeEach(async () => {
  database = openDatabase(files.serverCopy());
  server = await buildServer({ database });
  url = await server.listen({ host: '127.0.0.1', port: 0 });
});

afterEach(async () => {
  for (const desk of desks.splice(0)) desk.close();
  await server.close();
  database.close();
});

/** Enrols a new desk on the server and starts it on its own replica. */
async function newDesk(
  name: string,
  options: Partial<DeskBackendOptions> = {},
): Promise<{ desk: DeskBackend; network: Network; deskId: string }> {
  const deskId = addDesk(database.sqlite, `Poste ${name}`, name.toUpperCase());
  const network = new Network();
  const desk = await startDesk({
    dbPath: files.path(name),
    serverUrl: url,
    deskToken: issueDeskToken(database.sqlite, deskId),
    fetch: network.fetch,
    sync: { events: false },
    ...options,
  });
  desks.push(desk);
  return { desk, network, deskId };
}

interface Race {
  first: BookableDay;
  second: BookableDay;
  unit: UnitCode;
  capacityId: string;
}

/** Two children of two families who share one place: the last one (places = taken + 1). */
function lastPlace(activityCode: string, unit: UnitCode): Race {
  const db = database.sqlite;
  const inscriptions = db
    .prepare(
      `SELECT i.person_id AS personId, i.household_id AS householdId, i.activity_id AS activityId, i.site_id AS siteId,
              i.age_group AS ageGroup, i.period_id AS periodId, u.id AS unitId
       FROM inscriptions i JOIN activities a ON a.id = i.activity_id AND a.code = ?
       JOIN units u ON u.activity_id = i.activity_id AND u.code = ?
       WHERE i.status = 'validee' ORDER BY i.id`,
    )
    .all(activityCode, unit) as (Omit<BookableDay, 'day'> & { periodId: string; unitId: string })[];
  const days = db.prepare(
    'SELECT day FROM opening_days WHERE period_id = ? AND site_id = ? AND day >= ? ORDER BY day',
  );
  const busy = db.prepare(
    "SELECT 1 FROM bookings WHERE person_id = ? AND day = ? AND activity_id = ? AND state IN ('reservee', 'en_attente')",
  );
  const capacity = db.prepare(
    'SELECT id FROM capacities WHERE site_id = ? AND unit_id = ? AND day = ? AND age_group = ?',
  );
  for (const a of inscriptions) {
    for (const b of inscriptions) {
      if (
        b.householdId <= a.householdId ||
        b.periodId !== a.periodId ||
        b.siteId !== a.siteId ||
        b.ageGroup !== a.ageGroup
      )
        continue;
      for (const { day } of days.all(a.periodId, a.siteId, addDays(TODAY, 7)) as { day: string }[]) {
        if (busy.get(a.personId, day, a.activityId) || busy.get(b.personId, day, a.activityId)) continue;
        const row = capacity.get(a.siteId, a.unitId, day, a.ageGroup) as { id: string } | undefined;
        if (!row) continue;
        db.prepare('UPDATE capacities SET places = taken + 1 WHERE id = ?').run(row.id);
        const child = (c: typeof a): BookableDay => ({ ...c, day });
        return { first: child(a), second: child(b), unit, capacityId: row.id };
      }
    }
  }
  throw new Error(`No two children share a place of ${activityCode}`);
}

const booking = (child: BookableDay, units: UnitCode[]) => ({
  personId: child.personId,
  activityId: child.activityId,
  siteId: child.siteId,
  day: child.day,
  units,
});

function statesOn(desk: DeskBackend, child: BookableDay): string[] {
  return (
    desk
      .session()
      .store.sqlite.prepare('SELECT state FROM bookings WHERE person_id = ? AND day = ? ORDER BY unit_id')
      .all(child.personId, child.day) as { state: string }[]
  ).map((r) => r.state);
}

describe.each([
  { activity: 'ALSH_MER', unit: 'MATIN' as UnitCode, outcome: 'waitlisted', state: ['en_attente'] },
  { activity: 'RESTAURATION', unit: 'REPAS' as UnitCode, outcome: 'rejected', state: [] as string[] },
])('two desks offline take the last place of $activity', ({ activity, unit, outcome, state }) => {
  it(`books it once; the other family is ${outcome} and listed in À traiter`, async () => {
    const race = lastPlace(activity, unit);
    const a = await newDesk('deska');
    const b = await newDesk('deskb');
    a.network.goOffline();
    b.network.goOffline();
    await call(a.desk, 'booking/set-day', booking(race.first, [unit]));
    await call(b.desk, 'booking/set-day', booking(race.second, [unit]));
    expect(statesOn(a.desk, race.first)).toEqual(['en_attente']);
    expect(statesOn(b.desk, race.second)).toEqual(['en_attente']);

    b.network.goOnline();
    a.network.goOnline();
    expect(await call(b.desk, 'sync/now', undefined)).toMatchObject({ pending: 0, toHandle: 0 });
    const late = await call(a.desk, 'sync/now', undefined);
    expect(late).toMatchObject({ pending: 0, toHandle: 1 });
    await call(b.desk, 'sync/now', undefined);

    const capacity = database.sqlite
      .prepare('SELECT places, taken FROM capacities WHERE id = ?')
      .get(race.capacityId) as {
      places: number;
      taken: number;
    };
    expect(capacity.taken).toBe(capacity.places);
    for (const desk of [a.desk, b.desk]) {
      expect(statesOn(desk, race.second)).toEqual(['reservee']);
      expect(statesOn(desk, race.first)).toEqual(state);
    }
    const [item] = await call(a.desk, 'sync/to-handle', undefined);
    expect(item).toMatchObject({ outcome, household: { id: race.first.householdId } });
    expect(item?.reason).toMatch(outcome === 'waitlisted' ? /liste d'attente/ : /Plus de place/);
  });
});

describe('desk clocks decide nothing', () => {
  const DAY = 86_400_000;
  it.each([
    { skew: 'a day ahead', offsetMs: DAY },
    { skew: 'a day behind', offsetMs: -DAY },
    { skew: 'a year ahead', offsetMs: 366 * DAY },
  ])('a desk $skew books and refuses exactly as an exact one', async ({ offsetMs }) => {
    const [inTime, other] = bookableDays(database.sqlite, { minDaysAhead: 7, count: 2 }) as [
      BookableDay,
      BookableDay,
    ];
    const skewed = await newDesk('skewed', { now: () => new Date(Date.now() + offsetMs) });
    const exact = await newDesk('exact');
    skewed.network.goOffline();
    const written = await call(skewed.desk, 'booking/set-day', booking(inTime, ['MATIN']));
    const status = skewed.desk.status();
    expect(status.pending).toBe(1);
    skewed.network.goOnline();
    expect(await call(skewed.desk, 'sync/now', undefined)).toMatchObject({ pending: 0, toHandle: 0 });
    expect(statesOn(skewed.desk, inTime)).toEqual(['reservee']);
    const result = database.sqlite
      .prepare('SELECT result_json FROM applied_ops WHERE op_id = ?')
      .get(written.opId) as {
      result_json: string;
    };
    expect(JSON.parse(result.result_json)).toMatchObject({ outcome: 'accepted' });

    // Past a deadline (server time), both desks ask for a reason, as the server would; with it, it is accepted.
    const late = pastDeadlineDay(database.sqlite);
    if (late) {
      for (const desk of [skewed.desk, exact.desk]) {
        expect((await refusal(desk, 'booking/set-day', booking(late, ['REPAS']))).code).toBe(
          'BOOKING_OVERRIDE_REASON_REQUIRED',
        );
      }
      await call(skewed.desk, 'booking/set-day', {
        ...booking(late, ['REPAS']),
        overrideReason: 'Accord de la directrice',
      });
      expect(await call(skewed.desk, 'sync/now', undefined)).toMatchObject({ pending: 0, toHandle: 0 });
      expect(statesOn(skewed.desk, late)).toEqual(['reservee']);
    }
    await call(exact.desk, 'booking/set-day', booking(other, ['MATIN']));
    expect(await call(exact.desk, 'sync/now', undefined)).toMatchObject({ pending: 0, toHandle: 0 });
  });
});

describe('money at the counter', () => {
  it('records an offline payment with the desk’s receipt number, and a régisseur’s reversal', async () => {
    const child = bookableDays(database.sqlite, { count: 1 })[0] as BookableDay;
    const { desk, network } = await newDesk('caisse', { agentId: agentId(database.sqlite, 'agent.regie') });
    network.goOffline();
    const paid = await call(desk, 'payment/record', {
      householdId: child.householdId,
      mode: 'especes',
      amountCents: 2500,
    });
    expect(paid.receiptNumber).toBe('CAISSE-000001');
    const reversed = await call(desk, 'payment/reverse', {
      paymentId: paid.paymentId,
      reason: 'Erreur de famille',
    });
    expect(reversed.receiptNumber).toBe('CAISSE-000002');
    network.goOnline();
    expect(await call(desk, 'sync/now', undefined)).toMatchObject({ pending: 0, toHandle: 0 });
    const receipts = database.sqlite
      .prepare(
        'SELECT r.number, p.amount_cents AS amount FROM receipts r JOIN payments p ON p.id = r.payment_id WHERE p.id IN (?, ?) ORDER BY r.number',
      )
      .all(paid.paymentId, reversed.reversalId);
    expect(receipts).toEqual([
      { number: 'CAISSE-000001', amount: 2500 },
      { number: 'CAISSE-000002', amount: -2500 },
    ]);
    const onDesk = desk
      .session()
      .store.sqlite.prepare('SELECT r.number FROM receipts r WHERE r.payment_id IN (?, ?) ORDER BY r.number')
      .all(paid.paymentId, reversed.reversalId);
    expect(onDesk).toEqual([{ number: 'CAISSE-000001' }, { number: 'CAISSE-000002' }]);
  });
});

describe('pokes', () => {
  it('shows another desk’s booking within milliseconds of the server’s commit', async () => {
    const children = bookableDays(database.sqlite, { count: 8 });
    const watcher = await newDesk('watch', {
      autoSync: true,
      sync: { events: true, pollIntervalMs: 60_000 },
    });
    const writer = await newDesk('write');
    await call(watcher.desk, 'sync/now', undefined);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the SSE stream is open
    let committedAt = 0;
    const off = changeFeedOf(database.sqlite).subscribe(() => (committedAt = performance.now()));
    const latencies: number[] = [];
    try {
      for (const child of children) {
        const seen = new Promise<number>((resolve) => {
          const stop = watcher.desk.on('data/changed', ({ tables }) => {
            if (!tables.includes('bookings')) return;
            stop();
            resolve(performance.now());
          });
        });
        await call(writer.desk, 'booking/set-day', booking(child, ['MATIN']));
        await call(writer.desk, 'sync/now', undefined);
        latencies.push((await seen) - committedAt);
        const onServer = database.sqlite
          .prepare('SELECT state FROM bookings WHERE person_id = ? AND day = ? ORDER BY unit_id')
          .all(child.personId, child.day) as { state: string }[];
        expect(statesOn(watcher.desk, child)).toEqual(onServer.map((r) => r.state));
        expect(statesOn(watcher.desk, child)).toContain('reservee');
      }
    } finally {
      off();
    }
    // Every poke arrived (one latency per booking); their timing is measured by `npm run bench`.
    expect(latencies).toHaveLength(children.length);
  });
});
