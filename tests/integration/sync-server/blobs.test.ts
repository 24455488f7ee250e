// Scans travel apart from metadata: a resumable, chunked, hash-verified upload, then a download.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from './harness';
import type { TestServer } from './harness';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(15, 10);
});

afterAll(async () => {
  await server?.close();
});

const blobUrl = (hash: string): string => `${server.url}/sync/v1/blobs/${hash}`;

function patch(hash: string, chunk: Buffer, offset: number, length: number): Promise<Response> {
  return fetch(blobUrl(hash), {
    method: 'PATCH',
    headers: {
      ...server.headers(server.desk.token),
      'content-type': 'application/offset+octet-stream',
      'upload-offset': String(offset),
      'upload-length': String(length),
      'x-gf-content-type': 'application/pdf',
    },
    body: chunk,
  });
}

async function offsetOf(hash: string): Promise<{ offset: number; complete: boolean }> {
  const response = await fetch(blobUrl(hash), { method: 'HEAD', headers: server.headers(server.desk.token) });
  expect(response.status).toBe(200);
  return {
    offset: Number(response.headers.get('upload-offset')),
    complete: response.headers.get('x-gf-blob-complete') === '1',
  };
}

describe('blob uploads', () => {
  it('resumes an interrupted upload where the server stopped, verifies the SHA-256 and serves the file', async () => {
    const file = randomBytes(300_000);
    const hash = createHash('sha256').update(file).digest('hex');
    expect(await offsetOf(hash)).toEqual({ offset: 0, complete: false });

    expect((await patch(hash, file.subarray(0, 120_000), 0, file.length)).status).toBe(200);
    // The connection drops; the desk asks where to resume.
    expect(await offsetOf(hash)).toEqual({ offset: 120_000, complete: false });

    const wrongPlace = await patch(hash, file.subarray(0, 120_000), 0, file.length);
    expect(wrongPlace.status).toBe(409);
    expect(wrongPlace.headers.get('upload-offset')).toBe('120000');

    const rest = await patch(hash, file.subarray(120_000), 120_000, file.length);
    expect(rest.status).toBe(200);
    expect(await rest.json()).toEqual({ offset: file.length, complete: true });
    expect(await offsetOf(hash)).toEqual({ offset: file.length, complete: true });

    const download = await fetch(blobUrl(hash), { headers: server.headers(server.desk.token) });
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await download.arrayBuffer()).equals(file)).toBe(true);
  });

  it('refuses bytes that do not match their hash, keeps nothing, and lets the desk start again', async () => {
    const file = randomBytes(50_000);
    const hash = createHash('sha256').update(file).digest('hex');
    const damaged = Buffer.from(file);
    damaged[100] = (damaged[100] ?? 0) ^ 0xff;

    const response = await patch(hash, damaged, 0, damaged.length);

    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      code: 'BLOB_HASH_MISMATCH',
      message: expect.stringMatching(/renvoyez-le/),
    });
    expect(server.count('SELECT COUNT(*) FROM blobs WHERE hash = ?', hash)).toBe(0);
    expect(await offsetOf(hash)).toEqual({ offset: 0, complete: false });
    expect((await patch(hash, file, 0, file.length)).status).toBe(200);
    expect(server.count('SELECT size FROM blobs WHERE hash = ? AND data IS NOT NULL', hash)).toBe(
      file.length,
    );
  });

  it('answers 404 for a blob the server does not hold, and 401 to a desk without a token', async () => {
    const hash = createHash('sha256').update('absent').digest('hex');
    expect((await fetch(blobUrl(hash), { headers: server.headers(server.desk.token) })).status).toBe(404);
    expect((await fetch(blobUrl(hash), { headers: server.headers('nope') })).status).toBe(401);
  });
});
