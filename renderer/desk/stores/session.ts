// The agent at the counter: signed in or not, locked or not, with the roles screens use to hide what the agent
// cannot do (the backend checks again). The backend holds the session; this store mirrors it.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AgentRoleDto, SessionState, SignInArgs } from '../../../electron/contract';
import { DeskCallError, call } from '../api/desk-client';

export const useSessionStore = defineStore('session', () => {
  const state = ref<SessionState | null>(null);
  /** The French message of the last failed sign-in / unlock (or of an unreachable backend). */
  const error = ref<string | null>(null);
  const busy = ref(false);

  const agent = computed(() => state.value?.agent ?? null);
  const signedIn = computed(() => agent.value !== null);
  const locked = computed(() => state.value?.locked ?? false);
  /** Signed in and unlocked: the shell's screens may load their data. */
  const open = computed(() => signedIn.value && !locked.value);
  const permissions = computed(
    () => state.value?.permissions ?? { counter: false, reversePayment: false, administer: false },
  );
  const autoLockMinutes = computed(() => state.value?.autoLockMinutes ?? 10);

  function hasRole(role: AgentRoleDto): boolean {
    return agent.value?.roles.includes(role) ?? false;
  }

  async function run(action: () => Promise<SessionState>): Promise<boolean> {
    busy.value = true;
    try {
      state.value = await action();
      error.value = null;
      return true;
    } catch (caught) {
      error.value = caught instanceof DeskCallError ? caught.message : String(caught);
      return false;
    } finally {
      busy.value = false;
    }
  }

  const load = (): Promise<boolean> => run(() => call('session/current', undefined));
  const signIn = (args: SignInArgs): Promise<boolean> => run(() => call('session/sign-in', args));
  const unlock = (password: string): Promise<boolean> => run(() => call('session/unlock', { password }));
  const lock = (reason: 'manuel' | 'inactivite' = 'manuel'): Promise<boolean> =>
    run(() => call('session/lock', { reason }));
  const signOut = (): Promise<boolean> => run(() => call('session/sign-out', undefined));

  /** Tells the backend the agent is working; picks up a lock the backend decided. */
  async function touch(): Promise<void> {
    try {
      state.value = await call('session/touch', undefined);
    } catch {
      // The next refresh shows what is wrong.
    }
  }

  function clearError(): void {
    error.value = null;
  }

  return {
    state,
    error,
    busy,
    agent,
    signedIn,
    locked,
    open,
    permissions,
    autoLockMinutes,
    hasRole,
    load,
    signIn,
    unlock,
    lock,
    signOut,
    touch,
    clearError,
  };
});
