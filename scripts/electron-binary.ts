// Finds the Electron binary without triggering electron's lazy download (which cannot succeed offline).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronLookup = { path: string } | { why: string };

export function findElectronBinary(): ElectronLookup {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { why: "le paquet electron n'est pas installé" };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      why: "le binaire d'Electron n'a pas pu être téléchargé sur cette machine (pas d'accès à ses serveurs)",
    };
  }
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { why: `binaire d'Electron introuvable : ${binary}` };
}
