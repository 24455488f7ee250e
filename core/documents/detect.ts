// What a file is, from its bytes (magic numbers, via file-type), never from its name.
import type * as FileTypeCore from 'file-type/core';
import { checkPieceFile } from './pieces';
import type { DetectedType } from './pieces';

/** file-type is ESM-only: loaded on first use (the desk's Electron main is bundled as CommonJS). */
let loading: Promise<typeof FileTypeCore> | null = null;

export async function detectFileType(bytes: Uint8Array): Promise<DetectedType | null> {
  loading ??= import('file-type/core');
  const found = await (await loading).fileTypeFromBuffer(bytes);
  return found ? { ext: found.ext, mime: found.mime } : null;
}

/** Checks one file of a piece by its content; returns the content type to store, or throws in French. */
export async function checkPieceBytes(name: string, bytes: Uint8Array): Promise<{ contentType: string }> {
  const detected = bytes.length === 0 ? null : await detectFileType(bytes);
  return checkPieceFile({ name, size: bytes.length, detected });
}
