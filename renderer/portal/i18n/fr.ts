// Every French string of the portal, in one place.
export const fr = {
  portalTitle: 'Espace Famille',
  welcome: 'Bienvenue sur votre Espace Famille',
  intro:
    'Inscrivez vos enfants, réservez les jours d’accueil de loisirs, de mercredi, de cantine et de périscolaire, signalez une absence et réglez vos factures en ligne.',
  news: 'Actualités',
  infos: 'Infos pratiques',
  activities: 'Activités proposées',
  sites: 'Lieux d’accueil',
  contact: 'Contact',
  signIn: 'Se connecter',
  signInSoon: 'La connexion à votre espace ouvrira avec la prochaine version du portail.',
  noNews: 'Aucune actualité pour le moment.',
  loading: 'Chargement…',
} as const;
