// Undo records of optimistic local writes (outbox_effects): captured before each touched row changes,
// undone newest first before the server's truth is written over the replica.
import type { DeskStore } from '../desk-store';
import type { RowRecord, RowValue } from '../../../db/repositories/desk-rows';

/** Captures, once per row and op, the row as it was before the op touched it. */
export class EffectRecorder {
  private position = 0;
  private readonly seen = new Set<string>();

  constructor(
    private readonly store: DeskStore,
    private readonly opSeq: number,
  ) {}

  /** Call before inserting, updating or deleting the row `key` of `table`. */
  capture(table: string, key: readonly RowValue[]): void {
    this.record(table, key, () => this.store.rows.get(table, key));
  }

  /** Call before inserting a row under a key just generated (a fresh UUID): no row to read, undo deletes it. */
  captureNew(table: string, key: readonly RowValue[]): void {
    this.record(table, key, () => undefined);
  }

  private record(table: string, key: readonly RowValue[], read: () => RowRecord | undefined): void {
    const pkJson = JSON.stringify(key);
    const id = `${table}:${pkJson}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    const prior = read();
    this.store.outbox.addEffect({
      op_seq: this.opSeq,
      position: this.position++,
      table_name: table,
      pk_json: pkJson,
      prior_row_json: prior === undefined ? null : JSON.stringify(prior),
    });
  }
}

/**
 * Puts back every row touched by live ops as it was before them (newest op first, last touched first) and
 * forgets the records; returns the tables touched. Call inside a transaction with deferred foreign keys.
 */
export function undoAllEffects(store: DeskStore): Set<string> {
  const effects = store.outbox.effectsNewestFirst();
  const tables = new Set<string>();
  for (const effect of effects) {
    tables.add(effect.table_name);
    const key = JSON.parse(effect.pk_json) as RowValue[];
    if (effect.prior_row_json === null) store.rows.delete(effect.table_name, key);
    else store.rows.upsert(effect.table_name, JSON.parse(effect.prior_row_json) as RowRecord);
  }
  store.outbox.clearEffects();
  return tables;
}
