/**
 * Kinds of activity (prestation) a child can be registered to and booked for.
 * The kind decides which booking units exist and how a day's units combine.
 */

export const ACTIVITY_KINDS = [
  'alsh_petites_vacances',
  'alsh_grandes_vacances',
  'alsh_mercredis',
  'periscolaire',
  'periscolaire_matin',
  'periscolaire_soir',
  'restauration',
  'tap',
  'sejour',
] as const;

export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const ALSH_KINDS = ['alsh_petites_vacances', 'alsh_grandes_vacances', 'alsh_mercredis'] as const;

export type AlshKind = (typeof ALSH_KINDS)[number];

export const ACTIVITY_KIND_LABELS: Readonly<Record<ActivityKind, string>> = {
  alsh_petites_vacances: 'ALSH petites vacances',
  alsh_grandes_vacances: 'ALSH grandes vacances',
  alsh_mercredis: 'ALSH mercredis',
  periscolaire: 'Accueil périscolaire',
  periscolaire_matin: 'Accueil périscolaire du matin',
  periscolaire_soir: 'Accueil périscolaire du soir',
  restauration: 'Restauration scolaire',
  tap: "Temps d'activités périscolaires (TAP)",
  sejour: 'Séjour',
};

export function isActivityKind(value: unknown): value is ActivityKind {
  return typeof value === 'string' && (ACTIVITY_KINDS as readonly string[]).includes(value);
}

export function isAlshKind(kind: ActivityKind): kind is AlshKind {
  return (ALSH_KINDS as readonly string[]).includes(kind);
}
