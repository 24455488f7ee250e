// The inactivity watcher: keyboard and pointer input in the window tell the backend the agent is working (at most
// every TOUCH_EVERY_MS); with no input for the session's auto-lock delay, the desk locks itself. The backend keeps
// its own idle timer too (it locks on the next call if the window was closed or asleep).
import { onBeforeUnmount, onMounted } from 'vue';
import { useSessionStore } from '../../stores/session';

const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;
const TOUCH_EVERY_MS = 20_000;
const CHECK_EVERY_MS = 5_000;
/** How often the backend's view is read again (a lock decided there shows within this delay). */
const REFRESH_EVERY_MS = 30_000;

export function useInactivityWatcher(clock: () => number = Date.now): void {
  const session = useSessionStore();
  let lastInput = clock();
  let lastTouch = 0;
  let lastRefresh = clock();
  let timer: ReturnType<typeof setInterval> | null = null;

  function onInput(): void {
    lastInput = clock();
    if (session.open && lastInput - lastTouch >= TOUCH_EVERY_MS) {
      lastTouch = lastInput;
      void session.touch();
    }
  }

  async function check(): Promise<void> {
    const now = clock();
    if (session.open && session.autoLockMinutes > 0 && now - lastInput >= session.autoLockMinutes * 60_000) {
      await session.lock('inactivite');
      return;
    }
    if (session.signedIn && now - lastRefresh >= REFRESH_EVERY_MS) {
      lastRefresh = now;
      await session.load();
    }
  }

  onMounted(() => {
    for (const event of INPUT_EVENTS)
      window.addEventListener(event, onInput, { passive: true, capture: true });
    timer = setInterval(() => void check(), CHECK_EVERY_MS);
  });
  onBeforeUnmount(() => {
    for (const event of INPUT_EVENTS) window.removeEventListener(event, onInput, { capture: true });
    if (timer) clearInterval(timer);
  });
}
