// What every part of the demo-town generator shares: the seeded random streams,
// the id clock (UUIDv7 in insertion order), the dates the town is built around,
// the row writer (cached raw prepared statements) and the school-year calendar.
import type BetterSqlite3 from 'better-sqlite3';
import {
  addDays,
  assertDay,
  daysBetween,
  parisDateTime,
  startOfParisDay,
  weekday,
} from '../../core/calendar/paris';
import { isBusinessDay, isPublicHoliday } from '../../core/calendar/public-holidays';
import { illustrativeSchoolHolidays, schoolYearOf } from '../../core/calendar/school-year';
import type { SchoolHoliday, SchoolHolidayCode, SchoolYear } from '../../core/calendar/school-year';
import { newIdAt } from '../../core/ids';
import type { NewRow, TableName } from '../schema';
import { Rng } from './rng';

export interface DemoTownOptions {
  /** Number of households. */
  families: number;
  /** Any integer: same seed and same `today`, byte-identical town. */
  seed: number;
  /** 'YYYY-MM-DD' (Paris): picks the school year shown and what is past or future. */
  today: string;
}

/** The school year's days, indexed from 1 September (index 0). */
export interface SchoolCalendar {
  days: string[];
  weekday: Uint8Array;
  publicHoliday: Uint8Array;
  /** Holiday code of the day, or null on a day of the school term (weekends included). */
  holiday: (SchoolHolidayCode | null)[];
  index: Map<string, number>;
}

type Positional = (values: unknown[]) => void;

/** Rows per multi-row INSERT of the hot tables. */
const BATCH = 50;

export class SeedContext {
  readonly options: DemoTownOptions;
  readonly root: Rng;
  readonly today: string;
  readonly schoolYear: SchoolYear;
  readonly startYear: number;
  readonly holidays: SchoolHoliday[];
  readonly calendar: SchoolCalendar;
  /** Index of `today` in the calendar (may be < 0 or ≥ days.length only in theory). */
  readonly todayIndex: number;
  /** 08:00 in Paris on `today`: nothing in the town happened after it. */
  readonly nowMs: number;
  /** Rows written per table. */
  readonly counts = new Map<string, number>();

  private readonly sqlite: BetterSqlite3.Database;
  private readonly idRng: Rng;
  private clockMs: number;
  private readonly batchers = new Map<string, Batcher>();
  private readonly dayStarts = new Map<string, number>();
  private readonly dayShifts = new Map<string, string>();

  constructor(sqlite: BetterSqlite3.Database, options: DemoTownOptions) {
    assertDay(options.today);
    if (!Number.isInteger(options.families) || options.families < 2) {
      throw new Error('The demo town needs at least 2 families (the two demo parent accounts).');
    }
    if (!Number.isInteger(options.seed)) throw new Error('The seed must be an integer.');
    this.sqlite = sqlite;
    this.options = options;
    this.root = new Rng(options.seed);
    this.idRng = this.root.fork('ids');
    this.today = options.today;
    this.schoolYear = schoolYearOf(options.today);
    this.startYear = Number(this.schoolYear.start.slice(0, 4));
    this.holidays = illustrativeSchoolHolidays(this.startYear);
    this.calendar = buildCalendar(this.schoolYear, this.holidays);
    this.todayIndex = daysBetween(this.schoolYear.start, this.today);
    this.nowMs = parisDateTime(this.today, 8, 0).getTime();
    // Ids are stamped from 20 August of the school year on, one millisecond apart,
    // in insertion order: time-ordered, deterministic, independent of the wall clock.
    this.clockMs = Date.UTC(this.startYear, 7, 20, 6, 0, 0);
  }

  /** A new UUIDv7, later than every id handed out before. */
  id(): string {
    return newIdAt(this.clockMs++, this.idRng.bytes16());
  }

  /**
   * Inserts one row (columns = the row's keys). Rows are buffered and written
   * BATCH at a time with a multi-row INSERT; `flushAll()` writes what is left.
   */
  insert<T extends TableName>(table: T, row: NewRow<T>): void {
    const record = row as Record<string, unknown>;
    const keys = Object.keys(record);
    const cacheKey = `${table}|${keys.join(',')}`;
    let batcher = this.batchers.get(cacheKey);
    if (!batcher) {
      batcher = new Batcher(this.sqlite, table, keys);
      this.batchers.set(cacheKey, batcher);
    }
    const columns = batcher.columns;
    const values = new Array<unknown>(columns.length);
    for (let i = 0; i < columns.length; i++) values[i] = record[columns[i] as string] ?? null;
    batcher.add(values);
    this.counts.set(table, (this.counts.get(table) ?? 0) + 1);
  }

  /** A positional insert for hot tables (bookings, attendance): values in `columns` order. */
  inserter<T extends TableName>(table: T, columns: readonly (keyof NewRow<T> & string)[]): Positional {
    const batcher = new Batcher(this.sqlite, table, columns);
    this.batchers.set(`${table}|#${this.batchers.size}`, batcher);
    let count = this.counts.get(table) ?? 0;
    return (values) => {
      batcher.add(values);
      this.counts.set(table, ++count);
    };
  }

  /** Writes every buffered row. */
  flushAll(): void {
    for (const batcher of this.batchers.values()) batcher.flush();
  }

  /** The last instant formatted, kept: many rows of a batch share it. */
  private lastIso = { ms: Number.NaN, text: '' };

  /** ISO-8601 UTC instant with milliseconds. */
  iso(ms: number): string {
    if (ms !== this.lastIso.ms) this.lastIso = { ms, text: new Date(ms).toISOString() };
    return this.lastIso.text;
  }

  /** 00:00 in Paris on `day`, in Unix milliseconds (cached). */
  dayStartMs(day: string): number {
    let ms = this.dayStarts.get(day);
    if (ms === undefined) {
      ms = startOfParisDay(day).getTime();
      this.dayStarts.set(day, ms);
    }
    return ms;
  }

  /** `hour:minute` in Paris on `day` (minutes may exceed 59: they carry over). */
  at(day: string, hour: number, minute = 0): number {
    return this.dayStartMs(day) + (hour * 60 + minute) * 60_000;
  }

  /** A random instant between 08:00 and 19:00 (Paris) on `day`. */
  during(day: string, rng: Rng): number {
    return this.at(day, 8, rng.int(0, 11 * 60 - 1)) + rng.int(0, 59_999);
  }

  /** The calendar day `n` days after `day` (from the school-year calendar when it can). */
  addDays(day: string, n: number): string {
    const i = this.calendar.index.get(day);
    if (i !== undefined) {
      const found = this.calendar.days[i + n];
      if (found !== undefined) return found;
    }
    const key = `${day}|${n}`;
    let found = this.dayShifts.get(key);
    if (found === undefined) {
      found = addDays(day, n);
      this.dayShifts.set(key, found);
    }
    return found;
  }

  /** Monday to Friday and not a public holiday (from the school-year calendar when it can). */
  isBusinessDay(day: string): boolean {
    const i = this.calendar.index.get(day);
    if (i === undefined) return isBusinessDay(day);
    return this.calendar.weekday[i]! <= 5 && this.calendar.publicHoliday[i] === 0;
  }
}

/** Buffers the rows of one INSERT column list and writes them BATCH per statement. */
class Batcher {
  private readonly pending: unknown[] = [];
  private readonly full: BetterSqlite3.Statement;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly table: string,
    readonly columns: readonly string[],
  ) {
    this.full = sqlite.prepare(this.sql(BATCH));
  }

  private sql(rows: number): string {
    const one = `(${this.columns.map(() => '?').join(', ')})`;
    return `INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${new Array(rows).fill(one).join(', ')}`;
  }

  add(values: readonly unknown[]): void {
    for (const v of values) this.pending.push(v);
    if (this.pending.length === BATCH * this.columns.length) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending.length / this.columns.length;
    (rows === BATCH ? this.full : this.sqlite.prepare(this.sql(rows))).run(this.pending);
    this.pending.length = 0;
  }
}

export function buildCalendar(year: SchoolYear, holidays: readonly SchoolHoliday[]): SchoolCalendar {
  const count = daysBetween(year.start, year.end) + 1;
  const days: string[] = [];
  const weekdays = new Uint8Array(count);
  const publicHoliday = new Uint8Array(count);
  const holiday: (SchoolHolidayCode | null)[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const day = addDays(year.start, i);
    days.push(day);
    weekdays[i] = weekday(day);
    publicHoliday[i] = isPublicHoliday(day) ? 1 : 0;
    holiday.push(holidays.find((h) => h.start <= day && day <= h.end)?.code ?? null);
    index.set(day, i);
  }
  return { days, weekday: weekdays, publicHoliday, holiday, index };
}
