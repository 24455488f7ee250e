// Finding real cases in the seeded town: a child who may be booked on a day, an unpaid invoice, capacity rows.
import type BetterSqlite3 from 'better-sqlite3';

export interface BookableDay {
  personId: string;
  householdId: string;
  activityId: string;
  siteId: string;
  ageGroup: string;
  day: string;
}

/**
 * A child with a validated inscription to `activityCode`, on an opening day ≥ `from`, without an active
 * booking of that activity that day, where every unit in `units` still has a free place.
 */
export function findBookableDay(
  sqlite: BetterSqlite3.Database,
  options: {
    activityCode: string;
    from: string;
    units: string[];
    householdId?: string;
    excludePersons?: string[];
    /** Same day, site and age group as another case (to make two children compete for one place). */
    sameSlotAs?: BookableDay;
  },
): BookableDay {
  const found = sqlite
    .prepare(
      `SELECT i.person_id AS personId, i.household_id AS householdId, i.activity_id AS activityId, i.site_id AS siteId,
              i.age_group AS ageGroup, o.day
         FROM inscriptions i
         JOIN activities a ON a.id = i.activity_id AND a.code = @code
         JOIN periods p ON p.id = i.period_id
         JOIN opening_days o ON o.period_id = i.period_id AND o.site_id = i.site_id
        WHERE i.status = 'validee' AND o.day >= @from AND o.day BETWEEN p.start_day AND p.end_day
          AND (@household IS NULL OR i.household_id = @household)
          AND (@slotDay IS NULL OR (o.day = @slotDay AND i.site_id = @slotSite AND i.age_group = @slotAge))
          AND i.person_id NOT IN (SELECT value FROM json_each(@exclude))
          AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.person_id = i.person_id AND b.day = o.day
                            AND b.activity_id = i.activity_id AND b.state IN ('reservee', 'en_attente'))
          AND NOT EXISTS (SELECT 1 FROM closures c WHERE (c.site_id IS NULL OR c.site_id = i.site_id)
                            AND (c.activity_id IS NULL OR c.activity_id = i.activity_id)
                            AND o.day BETWEEN c.start_day AND c.end_day)
          AND (SELECT COUNT(*) FROM units u JOIN capacities cap ON cap.unit_id = u.id AND cap.site_id = i.site_id
                 AND cap.day = o.day AND cap.age_group = i.age_group
                WHERE u.activity_id = i.activity_id AND u.code IN (SELECT value FROM json_each(@units))
                  AND cap.taken < cap.places) = json_array_length(@units)
        ORDER BY o.day, i.person_id LIMIT 1`,
    )
    .get({
      code: options.activityCode,
      from: options.from,
      household: options.householdId ?? null,
      slotDay: options.sameSlotAs?.day ?? null,
      slotSite: options.sameSlotAs?.siteId ?? null,
      slotAge: options.sameSlotAs?.ageGroup ?? null,
      exclude: JSON.stringify(options.excludePersons ?? []),
      units: JSON.stringify(options.units),
    }) as BookableDay | undefined;
  if (!found) throw new Error(`No bookable day for ${options.activityCode} from ${options.from}`);
  return found;
}

export interface CapacityRow {
  id: string;
  places: number;
  taken: number;
}

export function capacityOf(sqlite: BetterSqlite3.Database, at: BookableDay, unitCode: string): CapacityRow {
  return sqlite
    .prepare(
      `SELECT cap.id, cap.places, cap.taken FROM capacities cap JOIN units u ON u.id = cap.unit_id
        WHERE u.activity_id = ? AND u.code = ? AND cap.site_id = ? AND cap.day = ? AND cap.age_group = ?`,
    )
    .get(at.activityId, unitCode, at.siteId, at.day, at.ageGroup) as CapacityRow;
}

export function bookingStates(
  sqlite: BetterSqlite3.Database,
  personId: string,
  day: string,
  activityId: string,
) {
  return Object.fromEntries(
    (
      sqlite
        .prepare(
          `SELECT u.code, b.state FROM bookings b JOIN units u ON u.id = b.unit_id
            WHERE b.person_id = ? AND b.day = ? AND b.activity_id = ?`,
        )
        .all(personId, day, activityId) as { code: string; state: string }[]
    ).map((row) => [row.code, row.state]),
  );
}

export interface OpenInvoice {
  id: string;
  householdId: string;
  totalCents: number;
  paidCents: number;
}

/** An issued invoice with nothing paid yet (optionally of another household than `notHousehold`). */
export function findUnpaidInvoice(sqlite: BetterSqlite3.Database, skip = 0): OpenInvoice {
  return sqlite
    .prepare(
      `SELECT id, household_id AS householdId, total_cents AS totalCents, paid_cents AS paidCents FROM invoices
        WHERE status = 'non_reglee' AND total_cents > 1000 ORDER BY id LIMIT 1 OFFSET ?`,
    )
    .get(skip) as OpenInvoice;
}

export function invoiceState(
  sqlite: BetterSqlite3.Database,
  id: string,
): { paid_cents: number; status: string } {
  return sqlite.prepare('SELECT paid_cents, status FROM invoices WHERE id = ?').get(id) as {
    paid_cents: number;
    status: string;
  };
}
