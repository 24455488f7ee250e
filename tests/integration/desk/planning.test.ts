// Planning at the desk against the real sync server: the booking grid as the replica holds it (places left,
// deadlines, states), a validated grid written as booking.set_day ops (several siblings at once), the agent's
// override past the deadline, inscriptions (age group, missing pieces, requests decided) and absences (in-time
// bookings cancelled, late ones kept with the charge cancelled).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type BetterSqlite3 from 'better-sqlite3';
import { addDays, daysBetween } from '../../../core/calendar/paris';
import { newId } from '../../../core/ids';
import { openDatabase } from '../../../db/open';
import type { OpenedDatabase } from '../../../db/open';
import { bookingGridStatements } from '../../../db/repositories/booking-grid';
import { buildServer } from '../../../server/app';
import { issueDeskToken } from '../../../server/auth/desk-tokens';
import type { DeskBackend } from '../../../electron/backend/desk-backend';
import { TODAY, TownFiles, addDesk, bookableDays, call, refusal, startDesk } from '../desk-sync/fixtures';
import type { BookableDay } from '../desk-sync/fixtures';

const files = new TownFiles();
let database: OpenedDatabase;
let server: FastifyInstance;
let url: string;
const desks: DeskBackend[] = [];

beforeAll(async () => {
  await files.seed(40);
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

async function newDesk(): Promise<DeskBackend> {
  const deskId = addDesk(database.sqlite, 'Poste planning', `PL${desks.length}`);
  const desk = await startDesk({
    dbPath: files.path('planning'),
    serverUrl: url,
    deskToken: issueDeskToken(database.sqlite, deskId),
    sync: { events: false },
  });
  desks.push(desk);
  return desk;
}

const server$ = (): BetterSqlite3.Database => database.sqlite;

function capacity(db: BetterSqlite3.Database, child: BookableDay, unitCode: string, day = child.day) {
  return db
    .prepare(
      `SELECT c.places, c.taken FROM capacities c JOIN units u ON u.id = c.unit_id
        WHERE c.site_id = ? AND u.activity_id = ? AND u.code = ? AND c.day = ? AND c.age_group = ?`,
    )
    .get(child.siteId, child.activityId, unitCode, day, child.ageGroup) as { places: number; taken: number };
}

function setDeadline(dbs: BetterSqlite3.Database[], activityId: string, rule: unknown): void {
  for (const db of dbs) {
    db.prepare('UPDATE activities SET deadline_json = ? WHERE id = ?').run(JSON.stringify(rule), activityId);
  }
}

describe('the booking grid', () => {
  it('shows the replica: opening days, the child’s bookings with their states, places left per unit', async () => {
    const row = server$()
      .prepare(
        `SELECT b.person_id AS personId, b.activity_id AS activityId, b.site_id AS siteId, b.age_group AS ageGroup,
                MIN(b.day) AS first
           FROM bookings b JOIN activities a ON a.id = b.activity_id AND a.code = 'ALSH_MER'
          GROUP BY b.person_id ORDER BY COUNT(*) DESC LIMIT 1`,
      )
      .get() as { personId: string; activityId: string; siteId: string; ageGroup: string; first: string };
    const desk = await newDesk();
    const to = addDays(row.first, 59);
    const grid = await call(desk, 'booking/grid', { ...row, from: row.first, to });

    expect(grid.days).toHaveLength(60);
    expect(grid.units.map((u) => u.code)).toEqual(['MATIN', 'REPAS_AV', 'REPAS_SV', 'APRES_MIDI']);
    expect(grid.ageGroup).toBe(row.ageGroup);
    const db = server$();
    const bookings = db
      .prepare(
        `SELECT b.day, u.code, b.state FROM bookings b JOIN units u ON u.id = b.unit_id
          WHERE b.person_id = ? AND b.activity_id = ? AND b.day BETWEEN ? AND ?`,
      )
      .all(row.personId, row.activityId, row.first, to) as { day: string; code: string; state: string }[];
    expect(bookings.length).toBeGreaterThan(0);
    for (const b of bookings) {
      const cell = grid.days.find((d) => d.day === b.day)?.cells.find((c) => c.unit === b.code);
      expect(cell?.booking?.state, `${b.day} ${b.code}`).toBe(b.state);
      expect(cell?.booking?.pending).toBe(false);
    }
    const opening = new Set(
      (
        db
          .prepare(
            `SELECT o.day FROM opening_days o JOIN inscriptions i ON i.period_id = o.period_id AND i.site_id = o.site_id
              WHERE i.person_id = ? AND i.activity_id = ? AND i.status = 'validee' AND o.day BETWEEN ? AND ?`,
          )
          .all(row.personId, row.activityId, row.first, to) as { day: string }[]
      ).map((r) => r.day),
    );
    for (const day of grid.days) {
      expect(day.open, day.day).toBe(opening.has(day.day));
      if (!day.open) expect(day.closedReason).toMatch(/\S/);
    }
    const capacities = db
      .prepare(
        `SELECT c.day, u.code, c.places, c.taken FROM capacities c JOIN units u ON u.id = c.unit_id
          WHERE c.site_id = ? AND c.activity_id = ? AND c.age_group = ? AND c.day BETWEEN ? AND ?`,
      )
      .all(row.siteId, row.activityId, row.ageGroup, row.first, to) as {
      day: string;
      code: string;
      places: number;
      taken: number;
    }[];
    expect(capacities.length).toBeGreaterThan(0);
    for (const c of capacities) {
      const cell = grid.days.find((d) => d.day === c.day)?.cells.find((x) => x.unit === c.code);
      expect(cell?.places).toBe(c.places);
      expect(cell?.placesLeft).toBe(Math.max(0, c.places - c.taken));
    }
    expect(grid.deadlineRule).toMatch(/48 h/);
    expect(Object.keys(grid.unitPrices).sort()).toEqual(['APRES_MIDI', 'MATIN', 'REPAS_AV', 'REPAS_SV']);
    expect(grid.priceBasis).toMatch(/Tranche QF/);
  });

  it('takes a place off a day as soon as the desk books it, and once only after the server confirms', async () => {
    const child = bookableDays(server$(), { count: 1 })[0] as BookableDay;
    const desk = await newDesk();
    const args = { ...child, from: child.day, to: child.day };
    const before = (await call(desk, 'booking/grid', args)).days[0]!;
    const left = (unit: string, day = before) => day.cells.find((c) => c.unit === unit)!.placesLeft!;
    expect(before.open).toBe(true);

    const result = await call(desk, 'booking/set-days', {
      activityId: child.activityId,
      items: [
        { personId: child.personId, siteId: child.siteId, day: child.day, units: ['MATIN', 'APRES_MIDI'] },
      ],
    });
    expect(result.written).toBe(1);
    const pending = (await call(desk, 'booking/grid', args)).days[0]!;
    expect(left('MATIN', pending)).toBe(left('MATIN') - 1);
    expect(left('APRES_MIDI', pending)).toBe(left('APRES_MIDI') - 1);
    expect(left('REPAS_AV', pending)).toBe(left('REPAS_AV'));
    const matin = pending.cells.find((c) => c.unit === 'MATIN')!;
    expect(matin.booking).toMatchObject({ state: 'en_attente', pending: true });

    await call(desk, 'sync/now', undefined);
    const confirmed = (await call(desk, 'booking/grid', args)).days[0]!;
    expect(left('MATIN', confirmed)).toBe(left('MATIN') - 1);
    expect(confirmed.cells.find((c) => c.unit === 'MATIN')!.booking).toMatchObject({
      state: 'reservee',
      pending: false,
    });
    expect(capacity(server$(), child, 'MATIN').taken).toBe(
      capacity(server$(), child, 'MATIN').places - left('MATIN', confirmed),
    );
  });

  it('books the same days for two siblings in one validation, one op per child-day', async () => {
    const pair = server$()
      .prepare(
        `SELECT a.person_id AS first, b.person_id AS second, a.activity_id AS activityId, a.site_id AS siteA,
                b.site_id AS siteB, a.period_id AS periodId
           FROM inscriptions a JOIN inscriptions b ON b.household_id = a.household_id AND b.activity_id = a.activity_id
             AND b.period_id = a.period_id AND b.person_id > a.person_id
           JOIN activities x ON x.id = a.activity_id AND x.code = 'ALSH_MER'
          WHERE a.status = 'validee' AND b.status = 'validee' LIMIT 1`,
      )
      .get() as {
      first: string;
      second: string;
      activityId: string;
      siteA: string;
      siteB: string;
      periodId: string;
    };
    const days = (
      server$()
        .prepare(
          `SELECT day FROM opening_days WHERE period_id = ? AND site_id = ? AND day >= ?
             AND day IN (SELECT day FROM opening_days WHERE period_id = ? AND site_id = ?)
           ORDER BY day LIMIT 2`,
        )
        .all(pair.periodId, pair.siteA, addDays(TODAY, 10), pair.periodId, pair.siteB) as { day: string }[]
    ).map((r) => r.day);
    expect(days).toHaveLength(2);
    const desk = await newDesk();
    const outboxBefore = (await call(desk, 'sync/status', undefined)).pending;
    const items = days.flatMap((day) => [
      { personId: pair.first, siteId: pair.siteA, day, units: ['MATIN' as const] },
      { personId: pair.second, siteId: pair.siteB, day, units: ['MATIN' as const] },
    ]);
    const result = await call(desk, 'booking/set-days', { activityId: pair.activityId, items });
    const written = result.days.filter((d) => d.opId !== null).length;
    expect(result.written).toBe(written);
    expect((await call(desk, 'sync/status', undefined)).pending).toBe(outboxBefore + written);
    await call(desk, 'sync/now', undefined);
    for (const { personId, day } of items) {
      const state = server$()
        .prepare(
          `SELECT b.state FROM bookings b JOIN units u ON u.id = b.unit_id
            WHERE b.person_id = ? AND b.day = ? AND u.code = 'MATIN' AND b.activity_id = ?`,
        )
        .pluck()
        .get(personId, day, pair.activityId);
      expect(['reservee', 'en_attente']).toContain(state);
    }
  });

  it('refuses a change past the deadline without a reason, and records it with one (logged)', async () => {
    const child = bookableDays(server$(), { count: 1 })[0] as BookableDay;
    const rule = { kind: 'days_before', days: daysBetween(TODAY, child.day) + 2 };
    setDeadline([server$()], child.activityId, rule);
    const desk = await newDesk();
    const grid = await call(desk, 'booking/grid', { ...child, from: child.day, to: child.day });
    expect(grid.days[0]!.deadlinePassed).toBe(true);

    const items = [
      { personId: child.personId, siteId: child.siteId, day: child.day, units: ['MATIN' as const] },
    ];
    const refused = await refusal(desk, 'booking/set-days', { activityId: child.activityId, items });
    expect(refused.code).toBe('BOOKING_OVERRIDE_REASON_REQUIRED');
    expect(refused.message).toMatch(/motif/);

    await call(desk, 'booking/set-days', {
      activityId: child.activityId,
      items,
      overrideReason: 'Reprise du travail de la mère, accord du service',
    });
    await call(desk, 'sync/now', undefined);
    const booking = server$()
      .prepare(
        `SELECT b.state, b.reason FROM bookings b JOIN units u ON u.id = b.unit_id
          WHERE b.person_id = ? AND b.day = ? AND u.code = 'MATIN'`,
      )
      .get(child.personId, child.day) as { state: string; reason: string };
    expect(booking.state).toBe('reservee');
    expect(booking.reason).toMatch(/Reprise du travail/);
    const audit = server$()
      .prepare(
        `SELECT reason FROM audit_log WHERE action = 'booking.set_day' AND entity_id = ? ORDER BY at DESC`,
      )
      .pluck()
      .get(child.personId);
    expect(audit).toMatch(/Reprise du travail/);
  });
});

describe('inscriptions', () => {
  /** A child of maternelle not registered to the period yet. */
  function maternelleChild(periodId = ''): { personId: string; householdId: string } {
    return server$()
      .prepare(
        `SELECT p.id AS personId, m.household_id AS householdId FROM persons p
           JOIN household_members m ON m.person_id = p.id AND m.role = 'enfant'
          WHERE p.school_level = 'maternelle'
            AND NOT EXISTS (SELECT 1 FROM inscriptions i WHERE i.person_id = p.id AND i.period_id = ?)
          ORDER BY p.id LIMIT 1`,
      )
      .get(periodId) as { personId: string; householdId: string };
  }

  async function holidayTarget(desk: DeskBackend, siteKind: string) {
    const catalog = await call(desk, 'planning/catalog', undefined);
    const activity = catalog.find((a) => a.kind === 'alsh_petites_vacances')!;
    const site = activity.sites.find((s) => s.kind === siteKind)!;
    const period = activity.periods.find((p) => p.start > addDays(TODAY, 25))!;
    return { activity, site, period };
  }

  it('refuses a child of maternelle at the élémentaire site, in French', async () => {
    const desk = await newDesk();
    const child = maternelleChild();
    const { activity, site, period } = await holidayTarget(desk, 'elementaire');
    const args = { personId: child.personId, activityId: activity.id, siteId: site.id, periodId: period.id };
    const check = await call(desk, 'inscription/check', args);
    expect(check.problem?.code).toBe('AGE_GROUP_MISMATCH');
    const refused = await refusal(desk, 'inscription/create', {
      ...args,
      status: 'validee',
      overrideReason: 'test',
    });
    expect(refused.code).toBe('AGE_GROUP_MISMATCH');
    expect(refused.message).toMatch(
      /n'accueille que les enfants de élémentaire|relève de l'accueil maternelle/,
    );
  });

  it('validates an inscription without its pieces only with a reason, then books the child at once', async () => {
    const desk = await newDesk();
    const { activity, site, period } = await holidayTarget(desk, 'maternelle');
    const child = maternelleChild(period.id);
    const args = { personId: child.personId, activityId: activity.id, siteId: site.id, periodId: period.id };
    const existing = server$()
      .prepare('SELECT 1 FROM inscriptions WHERE person_id = ? AND period_id = ?')
      .get(child.personId, period.id);
    expect(existing).toBeUndefined();
    const check = await call(desk, 'inscription/check', args);
    expect(check).toMatchObject({ ageGroup: 'maternelle', problem: null });
    expect(check.missingDocuments.map((d) => d.label)).toEqual(['Attestation CAF', 'Carnet de vaccinations']);

    const refused = await refusal(desk, 'inscription/create', { ...args, status: 'validee' });
    expect(refused.code).toBe('INSCRIPTION_DOCUMENTS_MISSING');
    expect(refused.message).toMatch(/Attestation CAF/);
    const created = await call(desk, 'inscription/create', {
      ...args,
      status: 'validee',
      overrideReason: 'Pièces apportées la semaine prochaine',
    });
    const again = await refusal(desk, 'inscription/create', {
      ...args,
      status: 'validee',
      overrideReason: 'bis',
    });
    expect(again.code).toBe('INSCRIPTION_EXISTS');

    const household = await call(desk, 'planning/household', { householdId: child.householdId });
    const listed = household.children
      .flatMap((c) => c.inscriptions)
      .find((i) => i.id === created.inscriptionId);
    expect(listed).toMatchObject({ status: 'validee', pending: true, periodLabel: period.label });

    const day = (
      await call(desk, 'booking/grid', {
        personId: child.personId,
        activityId: activity.id,
        siteId: site.id,
        from: period.start,
        to: period.end,
      })
    ).days.find((d) => d.open)!;
    await call(desk, 'booking/set-days', {
      activityId: activity.id,
      items: [
        {
          personId: child.personId,
          siteId: site.id,
          day: day.day,
          units: ['MATIN', 'REPAS_AV', 'APRES_MIDI'],
        },
      ],
    });
    await call(desk, 'sync/now', undefined);
    const row = server$()
      .prepare('SELECT status, age_group, decided_by_agent_id FROM inscriptions WHERE id = ?')
      .get(created.inscriptionId) as {
      status: string;
      age_group: string;
      decided_by_agent_id: string | null;
    };
    expect(row).toMatchObject({ status: 'validee', age_group: 'maternelle' });
    expect(row.decided_by_agent_id).not.toBeNull();
    const states = server$()
      .prepare('SELECT state FROM bookings WHERE person_id = ? AND day = ? AND inscription_id = ?')
      .pluck()
      .all(child.personId, day.day, created.inscriptionId);
    expect(states).toEqual(['reservee', 'reservee', 'reservee']);
    const audit = server$()
      .prepare(`SELECT reason FROM audit_log WHERE action = 'inscription.create' AND entity_id = ?`)
      .pluck()
      .get(created.inscriptionId);
    expect(audit).toMatch(/Pièces apportées/);
  });

  it('decides an inscription request: a refusal needs its reason', async () => {
    const desk = await newDesk();
    const { activity, site, period } = await holidayTarget(desk, 'maternelle');
    const child = maternelleChild(period.id);
    const args = { personId: child.personId, activityId: activity.id, siteId: site.id, periodId: period.id };
    const request = await call(desk, 'inscription/create', { ...args, status: 'demandee' });
    await call(desk, 'sync/now', undefined);
    const refused = await refusal(desk, 'inscription/decide', {
      inscriptionId: request.inscriptionId,
      decision: 'refusee',
    });
    expect(refused.code).toBe('INSCRIPTION_REFUSAL_REASON_REQUIRED');
    await call(desk, 'inscription/decide', {
      inscriptionId: request.inscriptionId,
      decision: 'refusee',
      reason: 'Plus de place pour cette période',
    });
    await call(desk, 'sync/now', undefined);
    const row = server$()
      .prepare('SELECT status, refusal_reason FROM inscriptions WHERE id = ?')
      .get(request.inscriptionId);
    expect(row).toEqual({ status: 'refusee', refusal_reason: 'Plus de place pour cette période' });
    const again = await refusal(desk, 'inscription/decide', {
      inscriptionId: request.inscriptionId,
      decision: 'validee',
    });
    expect(again.code).toBe('INSCRIPTION_ALREADY_DECIDED');
  });
});

describe('absences', () => {
  it('cancels the bookings still in time, keeps the late ones and cancels their charge when justified', async () => {
    const db = server$();
    const child = bookableDays(db, { count: 6 }).find((c) => {
      const next = addDays(c.day, 7);
      const open = db
        .prepare(
          `SELECT 1 FROM opening_days o JOIN inscriptions i ON i.period_id = o.period_id AND i.site_id = o.site_id
            WHERE i.person_id = ? AND i.activity_id = ? AND i.status = 'validee' AND o.day = ?`,
        )
        .get(c.personId, c.activityId, next);
      const busy = db
        .prepare(
          "SELECT 1 FROM bookings WHERE person_id = ? AND day = ? AND state IN ('reservee', 'en_attente')",
        )
        .get(c.personId, next);
      return open !== undefined && busy === undefined;
    }) as BookableDay;
    const late = child.day;
    const inTime = addDays(late, 7);
    const documentId = newId();
    const at = new Date().toISOString();
    db.prepare(
      `INSERT INTO documents (id, household_id, person_id, space, qualification, title, created_at, created_by_kind,
         updated_at) VALUES (?, ?, ?, 'famille', 'certificat_medical', 'Certificat médical', ?, 'agent', ?)`,
    ).run(documentId, child.householdId, child.personId, at, at);
    const desk = await newDesk();
    await call(desk, 'booking/set-days', {
      activityId: child.activityId,
      items: [late, inTime].map((day) => ({
        personId: child.personId,
        siteId: child.siteId,
        day,
        units: ['MATIN' as const, 'APRES_MIDI' as const],
      })),
    });
    await call(desk, 'sync/now', undefined);
    const takenBefore = capacity(db, child, 'MATIN', inTime).taken;
    // The deadline now falls between the two days: the first is late, the second still in time.
    const rule = { kind: 'days_before', days: daysBetween(TODAY, late) + 1 };
    setDeadline([db, desk.session().store.sqlite], child.activityId, rule);

    const preview = await call(desk, 'absence/preview', { personId: child.personId, from: late, to: inTime });
    expect(preview.cancelled.map((b) => b.day)).toEqual([inTime]);
    expect(preview.kept.map((b) => [b.day, b.units])).toEqual([[late, ['MATIN', 'APRES_MIDI']]]);
    const household = await call(desk, 'planning/household', { householdId: child.householdId });
    expect(household.documents.map((d) => d.id)).toContain(documentId);

    const notJustified = await refusal(desk, 'absence/record', {
      personId: child.personId,
      from: late,
      to: inTime,
      justified: false,
      chargeCancelled: true,
    });
    expect(notJustified.code).toBe('ABSENCE_NOT_JUSTIFIED');
    const recorded = await call(desk, 'absence/record', {
      personId: child.personId,
      from: late,
      to: inTime,
      comment: "Maladie de l'enfant",
      justified: true,
      chargeCancelled: true,
      documentId,
    });
    expect(recorded).toMatchObject({ cancelled: 1, kept: 1 });
    const local = await call(desk, 'booking/grid', { ...child, from: late, to: inTime });
    expect(local.days.at(-1)!.cells.find((c) => c.unit === 'MATIN')!.booking).toMatchObject({
      state: 'annulee',
      pending: true,
    });

    await call(desk, 'sync/now', undefined);
    const absence = db
      .prepare(
        'SELECT justified, charge_cancelled, document_id, start_day, end_day FROM absences WHERE id = ?',
      )
      .get(recorded.absenceId);
    expect(absence).toEqual({
      justified: 1,
      charge_cancelled: 1,
      document_id: documentId,
      start_day: late,
      end_day: inTime,
    });
    const states = (day: string) =>
      db
        .prepare('SELECT state FROM bookings WHERE person_id = ? AND day = ? AND activity_id = ?')
        .pluck()
        .all(child.personId, day, child.activityId);
    expect(states(late)).toEqual(['reservee', 'reservee']);
    expect(states(inTime)).toEqual(['annulee', 'annulee']);
    expect(capacity(db, child, 'MATIN', inTime).taken).toBe(takenBefore - 1);
    const listed = (await call(desk, 'planning/household', { householdId: child.householdId })).children
      .flatMap((c) => c.absences)
      .find((a) => a.id === recorded.absenceId);
    expect(listed).toMatchObject({
      justified: true,
      chargeCancelled: true,
      documentTitle: 'Certificat médical',
      pending: false,
    });
  });
});

describe('the grid queries', () => {
  it('read through indexes only (EXPLAIN QUERY PLAN: no scan of bookings, capacities, opening days, inscriptions)', () => {
    const q = bookingGridStatements(server$());
    const big = ['bookings', 'capacities', 'opening_days', 'inscriptions', 'outbox'];
    for (const [name, statement] of Object.entries(q)) {
      const params = (statement.source.match(/\?/g) ?? []).map(() => 'x');
      const plan = server$()
        .prepare(`EXPLAIN QUERY PLAN ${statement.source}`)
        .all(...params) as { detail: string }[];
      for (const { detail } of plan) {
        const scanned = big.find(
          (table) => new RegExp(`^SCAN ${table}\\b`).test(detail) && !/INDEX/.test(detail),
        );
        expect(scanned, `${name}: ${detail}`).toBeUndefined();
      }
    }
  });
});
