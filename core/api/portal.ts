// Wire types of the portal API, shared by server/ (which builds them) and renderer/portal (which shows them).

export interface PublicTown {
  name: string;
  address: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
}

export interface PublicSite {
  id: string;
  name: string;
  kind: string;
}

export interface PublicActivity {
  id: string;
  code: string;
  name: string;
  kind: string;
  units: { code: string; label: string }[];
}

export interface PublicPublication {
  id: string;
  title: string;
  body: string;
  publishedOn: string;
}

/** GET /api/v1/public/home */
export interface PublicHome {
  town: PublicTown;
  sites: PublicSite[];
  activities: PublicActivity[];
  news: PublicPublication[];
  infos: PublicPublication[];
}
