// À traiter: offline actions the server refused or waitlisted, with the family to call. Refreshed on sync events.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ToHandleItem } from '../../../electron/contract';
import { call, onDeskEvent } from '../api/desk-client';

export const useToHandleStore = defineStore('to-handle', () => {
  const items = ref<ToHandleItem[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let listening = false;

  async function load(): Promise<void> {
    loading.value = true;
    try {
      items.value = await call('sync/to-handle', undefined);
      error.value = null;
    } catch (caught) {
      error.value = (caught as Error).message;
    } finally {
      loading.value = false;
    }
    if (!listening) {
      listening = true;
      onDeskEvent('sync/status', () => void load());
    }
  }

  async function acknowledge(opId: string): Promise<void> {
    await call('sync/acknowledge', { opId });
    items.value = items.value.filter((item) => item.opId !== opId);
  }

  return { items, loading, error, load, acknowledge };
});
