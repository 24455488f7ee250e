// `npm start`: builds what is missing, seeds the demo town on first run, starts the server and a desk,
// then prints the URLs and the demo logins.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_LOGINS } from '../db/seed';
import { findElectronBinary } from './electron-binary';
import { DESK_RENDERER_DIR, PORTAL_DIR, ROOT, startDemoStack } from './demo-stack';

function buildIfMissing(): void {
  if (existsSync(join(PORTAL_DIR, 'index.html')) && existsSync(join(DESK_RENDERER_DIR, 'index.html'))) return;
  console.log('Construction du portail et du poste (npm run build)…');
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function main(): Promise<void> {
  buildIfMissing();
  const electron = findElectronBinary();
  const families = Number(process.env.GF_FAMILIES ?? 300);
  console.log('Démarrage du serveur (la ville de démonstration est créée au premier lancement)…');
  const stack = await startDemoStack({
    dataDir: join(ROOT, '.data'),
    families,
    serverPort: Number(process.env.GF_PORT ?? 8080),
    deskPort: Number(process.env.GF_DESK_PORT ?? 8081),
    browserDesk: !('path' in electron),
  });

  console.log('');
  console.log(`Serveur central et portail citoyen : ${stack.serverUrl}/`);
  console.log(`Santé du serveur                   : ${stack.serverUrl}/healthz`);
  if ('path' in electron) {
    console.log('Poste (desk) : fenêtre Electron');
    const child = spawn(electron.path, [ROOT], {
      stdio: 'inherit',
      env: { ...process.env, GF_SERVER_URL: stack.serverUrl, GF_DESK_TOKEN: stack.deskToken },
    });
    child.on('exit', () => void stack.stop().then(() => process.exit(0)));
  } else {
    console.log(`Poste (desk) dans le navigateur    : ${stack.deskUrl}/`);
    console.log(`  (pas de fenêtre Electron : ${electron.why})`);
  }
  console.log('');
  console.log('Comptes de démonstration (au poste, chaque agent se connecte avec un compte « Guichet » ;');
  console.log('le poste se verrouille après 10 minutes d’inactivité) :');
  for (const login of DEMO_LOGINS)
    console.log(`  - ${login.login.padEnd(18)} / ${login.password}   ${login.display}`);
  console.log('');
  console.log('Ctrl+C pour arrêter.');

  const shutdown = (): void => void stack.stop().finally(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
