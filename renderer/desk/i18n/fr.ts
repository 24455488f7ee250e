// Every French string of the desk, in one folder so a town hall can review the wording (one file per feature).
import { frAgent } from './fr-agent';
import { frFamily } from './fr-family';
import { frPlanning } from './fr-planning';
import { frDocuments } from './fr-documents';
import { frCashier } from './fr-cashier';
import { frCashJournal } from './fr-cash-journal';
import { frDemandes } from './fr-demandes';
export const fr = {
  agent: frAgent,
  family: frFamily,
  planning: frPlanning,
  documents: frDocuments,
  cashier: frCashier,
  cashJournal: frCashJournal,
  demandes: frDemandes,
  appTitle: 'Guichet Famille',
  nav: {
    home: 'Accueil',
    families: 'Familles',
    newFamily: 'Nouvelle famille',
    demandes: 'Demandes',
    toHandle: 'À traiter',
    cashJournal: 'Journal de caisse',
  },
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
  toHandle: {
    title: 'À traiter',
    subtitle:
      'Actions prises au guichet que le serveur a refusées ou mises en liste d’attente : prévenir la famille, puis marquer comme traité.',
    none: 'Rien à traiter : toutes les actions du guichet ont été acceptées.',
    outcome: 'Décision',
    outcomes: { rejected: 'Refusée', waitlisted: 'Liste d’attente' },
    asked: 'Demandé',
    reason: 'Motif',
    family: 'Famille à prévenir',
    when: 'Décidé le',
    open: 'Dossier',
    acknowledge: 'Traité',
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
