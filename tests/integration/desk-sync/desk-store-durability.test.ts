// The desk store's durability settings: the agent's writes are durable (synchronous = FULL), sync bookkeeping
// the server can give back commits without its own fsync, and checkpoints keep the WAL from growing so that
// a commit overwrites blocks the file already has.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeskStore } from '../../../electron/backend/desk-store';

const FULL = 2;
const NORMAL = 1;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

let dir: string;
let store: DeskStore;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gf-desk-store-'));
  store = await DeskStore.open(path.join(dir, 'desk.sqlite'));
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const synchronous = () => store.sqlite.pragma('synchronous', { simple: true });

describe('desk store durability', () => {
  it('commits sync bookkeeping without fsync, then is back to FULL for the next write — also after a failure', () => {
    expect(synchronous()).toBe(FULL);
    let inside: unknown = null;
    store.relaxedTransaction(() => {
      inside = synchronous();
      store.state.set('last_sync_at', '2026-11-23T08:00:00.000Z');
    });
    expect(inside).toBe(NORMAL);
    expect(synchronous()).toBe(FULL);
    expect(store.state.get('last_sync_at')).toBe('2026-11-23T08:00:00.000Z');

    expect(() =>
      store.relaxedTransaction(() => {
        store.state.set('last_sync_at', 'lost');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(synchronous()).toBe(FULL);
    expect(store.state.get('last_sync_at')).toBe('2026-11-23T08:00:00.000Z');
  });

  it('runs a relaxed transaction inside a durable one as part of it (no change of setting mid-transaction)', () => {
    store.transaction(() => {
      store.relaxedTransaction(() => {
        expect(synchronous()).toBe(FULL);
        store.state.set('clock_offset_ms', '12');
      });
    });
    expect(store.state.get('clock_offset_ms')).toBe('12');
  });

  it('keeps the WAL at the size of a few commits: checkpoints let it start over instead of growing', async () => {
    const wal = path.join(dir, 'desk.sqlite-wal');
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)'); // the migrations' frames out of the way
    expect(statSync(wal).size).toBe(0);
    const commit = (i: number) =>
      store.transaction(() => {
        for (let k = 0; k < 20; k++) store.state.set(`bench_${i % 50}_${k}`, String(i).repeat(100));
      });
    for (let i = 0; i < 48; i++) {
      commit(i);
      await nextTurn();
    }
    const early = statSync(wal).size;
    for (let i = 48; i < 480; i++) {
      commit(i);
      await nextTurn();
    }
    expect(early).toBeGreaterThan(0);
    // Ten times as many commits; a WAL that never started over would be about ten times larger.
    expect(statSync(wal).size).toBeLessThan(early * 2);
  });
});
