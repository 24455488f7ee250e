// The récapitulatif's entries: one per child, built from a grid's data and selection (pure).
import type { BookingGridData, GridChange, GridSelection } from '../../../../core/booking/grid';
import { estimateCents, gridChanges } from '../../../../core/booking/grid';

export interface RecapEntry {
  personId: string;
  childName: string;
  activityName: string;
  siteName: string;
  changes: GridChange[];
  /** Days not applied (a sibling's closed or late days), with why. */
  skipped: { day: string; reason: string }[];
  estimateCents: number | null;
  waitlistAllowed: boolean;
}

export function recapEntry(
  data: BookingGridData,
  selection: GridSelection,
  skipped: { day: string; reason: string }[] = [],
): RecapEntry {
  const changes = gridChanges(data, selection);
  return {
    personId: data.personId,
    childName: data.childName,
    activityName: data.activity.name,
    siteName: data.site.name,
    changes,
    skipped,
    estimateCents: estimateCents(changes, data.unitPrices),
    waitlistAllowed: data.waitlistAllowed,
  };
}
