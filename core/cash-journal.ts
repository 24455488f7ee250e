// The journal de caisse of one desk for one day (domain.md, "Paiements"): its receipt numbers must follow each
// other without a hole, and the régisseur closes the day with a total per payment mode. Pure functions.

/**
 * The sequence number of a desk's receipt: `HV1-000123` → 123 for the prefix `HV1`. A `~k` suffix (a number
 * the server found already taken and re-numbered, docs/SYNC.md "Receipts") keeps its base number. Null when
 * the number is not one of this prefix.
 */
export function receiptSequence(prefix: string, number: string): number | null {
  if (!number.startsWith(`${prefix}-`)) return null;
  const digits = number.slice(prefix.length + 1).split('~')[0] ?? '';
  if (!/^\d{1,12}$/.test(digits)) return null;
  return Number(digits);
}

/** `HV1`, 7 → `HV1-000007`: the form a desk prints. */
export function receiptNumberOf(prefix: string, sequence: number): string {
  return `${prefix}-${String(sequence).padStart(6, '0')}`;
}

export interface ReceiptNumbering {
  /** First and last sequence numbers of the day (null when the day has no receipt). */
  first: number | null;
  last: number | null;
  /** Numbers between the desk's previous receipt and the day's last one that no receipt holds. */
  missing: number[];
}

/** At most this many missing numbers are listed (a corrupted sequence would otherwise list thousands). */
export const MISSING_LISTED = 50;

/**
 * The day's numbering check. `previous`: the desk's highest sequence before the day (0 for none); `taken`: every
 * sequence the desk holds from `previous + 1` up to the day's last (receipts of other days included).
 */
export function receiptNumbering(
  daySequences: readonly number[],
  previous: number,
  taken: Iterable<number>,
): ReceiptNumbering {
  if (daySequences.length === 0) return { first: null, last: null, missing: [] };
  const first = Math.min(...daySequences);
  const last = Math.max(...daySequences);
  const held = new Set(taken);
  for (const sequence of daySequences) held.add(sequence);
  const missing: number[] = [];
  for (let n = previous + 1; n <= last && missing.length < MISSING_LISTED; n++)
    if (!held.has(n)) missing.push(n);
  return { first, last, missing };
}

export interface ModeTotal<Mode extends string> {
  mode: Mode;
  count: number;
  /** Reversals count negative. */
  totalCents: number;
}

/** Totals per payment mode, in the order modes first appear in `order`, then any other mode met. */
export function totalsByMode<Mode extends string>(
  entries: readonly { mode: Mode; amountCents: number }[],
  order: readonly Mode[],
): ModeTotal<Mode>[] {
  const totals = new Map<Mode, ModeTotal<Mode>>();
  for (const entry of entries) {
    const total = totals.get(entry.mode) ?? { mode: entry.mode, count: 0, totalCents: 0 };
    total.count += 1;
    total.totalCents += entry.amountCents;
    totals.set(entry.mode, total);
  }
  const rank = (mode: Mode): number => {
    const index = order.indexOf(mode);
    return index === -1 ? order.length : index;
  };
  return [...totals.values()].sort((a, b) => rank(a.mode) - rank(b.mode));
}
