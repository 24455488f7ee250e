// A small stand-in for the sync server, over real HTTP on 127.0.0.1 and a real seeded SQLite file: snapshot
// (the real builder), push with idempotency and the gap check, pull by cursor with compaction, SSE pokes.
// Its judge is deliberately simple (a booking is accepted unless `decide` says otherwise) and every fault
// can be injected: transient stops, forgotten ops (gaps), 426, 401, resync_required, server-side writes.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type BetterSqlite3 from 'better-sqlite3';
import { newId } from '../../../core/ids';
import type { BookingSetDayV1, PaymentRecordV1 } from '../../../core/sync/commands';
import type { ChangeRow, OpOutcome, OpResult, PushStop, SyncOp } from '../../../core/sync/messages';
import { SNAPSHOT_SEQ_HEADER, UPDATE_REQUIRED_MESSAGE } from '../../../core/sync/protocol';
import { openDatabase } from '../../../db/open';
import type { OpenedDatabase } from '../../../db/open';
import { buildDeskSnapshot } from '../../../server/sync/snapshot';

export interface Decision {
  outcome: OpOutcome;
  code?: string;
  message?: string;
}

interface Applied {
  deskId: string;
  deskSeq: number;
  hash: string;
  result: OpResult;
}

export class FakeSyncServer {
  readonly database: OpenedDatabase;
  readonly app: FastifyInstance;
  url = '';
  /** Per op: the outcome (default: accepted). */
  decide: (op: SyncOp) => Decision | undefined = () => undefined;
  /** Answer every sync call with this status (426, 401…) while set. */
  forcedStatus: number | null = null;
  /** Stops the next pushes return before processing anything. */
  readonly stopQueue: PushStop[] = [];
  /** Change rows at or below this seq were compacted away. */
  compactedThrough = 0;
  pushes = 0;
  private readonly tokens = new Map<string, string>();
  private readonly applied = new Map<string, Applied>();
  private readonly lastSeqOf = new Map<string, number>();
  private readonly streams = new Set<ServerResponse>();

  constructor(path: string) {
    this.database = openDatabase(path);
    this.app = Fastify();
    this.app.addHook('preClose', async () => {
      for (const stream of this.streams) stream.end();
    });
    this.routes();
  }

  get sqlite(): BetterSqlite3.Database {
    return this.database.sqlite;
  }

  async listen(): Promise<this> {
    this.url = await this.app.listen({ host: '127.0.0.1', port: 0 });
    return this;
  }

  async close(): Promise<void> {
    await this.app.close();
    this.database.close();
  }

  /** Enrols a desk: returns its bearer token. */
  enrol(deskId: string): string {
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, deskId);
    return token;
  }

  lastSeq(deskId: string): number {
    return this.lastSeqOf.get(deskId) ?? 0;
  }

  /** Forgets what a desk pushed from `fromSeq` on (a server restored from an older backup). */
  forget(deskId: string, fromSeq: number): void {
    this.lastSeqOf.set(deskId, Math.min(this.lastSeq(deskId), fromSeq - 1));
    for (const [opId, applied] of this.applied)
      if (applied.deskId === deskId && applied.deskSeq >= fromSeq) this.applied.delete(opId);
  }

  /** A write made on the server (a parent on the portal…): `touch(table, id)` logs each row written. */
  write(
    fn: (sqlite: BetterSqlite3.Database, touch: (table: string, id: string) => void) => void,
  ): ChangeRow[] {
    const rows: ChangeRow[] = [];
    this.sqlite.transaction(() => fn(this.sqlite, (table, id) => rows.push(this.logChange(table, id))))();
    this.broadcast(rows);
    return rows;
  }

  serverSeq(): number {
    return (this.sqlite.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM change_log').get() as { n: number })
      .n;
  }

  private deskOf(request: FastifyRequest, reply: FastifyReply): string | null {
    if (this.forcedStatus === 426) {
      void reply.code(426).send({ code: 'DESK_UPDATE_REQUIRED', message: UPDATE_REQUIRED_MESSAGE });
      return null;
    }
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    const deskId = this.tokens.get(token);
    if (!deskId || this.forcedStatus === 401) {
      void reply.code(401).send({
        code: 'DESK_NOT_AUTHORISED',
        message: "Ce poste n'est pas autorisé à se synchroniser (jeton absent, inconnu ou révoqué).",
      });
      return null;
    }
    return deskId;
  }

  private routes(): void {
    this.app.get('/sync/v1/snapshot', async (request, reply) => {
      const deskId = this.deskOf(request, reply);
      if (!deskId) return reply;
      const snapshot = buildDeskSnapshot(this.sqlite, deskId);
      const stream = createReadStream(snapshot.path);
      stream.on('close', () => snapshot.dispose());
      return reply.header(SNAPSHOT_SEQ_HEADER, String(snapshot.seq)).send(stream);
    });

    this.app.post<{ Body: { ops: SyncOp[] } }>('/sync/v1/push', async (request, reply) => {
      const deskId = this.deskOf(request, reply);
      if (!deskId) return reply;
      this.pushes += 1;
      const stop = this.stopQueue.shift();
      if (stop)
        return {
          results: [],
          stopped: stop,
          lastAppliedSeq: this.lastSeq(deskId),
          serverSeq: this.serverSeq(),
        };
      const results: OpResult[] = [];
      let stopped: PushStop | undefined;
      for (const op of request.body.ops) {
        const step = this.pushOne(deskId, op);
        if ('reason' in step) {
          stopped = step;
          break;
        }
        results.push(step);
      }
      return {
        results,
        ...(stopped ? { stopped } : {}),
        lastAppliedSeq: this.lastSeq(deskId),
        serverSeq: this.serverSeq(),
      };
    });

    this.app.get<{ Querystring: { after?: string; limit?: string } }>(
      '/sync/v1/pull',
      async (request, reply) => {
        const deskId = this.deskOf(request, reply);
        if (!deskId) return reply;
        const after = Number(request.query.after ?? 0);
        const limit = Number(request.query.limit ?? 5000);
        if (after < this.compactedThrough) {
          return {
            status: 'resync_required',
            message: 'Copie complète nécessaire.',
            oldestSeq: this.compactedThrough + 1,
          };
        }
        const stored = this.sqlite
          .prepare('SELECT * FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?')
          .all(after, limit + 1) as {
          seq: number;
          entity: string;
          entity_id: string;
          op: 'upsert' | 'delete';
          row_json: string | null;
        }[];
        const page = stored.slice(0, limit);
        return {
          status: 'ok',
          changes: page.map((c) => ({
            seq: c.seq,
            entity: c.entity,
            entityId: c.entity_id,
            op: c.op,
            row: c.row_json === null ? null : (JSON.parse(c.row_json) as Record<string, unknown>),
          })),
          lastSeq: page.at(-1)?.seq ?? after,
          hasMore: stored.length > limit,
        };
      },
    );

    this.app.get('/sync/v1/events', async (request, reply) => {
      const deskId = this.deskOf(request, reply);
      if (!deskId) return reply;
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      reply.raw.socket?.setNoDelay(true);
      reply.raw.write(`event: hello\ndata: ${JSON.stringify({ lastSeq: this.serverSeq() })}\n\n`);
      this.streams.add(reply.raw);
      reply.raw.on('close', () => this.streams.delete(reply.raw));
      return reply;
    });
  }

  private pushOne(deskId: string, op: SyncOp): OpResult | PushStop {
    const hash = createHash('sha256')
      .update(JSON.stringify([op.command, op.payload]))
      .digest('hex');
    const known = this.applied.get(op.opId);
    if (known) {
      if (known.hash === hash) return known.result;
      return { reason: 'payload_conflict', opId: op.opId, message: 'Identifiant réutilisé.' };
    }
    const last = this.lastSeq(deskId);
    if (op.deskSeq > last + 1) return { reason: 'gap', expectedSeq: last + 1 };
    if (op.deskSeq <= last)
      return { reason: 'payload_conflict', opId: op.opId, message: 'Séquence déjà appliquée.' };
    const decision = this.decide(op) ?? { outcome: 'accepted' };
    const changes: ChangeRow[] = [];
    this.sqlite.transaction(() => {
      const touch = (table: string, id: string): void => void changes.push(this.logChange(table, id));
      if (decision.outcome !== 'rejected') {
        if (op.command === 'booking.set_day')
          this.setDay(op.opId, op.payload as BookingSetDayV1, decision.outcome === 'waitlisted', touch);
        if (op.command === 'payment.record')
          this.recordPayment(op.opId, deskId, op.agentId, op.payload as PaymentRecordV1, touch);
      }
    })();
    const result: OpResult = {
      opId: op.opId,
      deskSeq: op.deskSeq,
      outcome: decision.outcome,
      ...(decision.code ? { code: decision.code } : {}),
      ...(decision.message ? { message: decision.message } : {}),
      changeSeq: changes.at(-1)?.seq ?? this.serverSeq(),
    };
    this.applied.set(op.opId, { deskId, deskSeq: op.deskSeq, hash, result });
    this.lastSeqOf.set(deskId, op.deskSeq);
    this.broadcast(changes);
    return result;
  }

  private setDay(
    opId: string,
    p: BookingSetDayV1,
    waitlisted: boolean,
    touch: (t: string, id: string) => void,
  ): void {
    const db = this.sqlite;
    const units = db.prepare('SELECT id, code FROM units WHERE activity_id = ?').all(p.activityId) as {
      id: string;
      code: string;
    }[];
    const wanted = new Set(p.units.map((code) => units.find((u) => u.code === code)?.id));
    const existing = db
      .prepare('SELECT * FROM bookings WHERE person_id = ? AND activity_id = ? AND day = ?')
      .all(p.personId, p.activityId, p.day) as { id: string; unit_id: string; state: string }[];
    const inscription = db
      .prepare(
        `SELECT i.* FROM inscriptions i JOIN periods pe ON pe.id = i.period_id WHERE i.person_id = ? AND i.activity_id = ?
         AND i.site_id = ? AND i.status = 'validee' AND pe.start_day <= ? AND pe.end_day >= ?`,
      )
      .get(p.personId, p.activityId, p.siteId, p.day, p.day) as {
      id: string;
      household_id: string;
      age_group: string;
    };
    const at = new Date().toISOString();
    const state = waitlisted ? 'en_attente' : 'reservee';
    for (const unitId of wanted) {
      if (!unitId) continue;
      const row = existing.find((b) => b.unit_id === unitId);
      if (row && (row.state === 'reservee' || row.state === 'en_attente')) continue;
      const id = row?.id ?? newId();
      if (row)
        db.prepare('UPDATE bookings SET state = ?, origin_op_id = ?, updated_at = ? WHERE id = ?').run(
          state,
          opId,
          at,
          id,
        );
      else
        db.prepare(
          `INSERT INTO bookings (id, person_id, household_id, inscription_id, activity_id, site_id, unit_id, day, age_group,
             state, source, origin_op_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'desk', ?, ?, ?)`,
        ).run(
          id,
          p.personId,
          inscription.household_id,
          inscription.id,
          p.activityId,
          p.siteId,
          unitId,
          p.day,
          inscription.age_group,
          state,
          opId,
          at,
          at,
        );
      touch('bookings', id);
    }
    for (const row of existing) {
      if (wanted.has(row.unit_id) || (row.state !== 'reservee' && row.state !== 'en_attente')) continue;
      db.prepare("UPDATE bookings SET state = 'annulee', origin_op_id = ?, updated_at = ? WHERE id = ?").run(
        opId,
        at,
        row.id,
      );
      touch('bookings', row.id);
    }
  }

  private recordPayment(
    opId: string,
    deskId: string,
    agentId: string,
    p: PaymentRecordV1,
    touch: (t: string, id: string) => void,
  ): void {
    const db = this.sqlite;
    const at = new Date().toISOString();
    db.prepare(
      `INSERT INTO payments (id, household_id, mode, amount_cents, received_at, desk_id, agent_id, origin_op_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(p.paymentId, p.householdId, p.mode, p.amountCents, p.receivedAt, deskId, agentId, opId, at, at);
    touch('payments', p.paymentId);
    let left = p.amountCents;
    for (const a of p.allocations) {
      const invoice = db.prepare('SELECT * FROM invoices WHERE id = ?').get(a.invoiceId) as {
        total_cents: number;
        paid_cents: number;
        status: string;
      };
      const share = Math.min(a.amountCents, left, invoice.total_cents - invoice.paid_cents);
      if (share <= 0) continue;
      const id = newId();
      db.prepare(
        'INSERT INTO payment_allocations (id, payment_id, invoice_id, amount_cents, updated_at) VALUES (?, ?, ?, ?, ?)',
      ).run(id, p.paymentId, a.invoiceId, share, at);
      touch('payment_allocations', id);
      const paid = invoice.paid_cents + share;
      db.prepare('UPDATE invoices SET paid_cents = ?, status = ?, updated_at = ? WHERE id = ?').run(
        paid,
        paid >= invoice.total_cents ? 'reglee' : 'partiellement_reglee',
        at,
        a.invoiceId,
      );
      touch('invoices', a.invoiceId);
      left -= share;
    }
    const receiptId = newId();
    db.prepare(
      'INSERT INTO receipts (id, number, payment_id, desk_id, issued_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(receiptId, p.receiptNumber, p.paymentId, deskId, p.receivedAt, at);
    touch('receipts', receiptId);
  }

  private logChange(table: string, id: string): ChangeRow {
    const row = this.sqlite.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Record<string, unknown>;
    const seq = this.serverSeq() + 1;
    this.sqlite
      .prepare(
        'INSERT INTO change_log (seq, entity, entity_id, op, household_id, row_json, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        seq,
        table,
        id,
        'upsert',
        (row.household_id as string | undefined) ?? null,
        JSON.stringify(row),
        new Date().toISOString(),
      );
    return { seq, entity: table, entityId: id, op: 'upsert', row };
  }

  private broadcast(rows: readonly ChangeRow[]): void {
    if (rows.length === 0) return;
    const frame = `event: changes\ndata: ${JSON.stringify(rows)}\n\n`;
    for (const stream of this.streams) stream.write(frame);
  }
}
