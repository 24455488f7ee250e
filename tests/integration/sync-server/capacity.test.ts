// Places are decided by the server only: two desks racing for the last place, and a day that is all-or-nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingStates, capacityOf, findBookableDay } from './fixtures';
import type { BookableDay } from './fixtures';
import { op, startTestServer } from './harness';
import type { Desk, TestServer } from './harness';

let server: TestServer;
let otherDesk: Desk;

beforeAll(async () => {
  server = await startTestServer(12);
  otherDesk = server.addDesk('HV2');
});

afterAll(async () => {
  await server?.close();
});

const setDay = (at: BookableDay, units: string[]) => ({
  personId: at.personId,
  activityId: at.activityId,
  siteId: at.siteId,
  day: at.day,
  units,
});

/** Two children of the same site, day and age group, and the unit's capacity set to one free place. */
function lastPlace(activityCode: string, from: string, unit: string): [BookableDay, BookableDay] {
  const { sqlite } = server.database;
  const first = findBookableDay(sqlite, { activityCode, from, units: [unit] });
  const second = findBookableDay(sqlite, {
    activityCode,
    from,
    units: [unit],
    sameSlotAs: first,
    excludePersons: [first.personId],
  });
  const capacity = capacityOf(sqlite, first, unit);
  sqlite.prepare('UPDATE capacities SET places = taken + 1 WHERE id = ?').run(capacity.id);
  return [first, second];
}

describe('contested places', () => {
  it('gives the last place of a day with a waiting list to exactly one of two desks racing; the other is waitlisted', async () => {
    const { sqlite } = server.database;
    const [a, b] = lastPlace('ALSH_MER', '2026-11-30', 'MATIN');

    const [fromA, fromB] = await Promise.all([
      server.push(server.desk, [
        op(server.desk, server.agents.accueil, 'booking.set_day', setDay(a, ['MATIN'])),
      ]),
      server.push(otherDesk, [op(otherDesk, server.agents.regie, 'booking.set_day', setDay(b, ['MATIN']))]),
    ]);

    const outcomes = [fromA.results[0]?.outcome, fromB.results[0]?.outcome].sort();
    expect(outcomes).toEqual(['accepted', 'waitlisted']);
    const waitlisted = [fromA, fromB]
      .map((response) => response.results[0])
      .find((result) => result?.outcome === 'waitlisted');
    expect(waitlisted?.code).toBe('WAITLISTED');
    expect(waitlisted?.message).toMatch(/^Complet : .* inscrit\(e\) en liste d'attente\.$/);
    const capacity = capacityOf(sqlite, a, 'MATIN');
    expect(capacity.taken).toBe(capacity.places);
    const states = [
      bookingStates(sqlite, a.personId, a.day, a.activityId).MATIN,
      bookingStates(sqlite, b.personId, b.day, b.activityId).MATIN,
    ].sort();
    expect(states).toEqual(['en_attente', 'reservee']);
  });

  it('refuses the loser with CAPACITY_FULL when the activity has no waiting list, and writes no booking for it', async () => {
    const { sqlite } = server.database;
    const [a, b] = lastPlace('RESTAURATION', '2026-11-25', 'REPAS');

    const [fromA, fromB] = await Promise.all([
      server.push(server.desk, [
        op(server.desk, server.agents.accueil, 'booking.set_day', setDay(a, ['REPAS'])),
      ]),
      server.push(otherDesk, [op(otherDesk, server.agents.accueil, 'booking.set_day', setDay(b, ['REPAS']))]),
    ]);

    const results = [fromA.results[0], fromB.results[0]];
    expect(results.map((result) => result?.outcome).sort()).toEqual(['accepted', 'rejected']);
    const loser = results.find((result) => result?.outcome === 'rejected');
    expect(loser).toMatchObject({
      code: 'CAPACITY_FULL',
      message: expect.stringMatching(/Plus de place disponible/),
    });
    const capacity = capacityOf(sqlite, a, 'REPAS');
    expect(capacity.taken).toBe(capacity.places);
    const loserCase = loser === fromA.results[0] ? a : b;
    expect(bookingStates(sqlite, loserCase.personId, loserCase.day, loserCase.activityId)).toEqual({});
  });

  it('treats a day as all-or-nothing: when one unit is full, the places taken for the others are given back', async () => {
    const { sqlite } = server.database;
    const at = findBookableDay(sqlite, {
      activityCode: 'ALSH_MER',
      from: '2026-12-01',
      units: ['MATIN', 'APRES_MIDI'],
    });
    const afternoon = capacityOf(sqlite, at, 'APRES_MIDI');
    sqlite.prepare('UPDATE capacities SET places = taken WHERE id = ?').run(afternoon.id);
    const morningBefore = capacityOf(sqlite, at, 'MATIN').taken;

    const [result] = (
      await server.push(server.desk, [
        op(server.desk, server.agents.accueil, 'booking.set_day', setDay(at, ['MATIN', 'APRES_MIDI'])),
      ])
    ).results;

    expect(result).toMatchObject({ outcome: 'waitlisted', message: expect.stringMatching(/Après-Midi/) });
    expect(capacityOf(sqlite, at, 'MATIN').taken).toBe(morningBefore);
    expect(bookingStates(sqlite, at.personId, at.day, at.activityId)).toEqual({
      MATIN: 'en_attente',
      APRES_MIDI: 'en_attente',
    });
  });

  it('never lets taken exceed places, whoever pushes', () => {
    expect(server.count('SELECT COUNT(*) FROM capacities WHERE taken > places')).toBe(0);
  });
});
