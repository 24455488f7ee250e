// Parents on the portal: sign-in, and bookings decided by the same command as the desks', poked to desks over SSE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeRow } from '../../../core/sync/messages';
import { DEMO_PARENT_EMAILS, DEMO_PASSWORD } from '../../../db/seed';
import { findBookableDay } from './fixtures';
import type { BookableDay } from './fixtures';
import { startTestServer } from './harness';
import type { TestServer } from './harness';
import { openSse } from './sse-client';

let server: TestServer;
let cookie: string;
let householdId: string;

beforeAll(async () => {
  server = await startTestServer(14);
  householdId = server.database.sqlite
    .prepare('SELECT household_id FROM citizen_accounts WHERE login = ?')
    .pluck()
    .get(DEMO_PARENT_EMAILS[0]) as string;
});

afterAll(async () => {
  await server?.close();
});

async function signIn(login: string, password: string): Promise<Response> {
  return fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
}

async function book(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/api/v1/bookings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, ...headers },
    body: JSON.stringify(body),
  });
}

const request = (at: BookableDay, units: string[]) => ({
  personId: at.personId,
  activityId: at.activityId,
  siteId: at.siteId,
  day: at.day,
  units,
});

describe('parents on the portal', () => {
  it('signs a parent in with an httpOnly signed session cookie, and tells who they are', async () => {
    const seq = server.lastSeq();
    const response = await signIn(DEMO_PARENT_EMAILS[0], DEMO_PASSWORD);
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^gf_session=[^;]+\.[^;]+;/); // value.signature
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    cookie = setCookie.split(';')[0] ?? '';
    expect(
      server.count(
        'SELECT COUNT(*) FROM citizen_sessions WHERE token_hash = ?',
        cookie.split('=')[1]?.split('.')[0],
      ),
    ).toBe(0);

    const me = await fetch(`${server.url}/api/v1/me`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ login: DEMO_PARENT_EMAILS[0], householdId });

    const pulled = await server.pull(server.desk, seq);
    const entities = pulled.status === 'ok' ? pulled.changes.map((change) => change.entity) : [];
    expect(entities).toEqual(['citizen_accounts']);
    expect(pulled.status === 'ok' && pulled.changes[0]?.row).toMatchObject({
      password_hash: '',
      last_login_at: '2026-11-22T09:00:00.000Z',
    });
  });

  it('refuses a wrong password or login with one generic French message, and blocks a login after 5 failures', async () => {
    const wrong = await signIn(DEMO_PARENT_EMAILS[1], 'Mauvais2026!');
    const unknown = await signIn('personne@nulle-part.fr', DEMO_PASSWORD);
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(await wrong.json()).toEqual({
      code: 'LOGIN_FAILED',
      message: 'Identifiant ou mot de passe incorrect.',
    });
    expect(await unknown.json()).toEqual({
      code: 'LOGIN_FAILED',
      message: 'Identifiant ou mot de passe incorrect.',
    });
    for (let attempt = 2; attempt <= 5; attempt += 1) await signIn(DEMO_PARENT_EMAILS[1], 'Mauvais2026!');

    const blocked = await signIn(DEMO_PARENT_EMAILS[1], DEMO_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      message: expect.stringMatching(/Trop de tentatives/),
    });
  });

  it('books a child of the household with the desks’ command, recorded with no desk and seen by desks over SSE', async () => {
    const at = findBookableDay(server.database.sqlite, {
      activityCode: 'ALSH_MER',
      from: '2026-11-30',
      units: ['MATIN', 'APRES_MIDI'],
      householdId,
    });
    const events = await openSse(`${server.url}/sync/v1/events`, server.headers(server.desk.token));
    try {
      expect(events.status).toBe(200);
      const hello = JSON.parse((await events.next('hello')).data) as { lastSeq: number };
      expect(hello.lastSeq).toBe(server.lastSeq());

      const response = await book(request(at, ['MATIN', 'APRES_MIDI']));
      const poke = await events.next('changes');

      expect(response.status).toBe(200);
      const answer = (await response.json()) as {
        outcome: string;
        bookings: { unit_code: string; state: string; source: string; origin_op_id: string }[];
      };
      expect(answer.outcome).toBe('accepted');
      expect(answer.bookings.map((row) => [row.unit_code, row.state, row.source])).toEqual([
        ['MATIN', 'reservee', 'portal'],
        ['APRES_MIDI', 'reservee', 'portal'],
      ]);
      const opId = answer.bookings[0]?.origin_op_id;
      expect(
        server.database.sqlite
          .prepare('SELECT desk_id, desk_seq, command FROM applied_ops WHERE op_id = ?')
          .get(opId),
      ).toEqual({
        desk_id: null,
        desk_seq: null,
        command: 'booking.set_day',
      });
      const rows = JSON.parse(poke.data) as ChangeRow[];
      expect(rows[0]?.seq).toBe(hello.lastSeq + 1);
      expect(rows.filter((row) => row.entity === 'bookings').map((row) => row.row?.person_id)).toEqual([
        at.personId,
        at.personId,
      ]);
      expect(rows.some((row) => row.entity === 'capacities')).toBe(true);
    } finally {
      events.close();
    }
  });

  it('applies a retried request with the same Idempotency-Key once, and refuses the key with another body', async () => {
    const at = findBookableDay(server.database.sqlite, {
      activityCode: 'ALSH_MER',
      from: '2026-11-30',
      units: ['MATIN'],
      householdId,
    });
    const key = { 'idempotency-key': 'reservation-42' };
    const first = await book(request(at, ['MATIN']), key);
    const seq = server.lastSeq();
    const retry = await book(request(at, ['MATIN']), key);
    expect(await retry.json()).toEqual(await first.json());
    expect(server.lastSeq()).toBe(seq);

    const other = await book(request(at, ['MATIN', 'APRES_MIDI']), key);
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('holds a parent to the deadline (no override possible), where a desk agent could give a reason', async () => {
    // Tomorrow's meal (48 h notice): closed to parents since Saturday 21 November 23:00.
    const meal = server.database.sqlite
      .prepare(
        `SELECT b.person_id AS personId, b.activity_id AS activityId, b.site_id AS siteId, b.day
           FROM bookings b JOIN activities a ON a.id = b.activity_id
          WHERE b.household_id = ? AND a.code = 'RESTAURATION' AND b.day = '2026-11-23' AND b.state = 'reservee'
          LIMIT 1`,
      )
      .get(householdId) as Omit<BookableDay, 'householdId' | 'ageGroup'>;

    const late = await book({ ...meal, units: [] });
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({
      outcome: 'rejected',
      code: 'BOOKING_DEADLINE_PASSED',
      message: expect.stringMatching(/lundi 23 novembre 2026 sont closes depuis/),
      bookings: [expect.objectContaining({ unit_code: 'REPAS', state: 'reservee' })],
    });

    const withReason = await book({ ...meal, units: [], overrideReason: 'Enfant malade' });
    expect(withReason.status).toBe(400);
    expect(
      server.count(
        "SELECT COUNT(*) FROM bookings WHERE person_id = ? AND day = ? AND activity_id = ? AND state = 'reservee'",
        meal.personId,
        meal.day,
        meal.activityId,
      ),
    ).toBe(1);
  });

  it('forbids booking a child of another household', async () => {
    const stranger = findBookableDay(server.database.sqlite, {
      activityCode: 'ALSH_MER',
      from: '2026-11-30',
      units: ['MATIN'],
    });
    expect(stranger.householdId).not.toBe(householdId);
    const response = await book(request(stranger, ['MATIN']));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      code: 'PERSON_NOT_IN_HOUSEHOLD',
      message: 'Cet enfant ne fait pas partie de votre foyer.',
    });
  });

  it('requires a session, and signing out ends it', async () => {
    expect((await fetch(`${server.url}/api/v1/me`)).status).toBe(401);
    const out = await fetch(`${server.url}/api/v1/session`, { method: 'DELETE', headers: { cookie } });
    expect(out.status).toBe(204);
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { cookie } });
    expect(me.status).toBe(401);
    expect(await me.json()).toMatchObject({ code: 'SIGN_IN_REQUIRED' });
  });
});
