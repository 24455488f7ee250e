// Scans at the desk: files checked by content (not by name), size and count; a PDF stored content-addressed,
// uploaded with the resumable blob upload, and its metadata accepted by the server only once the blob is there;
// the watched scanner folder; expiring and missing pieces flagged on the family's documents.
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { addDays } from '../../../core/calendar/paris';
import type { PushResponse } from '../../../core/sync/messages';
import { openDatabase } from '../../../db/open';
import type { OpenedDatabase } from '../../../db/open';
import { buildServer } from '../../../server/app';
import { issueDeskToken } from '../../../server/auth/desk-tokens';
import type { DeskBackend } from '../../../electron/backend/desk-backend';
import type { FetchLike } from '../../../electron/backend/snapshot-client';
import { syncHeaders } from '../../../electron/backend/snapshot-client';
import type { DeskEvents } from '../../../electron/contract';
import { TODAY, TownFiles, addDesk, call, refusal, startDesk, until } from '../desk-sync/fixtures';
import { samplePdf } from '../../support/create-demande';

const files = new TownFiles();
let database: OpenedDatabase;
let server: FastifyInstance;
let url: string;
const desks: DeskBackend[] = [];

beforeAll(async () => {
  await files.seed(30);
});
afterAll(() => files.dispose());

beforeEach(async () => {
  database = openDatabase(files.serverCopy());
  server = await buildServer({ database, mail: { send: false } });
  url = await server.listen({ host: '127.0.0.1', port: 0 });
});

afterEach(async () => {
  for (const desk of desks.splice(0)) desk.close();
  await server.close();
  database.close();
});

/** A fetch that can cut a chosen blob upload (the Nth PATCH from now fails like a dropped link), and logs calls. */
class UploadNetwork {
  readonly calls: string[] = [];
  private patchesLeftBeforeCut: number | null = null;

  /** The `n`th PATCH from now fails (1 = the next one). */
  cutPatch(n: number): void {
    this.patchesLeftBeforeCut = n;
  }

  readonly fetch: FetchLike = async (input, init) => {
    const target = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    this.calls.push(`${method} ${target.pathname}`);
    if (method === 'PATCH' && this.patchesLeftBeforeCut !== null && --this.patchesLeftBeforeCut === 0) {
      this.patchesLeftBeforeCut = null;
      throw new TypeError('fetch failed');
    }
    return fetch(input, init);
  };
}

async function newDesk(name: string, network?: UploadNetwork) {
  const deskId = addDesk(database.sqlite, `Poste ${name}`, name.toUpperCase());
  const deskToken = issueDeskToken(database.sqlite, deskId);
  const scanDir = join(files.dir, `scans-${name}`);
  const desk = await startDesk({
    dbPath: files.path(name),
    serverUrl: url,
    deskToken,
    scanDir,
    sync: { events: false },
    ...(network ? { fetch: network.fetch } : {}),
  });
  desks.push(desk);
  return { desk, deskToken, scanDir };
}

function anyHousehold(): string {
  return (database.sqlite.prepare('SELECT id FROM households ORDER BY code LIMIT 1').get() as { id: string })
    .id;
}

const b64 = (bytes: Buffer): string => bytes.toString('base64');
const upload = (name: string, bytes: Buffer) => ({ upload: { name, base64: b64(bytes) } });

describe('checking scanned files by content', () => {
  it('refuses a program renamed .pdf, a 3.3 MB file and a fifth file, in French', async () => {
    const { desk } = await newDesk('chk');
    const householdId = anyHousehold();
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(4000, 7)]);
    const renamed = await refusal(desk, 'documents/attach', {
      householdId,
      qualification: 'certificat_medical',
      files: [upload('certificat.pdf', exe)],
    });
    expect(renamed.code).toBe('FILE_TYPE_REFUSED');
    expect(renamed.message).toBe(
      '« certificat.pdf » n’est pas un format accepté : son contenu est de type « exe », quel que soit son nom. Formats acceptés : pdf, png, jpg, bmp, odt, docx, doc.',
    );

    const big = await refusal(desk, 'documents/check-files', {
      files: [upload('gros.pdf', samplePdf('gros', Math.round(3.3 * 1024 * 1024)))],
    });
    expect(big.code).toBe('FILE_TOO_LARGE');
    expect(big.message).toContain('un fichier ne peut pas dépasser 3 200 Ko');

    const five = await refusal(desk, 'documents/attach', {
      householdId,
      qualification: 'vaccinations',
      files: [1, 2, 3, 4, 5].map((n) => upload(`page${n}.pdf`, samplePdf(`page ${n}`))),
    });
    expect(five).toEqual({
      code: 'TOO_MANY_FILES',
      message: 'Une pièce compte au plus 4 fichiers : 5 fichiers choisis.',
    });

    // Exactly 3 200 Ko and 4 files are fine.
    const checked = await call(desk, 'documents/check-files', {
      files: [
        upload('a.pdf', samplePdf('a', 3200 * 1024)),
        ...[2, 3, 4].map((n) => upload(`p${n}.pdf`, samplePdf(`${n}`))),
      ],
    });
    expect(checked.map((f) => f.contentType)).toEqual(Array(4).fill('application/pdf'));
    // Nothing was recorded by the refusals.
    expect((await call(desk, 'sync/status', undefined)).pending).toBe(0);
  });
});

describe('attaching a scanned PDF', () => {
  it('stores it content-addressed, uploads it resumably, and the server takes the metadata only after the blob', async () => {
    const network = new UploadNetwork();
    const { desk, deskToken } = await newDesk('pdf', network);
    const householdId = anyHousehold();
    const pdf = samplePdf('Attestation CAF 2026', 2_600_000);
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const validUntil = addDays(TODAY, 10);

    const attached = await call(desk, 'documents/attach', {
      householdId,
      qualification: 'attestation_caf',
      title: 'Attestation CAF janvier',
      issuedOn: addDays(TODAY, -20),
      validUntil,
      files: [upload('caf.pdf', pdf)],
    });
    expect(attached.files).toEqual([
      { name: 'caf.pdf', size: pdf.length, contentType: 'application/pdf', sha256 },
    ]);
    const local = await call(desk, 'documents/list', { householdId });
    const piece = local.documents.find((d) => d.id === attached.documentId)!;
    expect(piece).toMatchObject({
      pending: true,
      validity: 'expire_bientot',
      title: 'Attestation CAF janvier',
    });
    expect(piece.files[0]).toMatchObject({ local: true, size: pdf.length });
    expect(local.expiringCount).toBe(1);

    // The metadata alone, pushed before the file: the server does not decide it (BLOB_MISSING, transient).
    expect((await call(desk, 'sync/status', undefined)).pending).toBe(1);
    const op = desk
      .session()
      .store.sqlite.prepare(
        "SELECT op_id, seq, agent_id, created_at, payload_json FROM outbox WHERE command = 'document.attach'",
      )
      .get() as { op_id: string; seq: number; agent_id: string; created_at: string; payload_json: string };
    const early = await fetch(new URL('/sync/v1/push', url), {
      method: 'POST',
      headers: { ...syncHeaders(deskToken), 'content-type': 'application/json' },
      body: JSON.stringify({
        ops: [
          {
            opId: op.op_id,
            deskSeq: op.seq,
            command: 'document.attach',
            commandVersion: 1,
            payload: JSON.parse(op.payload_json) as unknown,
            agentId: op.agent_id,
            createdAt: op.created_at,
          },
        ],
      }),
    });
    const earlyBody = (await early.json()) as PushResponse & { stopped?: { reason: string; code?: string } };
    expect(earlyBody.results).toEqual([]);
    expect(earlyBody.stopped).toMatchObject({ reason: 'transient', code: 'BLOB_MISSING' });
    expect(
      database.sqlite.prepare('SELECT 1 FROM documents WHERE id = ?').get(attached.documentId),
    ).toBeUndefined();

    // First sync: the upload is cut off after its first chunk; the op stays pending, nothing half-recorded.
    network.cutPatch(2);
    const first = await call(desk, 'sync/now', undefined);
    expect(first.connection).toBe('offline');
    expect(first.pending).toBe(1);
    const partial = await fetch(new URL(`/sync/v1/blobs/${sha256}`, url), {
      method: 'HEAD',
      headers: syncHeaders(deskToken),
    });
    expect(Number(partial.headers.get('upload-offset'))).toBe(1024 * 1024);
    expect(partial.headers.get('x-gf-blob-complete')).toBe('0');
    expect(
      database.sqlite.prepare('SELECT 1 FROM documents WHERE id = ?').get(attached.documentId),
    ).toBeUndefined();

    // Second sync: resumes from the server's offset (no byte sent twice), then the metadata is accepted.
    network.calls.length = 0;
    const second = await call(desk, 'sync/now', undefined);
    expect(second).toMatchObject({ connection: 'online', pending: 0 });
    expect(network.calls.filter((c) => c.startsWith('PATCH'))).toHaveLength(2); // 1 MiB + the rest
    const blob = database.sqlite
      .prepare('SELECT size, content_type, data FROM blobs WHERE hash = ?')
      .get(sha256) as {
      size: number;
      content_type: string;
      data: Buffer;
    };
    expect(blob.size).toBe(pdf.length);
    expect(blob.content_type).toBe('application/pdf');
    expect(createHash('sha256').update(blob.data).digest('hex')).toBe(sha256);
    expect(
      database.sqlite
        .prepare(
          `SELECT d.qualification, d.title, d.valid_until, d.created_by_kind, f.filename, f.blob_hash, f.position
           FROM documents d JOIN document_files f ON f.document_id = d.id WHERE d.id = ?`,
        )
        .all(attached.documentId),
    ).toEqual([
      {
        qualification: 'attestation_caf',
        title: 'Attestation CAF janvier',
        valid_until: validUntil,
        created_by_kind: 'agent',
        filename: 'caf.pdf',
        blob_hash: sha256,
        position: 1,
      },
    ]);
    const synced = (await call(desk, 'documents/list', { householdId })).documents.find(
      (d) => d.id === attached.documentId,
    );
    expect(synced).toMatchObject({ pending: false, validity: 'expire_bientot' });
    const bytes = await call(desk, 'documents/file', { fileId: synced!.files[0]!.id });
    expect(Buffer.from(bytes.base64, 'base64').equals(pdf)).toBe(true);

    // Another desk sees the piece after its own sync and fetches the bytes from the server on demand.
    const other = await newDesk('pdf2');
    await call(other.desk, 'sync/now', undefined);
    const seen = (await call(other.desk, 'documents/list', { householdId })).documents.find(
      (d) => d.id === attached.documentId,
    );
    expect(seen).toBeDefined();
    const fetched = await call(other.desk, 'documents/file', { fileId: seen!.files[0]!.id });
    expect(createHash('sha256').update(Buffer.from(fetched.base64, 'base64')).digest('hex')).toBe(sha256);
  });
});

describe('the watched scanner folder', () => {
  it('picks up a new file, checks it by content, and files it into a family', async () => {
    const { desk, scanDir } = await newDesk('scan');
    const householdId = anyHousehold();
    mkdirSync(scanDir, { recursive: true });
    expect((await call(desk, 'scans/list', undefined)).scans).toEqual([]);

    const changed: DeskEvents['data/changed'][] = [];
    const off = desk.on('data/changed', (event) => changed.push(event));
    writeFileSync(join(scanDir, 'SCAN_0001.pdf'), samplePdf('Certificat médical'));
    writeFileSync(join(scanDir, 'SCAN_0002.pdf'), Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300)]));
    await until(() => changed.some((e) => e.tables.includes('scans')), 10_000, 'the folder watch event');
    off();

    const { folder, scans } = await call(desk, 'scans/list', undefined);
    expect(folder).toBe(scanDir);
    const byName = new Map(scans.map((scan) => [scan.name, scan]));
    expect(byName.get('SCAN_0001.pdf')).toMatchObject({ contentType: 'application/pdf', problem: null });
    expect(byName.get('SCAN_0002.pdf')?.contentType).toBeNull();
    expect(byName.get('SCAN_0002.pdf')?.problem).toContain('n’est pas un format accepté');
    const preview = await call(desk, 'scans/read', { name: 'SCAN_0001.pdf' });
    expect(preview.contentType).toBe('application/pdf');
    expect((await refusal(desk, 'scans/read', { name: '../server-1.sqlite' })).code).toBe(
      'SCAN_NAME_INVALID',
    );

    const attached = await call(desk, 'documents/attach', {
      householdId,
      qualification: 'certificat_medical',
      files: [{ scan: 'SCAN_0001.pdf' }],
    });
    expect(attached.scansFiled).toEqual(['SCAN_0001.pdf']);
    expect(existsSync(join(scanDir, 'SCAN_0001.pdf'))).toBe(false);
    expect((await call(desk, 'scans/list', undefined)).scans.map((s) => s.name)).toEqual(['SCAN_0002.pdf']);
    expect((await call(desk, 'scans/discard', { name: 'SCAN_0002.pdf' })).removed).toBe(true);

    await call(desk, 'sync/now', undefined);
    expect(
      database.sqlite.prepare('SELECT title FROM documents WHERE id = ?').get(attached.documentId),
    ).toEqual({ title: 'Certificat médical' });
    rmSync(scanDir, { recursive: true, force: true });
  });
});

describe('expiring and missing pieces', () => {
  it('lists the pieces activities ask for and clears one once attached for that child', async () => {
    const { desk } = await newDesk('miss');
    // A child with an inscription to an activity asking for vaccinations, in a period not over yet.
    const child = database.sqlite
      .prepare(
        `SELECT i.household_id AS householdId, i.person_id AS personId FROM inscriptions i
         JOIN activities a ON a.id = i.activity_id JOIN periods p ON p.id = i.period_id
         WHERE i.status = 'validee' AND p.end_day >= ? AND a.required_documents_json LIKE '%vaccinations%'
         ORDER BY i.household_id LIMIT 1`,
      )
      .get(TODAY) as { householdId: string; personId: string };
    const before = await call(desk, 'documents/list', { householdId: child.householdId });
    const vaccinations = before.missing.find(
      (m) => m.qualification === 'vaccinations' && m.personId === child.personId,
    );
    expect(vaccinations).toMatchObject({ qualificationLabel: 'Vaccinations (carnet de santé)' });
    expect(vaccinations!.personName).toMatch(/\S/);
    expect(vaccinations!.activities.length).toBeGreaterThan(0);
    expect(before.missing.some((m) => m.qualification === 'attestation_caf' && m.personId === null)).toBe(
      true,
    );

    // An expired piece does not count; a valid one for that child does.
    await call(desk, 'documents/attach', {
      householdId: child.householdId,
      personId: child.personId,
      qualification: 'vaccinations',
      validUntil: addDays(TODAY, -1),
      files: [upload('vaccins-2019.pdf', samplePdf('2019'))],
    });
    const expired = await call(desk, 'documents/list', { householdId: child.householdId });
    expect(expired.expiredCount).toBe(1);
    expect(
      expired.missing.some((m) => m.qualification === 'vaccinations' && m.personId === child.personId),
    ).toBe(true);
    await call(desk, 'documents/attach', {
      householdId: child.householdId,
      personId: child.personId,
      qualification: 'vaccinations',
      files: [upload('vaccins.pdf', samplePdf('carnet'))],
    });
    const after = await call(desk, 'documents/list', { householdId: child.householdId });
    expect(
      after.missing.some((m) => m.qualification === 'vaccinations' && m.personId === child.personId),
    ).toBe(false);
    expect(after.missing.some((m) => m.qualification === 'attestation_caf')).toBe(true);
  });
});
