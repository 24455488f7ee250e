// Keeps the desk window where the agent left it (bounds and maximised state) across restarts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { screen } from 'electron';
import type { BrowserWindow, Rectangle } from 'electron';

interface WindowState {
  bounds: Partial<Rectangle> & { width: number; height: number };
  maximized: boolean;
}

const DEFAULT_STATE: WindowState = { bounds: { width: 1366, height: 768 }, maximized: false };
const fileOf = (userData: string): string => join(userData, 'window-state.json');

/** True when the saved position still shows on a connected screen (a second monitor may have gone). */
function onAScreen(bounds: WindowState['bounds']): boolean {
  if (bounds.x === undefined || bounds.y === undefined) return true;
  const { x, y, width } = bounds;
  return screen
    .getAllDisplays()
    .some(
      ({ workArea: a }) =>
        x + width > a.x + 50 && x < a.x + a.width - 50 && y >= a.y - 10 && y < a.y + a.height - 50,
    );
}

/** Call once the app is ready (it reads the screens). */
export function loadWindowState(userData: string): WindowState {
  try {
    const parsed = JSON.parse(readFileSync(fileOf(userData), 'utf8')) as WindowState;
    if (parsed.bounds.width > 200 && parsed.bounds.height > 200) {
      if (onAScreen(parsed.bounds)) return parsed;
      return {
        bounds: { width: parsed.bounds.width, height: parsed.bounds.height },
        maximized: parsed.maximized,
      };
    }
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
