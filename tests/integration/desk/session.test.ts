// Agent sign-in at the desk, against the real sync server: offline from the replicated scrypt hashes, one French
// message for a wrong pair, throttled after 5 failures, commands refused signed out or locked, an idle lock on an
// injected clock, and the audit trail (session events, a booking past its deadline with the agent's reason) shown
// per family on the desk and recorded on the server after sync.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../../../db/open';
import type { OpenedDatabase } from '../../../db/open';
import { DEMO_PASSWORD } from '../../../db/seed';
import { buildServer } from '../../../server/app';
import { issueDeskToken } from '../../../server/auth/desk-tokens';
import type { DeskBackend } from '../../../electron/backend/desk-backend';
import { TownFiles, addDesk, agentId, bookableDays, call, refusal, startDesk } from '../desk-sync/fixtures';
import type { BookableDay } from '../desk-sync/fixtures';
import { Network } from '../desk-sync/network';

const MINUTE = 60_000;
const files = new TownFiles();
let database: OpenedDatabase;
let server: FastifyInstance;
let url: string;
/** Simulated time, shared by the server and the desk: tests move it instead of waiting. */
let shiftMs = 0;
const now = (): Date => new Date(Date.now() + shiftMs);
const desks: DeskBackend[] = [];

beforeAll(async () => {
  await files.seed();
});

afterAll(() => files.dispose());

beforeEach(async () => {
  shiftMs = 0;
  database = openDatabase(files.serverCopy());
  // Every Wednesday booking is past its deadline: the agent must give a reason, which the audit trail keeps.
  database.sqlite
    .prepare(`UPDATE activities SET deadline_json = ? WHERE code = 'ALSH_MER'`)
    .run(JSON.stringify({ kind: 'days_before', days: 366 }));
  server = await buildServer({ database, now });
  url = await server.listen({ host: '127.0.0.1', port: 0 });
});

afterEach(async () => {
  for (const desk of desks.splice(0)) desk.close();
  await server.close();
  database.close();
});

/** A desk where agents must sign in, with its replica downloaded, then cut from the network. */
async function offlineDesk(): Promise<{ desk: DeskBackend; network: Network; deskId: string }> {
  const deskId = addDesk(database.sqlite, 'Accueil Mairie annexe', 'ANX');
  const network = new Network();
  const desk = await startDesk({
    dbPath: files.path('desk'),
    serverUrl: url,
    deskToken: issueDeskToken(database.sqlite, deskId),
    fetch: network.fetch,
    sync: { events: false },
    requireSignIn: true,
    now,
  });
  desks.push(desk);
  network.goOffline();
  return { desk, network, deskId };
}

const signIn = (desk: DeskBackend, login: string, password = DEMO_PASSWORD) =>
  desk.invoke('session/sign-in', { login, password });

function serverAudit(where: string, ...params: unknown[]) {
  return database.sqlite
    .prepare(
      `SELECT action, at, agent_id, desk_id, household_id, reason, details_json FROM audit_log WHERE ${where}
       ORDER BY at, id`,
    )
    .all(...params) as {
    action: string;
    at: string;
    agent_id: string | null;
    desk_id: string | null;
    household_id: string | null;
    reason: string | null;
    details_json: string;
  }[];
}

describe('agent sign-in at the desk', () => {
  it('signs in offline from the agents’ hashes synced to the desk (never a parent’s)', async () => {
    const { desk } = await offlineDesk();
    const replica = desk.session().store.sqlite;
    const hashes = replica.prepare('SELECT login, password_hash FROM agents ORDER BY login').all() as {
      login: string;
      password_hash: string;
    }[];
    expect(hashes.map((a) => a.login)).toEqual(['admin', 'agent.accueil', 'agent.regie']);
    for (const agent of hashes) expect(agent.password_hash).toMatch(/^scrypt\$\d+\$/);
    expect(
      replica.prepare("SELECT COUNT(*) FROM citizen_accounts WHERE password_hash <> ''").pluck().get(),
    ).toBe(0);

    expect((await call(desk, 'session/current', undefined)).agent).toBeNull();
    const state = await call(desk, 'session/sign-in', { login: ' agent.accueil ', password: DEMO_PASSWORD });
    expect(state.agent).toMatchObject({
      login: 'agent.accueil',
      displayName: 'Mégane Lefèvre',
      roles: ['accueil'],
    });
    expect(state).toMatchObject({
      locked: false,
      autoLockMinutes: 10,
      desk: { name: 'Accueil Mairie annexe' },
      permissions: { counter: true, reversePayment: false, administer: false },
    });
    expect((await call(desk, 'family/search', { query: 'becassine' })).length).toBeGreaterThan(0);

    const regie = await call(desk, 'session/sign-in', { login: 'agent.regie', password: DEMO_PASSWORD });
    expect(regie.agent?.roles).toEqual(['regisseur']);
    expect(regie.permissions.reversePayment).toBe(true);
  });

  it('refuses a wrong password or login with one French message, and throttles after 5 failures', async () => {
    const { desk } = await offlineDesk();
    const generic = { code: 'AUTH_FAILED', message: 'Identifiant ou mot de passe incorrect.' };
    expect((await signIn(desk, 'agent.accueil', 'demo2026!')).ok).toBe(false);
    expect(await refusal(desk, 'session/sign-in', { login: 'agent.accueil', password: 'x' })).toEqual(
      generic,
    );
    expect(await refusal(desk, 'session/sign-in', { login: 'nobody', password: DEMO_PASSWORD })).toEqual(
      generic,
    );
    expect(await refusal(desk, 'session/sign-in', { login: 'agent.accueil', password: '' })).toMatchObject({
      code: 'CREDENTIALS_REQUIRED',
      message: 'Saisissez votre identifiant et votre mot de passe.',
    });
    for (let i = 0; i < 3; i += 1) await signIn(desk, 'agent.accueil', `faux-${i}`);
    // Five failures for agent.accueil: even the right password waits now.
    const blocked = await refusal(desk, 'session/sign-in', {
      login: 'agent.accueil',
      password: DEMO_PASSWORD,
    });
    expect(blocked.code).toBe('TOO_MANY_ATTEMPTS');
    expect(blocked.message).toMatch(/^Trop de tentatives de connexion : réessayez dans \d+ minutes?\.$/);
    expect((await call(desk, 'session/current', undefined)).agent).toBeNull();
    // Another login is not blocked.
    expect((await signIn(desk, 'agent.regie')).ok).toBe(true);

    shiftMs += 16 * MINUTE;
    expect(
      (await call(desk, 'session/sign-in', { login: 'agent.accueil', password: DEMO_PASSWORD })).agent?.login,
    ).toBe('agent.accueil');
  });

  it('refuses commands while nobody is signed in, and after sign-out', async () => {
    const { desk } = await offlineDesk();
    const notSignedIn = {
      code: 'NOT_SIGNED_IN',
      message: "Aucun agent n'est connecté à ce poste : identifiez-vous.",
    };
    expect(await refusal(desk, 'family/search', { query: '' })).toEqual(notSignedIn);
    const child = bookableDays(database.sqlite, { count: 1 })[0] as BookableDay;
    expect(
      await refusal(desk, 'payment/record', {
        householdId: child.householdId,
        mode: 'especes',
        amountCents: 500,
      }),
    ).toEqual(notSignedIn);
    expect(await refusal(desk, 'audit/family', { householdId: child.householdId })).toEqual(notSignedIn);
    // What the sign-in screen shows stays open.
    expect((await call(desk, 'town/get', undefined)).name).toMatch(/\S/);
    expect(await call(desk, 'sync/status', undefined)).toMatchObject({ pending: 0 });

    await call(desk, 'session/sign-in', { login: 'agent.accueil', password: DEMO_PASSWORD });
    await call(desk, 'family/search', { query: '' });
    expect((await call(desk, 'session/sign-out', undefined)).agent).toBeNull();
    expect(await refusal(desk, 'family/search', { query: '' })).toEqual(notSignedIn);
    expect(desk.session().store.outbox.pendingCount()).toBe(2);
  });

  it('locks itself after 10 idle minutes; the same agent unlocks it, or another agent takes the desk', async () => {
    const { desk, network, deskId } = await offlineDesk();
    await call(desk, 'session/sign-in', { login: 'agent.accueil', password: DEMO_PASSWORD });
    shiftMs += 9 * MINUTE;
    await call(desk, 'session/touch', undefined);
    const touchedAt = now().getTime();
    shiftMs += 9 * MINUTE;
    expect((await call(desk, 'session/current', undefined)).locked).toBe(false);
    await call(desk, 'family/search', { query: '' });
    shiftMs += 1 * MINUTE + 1_000;

    expect(await refusal(desk, 'family/search', { query: '' })).toEqual({
      code: 'SESSION_LOCKED',
      message: 'Le poste est verrouillé : saisissez votre mot de passe pour reprendre.',
    });
    const locked = await call(desk, 'session/current', undefined);
    expect(locked).toMatchObject({
      locked: true,
      lockReason: 'inactivite',
      agent: { login: 'agent.accueil' },
    });

    expect(await refusal(desk, 'session/unlock', { password: 'faux' })).toMatchObject({
      code: 'AUTH_FAILED',
    });
    expect((await call(desk, 'session/unlock', { password: DEMO_PASSWORD })).locked).toBe(false);
    await call(desk, 'family/search', { query: '' });

    await call(desk, 'session/lock', {});
    expect(await refusal(desk, 'family/search', { query: '' })).toMatchObject({ code: 'SESSION_LOCKED' });
    const regie = await call(desk, 'session/sign-in', { login: 'agent.regie', password: DEMO_PASSWORD });
    expect(regie).toMatchObject({ locked: false, agent: { login: 'agent.regie' } });

    network.goOnline();
    expect(await call(desk, 'sync/now', undefined)).toMatchObject({ pending: 0, toHandle: 0 });
    const accueil = agentId(database.sqlite, 'agent.accueil');
    const trail = serverAudit("action LIKE 'session.%' AND desk_id = ?", deskId);
    expect(trail.map((row) => [row.action, row.agent_id === accueil ? 'accueil' : 'regie'])).toEqual([
      ['session.sign_in', 'accueil'],
      ['session.lock', 'accueil'],
      ['session.unlock', 'accueil'],
      ['session.lock', 'accueil'],
      ['session.sign_out', 'accueil'],
      ['session.sign_in', 'regie'],
    ]);
    // The idle lock is dated when the 10 minutes ran out, not when it was noticed.
    expect(Math.abs(Date.parse(trail[1]!.at) - (touchedAt + 10 * MINUTE))).toBeLessThan(2_000);
    expect(JSON.parse(trail[1]!.details_json)).toMatchObject({ reason: 'inactivite' });
    expect(JSON.parse(trail[4]!.details_json)).toMatchObject({ reason: 'changement_agent' });
  });

  it('keeps a booking past its deadline with the agent’s reason in the family’s history, then on the server', async () => {
    const { desk, network, deskId } = await offlineDesk();
    await call(desk, 'session/sign-in', { login: 'agent.accueil', password: DEMO_PASSWORD });
    const child = bookableDays(database.sqlite, { count: 1 })[0] as BookableDay;
    const booking = {
      personId: child.personId,
      activityId: child.activityId,
      siteId: child.siteId,
      day: child.day,
      units: ['MATIN' as const],
    };
    expect((await refusal(desk, 'booking/set-day', booking)).code).toBe('BOOKING_OVERRIDE_REASON_REQUIRED');
    await call(desk, 'booking/set-day', { ...booking, overrideReason: 'Accord de la directrice' });

    const before = await call(desk, 'audit/family', { householdId: child.householdId });
    expect(before[0]).toMatchObject({
      action: 'booking.set_day',
      actionLabel: 'Réservation',
      who: 'Mégane Lefèvre',
      desk: 'Accueil Mairie annexe',
      reason: 'Accord de la directrice',
      pending: true,
    });
    expect(before[0]?.detail).toMatch(/Matin/);

    network.goOnline();
    expect(await call(desk, 'sync/now', undefined)).toMatchObject({ pending: 0, toHandle: 0 });
    const onServer = serverAudit("action = 'booking.set_day' AND household_id = ?", child.householdId);
    expect(onServer).toHaveLength(1);
    expect(onServer[0]).toMatchObject({
      agent_id: agentId(database.sqlite, 'agent.accueil'),
      desk_id: deskId,
      reason: 'Accord de la directrice',
    });
    expect(serverAudit("action = 'session.sign_in' AND desk_id = ?", deskId)).toHaveLength(1);

    const after = await call(desk, 'audit/family', { householdId: child.householdId });
    const bookings = after.filter((entry) => entry.action === 'booking.set_day');
    expect(bookings).toHaveLength(1);
    expect(bookings[0]).toMatchObject({
      reason: 'Accord de la directrice',
      pending: false,
      who: 'Mégane Lefèvre',
    });
  });

  it('keeps desks constructed with an agent id signed in as that agent (tests, embedding code)', async () => {
    const deskId = addDesk(database.sqlite, 'Poste de test', 'TST');
    const desk = await startDesk({
      dbPath: files.path('implicit'),
      serverUrl: url,
      deskToken: issueDeskToken(database.sqlite, deskId),
      sync: { events: false },
      requireSignIn: true,
      agentId: agentId(database.sqlite, 'agent.regie'),
      now,
    });
    desks.push(desk);
    expect((await call(desk, 'session/current', undefined)).agent?.login).toBe('agent.regie');
    shiftMs += 60 * MINUTE;
    await call(desk, 'family/search', { query: '' });
    expect(desk.session().store.outbox.pendingCount()).toBe(0);
  });
});
