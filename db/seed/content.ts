// The public side of the demo town: actualités, infos pratiques, and the menus
// of the restaurant scolaire for the coming weeks.
import { formatDayFr, formatShortFr } from '../../core/calendar/paris';
import type { TownActivities } from './activities';
import { christmasClosure } from './activities';
import type { SeedContext } from './context';
import type { TownSites } from './town';

const STARTERS = [
  'Carottes râpées vinaigrette',
  'Salade de lentilles',
  'Concombre à la crème',
  'Betteraves persillées',
  'Potage de légumes',
  'Taboulé',
  'Salade verte et croûtons',
  'Céleri rémoulade',
  'Pamplemousse',
  'Velouté de potiron',
  'Œuf dur mayonnaise',
  'Radis beurre',
];
const MAINS = [
  'Sauté de porc au caramel et riz',
  'Poulet rôti et haricots verts',
  'Filet de colin meunière et purée',
  'Bœuf bourguignon et pommes vapeur',
  'Lasagnes à la bolognaise',
  'Rôti de dinde et petits pois',
  'Hachis parmentier',
  'Poisson pané et épinards à la crème',
  'Blanquette de veau et riz',
  'Sauté de bœuf aux oignons et semoule',
  'Cuisse de poulet basquaise et pâtes',
];
const VEGETARIAN = [
  'Lasagnes aux légumes',
  'Omelette et pommes de terre sautées',
  'Gratin de pâtes au fromage',
  'Chili sin carne et riz',
  'Curry de pois chiches et boulgour',
  'Galette de légumes et ratatouille',
];
const DAIRY = [
  'Yaourt nature',
  'Camembert',
  'Emmental',
  'Fromage blanc',
  "Tomme de l'Anjou",
  'Petit-suisse',
  'Saint-Paulin',
];
const DESSERTS = [
  'Pomme',
  'Compote de poires',
  'Crème dessert vanille',
  'Clémentines',
  'Gâteau au chocolat maison',
  'Banane',
  'Salade de fruits',
  'Riz au lait',
  'Tarte aux pommes',
  'Kiwi',
  'Poire',
];

export function seedContent(ctx: SeedContext, activities: TownActivities, sites: TownSites): void {
  const rng = ctx.root.fork('content');
  const y = ctx.startYear;
  const closure = christmasClosure(y);
  const notAfterToday = (day: string) => (day > ctx.today ? ctx.today : day);
  const holidays = activities.byKey.petitesVacances.periods.concat(activities.byKey.grandesVacances.periods);
  const next = holidays.find((p) => p.end >= ctx.today);

  const news: { title: string; body: string; on: string; expires: string | null }[] = [
    {
      title: 'Période de fermeture des accueils de loisirs',
      body: `La période de fermeture annuelle des accueils de loisirs se déroulera du ${formatDayFr(closure.start)} au ${formatDayFr(closure.end)} inclus. Aucune réservation ne sera possible sur ces dates. Les accueils rouvriront à l'issue de cette période aux horaires habituels.`,
      on: notAfterToday(`${y}-11-04`),
      expires: closure.end,
    },
    {
      title: "Lieux d'accueil ALSH vacances de Noël",
      body: `Les enfants inscrits à l'ALSH pour les vacances de Noël seront accueillis : du CP au CM2 à l'${sites.elementaire.name} ; de la petite à la grande section à l'${sites.maternelle.name}. Les repas sont servis sur place.`,
      on: notAfterToday(`${y}-11-18`),
      expires: `${y + 1}-01-04`,
    },
    {
      title: `Rentrée ${ctx.schoolYear.label} : restauration et accueil périscolaire`,
      body: `Les réservations de la restauration scolaire et des mercredis se font au plus tard 48 h à l'avance depuis votre Espace Famille. Pour l'accueil périscolaire du matin et du soir, le délai est de 7 jours. Pensez à mettre à jour votre quotient familial (rubrique « Mes QF/Revenus ») : sans QF valide, le tarif le plus élevé s'applique.`,
      on: `${y}-08-28`,
      expires: null,
    },
    {
      title: 'Payez vos factures en ligne',
      body: "Vos factures de la Régie unique (restauration, accueil périscolaire, accueils de loisirs) peuvent être réglées par carte bancaire depuis « Mes factures », jusqu'à la date limite indiquée sur la facture. Vous pouvez aussi adhérer à la facture en ligne pour ne plus la recevoir sur papier.",
      on: `${y}-09-15`,
      expires: null,
    },
    {
      title: 'Semaine du goût au restaurant scolaire',
      body: 'Du lundi au vendredi, les enfants découvriront chaque midi un produit de saison cultivé en Anjou : pommes, potimarron, poires et fromage de chèvre. Bon appétit à tous !',
      on: notAfterToday(`${y}-10-05`),
      expires: `${y}-10-31`,
    },
  ];
  if (next) {
    news.push({
      title: `Inscriptions ALSH — ${next.label}`,
      body: `Les réservations pour l'accueil de loisirs (${next.label}, du ${formatShortFr(next.start)} au ${formatShortFr(next.end)}) sont ouvertes à partir du ${formatDayFr(next.opensOn)}${next.closesOn ? ` et possibles jusqu'au ${formatDayFr(next.closesOn)} inclus` : ''}. Au-delà, merci de contacter le Pôle Enfance Jeunesse.`,
      on: notAfterToday(next.opensOn),
      expires: next.end,
    });
  }
  const practical = [
    {
      title: "Horaires de l'accueil du Pôle Enfance Jeunesse",
      body: "Hôtel de Ville, place de l'Hôtel de Ville : du lundi au vendredi de 8 h 30 à 12 h et de 13 h 30 à 17 h 30, le samedi de 9 h à 12 h. Téléphone : 02 41 72 00 10. Courriel : enfance@saint-aubin-sur-loire.fr.",
    },
    {
      title: 'Délais de réservation et d’annulation',
      body: 'Mercredis et restauration scolaire : 48 h avant le jour concerné. Accueil périscolaire du matin et du soir : 7 jours avant. Vacances scolaires : jusqu’à la date fixée pour chaque période (environ trois semaines avant, calendrier dans « Édition de documents »). Passé ce délai, adressez-vous à l’accueil.',
    },
    {
      title: 'Tarifs et quotient familial',
      body: 'Les tarifs dépendent de votre quotient familial (6 tranches, de 0 à plus de 1 600 €) et de votre lieu de résidence (tarif extérieur pour les familles hors commune). Utilisez la simulation des tarifs de votre Espace Famille pour connaître votre tarif.',
    },
    {
      title: 'Signaler une absence',
      body: 'Signalez toute absence depuis « Absence ALSH » en joignant un justificatif (certificat médical…). Une absence signalée dans les délais annule la réservation ; hors délai, elle n’est pas facturée si elle est justifiée et acceptée par le service.',
    },
    {
      title: 'Moyens de paiement',
      body: "En ligne par carte bancaire ; à l'accueil de l'Hôtel de Ville : espèces, chèque à l'ordre du Trésor public, carte bancaire, CESU et chèques vacances ANCV ; ou par prélèvement automatique (mandat SEPA à demander dans « Autres démarches »).",
    },
  ];
  const publish = (
    kind: 'actualite' | 'info_pratique',
    title: string,
    body: string,
    on: string,
    expires: string | null,
  ) => {
    const at = ctx.iso(ctx.at(on, 10, rng.int(0, 300)));
    ctx.insert('publications', {
      id: ctx.id(),
      kind,
      title,
      body,
      published_on: on,
      expires_on: expires,
      created_at: at,
      updated_at: at,
    });
  };
  for (const n of news.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0)))
    publish('actualite', n.title, n.body, n.on, n.expires);
  for (const p of practical) publish('info_pratique', p.title, p.body, `${y}-08-25`, null);

  // Menus: the restaurant's opening days from this week's Monday, four weeks ahead.
  const cal = ctx.calendar;
  const todayIdx = Math.max(0, Math.min(ctx.todayIndex, cal.days.length - 1));
  const monday = todayIdx - (cal.weekday[todayIdx]! - 1);
  const open = new Set(activities.byKey.restauration.periods.flatMap((p) => p.openDays));
  const updated = ctx.iso(ctx.nowMs - 10 * 86_400_000);
  for (let i = Math.max(0, monday); i < Math.min(cal.days.length, monday + 28); i++) {
    if (!open.has(i)) continue;
    const vegetarian = cal.weekday[i] === 4;
    ctx.insert('menus', {
      id: ctx.id(),
      site_id: null,
      day: cal.days[i]!,
      starter: rng.pick(STARTERS),
      main: rng.pick(vegetarian ? VEGETARIAN : MAINS),
      dessert: rng.pick(DESSERTS),
      dairy: rng.pick(DAIRY),
      notes: vegetarian
        ? 'Menu végétarien'
        : rng.chance(0.2)
          ? 'Produits issus de l’agriculture biologique'
          : null,
      updated_at: updated,
    });
  }
}
