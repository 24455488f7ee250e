// What a desk may see of the change log: no parent's private documents, sessions, access keys or secrets.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../core/ids';
import { writeWithChanges } from '../../../server/sync/change-log';
import { NOW, startTestServer } from './harness';
import type { TestServer } from './harness';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(17, 10);
});

afterAll(async () => {
  await server?.close();
});

describe('what desks may see', () => {
  it('never sends a parent’s private documents, their files, sessions or access keys; blanks secrets', async () => {
    const { sqlite } = server.database;
    const account = sqlite
      .prepare("SELECT id, household_id FROM citizen_accounts WHERE status = 'actif' LIMIT 1")
      .get() as {
      id: string;
      household_id: string;
    };
    const hash = createHash('sha256').update('scan').digest('hex');
    const privateHash = createHash('sha256').update('private scan').digest('hex');
    for (const blob of [hash, privateHash])
      sqlite
        .prepare(
          "INSERT INTO blobs (hash, size, content_type, data, created_at) VALUES (?, 4, 'application/pdf', ?, ?)",
        )
        .run(blob, Buffer.from('scan'), NOW.toISOString());
    const at = NOW.toISOString();
    const from = server.lastSeq();
    const ids = {
      private: newId(),
      family: newId(),
      privateFile: newId(),
      familyFile: newId(),
      session: newId(),
    };

    writeWithChanges(sqlite, NOW, (changes) => {
      const document = sqlite.prepare(
        `INSERT INTO documents (id, household_id, owner_account_id, space, qualification, title, created_at, created_by_kind, updated_at)
         VALUES (?, ?, ?, ?, 'certificat_medical', 'Certificat', ?, 'citoyen', ?)`,
      );
      const file = sqlite.prepare(
        `INSERT INTO document_files (id, document_id, blob_hash, filename, content_type, position, updated_at)
         VALUES (?, ?, ?, 'scan.pdf', 'application/pdf', 1, ?)`,
      );
      document.run(ids.private, account.household_id, account.id, 'prive_citoyen', at, at);
      document.run(ids.family, account.household_id, null, 'famille', at, at);
      file.run(ids.privateFile, ids.private, privateHash, at);
      file.run(ids.familyFile, ids.family, hash, at);
      sqlite
        .prepare(
          'INSERT INTO citizen_sessions (id, account_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(ids.session, account.id, 'f'.repeat(64), at, at);
      sqlite
        .prepare("UPDATE citizen_accounts SET password_reset_token_hash = 'secret' WHERE id = ?")
        .run(account.id);
      for (const [table, id] of [
        ['documents', ids.private],
        ['documents', ids.family],
        ['document_files', ids.privateFile],
        ['document_files', ids.familyFile],
        ['citizen_sessions', ids.session],
        ['citizen_accounts', account.id],
      ] as const)
        changes.upsert(table, id);
    });

    const pulled = await server.pull(server.desk, from);
    if (pulled.status !== 'ok') throw new Error('expected ok');
    expect(pulled.changes.map((change) => [change.entity, change.entityId])).toEqual([
      ['documents', ids.family],
      ['document_files', ids.familyFile],
      ['citizen_accounts', account.id],
    ]);
    expect(pulled.changes[2]?.row).toMatchObject({
      password_hash: '',
      password_reset_token_hash: null,
      activation_token_hash: null,
    });
    expect(pulled.lastSeq).toBe(from + 6);

    const download = await fetch(`${server.url}/sync/v1/blobs/${hash}`, {
      headers: server.headers(server.desk.token),
    });
    expect(download.status).toBe(200);
    const privateDownload = await fetch(`${server.url}/sync/v1/blobs/${privateHash}`, {
      headers: server.headers(server.desk.token),
    });
    expect(privateDownload.status).toBe(404);
  });
});
