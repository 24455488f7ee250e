// Electron main: one window, the desk backend wired to IPC, nothing else.
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  DESK_COMMANDS,
  DESK_EVENTS,
  DESK_EVENT_CHANNEL,
  DESK_INVOKE_CHANNEL,
  DESK_PRINT_CHANNEL,
} from '../contract';
import { printPdf } from './print-pdf';
import type { DeskCommand } from '../contract';
import { DeskBackend } from '../backend/desk-backend';
import { loadWindowState, trackWindowState } from './window-state';

const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-src 'self' blob:; base-uri 'none'; form-action 'none'";

// One desk window per machine: a second launch focuses the first (and never opens the desk database twice).
const primaryInstance = app.requestSingleInstanceLock();
if (!primaryInstance) app.quit();
// better-sqlite3 built for Electron's ABI by build/package-electron.sh (packaged: resources/native; from a checkout:
// .electron-sqlite/), for every connection the backend opens (db/open.ts reads GF_SQLITE_BINDING).
const electronSqlite = app.isPackaged
  ? join(process.resourcesPath, 'native', 'better_sqlite3.node')
  : join(app.getAppPath(), '.electron-sqlite', 'better_sqlite3.node');
if (existsSync(electronSqlite)) process.env.GF_SQLITE_BINDING ??= electronSqlite;

async function createWindow(backend: DeskBackend): Promise<BrowserWindow> {
  const state = loadWindowState(app.getPath('userData'));
  const window = new BrowserWindow({
    ...state.bounds,
    minWidth: 1024,
    minHeight: 700,
    title: 'Guichet Famille',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      // Chromium's PDF viewer, for the receipt and invoice previews (blob: frames only, see the CSP).
      plugins: true,
    },
  });
  if (state.maximized) window.maximize();
  trackWindowState(window, app.getPath('userData'));
  window.once('ready-to-show', () => window.show());
  for (const event of DESK_EVENTS) {
    backend.on(event, (payload) => window.webContents.send(DESK_EVENT_CHANNEL, event, payload));
  }
  // Navigation away from the app and new windows are refused.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  if (process.env.ELECTRON_RENDERER_URL) await window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await window.loadFile(join(__dirname, '../renderer/index.html'));
  return window;
}

void app.whenReady().then(async () => {
  if (!primaryInstance) return;
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    }),
  );
  const backend = new DeskBackend({
    dbPath: join(app.getPath('userData'), 'desk.sqlite'),
    serverUrl: process.env.GF_SERVER_URL ?? 'http://127.0.0.1:8080',
    deskToken: process.env.GF_DESK_TOKEN ?? '',
    requireSignIn: true,
    ...(process.env.GF_DESK_LOCK_MINUTES
      ? { autoLockMinutes: Number(process.env.GF_DESK_LOCK_MINUTES) }
      : {}),
  });
  await backend.start().catch((error: unknown) => console.error('[desk] start failed', error));
  const commands = new Set<string>(DESK_COMMANDS);
  ipcMain.handle(DESK_INVOKE_CHANNEL, (_event, name: string, args: unknown) => {
    if (!commands.has(name))
      return { ok: false, error: { code: 'UNKNOWN_COMMAND', message: `Commande inconnue : ${name}` } };
    return backend.invoke(name as DeskCommand, args as never);
  });
  ipcMain.handle(DESK_PRINT_CHANNEL, (_event, base64: unknown, title: unknown) => printPdf(base64, title));
  let window = await createWindow(backend);
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', async () => {
    if (BrowserWindow.getAllWindows().length === 0) window = await createWindow(backend);
  });
  app.on('will-quit', () => backend.close());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
