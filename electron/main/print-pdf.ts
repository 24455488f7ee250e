// Prints a PDF built by the desk backend through the system print dialog: the bytes go to a temporary file,
// a hidden window with Chromium's PDF viewer loads it, and `webContents.print` shows the dialog.
import { BrowserWindow } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeskResult } from '../contract';

const MAX_PDF_BYTES = 20 * 1024 * 1024;

export async function printPdf(base64: unknown, title: unknown): Promise<DeskResult<{ printed: boolean }>> {
  if (typeof base64 !== 'string' || base64.length === 0 || base64.length > (MAX_PDF_BYTES * 4) / 3) {
    return { ok: false, error: { code: 'PRINT_INVALID', message: 'Document à imprimer invalide.' } };
  }
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') {
    return { ok: false, error: { code: 'PRINT_INVALID', message: 'Document à imprimer invalide.' } };
  }
  const dir = await mkdtemp(join(tmpdir(), 'gf-print-'));
  const file = join(dir, 'document.pdf');
  const window = new BrowserWindow({
    show: false,
    title: typeof title === 'string' ? title : 'Guichet Famille',
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, plugins: true },
  });
  try {
    await writeFile(file, bytes);
    await window.loadFile(file);
    const printed = await new Promise<boolean>((resolve) => {
      window.webContents.print({ silent: false, printBackground: true }, (success) => resolve(success));
    });
    return { ok: true, value: { printed } };
  } catch (error) {
    return {
      ok: false,
      error: { code: 'PRINT_FAILED', message: `L’impression a échoué : ${(error as Error).message}` },
    };
  } finally {
    window.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
