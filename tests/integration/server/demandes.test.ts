// Demandes end to end over real HTTP: a parent sends one through the portal API, it reaches a desk by sync, an
// agent refuses it with a message; the server writes the history, the family's thread and the e-mail, which a
// local SMTP sink receives in French — also when the SMTP server was down at first (the mail waits, retried).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../../../db/open';
import type { OpenedDatabase } from '../../../db/open';
import { buildServer } from '../../../server/app';
import { issueDeskToken } from '../../../server/auth/desk-tokens';
import { smtpTransport } from '../../../server/mail/transport';
import type { DeskBackend } from '../../../electron/backend/desk-backend';
import { TownFiles, addDesk, call, refusal, startDesk } from '../desk-sync/fixtures';
import { createDemande, postDemande, samplePdf, signInParent } from '../../support/create-demande';
import { freePort, startSmtpSink } from '../../support/smtp-sink';
import type { SmtpSink } from '../../support/smtp-sink';

const files = new TownFiles();
let database: OpenedDatabase;
let server: FastifyInstance | null = null;
let url: string;
let sink: SmtpSink | null = null;
const desks: DeskBackend[] = [];

beforeAll(async () => {
  await files.seed(30);
});
afterAll(() => files.dispose());

beforeEach(() => {
  database = openDatabase(files.serverCopy());
});

afterEach(async () => {
  for (const desk of desks.splice(0)) desk.close();
  await server?.close();
  server = null;
  await sink?.close();
  sink = null;
  database.close();
});

async function startServer(smtpUrl: string): Promise<void> {
  server = await buildServer({
    database,
    // `ignoreTLS`: the sink speaks plain SMTP on loopback. Retries come fast so the test does not wait 30 s.
    mail: { transport: smtpTransport(`${smtpUrl}?ignoreTLS=true`), retryBaseMs: 100, pollMs: 200 },
  });
  url = await server.listen({ host: '127.0.0.1', port: 0 });
}

async function newDesk(name: string): Promise<DeskBackend> {
  const deskId = addDesk(database.sqlite, `Poste ${name}`, name.toUpperCase());
  const desk = await startDesk({
    dbPath: files.path(name),
    serverUrl: url,
    deskToken: issueDeskToken(database.sqlite, deskId),
    sync: { events: false },
  });
  desks.push(desk);
  return desk;
}

async function waitFor<T>(
  read: () => T | undefined | null | false,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const REFUSAL =
  "Bonjour, le justificatif de domicile joint date de plus de trois mois : merci d'en déposer un récent.";

describe('demandes from the portal to the desk and back by e-mail', () => {
  it('creates, syncs, refuses with a message: history, thread and a French e-mail to the family', async () => {
    sink = await startSmtpSink();
    await startServer(sink.url);
    const desk = await newDesk('dm1');

    const created = await createDemande(url, {
      type: 'coordonnees',
      subject: "Changement d'adresse",
      details: { numero: '12', voie: 'rue des Lilas', code_postal: '49170', ville: 'Saint-Aubin-sur-Loire' },
      message: 'Nous avons déménagé le 1er du mois.',
      attachments: [
        {
          filename: 'facture-edf.pdf',
          bytes: samplePdf('Facture EDF'),
          qualification: 'justificatif_domicile',
        },
      ],
    });
    const maxBefore = (
      database.sqlite.prepare("SELECT value FROM counters WHERE name = 'demande'").get() as {
        value: number;
      }
    ).value;
    expect(created.number).toBe(maxBefore); // numbered from the seed's counter, in the same transaction
    expect(created.attachments).toBe(1);

    await call(desk, 'sync/now', undefined);
    const queue = await call(desk, 'demandes/list', { state: 'open', types: ['coordonnees'] });
    const item = queue.items.find((d) => d.id === created.demandeId);
    expect(item).toMatchObject({
      number: created.number,
      status: 'en_attente',
      attachments: 1,
      pending: false,
    });
    expect(
      (await call(desk, 'demandes/list', { state: 'open', olderThanHours: 48 })).items.map((d) => d.id),
    ).not.toContain(created.demandeId);

    const detail = await call(desk, 'demandes/get', { demandeId: created.demandeId });
    expect(detail.details).toContainEqual({ label: 'Voie', value: 'rue des Lilas' });
    expect(detail.messages.map((m) => m.body)).toEqual(['Nous avons déménagé le 1er du mois.']);
    expect(detail.pieces).toHaveLength(1);
    expect(detail.mailTo).toBe('parent1@demo.fr');
    // The attachment's bytes are fetched from the server on demand.
    const file = await call(desk, 'documents/file', { fileId: detail.pieces[0]!.files[0]!.id });
    expect(Buffer.from(file.base64, 'base64').toString('latin1')).toContain('Facture EDF');

    const decided = await call(desk, 'demandes/decide', {
      demandeId: created.demandeId,
      decision: 'refuser',
      message: REFUSAL,
    });
    expect(decided.status).toBe('refusee');
    expect((await call(desk, 'demandes/get', { demandeId: created.demandeId })).pending).toBe(true);
    // Refused at once when decided twice on the same desk.
    expect(
      (
        await refusal(desk, 'demandes/decide', {
          demandeId: created.demandeId,
          decision: 'accepter',
          message: 'Oui.',
        })
      ).code,
    ).toBe('DEMANDE_ALREADY_DECIDED');

    await call(desk, 'sync/now', undefined);
    const history = database.sqlite
      .prepare(
        'SELECT seq, status, comment, actor_kind FROM demande_events WHERE demande_id = ? ORDER BY seq',
      )
      .all(created.demandeId);
    expect(history).toEqual([
      { seq: 1, status: 'en_attente', comment: null, actor_kind: 'citoyen' },
      { seq: 2, status: 'refusee', comment: REFUSAL, actor_kind: 'agent' },
    ]);
    expect(
      database.sqlite
        .prepare('SELECT status, decided_at IS NOT NULL AS decided FROM demandes WHERE id = ?')
        .get(created.demandeId),
    ).toEqual({ status: 'refusee', decided: 1 });
    const thread = database.sqlite
      .prepare(
        `SELECT t.unread_household, m.author_kind, m.body FROM message_threads t JOIN messages m ON m.thread_id = t.id
         WHERE t.demande_id = ? ORDER BY m.sent_at`,
      )
      .all(created.demandeId) as { unread_household: number; author_kind: string; body: string }[];
    expect(thread.map((m) => [m.author_kind, m.body])).toEqual([
      ['citoyen', 'Nous avons déménagé le 1er du mois.'],
      ['agent', REFUSAL],
    ]);
    expect(thread[0]!.unread_household).toBe(1);

    const mail = await waitFor(() => sink!.messages[0], 'the e-mail');
    expect(mail.to).toEqual(['parent1@demo.fr']);
    expect(mail.subject).toBe(`Demande N° ${created.number} : refusée — Changement d'adresse`);
    expect(mail.text).toContain(`Votre demande N° ${created.number} « Changement d'adresse »`);
    expect(mail.text).toContain('a été refusée.');
    expect(mail.text).toContain(REFUSAL);
    await waitFor(
      () =>
        (
          database.sqlite
            .prepare('SELECT sent_at FROM mail_outbox WHERE ref_id = ?')
            .get(created.demandeId) as {
            sent_at: string | null;
          }
        ).sent_at,
      'the mail marked sent',
    );

    // The desk's replica now holds the server's truth: decided, no longer pending, out of the open queue.
    const after = await call(desk, 'demandes/get', { demandeId: created.demandeId });
    expect(after).toMatchObject({ status: 'refusee', pending: false });
    expect(after.history.map((h) => h.status)).toEqual(['en_attente', 'refusee']);
    expect((await call(desk, 'demandes/list', { state: 'open' })).items.map((d) => d.id)).not.toContain(
      created.demandeId,
    );
  });

  it('keeps the mail while the SMTP server is down and sends it once it is back', async () => {
    const port = await freePort();
    await startServer(`smtp://127.0.0.1:${port}`);
    const desk = await newDesk('dm2');
    const created = await createDemande(url, { type: 'qf', subject: 'Mise à jour du quotient familial' });
    await call(desk, 'sync/now', undefined);
    await call(desk, 'demandes/decide', {
      demandeId: created.demandeId,
      decision: 'accepter',
      message: 'Votre quotient familial est mis à jour à compter de ce mois.',
    });
    await call(desk, 'sync/now', undefined);

    const failed = await waitFor(
      () =>
        database.sqlite
          .prepare('SELECT attempts, last_error, sent_at FROM mail_outbox WHERE ref_id = ? AND attempts >= 2')
          .get(created.demandeId) as
          { attempts: number; last_error: string | null; sent_at: string | null } | undefined,
      'two failed attempts',
    );
    expect(failed.sent_at).toBeNull();
    expect(failed.last_error).toMatch(/ECONNREFUSED|connect/i);

    sink = await startSmtpSink(port);
    const mail = await waitFor(() => sink!.messages[0], 'the retried e-mail');
    expect(mail.subject).toContain('traitée positivement');
    expect(mail.text).toContain('a été traitée positivement.');
    expect(mail.text).toContain('Votre quotient familial est mis à jour à compter de ce mois.');
    await waitFor(
      () =>
        (
          database.sqlite
            .prepare('SELECT sent_at FROM mail_outbox WHERE ref_id = ?')
            .get(created.demandeId) as {
            sent_at: string | null;
          }
        ).sent_at,
      'the mail marked sent',
    );
    expect(sink.messages).toHaveLength(1);
  });

  it('refuses the second of two desks deciding the same demande offline, and lists it À traiter', async () => {
    sink = await startSmtpSink();
    await startServer(sink.url);
    const [a, b] = [await newDesk('dma'), await newDesk('dmb')];
    const created = await createDemande(url, { type: 'autre', subject: 'Attestation de paiement' });
    await call(a, 'sync/now', undefined);
    await call(b, 'sync/now', undefined);
    await call(a, 'demandes/decide', {
      demandeId: created.demandeId,
      decision: 'accepter',
      message: 'Attestation envoyée.',
    });
    await call(b, 'demandes/decide', {
      demandeId: created.demandeId,
      decision: 'refuser',
      message: 'Pas de paiement.',
    });
    await call(a, 'sync/now', undefined);
    await call(b, 'sync/now', undefined);

    expect(
      database.sqlite.prepare('SELECT status FROM demandes WHERE id = ?').get(created.demandeId),
    ).toEqual({
      status: 'traitee_positivement',
    });
    const toHandle = await call(b, 'sync/to-handle', undefined);
    expect(toHandle).toHaveLength(1);
    expect(toHandle[0]).toMatchObject({
      command: 'demande.decide',
      outcome: 'rejected',
      code: 'DEMANDE_ALREADY_DECIDED',
    });
    expect(toHandle[0]!.asked).toContain(`Refus de la demande N° ${created.number}`);
    expect((await call(b, 'demandes/get', { demandeId: created.demandeId })).status).toBe(
      'traitee_positivement',
    );
    await waitFor(() => sink!.messages.length === 1, 'one e-mail only');
  });

  it('refuses bad parent input with French messages: a program renamed .pdf, too many files', async () => {
    sink = await startSmtpSink();
    await startServer(sink.url);
    const cookie = await signInParent(url);
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(512, 1)]);
    const renamed = await postDemande(
      url,
      { type: 'document', subject: 'Certificat', attachments: [{ filename: 'certificat.pdf', bytes: exe }] },
      cookie,
    );
    expect(renamed.status).toBe(400);
    const body = (await renamed.json()) as { code: string; message: string };
    expect(body.code).toBe('FILE_TYPE_REFUSED');
    expect(body.message).toContain('« certificat.pdf » n’est pas un format accepté');

    const five = await postDemande(
      url,
      {
        type: 'document',
        subject: 'Pièces',
        attachments: [1, 2, 3, 4, 5].map((n) => ({ filename: `p${n}.pdf`, bytes: samplePdf(`p${n}`) })),
      },
      cookie,
    );
    expect(five.status).toBe(400);
    expect(((await five.json()) as { code: string }).code).toBe('TOO_MANY_FILES');

    const unsigned = await postDemande(url, { type: 'autre', subject: 'Sans session' }, 'gf_session=nope');
    expect(unsigned.status).toBe(401);
    // An Idempotency-Key makes a retried POST land once.
    const first = await createDemande(
      url,
      { type: 'autre', subject: 'Une seule fois' },
      { cookie, idempotencyKey: 'k-1' },
    );
    const again = await createDemande(
      url,
      { type: 'autre', subject: 'Une seule fois' },
      { cookie, idempotencyKey: 'k-1' },
    );
    expect(again.demandeId).toBe(first.demandeId);
  });
});
