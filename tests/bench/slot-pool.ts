// Bookable slots for the sync and desk benchmarks: a child, an activity, a site, a day (open, no closure, before
// the deadline, after every booking of the seeded town) and the units to book — each (child, activity, day) handed
// out once.
import BetterSqlite3 from 'better-sqlite3';
import { bookingDeadline } from '../../core/booking/deadline';
import type { DeadlineRule } from '../../core/booking/deadline';
import type { UnitCode } from '../../core/booking/units';
import { addDays, parisDay } from '../../core/calendar/paris';
import { mulberry32 } from '../support/random';

export interface Slot {
  personId: string;
  householdId: string;
  activityId: string;
  siteId: string;
  day: string;
  units: UnitCode[];
  /** The activity's kind (alsh_mercredis, restauration…). */
  kind: string;
  /** An active web account of the household (parents' slots only). */
  accountId?: string;
}

interface Inscription {
  person_id: string;
  household_id: string;
  activity_id: string;
  site_id: string;
  period_id: string;
}

const ALSH_CHOICES: readonly UnitCode[][] = [
  ['MATIN'],
  ['APRES_MIDI'],
  ['MATIN', 'REPAS_AV', 'APRES_MIDI'],
  ['MATIN', 'REPAS_SV'],
];

function unitsFor(kind: string, random: () => number): UnitCode[] | null {
  if (kind.startsWith('alsh_')) return [...ALSH_CHOICES[Math.floor(random() * ALSH_CHOICES.length)]!];
  if (kind === 'restauration') return ['REPAS'];
  if (kind === 'periscolaire_matin') return ['MATIN'];
  if (kind === 'periscolaire_soir') return ['SOIR'];
  return null;
}

export class SlotPool {
  private readonly used = new Set<string>();
  private readonly random: () => number;
  private readonly inscriptions: Inscription[];
  private readonly parentInscriptions: (Inscription & { account_id: string })[];
  private readonly days = new Map<string, string[]>();
  private readonly kinds = new Map<string, string>();
  readonly firstDay: string;
  readonly households: string[];

  constructor(file: string, seed = 7) {
    this.random = mulberry32(seed);
    const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      const now = Date.now();
      const lastBooked = (
        sqlite.prepare('SELECT MAX(day) AS day FROM bookings').get() as { day: string | null }
      ).day;
      const soonest = addDays(parisDay(new Date(now)), 3);
      this.firstDay = lastBooked && addDays(lastBooked, 1) > soonest ? addDays(lastBooked, 1) : soonest;
      const activities = sqlite.prepare('SELECT id, kind, deadline_json FROM activities').all() as {
        id: string;
        kind: string;
        deadline_json: string;
      }[];
      const rules = new Map<string, DeadlineRule | null>();
      for (const a of activities) {
        this.kinds.set(a.id, a.kind);
        const raw = JSON.parse(a.deadline_json) as object;
        rules.set(a.id, Object.keys(raw).length === 0 ? null : (raw as DeadlineRule));
      }
      const closures = sqlite
        .prepare('SELECT site_id, activity_id, start_day, end_day FROM closures')
        .all() as {
        site_id: string | null;
        activity_id: string | null;
        start_day: string;
        end_day: string;
      }[];
      const openRows = sqlite
        .prepare(
          `SELECT o.period_id, o.site_id, o.day, p.activity_id FROM opening_days o JOIN periods p ON p.id = o.period_id
           WHERE o.day >= ? ORDER BY o.day`,
        )
        .all(this.firstDay) as { period_id: string; site_id: string; day: string; activity_id: string }[];
      for (const o of openRows) {
        const rule = rules.get(o.activity_id);
        if (rule && bookingDeadline(rule, o.day).getTime() <= now + 3_600_000) continue;
        const closed = closures.some(
          (c) =>
            c.start_day <= o.day &&
            c.end_day >= o.day &&
            (c.site_id === null || c.site_id === o.site_id) &&
            (c.activity_id === null || c.activity_id === o.activity_id),
        );
        if (closed) continue;
        const key = `${o.period_id}|${o.site_id}`;
        const list = this.days.get(key) ?? [];
        list.push(o.day);
        this.days.set(key, list);
      }
      const bookable = (i: Inscription) =>
        (this.days.get(`${i.period_id}|${i.site_id}`)?.length ?? 0) > 0 &&
        unitsFor(this.kinds.get(i.activity_id) ?? '', () => 0) !== null;
      this.inscriptions = (
        sqlite
          .prepare(
            `SELECT person_id, household_id, activity_id, site_id, period_id FROM inscriptions
             WHERE status = 'validee' ORDER BY id`,
          )
          .all() as Inscription[]
      ).filter(bookable);
      this.parentInscriptions = (
        sqlite
          .prepare(
            `SELECT i.person_id, i.household_id, i.activity_id, i.site_id, i.period_id, MIN(a.id) AS account_id
             FROM inscriptions i JOIN citizen_accounts a ON a.household_id = i.household_id AND a.status = 'actif'
             WHERE i.status = 'validee' GROUP BY i.id ORDER BY i.id`,
          )
          .all() as (Inscription & { account_id: string })[]
      ).filter(bookable);
      this.households = (
        sqlite.prepare('SELECT id FROM households ORDER BY id').all() as { id: string }[]
      ).map((h) => h.id);
    } finally {
      sqlite.close();
    }
    if (this.inscriptions.length === 0) throw new Error(`No bookable inscription after ${this.firstDay}`);
  }

  private draw<T extends Inscription>(
    from: readonly T[],
    accept: (i: T) => boolean = () => true,
  ): T & { day: string } {
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const inscription = from[Math.floor(this.random() * from.length)]!;
      if (!accept(inscription)) continue;
      const days = this.days.get(`${inscription.period_id}|${inscription.site_id}`)!;
      const day = days[Math.floor(this.random() * days.length)]!;
      const key = `${inscription.person_id}|${inscription.activity_id}|${day}`;
      if (this.used.has(key)) continue;
      this.used.add(key);
      return { ...inscription, day };
    }
    throw new Error('No bookable slot left');
  }

  private slot(i: Inscription & { day: string }): Slot {
    return {
      personId: i.person_id,
      householdId: i.household_id,
      activityId: i.activity_id,
      siteId: i.site_id,
      day: i.day,
      units: unitsFor(this.kinds.get(i.activity_id)!, this.random)!,
      kind: this.kinds.get(i.activity_id)!,
    };
  }

  /** A slot for a desk (any child with a validated inscription). */
  desk(): Slot {
    return this.slot(this.draw(this.inscriptions));
  }

  /**
   * Slots for parents: one per account while accounts last (then accounts book again), from households
   * with an active web account.
   */
  parents(count: number, options: { distinctAccounts?: boolean } = {}): (Slot & { accountId: string })[] {
    const out: (Slot & { accountId: string })[] = [];
    const seen = new Set<string>();
    const distinct = options.distinctAccounts ?? true;
    const accounts = new Set(this.parentInscriptions.map((i) => i.account_id)).size;
    for (let k = 0; k < count; k++) {
      if (distinct && seen.size >= accounts) seen.clear();
      const drawn = this.draw(this.parentInscriptions, (i) => !distinct || !seen.has(i.account_id));
      seen.add(drawn.account_id);
      out.push({ ...this.slot(drawn), accountId: drawn.account_id });
    }
    return out;
  }

  /** Slots of the given parents' children only (several bookings per parent). */
  forAccounts(accountIds: readonly string[], count: number): (Slot & { accountId: string })[] {
    const wanted = new Set(accountIds);
    const mine = this.parentInscriptions.filter((i) => wanted.has(i.account_id));
    if (mine.length === 0) throw new Error('These accounts have no bookable child');
    return Array.from({ length: count }, () => {
      const drawn = this.draw(mine);
      return { ...this.slot(drawn), accountId: drawn.account_id };
    });
  }

  /** Active accounts with a bookable child, most children first (for parents who book many days). */
  busyAccounts(count: number): string[] {
    const perAccount = new Map<string, number>();
    for (const i of this.parentInscriptions)
      perAccount.set(i.account_id, (perAccount.get(i.account_id) ?? 0) + 1);
    return [...perAccount.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, count)
      .map(([id]) => id);
  }

  randomHousehold(): string {
    return this.households[Math.floor(this.random() * this.households.length)]!;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
}
