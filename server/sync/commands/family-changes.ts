// The server's RowSink for the family-file commands: every row written gets one change row (the last write of a
// row wins: an upsert read back after the command, or a delete), appended once the command's writes are done.
import type { RowSink } from '../../../db/repositories/family-writes';
import { appendChange } from '../change-log';
import type { CommandContext } from './context';

/** Tables whose change rows are reference data every desk sees (no household scope). */
const UNSCOPED = new Set(['counters']);

export class FamilyChanges implements RowSink {
  private readonly touched = new Map<string, { table: string; key: string[]; op: 'upsert' | 'delete' }>();

  constructor(
    private readonly ctx: CommandContext,
    private readonly householdId: string,
  ) {}

  before(): void {}

  after(table: string, key: readonly string[], op: 'upsert' | 'delete'): void {
    const id = `${table}|${key.join('|')}`;
    this.touched.delete(id);
    this.touched.set(id, { table, key: [...key], op });
  }

  /** Appends the change rows (call after the last write of the command). */
  flush(): void {
    for (const { table, key, op } of this.touched.values()) {
      const householdId = UNSCOPED.has(table) ? null : this.householdId;
      if (op === 'upsert') this.ctx.changes.upsert(table, key, householdId);
      else
        this.ctx.changes.rows.push(
          appendChange(this.ctx.sqlite, { table, key, op, householdId, at: this.ctx.changes.at }),
        );
    }
    this.touched.clear();
  }
}
