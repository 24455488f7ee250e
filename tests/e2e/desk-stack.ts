// The set-up the desk's e2e files share: a demo stack (server, desk backend and its HTTP bridge) on a fresh data
// folder, Debian's Chromium and one French page at the size the desk is used at (1366×768); the bridge call the
// page makes; text as read on screen.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { DeskArgs, DeskCommand, DeskResult, DeskReturn } from '../../electron/contract';
import { DESK_RENDERER_DIR, PORTAL_DIR, startDemoStack } from '../../scripts/demo-stack';
import type { DemoStack } from '../../scripts/demo-stack';
import { launchChromium } from './browser';

export const SHOTS = 'test-results/screenshots';

export interface DeskStackOptions {
  /** Demo town size and seed (default 60 families, seed 7). */
  families?: number;
  seed?: number;
  /** The portal is used too: check that it is built. */
  portal?: boolean;
  /** Extra page options (downloads…). */
  page?: BrowserContextOptions;
}

export interface OpenedDeskStack {
  dataDir: string;
  stack: DemoStack;
  browser: Browser;
  page: Page;
}

/** Starts the stack in a fresh folder named after `name`, then Chromium and its page (page errors logged). */
export async function openDeskStack(name: string, options: DeskStackOptions = {}): Promise<OpenedDeskStack> {
  for (const dir of options.portal ? [PORTAL_DIR, DESK_RENDERER_DIR] : [DESK_RENDERER_DIR]) {
    if (!existsSync(join(dir, 'index.html')))
      throw new Error(`${dir} is not built: run \`npm run build\` first`);
  }
  mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), `gf-e2e-${name}-`));
  const stack = await startDemoStack({
    dataDir,
    families: options.families ?? 60,
    seed: options.seed ?? 7,
    serverPort: 0,
    deskPort: 0,
  });
  const browser = await launchChromium();
  const page = await browser.newPage({
    viewport: { width: 1366, height: 768 },
    locale: 'fr-FR',
    ...options.page,
  });
  page.on('pageerror', (error) => console.error('[page]', error.message));
  return { dataDir, stack, browser, page };
}

/** Closes what `openDeskStack` opened (any part may be missing when it failed half-way). */
export async function closeDeskStack(opened: Partial<OpenedDeskStack>): Promise<void> {
  await opened.browser?.close();
  await opened.stack?.stop();
  if (opened.dataDir) rmSync(opened.dataDir, { recursive: true, force: true });
}

/** A desk command through the bridge the page uses (same backend, same signed-in agent). */
export function deskInvoker(
  stack: () => DemoStack,
): <K extends DeskCommand>(name: K, args: DeskArgs<K>) => Promise<DeskReturn<K>> {
  return async (name, args) => {
    const response = await fetch(`${stack().deskUrl}/desk/invoke/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args ?? {}),
    });
    const result = (await response.json()) as DeskResult<DeskReturn<typeof name>>;
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value;
  };
}

/** Text as read on screen, no-break spaces (amounts: "1 234,56 €") as plain spaces. */
export function plain(text: string | null): string {
  return (text ?? '').replace(/[\u00a0\u202f]/g, ' ');
}
