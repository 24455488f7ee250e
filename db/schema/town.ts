import type { Bool, Day, Defaulted, Id, Instant, Json } from './common';
import type { SiteKind } from './enums';

/** Content-addressed file. `data` is NULL until the content has been transferred. */
export interface BlobsTable {
  hash: string;
  size: number;
  content_type: string;
  data: Uint8Array | null;
  created_at: Instant;
}

export interface TownsTable {
  id: Id;
  name: string;
  insee_code: string;
  street: string | null;
  postcode: string | null;
  city: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  logo_blob_hash: string | null;
  settings_json: Defaulted<Json>;
  created_at: Instant;
  updated_at: Instant;
}

export interface SitesTable {
  id: Id;
  name: string;
  kind: SiteKind;
  address: string | null;
  postcode: string | null;
  city: string | null;
  phone: string | null;
  active: Defaulted<Bool>;
  created_at: Instant;
  updated_at: Instant;
}

export interface SchoolHolidayPeriodsTable {
  id: Id;
  label: string;
  code: string;
  start_day: Day;
  end_day: Day;
  updated_at: Instant;
}
