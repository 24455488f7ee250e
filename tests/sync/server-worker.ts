// The sync server in its own process, for server-crash.test.ts: buildServer on a SQLite file, listening on
// 127.0.0.1:<port>. argv: <database file> <port>. Prints `listening <url>`, then `push` each time a push
// request is about to be processed and `group` each time a commit group of it is committed (the parent kills it
// with SIGKILL shortly after one or the other).
import { writeSync } from 'node:fs';
import { openDatabase } from '../../db/open';
import { buildServer } from '../../server/app';
import { changeFeedOf } from '../../server/sync/change-log';

const out = (line: string): void => {
  writeSync(1, `${line}\n`);
};

async function main(): Promise<void> {
  const [file, port] = process.argv.slice(2);
  if (!file || !port) throw new Error('usage: server-worker <database file> <port>');
  const database = openDatabase(file);
  const app = await buildServer({ database, cookieSecret: 'server-crash-tests' });
  app.addHook('preHandler', async (request) => {
    if (request.url.startsWith('/sync/v1/push')) out('push');
  });
  // The feed hears about each commit group right after its commit (desk pushes are the only writers here).
  changeFeedOf(database.sqlite).subscribe(() => out('group'));
  const url = await app.listen({ host: '127.0.0.1', port: Number(port) });
  out(`listening ${url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
