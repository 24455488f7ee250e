// French strings of the desk's demandes screens (queue, one-screen processing, family tab, home counters).
export const frDemandes = {
  title: 'Demandes des familles',
  subtitle: 'Tout ce que les parents envoient depuis leur Espace Famille, du plus ancien au plus récent.',
  filters: {
    state: 'État',
    states: { open: 'À traiter', closed: 'Traitées', all: 'Toutes' },
    types: 'Types',
    allTypes: 'Tous les types',
    age: 'Ancienneté',
    ages: { any: 'Toutes', h24: 'Plus de 24 h', h48: 'Plus de 48 h', week: 'Plus d’une semaine' },
    reset: 'Effacer les filtres',
  },
  count: (shown: number, total: number) =>
    shown === total ? `${total} demande${total > 1 ? 's' : ''}` : `${shown} demandes affichées sur ${total}`,
  none: 'Aucune demande ne correspond à ces filtres.',
  noneOpen: 'Aucune demande en attente : tout est traité.',
  pick: 'Choisissez une demande dans la liste pour la traiter.',
  number: (n: number | null) => (n === null ? 'Demande' : `Demande N° ${n}`),
  age: (hours: number) =>
    hours < 1 ? 'à l’instant' : hours < 48 ? `il y a ${hours} h` : `il y a ${Math.floor(hours / 24)} jours`,
  pendingChip: 'Décision en attente d’envoi',
  attachments: (n: number) => `${n} pièce${n > 1 ? 's' : ''} jointe${n > 1 ? 's' : ''}`,
  detail: {
    family: 'Famille',
    openFamily: 'Ouvrir le dossier',
    requester: 'Demandeur',
    madeOn: 'Envoyée le',
    details: 'Détail de la demande',
    noDetails: 'Pas de détail saisi.',
    history: 'Historique',
    messages: 'Échanges',
    noMessages: 'Aucun message.',
    pieces: 'Pièces jointes',
    noPieces: 'Aucune pièce jointe.',
    assigned: 'Traitée par',
    by: 'par',
  },
  decide: {
    title: 'Décision',
    accept: 'Accepter',
    refuse: 'Refuser',
    message: 'Message à la famille',
    messageHint: (to: string | null) =>
      to
        ? `Publié dans l’espace de la famille et envoyé par courriel à ${to}.`
        : 'Publié dans l’espace de la famille (pas d’adresse électronique : prévenez-la autrement).',
    templates: {
      accepter: 'Bonjour, votre demande a bien été traitée. Cordialement, le service Enfance.',
      refuser: 'Bonjour, nous ne pouvons pas donner suite à votre demande : ',
    },
    submit: 'Valider la décision',
    done: (number: number | null, accepted: boolean) =>
      `${number === null ? 'Demande' : `Demande N° ${number}`} ${accepted ? 'acceptée' : 'refusée'} : la famille sera prévenue dès la synchronisation.`,
    closed: 'Cette demande est déjà traitée.',
    tooShort: 'Écrivez un message à la famille (3 caractères au moins).',
  },
  family: {
    title: 'Demandes de la famille',
    none: 'Cette famille n’a envoyé aucune demande.',
  },
  home: {
    open: 'Demandes à traiter',
    old: (n: number) => `dont ${n} depuis plus de 48 h`,
    none: 'Aucune demande en attente.',
    see: 'Voir la file',
    welcome: 'accueil des familles',
    toHandleHint: 'Actions du guichet refusées ou en liste d’attente : prévenir les familles.',
    openToHandle: 'Ouvrir la liste',
    quickLinks: 'Accès rapides',
    search: 'Rechercher une famille (F2)',
  },
  columns: { number: 'N°', type: 'Type', subject: 'Objet', family: 'Famille', age: 'Reçue', status: 'État' },
} as const;
