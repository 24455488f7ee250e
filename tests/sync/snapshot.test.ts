// The desk snapshot (server/sync/snapshot.ts): what a desk may not hold is not in the file at all — not as rows,
// and not as bytes left behind by the deletes (secure_delete, no second VACUUM) — and the desk's numbering (last
// applied op, highest receipt) is stamped in it so that a reinstalled desk goes on after it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type BetterSqlite3 from 'better-sqlite3';
import Database from 'better-sqlite3';
import { buildDeskSnapshot } from '../../server/sync/snapshot';
import type { DeskSnapshot } from '../../server/sync/snapshot';
import type { EnrolledDesk } from './support';
import { SyncTown, enrolDesk } from './support';

const town = new SyncTown('gf-sync-snapshot-');
let enrolled: EnrolledDesk;
let sqlite: BetterSqlite3.Database;
const snapshots: DeskSnapshot[] = [];

beforeAll(async () => {
  await town.seed({ families: 8, seed: 5 });
  enrolled = town.onSeed((db) => enrolDesk(db, 'SN'));
});

afterAll(() => town.dispose());

beforeEach(() => {
  sqlite = new Database(town.serverCopy());
});

afterEach(() => {
  for (const snapshot of snapshots.splice(0)) snapshot.dispose();
  sqlite.close();
});

const build = (): DeskSnapshot => {
  const snapshot = buildDeskSnapshot(sqlite, enrolled.id);
  snapshots.push(snapshot);
  return snapshot;
};
const first = (sql: string): string =>
  (sqlite.prepare(sql).pluck().get() as string | undefined) ??
  (() => {
    throw new Error(`nothing for ${sql}`);
  })();

/** Writes secrets (each a unique marker) everywhere a desk may not look; returns the markers. */
function plantSecrets(): string[] {
  const at = '2026-11-20T10:00:00.000Z';
  const marker = (what: string): string => `SECRET-${what}-${'x'.repeat(40)}`;
  const householdId = first('SELECT id FROM households ORDER BY id LIMIT 1');
  const accountId = first('SELECT id FROM citizen_accounts ORDER BY id LIMIT 1');
  const blob = Buffer.from(marker('private-scan'));
  const blobHash = createHash('sha256').update(blob).digest('hex');
  const secrets = {
    password: marker('password-hash'),
    activation: marker('activation-token'),
    session: marker('session-token'),
    accessKey: marker('access-key'),
    documentTitle: marker('private-document-title'),
    scan: marker('private-scan'),
    payloadHash: marker('applied-op'),
    changeRow: marker('change-row'),
    deskToken: marker('desk-token'),
  };
  sqlite.transaction(() => {
    sqlite
      .prepare('UPDATE citizen_accounts SET password_hash = ?, activation_token_hash = ? WHERE id = ?')
      .run(secrets.password, secrets.activation, accountId);
    sqlite
      .prepare(
        'INSERT INTO citizen_sessions (id, account_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run('session-planted', accountId, secrets.session, at, at);
    sqlite
      .prepare(
        `INSERT INTO household_access_keys (id, household_id, key_hash, key_hint, issued_at, updated_at)
         VALUES (?, ?, ?, 'AB12', ?, ?)`,
      )
      .run('key-planted', householdId, secrets.accessKey, at, at);
    sqlite
      .prepare('INSERT INTO blobs (hash, size, content_type, data, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(blobHash, blob.length, 'application/pdf', blob, at);
    sqlite
      .prepare(
        `INSERT INTO documents (id, household_id, owner_account_id, space, qualification, title, created_at,
           created_by_kind, updated_at) VALUES ('doc-planted', ?, ?, 'prive_citoyen', 'autre', ?, ?, 'citoyen', ?)`,
      )
      .run(householdId, accountId, secrets.documentTitle, at, at);
    sqlite
      .prepare(
        `INSERT INTO document_files (id, document_id, blob_hash, filename, content_type, position, updated_at)
         VALUES ('file-planted', 'doc-planted', ?, 'scan.pdf', 'application/pdf', 1, ?)`,
      )
      .run(blobHash, at);
    sqlite
      .prepare(
        `INSERT INTO applied_ops (op_id, desk_id, desk_seq, command, payload_hash, result_json, change_seq, applied_at)
         VALUES ('op-planted', ?, 1, 'booking.set_day', ?, '{}', 0, ?)`,
      )
      .run(enrolled.id, secrets.payloadHash, at);
    sqlite
      .prepare(
        `INSERT INTO change_log (seq, entity, entity_id, op, household_id, row_json, at)
         VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log), 'households', ?, 'upsert', ?, ?, ?)`,
      )
      .run(householdId, householdId, JSON.stringify({ note: secrets.changeRow }), at);
    sqlite.prepare('UPDATE desks SET token_hash = ? WHERE id = ?').run(secrets.deskToken, enrolled.id);
  })();
  return Object.values(secrets);
}

describe('the desk snapshot', () => {
  it('holds none of the stripped data, not even as leftover bytes in the file', () => {
    const secrets = plantSecrets();
    // The server's own file holds every secret (the check can fail).
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const serverBytes = readFileSync(sqlite.name).toString('latin1');
    for (const secret of secrets) expect(serverBytes.includes(secret), secret).toBe(true);

    const snapshot = build();
    const bytes = readFileSync(snapshot.path).toString('latin1');
    expect(secrets.filter((secret) => bytes.includes(secret))).toEqual([]);
    // …and the file is a sound database with the rows a desk may see.
    const copy = new Database(snapshot.path, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('SELECT COUNT(*) FROM households').pluck().get()).toBe(
        sqlite.prepare('SELECT COUNT(*) FROM households').pluck().get(),
      );
      expect(copy.prepare("SELECT value FROM sync_state WHERE key = 'cursor'").pluck().get()).toBe(
        String(snapshot.seq),
      );
    } finally {
      copy.close();
    }
  });

  it('stamps where the desk’s numbering stands: last applied op and highest receipt (a ~k suffix ignored)', () => {
    const at = '2026-11-20T10:00:00.000Z';
    const householdId = first('SELECT id FROM households ORDER BY id LIMIT 1');
    const insertOp = sqlite.prepare(
      `INSERT INTO applied_ops (op_id, desk_id, desk_seq, command, payload_hash, result_json, change_seq, applied_at)
       VALUES (?, ?, ?, 'payment.record', 'h', '{}', 0, ?)`,
    );
    const insertPayment = sqlite.prepare(
      `INSERT INTO payments (id, household_id, mode, amount_cents, received_at, desk_id, created_at, updated_at)
       VALUES (?, ?, 'cheque', 100, ?, ?, ?, ?)`,
    );
    const insertReceipt = sqlite.prepare(
      'INSERT INTO receipts (id, number, payment_id, desk_id, issued_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    sqlite.transaction(() => {
      for (const [i, number] of ['SN-000001', 'SN-000002', 'SN-000007~2'].entries()) {
        insertOp.run(`op-${i}`, enrolled.id, i + 1, at);
        insertPayment.run(`pay-${i}`, householdId, at, enrolled.id, at, at);
        insertReceipt.run(`rec-${i}`, number, `pay-${i}`, enrolled.id, at, at);
      }
    })();
    const snapshot = build();
    expect({ deskSeq: snapshot.deskSeq, receiptCounter: snapshot.receiptCounter }).toEqual({
      deskSeq: 3,
      receiptCounter: 7,
    });
    const copy = new Database(snapshot.path, { readonly: true });
    try {
      expect(
        copy
          .prepare('SELECT name, value FROM desk_counters WHERE desk_id = ? ORDER BY name')
          .all(enrolled.id),
      ).toEqual([
        { name: 'op_seq', value: 3 },
        { name: 'receipt', value: 7 },
      ]);
    } finally {
      copy.close();
    }
  });

  it('stamps nothing for a desk that never pushed', () => {
    const snapshot = build();
    expect({ deskSeq: snapshot.deskSeq, receiptCounter: snapshot.receiptCounter }).toEqual({
      deskSeq: 0,
      receiptCounter: 0,
    });
  });
});
