// Every French string of the desk, in one place so a town hall can review the wording.
export const fr = {
  appTitle: 'Guichet Famille',
  deskSubtitle: 'Espace Famille — accueil',
  search: {
    label: 'Rechercher une famille',
    hint: 'Nom, prénom d’un membre, téléphone, courriel ou n° de dossier — raccourci : F2',
    none: 'Aucune famille ne correspond à cette recherche.',
    count: (shown: number, total: number) => `${shown} famille(s) affichée(s) sur ${total}`,
  },
  families: {
    title: 'Familles',
    code: 'Dossier',
    titulaire: 'Titulaire',
    coTitulaire: 'Co-titulaire',
    children: 'Enfants',
    city: 'Commune',
    contact: 'Contact',
  },
  sync: {
    online: 'En ligne',
    offline: 'Hors ligne',
    never: 'Jamais synchronisé',
    update_required: 'Mise à jour nécessaire',
    revoked: 'Poste non autorisé',
    toHandle: (n: number) => `${n} à traiter`,
    pending: (n: number) => `${n} en attente`,
    lastSync: 'Dernière synchronisation',
    refresh: 'Synchroniser',
  },
} as const;
