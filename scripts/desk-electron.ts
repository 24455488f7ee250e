// `npm run desk`: starts the Electron desk against a server (GF_SERVER_URL, GF_DESK_TOKEN), where the binary exists.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { findElectronBinary } from './electron-binary';

const root = resolve(import.meta.dirname, '..');
const electron = findElectronBinary();
if (!('path' in electron)) {
  console.error(
    `Pas de fenêtre Electron : ${electron.why}. Lancez \`npm start\`, qui ouvre le poste dans le navigateur.`,
  );
  process.exit(1);
}
if (!existsSync(resolve(root, 'out/main/index.cjs'))) {
  console.error('Le poste n’est pas construit : lancez `npm run build` d’abord.');
  process.exit(1);
}
spawn(electron.path, [root], { stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 0));
