/**
 * GET /sync/v1/events — Server-Sent Events to connected desks: `event: hello` with the
 * server's last change seq on connect, then after each commit `event: changes` with
 * the committed rows a desk may see (`data: ChangeRow[]`), and a heartbeat comment
 * every 15 s. A commit is filtered and serialised once, then written to every socket.
 */
import type { ServerResponse } from 'node:http';
import type BetterSqlite3 from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { ChangeRow } from '../../core/sync/messages';
import { syncStatements } from '../../db/repositories/sync-server';
import { changeFeedOf } from '../sync/change-log';
import { visibleToDesks } from '../sync/desk-visibility';
import type { ServerContext } from './server-context';
import { requireDesk } from './sync-routes';

export const HEARTBEAT_MS = 15_000;

interface Client {
  deskId: string;
  response: ServerResponse;
}

export class DeskEventHub {
  private readonly clients = new Set<Client>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly sqlite: BetterSqlite3.Database) {
    this.unsubscribe = changeFeedOf(sqlite).subscribe((rows) => this.broadcast(rows));
    this.heartbeat = setInterval(() => this.writeAll(': ping\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Starts a desk's stream: hello first (no commit can slip in between: writes are synchronous). */
  attach(deskId: string, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.socket?.setNoDelay(true);
    const client: Client = { deskId, response };
    this.clients.add(client);
    response.on('close', () => this.clients.delete(client));
    response.write(
      `event: hello\ndata: ${JSON.stringify({ lastSeq: syncStatements(this.sqlite).lastSeq() })}\n\n`,
    );
  }

  broadcast(rows: readonly ChangeRow[]): void {
    if (this.clients.size === 0) return;
    const visible = visibleToDesks(this.sqlite, rows);
    if (visible.length === 0) return;
    this.writeAll(`event: changes\ndata: ${JSON.stringify(visible)}\n\n`);
  }

  /** Ends the streams of a desk (revoked). */
  disconnectDesk(deskId: string): void {
    for (const client of this.clients) if (client.deskId === deskId) client.response.end();
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.response.end();
    this.clients.clear();
  }

  private writeAll(frame: string): void {
    for (const client of this.clients) {
      if (!client.response.writableEnded) client.response.write(frame);
    }
  }
}

export function registerSyncEventRoutes(app: FastifyInstance, context: ServerContext): void {
  app.get('/sync/v1/events', async (request, reply) => {
    const deskId = requireDesk(context.database, request, reply);
    if (deskId === null) return reply;
    reply.hijack();
    context.events.attach(deskId, reply.raw);
    return reply;
  });
}
