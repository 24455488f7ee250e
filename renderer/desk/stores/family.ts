// The family file open at the counter: loaded through `family/get`, reloaded when the replica changes under it
// (a pull brought the server's code, a pending edit settled), edited through `family/update`.
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { HouseholdForm, PersonForm } from '../features/famille/forms';
import { emptyHousehold, emptyPerson } from '../features/famille/forms';
import type {
  AccessLetterResult,
  FamilyChangeInput,
  FamilyCreateResult,
  FamilyDraft,
  FamilyFileDto,
  PossibleDuplicateDto,
} from '../../../electron/contract';
import { call, onDeskEvent } from '../api/desk-client';
import { useSyncStore } from './sync';

/** Tables whose change may alter the family file on screen. */
const FILE_TABLES = new Set([
  'households',
  'persons',
  'household_members',
  'person_relations',
  'authorisations',
  'health_notes',
  'qf_records',
  'inscriptions',
  'invoices',
  'payments',
  'payment_allocations',
  'documents',
  'demandes',
  'message_threads',
  'citizen_accounts',
  'audit_log',
]);

export const useFamilyStore = defineStore('family', () => {
  const file = ref<FamilyFileDto | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);
  let currentId: string | null = null;
  let lastRequest = 0;
  let unsubscribe: (() => void) | null = null;
  const sync = useSyncStore();

  // A local write (pending count) or pulled changes (cursor) may change the file on screen: the sync status is
  // watched from the shell's long-lived subscription, so no change is missed while a new stream connects.
  watch(
    () => [sync.status?.cursor, sync.status?.pending, sync.status?.toHandle],
    () => {
      if (currentId) void load(currentId);
    },
  );

  async function load(id: string): Promise<void> {
    if (currentId !== id) file.value = null;
    currentId = id;
    unsubscribe ??= onDeskEvent('data/changed', ({ tables }) => {
      if (currentId && tables.some((t) => FILE_TABLES.has(t))) void load(currentId);
    });
    const request = ++lastRequest;
    loading.value = true;
    try {
      const next = await call('family/get', { id });
      if (request !== lastRequest) return;
      file.value = next;
      error.value = null;
    } catch (caught) {
      if (request !== lastRequest) return;
      error.value = (caught as Error).message;
      // A family the server refused to create is gone from the replica: stop showing its stale file.
      if ((caught as { code?: string }).code === 'HOUSEHOLD_NOT_FOUND') file.value = null;
    } finally {
      if (request === lastRequest) loading.value = false;
    }
  }

  /** One edit; resolves with true when a command was recorded, false when nothing changed. */
  async function update(change: FamilyChangeInput): Promise<boolean> {
    if (!currentId) return false;
    const result = await call('family/update', { householdId: currentId, change });
    file.value = result.family;
    return result.opId !== null;
  }

  function checkDuplicates(draft: FamilyDraft): Promise<PossibleDuplicateDto[]> {
    return call('family/check-duplicates', { draft });
  }

  function create(draft: FamilyDraft, confirmedDuplicates: string[]): Promise<FamilyCreateResult> {
    return call('family/create', { draft, confirmedDuplicates });
  }

  function accessLetter(householdId: string): Promise<AccessLetterResult> {
    return call('family/access-letter', { householdId });
  }

  function close(): void {
    currentId = null;
    file.value = null;
  }

  return { file, error, loading, load, update, checkDuplicates, create, accessLetter, close };
});

export interface WizardState {
  step: number;
  titulaire: PersonForm;
  titulaireRelationship: string;
  withCoTitulaire: boolean;
  coTitulaire: PersonForm;
  household: HouseholdForm;
  children: PersonForm[];
  confirmed: boolean;
}

function freshWizard(): WizardState {
  return {
    step: 1,
    titulaire: emptyPerson({ country: '' }),
    titulaireRelationship: '',
    withCoTitulaire: false,
    coTitulaire: emptyPerson({ country: '' }),
    household: emptyHousehold(),
    children: [],
    confirmed: false,
  };
}

/** What the agent typed in the wizard, kept while they open a possible duplicate's file and come back. */
export const useFamilyWizardStore = defineStore('family-wizard', () => {
  const state = ref<WizardState>(freshWizard());
  function reset(): void {
    state.value = freshWizard();
  }
  return { state, reset };
});
