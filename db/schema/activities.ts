import type { Bool, Day, Defaulted, Id, Instant, Json } from './common';
import type { ActivityKind, AgeGroup, UnitCode, UnitRuleKind } from './enums';

export interface ActivitiesTable {
  id: Id;
  code: string;
  name: string;
  kind: ActivityKind;
  description: string | null;
  /** Booking notice rule, interpreted by core. */
  deadline_json: Defaulted<Json>;
  waitlist_allowed: Defaulted<Bool>;
  /** JSON array of document qualifications. */
  required_documents_json: Defaulted<Json>;
  position: Defaulted<number>;
  active: Defaulted<Bool>;
  created_at: Instant;
  updated_at: Instant;
}

/** Primary key (activity_id, site_id). */
export interface ActivitySitesTable {
  activity_id: Id;
  site_id: Id;
  updated_at: Instant;
}

export interface PeriodsTable {
  id: Id;
  activity_id: Id;
  label: string;
  start_day: Day;
  end_day: Day;
  booking_opens_on: Day;
  booking_closes_on: Day | null;
  reinscription_from: Day;
  reinscription_to: Day;
  updated_at: Instant;
}

export interface OpeningDaysTable {
  id: Id;
  period_id: Id;
  site_id: Id;
  day: Day;
  updated_at: Instant;
}

/** NULL site = every site; NULL activity = every activity. */
export interface ClosuresTable {
  id: Id;
  site_id: Id | null;
  activity_id: Id | null;
  start_day: Day;
  end_day: Day;
  label: string;
  updated_at: Instant;
}

export interface UnitsTable {
  id: Id;
  activity_id: Id;
  code: UnitCode;
  label: string;
  position: number;
  /** Local 'HH:MM'. */
  start_time: string | null;
  end_time: string | null;
  updated_at: Instant;
}

export interface UnitRulesTable {
  id: Id;
  activity_id: Id;
  kind: UnitRuleKind;
  unit_id: Id;
  /** JSON array of unit ids. */
  other_unit_ids_json: Defaulted<Json>;
  updated_at: Instant;
}

/** `taken` ≤ `places` is guarded by the server's conditional UPDATE, not by a CHECK. */
export interface CapacitiesTable {
  id: Id;
  site_id: Id;
  activity_id: Id;
  unit_id: Id;
  day: Day;
  age_group: AgeGroup;
  places: number;
  taken: Defaulted<number>;
  updated_at: Instant;
}
