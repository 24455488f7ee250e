// Creates the demo town's SQLite database.
//   npx tsx scripts/seed.ts [--families 300] [--seed 1] [--db .data/server.sqlite] [--today YYYY-MM-DD] [--force]
import { parseArgs } from 'node:util';
import { isValidDay } from '../core/calendar/paris';
import {
  DEFAULT_SEED_OPTIONS,
  DEMO_LOGINS,
  SeedRefusedError,
  parisToday,
  seedDatabaseFile,
} from '../db/seed';

const SHOWN: readonly [string, string][] = [
  ['households', 'foyers'],
  ['persons', 'personnes'],
  ['inscriptions', 'inscriptions'],
  ['bookings', 'réservations'],
  ['attendance', 'pointages'],
  ['capacities', 'capacités'],
  ['invoices', 'factures'],
  ['invoice_lines', 'lignes de facture'],
  ['payments', 'paiements'],
  ['receipts', 'reçus'],
  ['demandes', 'demandes'],
  ['messages', 'messages'],
  ['citizen_accounts', 'comptes parents'],
];

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      families: { type: 'string', default: String(DEFAULT_SEED_OPTIONS.families) },
      seed: { type: 'string', default: String(DEFAULT_SEED_OPTIONS.seed) },
      db: { type: 'string', default: '.data/server.sqlite' },
      today: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(
      'Usage : npx tsx scripts/seed.ts [--families 300] [--seed 1] [--db .data/server.sqlite] [--today AAAA-MM-JJ] [--force]',
    );
    return;
  }
  const families = Number(values.families);
  const seed = Number(values.seed);
  const today = values.today ?? parisToday();
  if (!Number.isInteger(families) || families < 2) fail('--families : un entier ≥ 2 est attendu.');
  if (!Number.isInteger(seed)) fail('--seed : un entier est attendu.');
  if (!isValidDay(today)) fail('--today : une date AAAA-MM-JJ est attendue.');

  console.log(
    `Ville de démonstration : ${families} familles, graine ${seed}, aujourd'hui ${today} → ${values.db}`,
  );
  try {
    const steps: string[] = [];
    const summary = await seedDatabaseFile(
      values.db,
      { families, seed, today, force: values.force },
      { progress: (step, seconds) => steps.push(`${step} ${seconds.toFixed(1)} s`) },
    );
    console.log(`Étapes : ${steps.join(' · ')}`);
    console.log(
      `Année scolaire ${summary.schoolYear}, mois facturés : ${summary.billedMonths.join(', ') || 'aucun'}`,
    );
    for (const [table, label] of SHOWN)
      console.log(`  ${label.padEnd(20)} ${String(summary.counts[table] ?? 0).padStart(9)}`);
    const total = Object.values(summary.counts).reduce((a, b) => a + b, 0);
    console.log(`  ${'lignes au total'.padEnd(20)} ${String(total).padStart(9)}`);
    console.log('Identifiants de démonstration :');
    for (const l of DEMO_LOGINS) console.log(`  ${l.login.padEnd(18)} ${l.password}  ${l.display}`);
    if (summary.demoAccessKey) {
      console.log(
        `  Clé Espace Citoyens : ${summary.demoAccessKey.key} (foyer ${summary.demoAccessKey.householdCode})`,
      );
    }
    console.log(`Terminé en ${summary.seconds.toFixed(1)} s.`);
  } catch (error) {
    if (error instanceof SeedRefusedError) fail(error.message);
    throw error;
  }
}

await main();
