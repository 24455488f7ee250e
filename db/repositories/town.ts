/**
 * The town and its reference data as the portal's public pages and the desk
 * show them: the town, its sites, its activities with their units, and the
 * publications currently online.
 */
import type { Kysely } from 'kysely';
import type { Database, PublicationKind, Row } from '../schema';

export interface ActivityWithUnits extends Row<'activities'> {
  /** Ordered by position. */
  units: Row<'units'>[];
  /** Sites where the activity runs. */
  siteIds: string[];
}

/** The town (one row), or null before the first setup. */
export async function getTown(db: Kysely<Database>): Promise<Row<'towns'> | null> {
  const town = await db.selectFrom('towns').selectAll().orderBy('created_at').limit(1).executeTakeFirst();
  return town ?? null;
}

/** Active sites by name (all sites with `includeInactive`). */
export async function listSites(
  db: Kysely<Database>,
  opts: { includeInactive?: boolean } = {},
): Promise<Row<'sites'>[]> {
  let query = db.selectFrom('sites').selectAll();
  if (!opts.includeInactive) query = query.where('active', '=', 1);
  return query.orderBy('name').orderBy('id').execute();
}

/** Active activities (all with `includeInactive`) in display order, each with its units and sites. */
export async function listActivities(
  db: Kysely<Database>,
  opts: { includeInactive?: boolean } = {},
): Promise<ActivityWithUnits[]> {
  let query = db.selectFrom('activities').selectAll();
  if (!opts.includeInactive) query = query.where('active', '=', 1);
  const activities = await query.orderBy('position').orderBy('name').execute();
  if (activities.length === 0) return [];
  const ids = activities.map((a) => a.id);
  const [units, sites] = await Promise.all([
    db
      .selectFrom('units')
      .selectAll()
      .where('activity_id', 'in', ids)
      .orderBy('position')
      .orderBy('code')
      .execute(),
    db
      .selectFrom('activity_sites')
      .select(['activity_id', 'site_id'])
      .where('activity_id', 'in', ids)
      .orderBy('site_id')
      .execute(),
  ]);
  return activities.map((activity) => ({
    ...activity,
    units: units.filter((u) => u.activity_id === activity.id),
    siteIds: sites.filter((s) => s.activity_id === activity.id).map((s) => s.site_id),
  }));
}

/** Today's calendar day in Europe/Paris, 'YYYY-MM-DD'. */
export function parisToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/**
 * Publications online on `onDay` (default: today in Paris) — published on or
 * before it, not expired before it — newest first.
 */
export async function listPublications(
  db: Kysely<Database>,
  opts: { kind?: PublicationKind; limit?: number; onDay?: string } = {},
): Promise<Row<'publications'>[]> {
  const day = opts.onDay ?? parisToday();
  let query = db
    .selectFrom('publications')
    .selectAll()
    .where('published_on', '<=', day)
    .where((eb) => eb.or([eb('expires_on', 'is', null), eb('expires_on', '>=', day)]));
  if (opts.kind !== undefined) query = query.where('kind', '=', opts.kind);
  return query
    .orderBy('published_on', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(Math.trunc(opts.limit ?? 20), 0), 200))
    .execute();
}
