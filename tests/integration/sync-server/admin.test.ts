// Desk enrolment by an administrator: a token shown once, and revocation that cuts the desk off at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../db/seed';
import { startTestServer } from './harness';
import type { TestServer } from './harness';
import { openSse } from './sse-client';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(16, 10);
});

afterAll(async () => {
  await server?.close();
});

const basic = (login: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`,
});

const admin = (path: string, auth: Record<string, string>) =>
  fetch(`${server.url}/sync/v1/admin/desks/${server.desk.id}/${path}`, { method: 'POST', headers: auth });

describe('desk enrolment', () => {
  it('gives an administrator a fresh token that works, and keeps only its hash', async () => {
    const response = await admin('token', basic('admin', DEMO_PASSWORD));
    expect(response.status).toBe(201);
    const { token } = (await response.json()) as { token: string };
    expect(server.count('SELECT COUNT(*) FROM desks WHERE token_hash = ?', token)).toBe(0);
    const pulled = await fetch(`${server.url}/sync/v1/pull?after=0&limit=1`, {
      headers: server.headers(token),
    });
    expect(pulled.status).toBe(200);
    server.desk.token = token;
    expect(server.count("SELECT COUNT(*) FROM audit_log WHERE action = 'desk.enrol'")).toBe(1);
  });

  it('refuses an agent without the administrateur role, and a wrong password', async () => {
    expect((await admin('token', basic('agent.regie', DEMO_PASSWORD))).status).toBe(403);
    const wrong = await admin('token', basic('admin', 'pas-le-bon'));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ message: 'Identifiant ou mot de passe incorrect.' });
  });

  it('revokes a desk: its open event stream ends and push and pull answer 401', async () => {
    const events = await openSse(`${server.url}/sync/v1/events`, server.headers(server.desk.token));
    await events.next('hello');

    const response = await admin('revoke', basic('admin', DEMO_PASSWORD));
    expect(response.status).toBe(200);

    await expect(events.next('changes', 2000)).rejects.toThrow(/stream closed/);
    const pull = await fetch(`${server.url}/sync/v1/pull?after=0`, {
      headers: server.headers(server.desk.token),
    });
    const push = await fetch(`${server.url}/sync/v1/push`, {
      method: 'POST',
      headers: { ...server.headers(server.desk.token), 'content-type': 'application/json' },
      body: JSON.stringify({ ops: [] }),
    });
    expect([pull.status, push.status]).toEqual([401, 401]);
    const events2 = await fetch(`${server.url}/sync/v1/events`, {
      headers: server.headers(server.desk.token),
    });
    expect(events2.status).toBe(401);
  });
});
