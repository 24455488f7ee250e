// Sync status of this desk, kept fresh by the backend's events.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SyncStatus } from '../../../electron/contract';
import { call, onDeskEvent } from '../api/desk-client';

export const useSyncStore = defineStore('sync', () => {
  const status = ref<SyncStatus | null>(null);
  const busy = ref(false);

  async function load(): Promise<void> {
    status.value = await call('sync/status', undefined);
    onDeskEvent('sync/status', (next) => (status.value = next));
  }

  async function refresh(): Promise<void> {
    busy.value = true;
    try {
      status.value = await call('sync/pull-snapshot', undefined);
    } finally {
      busy.value = false;
    }
  }

  return { status, busy, load, refresh };
});
