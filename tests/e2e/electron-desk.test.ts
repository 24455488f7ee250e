// The real Electron window, where the binary exists: isolated renderer (no Node), `window.desk` present.
import { describe, expect, it } from 'vitest';
import { _electron as electron } from 'playwright-core';
import { resolve } from 'node:path';
import { findElectronBinary } from '../../scripts/electron-binary';

const lookup = findElectronBinary();
const binary = 'path' in lookup ? lookup.path : null;
if (!binary)
  console.log(
    `[electron-desk] skipped: ${'why' in lookup ? lookup.why : ''} — the desk is tested in Chromium instead.`,
  );

describe('the Electron desk window', () => {
  it.skipIf(!binary)('exposes window.desk to an isolated, Node-free renderer', async () => {
    const app = await electron.launch({
      executablePath: binary!,
      args: [resolve(import.meta.dirname, '../..'), '--no-sandbox'],
      env: { ...process.env, GF_SERVER_URL: 'http://127.0.0.1:9', GF_DESK_TOKEN: 'none' },
    });
    try {
      const window = await app.firstWindow();
      expect(await window.evaluate(() => typeof (window as unknown as { desk?: unknown }).desk)).toBe(
        'object',
      );
      expect(
        await window.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require),
      ).toBe('undefined');
    } finally {
      await app.close();
    }
  });
});
