import type { Bool, Day, Defaulted, Id, Instant } from './common';
import type { AgeGroup, AttendanceStatus, BookingSource, BookingState, InscriptionStatus } from './enums';

export interface InscriptionsTable {
  id: Id;
  person_id: Id;
  household_id: Id;
  activity_id: Id;
  site_id: Id;
  period_id: Id;
  age_group: AgeGroup;
  status: Defaulted<InscriptionStatus>;
  demande_id: Id | null;
  requested_at: Instant;
  decided_at: Instant | null;
  decided_by_agent_id: Id | null;
  refusal_reason: string | null;
  updated_at: Instant;
}

/** Unique (person_id, unit_id, day): cancelling and re-booking update one row. */
export interface BookingsTable {
  id: Id;
  person_id: Id;
  household_id: Id;
  inscription_id: Id;
  activity_id: Id;
  site_id: Id;
  unit_id: Id;
  day: Day;
  age_group: AgeGroup;
  state: Defaulted<BookingState>;
  source: BookingSource;
  demande_id: Id | null;
  origin_op_id: string | null;
  /** Why an agent overrode a rule, or why the server refused / waitlisted. */
  reason: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface AttendanceTable {
  id: Id;
  person_id: Id;
  booking_id: Id | null;
  site_id: Id;
  unit_id: Id;
  day: Day;
  status: AttendanceStatus;
  comment: string | null;
  recorded_by_agent_id: Id;
  recorded_at: Instant;
  updated_at: Instant;
}

export interface AbsencesTable {
  id: Id;
  person_id: Id;
  household_id: Id;
  start_day: Day;
  end_day: Day;
  comment: string | null;
  justified: Defaulted<Bool>;
  charge_cancelled: Defaulted<Bool>;
  demande_id: Id | null;
  decided_by_agent_id: Id | null;
  decided_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
  /** The justificatif attached (migration 0015). */
  document_id: Id | null;
}
