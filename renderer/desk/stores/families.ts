// Family search: results as the agent types; the newest query wins.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { HouseholdListItem } from '../../../electron/contract';
import { call } from '../api/desk-client';

export const useFamiliesStore = defineStore('families', () => {
  const query = ref('');
  const results = ref<HouseholdListItem[]>([]);
  const total = ref(0);
  const townName = ref('');
  const error = ref<string | null>(null);
  /** Bumped by the global shortcut (F2 / Ctrl+K); the search field focuses itself when it changes. */
  const focusRequest = ref(0);
  let lastRequest = 0;

  function requestFocus(): void {
    focusRequest.value += 1;
  }

  async function init(): Promise<void> {
    const town = await call('town/get', undefined);
    townName.value = town.name;
    total.value = town.householdCount;
    await search('');
  }

  async function search(text: string): Promise<void> {
    query.value = text;
    const request = ++lastRequest;
    try {
      const rows = await call('family/search', { query: text, limit: 50 });
      if (request === lastRequest) {
        results.value = rows;
        error.value = null;
      }
    } catch (caught) {
      if (request === lastRequest) error.value = (caught as Error).message;
    }
  }

  return { query, results, total, townName, error, focusRequest, requestFocus, init, search };
});
