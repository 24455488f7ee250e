// Small display rules shared by the demandes screens.
import { DEMANDE_TYPES, DEMANDE_TYPE_LABELS } from '../../../../core/demandes/labels';
import type { DemandeStatusDto } from '../../../../electron/contract';

export function statusColor(status: DemandeStatusDto): string {
  switch (status) {
    case 'en_attente':
      return 'warning';
    case 'en_cours':
      return 'info';
    case 'traitee_positivement':
      return 'success';
    case 'refusee':
      return 'error';
  }
}

/** Age filters of the queue, in hours (0: any). */
export const AGE_FILTERS = [
  { key: 'any', hours: 0 },
  { key: 'h24', hours: 24 },
  { key: 'h48', hours: 48 },
  { key: 'week', hours: 168 },
] as const;
export type AgeFilterKey = (typeof AGE_FILTERS)[number]['key'];

/** The types a demande can have, with their French labels (core/demandes/labels.ts), for the filters. */
export const DEMANDE_TYPE_OPTIONS = DEMANDE_TYPES.map((value) => ({
  value,
  title: DEMANDE_TYPE_LABELS[value],
}));
