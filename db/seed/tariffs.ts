// Dated tariff grids of the demo town: six QF brackets, prices per unit in
// integer cents, résident and extérieur.
import type { ActivityKind } from '../schema';
import type { SeedContext } from './context';

export interface PriceRef {
  label: string;
  /** Cents per bracket (index = bracket position). */
  resident: number[];
  exterieur: number[];
}

export const QF_BRACKETS: readonly (readonly [number, number | null])[] = [
  [0, 450],
  [451, 700],
  [701, 950],
  [951, 1200],
  [1201, 1600],
  [1601, null],
];

const MEAL = [80, 160, 240, 310, 380, 430];
const MEAL_EXT = [120, 200, 290, 370, 430, 450];
const ALSH_HALF_DAY = [200, 310, 420, 540, 660, 780];
const PERI_MORNING = [70, 110, 150, 190, 230, 270];
const PERI_EVENING = [100, 160, 220, 280, 340, 400];
const LATE_FINE = [500, 500, 500, 500, 500, 500];

const scale = (prices: readonly number[], factor: number): number[] =>
  prices.map((cents) => Math.round((cents * factor) / 10) * 10);

export function pricesFor(kind: ActivityKind): Map<string, PriceRef> {
  const map = new Map<string, PriceRef>();
  const put = (code: string, label: string, resident: readonly number[], exterieur: readonly number[]) =>
    map.set(code, { label, resident: [...resident], exterieur: [...exterieur] });
  if (kind === 'restauration') {
    put('REPAS', 'Repas', MEAL, MEAL_EXT);
    put('REPAS_NON_RESERVE', 'Repas non réservé (+30 %)', scale(MEAL, 1.3), scale(MEAL_EXT, 1.3));
  } else if (kind === 'periscolaire_matin') {
    put('MATIN', 'Accueil du matin', PERI_MORNING, scale(PERI_MORNING, 1.3));
  } else if (kind === 'periscolaire_soir') {
    put('SOIR', 'Accueil du soir', PERI_EVENING, scale(PERI_EVENING, 1.3));
    put('AMENDE_RETARD', 'Amende retard', LATE_FINE, LATE_FINE);
  } else {
    put('MATIN', 'Matin', ALSH_HALF_DAY, scale(ALSH_HALF_DAY, 1.35));
    put('APRES_MIDI', 'Après-midi', ALSH_HALF_DAY, scale(ALSH_HALF_DAY, 1.35));
    put('REPAS_AV', 'Repas avec viande', MEAL, MEAL_EXT);
    put('REPAS_SV', 'Repas sans viande', MEAL, MEAL_EXT);
    put('AMENDE_RETARD', 'Amende retard', LATE_FINE, LATE_FINE);
  }
  return map;
}

/** Two dated grids per activity: last school year's (3 % cheaper) and this one's. */
export function seedTariffs(
  ctx: SeedContext,
  activityId: string,
  name: string,
  prices: Map<string, PriceRef>,
): void {
  const versions = [
    {
      from: `${ctx.startYear - 1}-09-01`,
      to: `${ctx.startYear}-08-31`,
      factor: 0.97,
      label: `${ctx.startYear - 1}-${ctx.startYear}`,
    },
    { from: `${ctx.startYear}-09-01`, to: null, factor: 1, label: ctx.schoolYear.label },
  ];
  for (const version of versions) {
    const updated = ctx.iso(Date.UTC(Number(version.from.slice(0, 4)), 5, 20, 10, 0, 0));
    const versionId = ctx.id();
    ctx.insert('tariff_versions', {
      id: versionId,
      activity_id: activityId,
      label: `Tarifs ${name} ${version.label}`,
      valid_from: version.from,
      valid_to: version.to,
      updated_at: updated,
    });
    for (const [position, [qfMin, qfMax]] of QF_BRACKETS.entries()) {
      const bracketId = ctx.id();
      ctx.insert('tariff_brackets', {
        id: bracketId,
        tariff_version_id: versionId,
        position,
        label: qfMax === null ? `QF supérieur à ${qfMin - 1} €` : `QF de ${qfMin} à ${qfMax} €`,
        qf_min: qfMin,
        qf_max: qfMax,
        updated_at: updated,
      });
      for (const [code, price] of prices) {
        for (const residency of ['resident', 'exterieur'] as const) {
          const base = price[residency][position]!;
          ctx.insert('tariff_prices', {
            id: ctx.id(),
            tariff_version_id: versionId,
            bracket_id: bracketId,
            price_code: code,
            label: price.label,
            residency,
            amount_cents: version.factor === 1 ? base : Math.round(base * version.factor),
            updated_at: updated,
          });
        }
      }
    }
  }
}
