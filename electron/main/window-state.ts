// Keeps the desk window where the agent left it (bounds and maximised state) across restarts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';

interface WindowState {
  bounds: Partial<Rectangle> & { width: number; height: number };
  maximized: boolean;
}

const DEFAULT_STATE: WindowState = { bounds: { width: 1366, height: 768 }, maximized: false };
const fileOf = (userData: string): string => join(userData, 'window-state.json');

export function loadWindowState(userData: string): WindowState {
  try {
    const parsed = JSON.parse(readFileSync(fileOf(userData), 'utf8')) as WindowState;
    if (parsed.bounds.width > 200 && parsed.bounds.height > 200) return parsed;
  } catch {
    // First start or unreadable file: defaults.
  }
  return DEFAULT_STATE;
}

export function trackWindowState(window: BrowserWindow, userData: string): void {
  const save = (): void => {
    const state: WindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
    writeFileSync(fileOf(userData), JSON.stringify(state));
  };
  window.on('close', save);
}
