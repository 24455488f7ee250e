// Desk contract, planning commands (booking grid, inscriptions, absences): argument and result types shared by
// the backend and renderer/desk. The grid's data type lives in core (core/booking/grid.ts) so the portal's grid
// component reads the same shape.
import type { BookingGridData } from '../../core/booking/grid';
import type { UnitCode } from '../../core/booking/units';
import type { AgeGroup, InscriptionStatus } from '../../core/inscriptions';
import type { BookingUnitState } from './index';

export interface BookingGridArgs {
  personId: string;
  activityId: string;
  siteId: string;
  /** YYYY-MM-DD, both included (at most 400 days). */
  from: string;
  to: string;
}

/** One child-day of a validated grid: the units the child should have (the desired set). */
export interface BookingSetDaysItem {
  personId: string;
  siteId: string;
  day: string;
  units: UnitCode[];
}

/** booking/set-days: a validated grid (one child or several siblings), in one transaction, one op per day. */
export interface BookingSetDaysArgs {
  activityId: string;
  items: BookingSetDaysItem[];
  /** Required when a day is past its deadline; logged. */
  overrideReason?: string;
}

export interface BookingSetDaysResult {
  /** Days recorded (a day already exactly as asked records nothing). */
  written: number;
  days: { personId: string; day: string; opId: string | null; units: BookingUnitState[] }[];
}

export interface InscriptionItem {
  id: string;
  activityId: string;
  activityName: string;
  activityKind: string;
  siteId: string;
  siteName: string;
  periodId: string;
  periodLabel: string;
  start: string;
  end: string;
  ageGroup: AgeGroup;
  status: InscriptionStatus;
  /** Asked by the parents (portal demande). */
  fromPortal: boolean;
  requestedAt: string;
  decidedAt: string | null;
  refusalReason: string | null;
  /** Recorded or decided at this desk, not yet confirmed by the server. */
  pending: boolean;
}

export interface AbsenceItem {
  id: string;
  from: string;
  to: string;
  comment: string | null;
  justified: boolean;
  chargeCancelled: boolean;
  documentTitle: string | null;
  createdAt: string;
  pending: boolean;
}

export interface PlanningChild {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  schoolLevel: AgeGroup | null;
  classLevel: string | null;
  /** Régime sans viande (health notes): *Tout cocher* ticks Repas-SV. */
  noMeat: boolean;
  inscriptions: InscriptionItem[];
  absences: AbsenceItem[];
}

export interface DocumentChoice {
  id: string;
  title: string;
  qualification: string;
  qualificationLabel: string;
  personId: string | null;
  validUntil: string | null;
}

export interface PlanningHousehold {
  householdId: string;
  code: string;
  children: PlanningChild[];
  /** The family file's documents (justificatifs to attach). */
  documents: DocumentChoice[];
  /** Today in Paris by the desk's estimate of server time. */
  today: string;
}

export interface CatalogActivity {
  id: string;
  name: string;
  kind: string;
  requiredDocuments: { code: string; label: string }[];
  sites: { id: string; name: string; kind: string; ageGroups: AgeGroup[] }[];
  /** Periods not over yet. */
  periods: { id: string; label: string; start: string; end: string }[];
}

export interface InscriptionArgs {
  personId: string;
  activityId: string;
  siteId: string;
  periodId: string;
}

export interface InscriptionCheckResult {
  ageGroup: AgeGroup | null;
  missingDocuments: { code: string; label: string }[];
  /** What would refuse the inscription (age, period over, already registered); null when it may be recorded. */
  problem: { code: string; message: string } | null;
}

export interface InscriptionCreateArgs extends InscriptionArgs {
  /** `validee`: registered at once; `demandee`: a request waiting for the pieces. */
  status: 'validee' | 'demandee';
  /** Required to validate without every required document; logged. */
  overrideReason?: string;
}

export interface AbsenceArgs {
  personId: string;
  from: string;
  to: string;
}

export interface AbsenceBookingItem {
  day: string;
  activityName: string;
  units: UnitCode[];
}

export interface AbsencePreview {
  /** Bookings still in time: cancelled by the absence (not charged). */
  cancelled: AbsenceBookingItem[];
  /** Bookings past the deadline: they stay; charged unless the charge is cancelled. */
  kept: AbsenceBookingItem[];
}

export interface AbsenceRecordArgs extends AbsenceArgs {
  comment?: string;
  justified: boolean;
  chargeCancelled: boolean;
  documentId?: string;
}

export interface PlanningApi {
  /** A child's booking grid over a range of days (places left, deadlines, states). */
  'booking/grid': { args: BookingGridArgs; result: BookingGridData };
  'booking/set-days': { args: BookingSetDaysArgs; result: BookingSetDaysResult };
  'planning/household': { args: { householdId: string }; result: PlanningHousehold };
  'planning/catalog': { args: void; result: CatalogActivity[] };
  'inscription/check': { args: InscriptionArgs; result: InscriptionCheckResult };
  'inscription/create': {
    args: InscriptionCreateArgs;
    result: { opId: string; inscriptionId: string; missingDocuments: string[] };
  };
  'inscription/decide': {
    args: { inscriptionId: string; decision: 'validee' | 'refusee'; reason?: string };
    result: { opId: string };
  };
  'absence/preview': { args: AbsenceArgs; result: AbsencePreview };
  'absence/record': {
    args: AbsenceRecordArgs;
    result: { opId: string; absenceId: string; cancelled: number; kept: number };
  };
}

export const PLANNING_COMMANDS = [
  'booking/grid',
  'booking/set-days',
  'planning/household',
  'planning/catalog',
  'inscription/check',
  'inscription/create',
  'inscription/decide',
  'absence/preview',
  'absence/record',
] as const satisfies readonly (keyof PlanningApi)[];
