// Test helper: a parent signs in on the server's portal API and sends a demande (until the portal's screens
// exist, this is how tests and the demo town create demandes). Uses only the public HTTP API.
import { DEMO_PASSWORD } from '../../db/seed';

export interface DemandeAttachment {
  filename: string;
  bytes: Uint8Array;
  qualification?: string;
  title?: string;
}

export interface NewDemandeInput {
  type:
    | 'inscription'
    | 'reservation'
    | 'absence'
    | 'coordonnees'
    | 'qf'
    | 'prelevement'
    | 'facture_en_ligne'
    | 'document'
    | 'autre';
  subject: string;
  details?: Record<string, string | number | boolean>;
  message?: string;
  attachments?: DemandeAttachment[];
}

export interface CreatedDemande {
  demandeId: string;
  number: number;
  status: 'en_attente';
  createdAt: string;
  attachments: number;
}

/** Signs a parent in; returns the session cookie to send with portal calls. */
export async function signInParent(
  serverUrl: string,
  login = 'parent1@demo.fr',
  password = DEMO_PASSWORD,
): Promise<string> {
  const response = await fetch(new URL('/api/v1/session', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (!response.ok) throw new Error(`parent sign-in failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('gf_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

/** POST /api/v1/demandes as that parent; throws with the server's French message when refused. */
export async function createDemande(
  serverUrl: string,
  input: NewDemandeInput,
  options: { cookie?: string; login?: string; idempotencyKey?: string } = {},
): Promise<CreatedDemande> {
  const cookie = options.cookie ?? (await signInParent(serverUrl, options.login));
  const response = await postDemande(serverUrl, input, cookie, options.idempotencyKey);
  const body = (await response.json()) as CreatedDemande & { code?: string; message?: string };
  if (response.status !== 201) throw new Error(`${response.status} ${body.code}: ${body.message}`);
  return body;
}

/** The raw call, for tests that look at refusals. */
export function postDemande(
  serverUrl: string,
  input: NewDemandeInput,
  cookie: string,
  idempotencyKey?: string,
): Promise<Response> {
  return fetch(new URL('/api/v1/demandes', serverUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie,
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify({
      type: input.type,
      subject: input.subject,
      ...(input.details ? { details: input.details } : {}),
      ...(input.message ? { message: input.message } : {}),
      ...(input.attachments
        ? {
            attachments: input.attachments.map((a) => ({
              filename: a.filename,
              contentBase64: Buffer.from(a.bytes).toString('base64'),
              ...(a.qualification ? { qualification: a.qualification } : {}),
              ...(a.title ? { title: a.title } : {}),
            })),
          }
        : {}),
    }),
  });
}

/** A small valid PDF (one blank page), `padTo` bytes long when asked (to test size limits). */
export function samplePdf(text = 'Justificatif', padTo = 0): Buffer {
  const body = `%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length ${44 + text.length} >> stream
BT /F1 24 Tf 72 760 Td (${text}) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R >>
%%EOF
`;
  const pdf = Buffer.from(body, 'latin1');
  return padTo > pdf.length ? Buffer.concat([pdf, Buffer.alloc(padTo - pdf.length, 0x20)]) : pdf;
}
