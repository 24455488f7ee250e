// French strings of the desk's journal de caisse: the day's receipts, totals per mode, the numbering check.
export const frCashJournal = {
  title: 'Journal de caisse',
  subtitle: (desk: string, prefix: string) => `Poste ${desk} — reçus ${prefix}`,
  day: 'Journée du',
  previousDay: 'Jour précédent',
  nextDay: 'Jour suivant',
  today: 'Aujourd’hui',
  print: 'Imprimer le journal',
  loading: 'Chargement du journal…',
  totalOfDay: 'Total de la journée',
  operations: (n: number) => (n === 1 ? '1 opération' : `${n} opérations`),
  noMoney: 'Aucun encaissement ce jour sur ce poste.',
  numberingOk: (first: string, last: string) =>
    `Numérotation continue : reçus ${first} à ${last}, sans numéro manquant.`,
  numberingMissing: (missing: string) =>
    `Numéros de reçu manquants : ${missing}. À expliquer avant de clore la journée.`,
  pending: (n: number) =>
    n === 1
      ? '1 paiement n’est pas encore transmis au serveur : le journal sera définitif après la synchronisation.'
      : `${n} paiements ne sont pas encore transmis au serveur : le journal sera définitif après la synchronisation.`,
  voids: (n: number) =>
    n === 1
      ? '1 reçu annulé : le serveur a refusé le paiement, son numéro reste au journal sans montant.'
      : `${n} reçus annulés : le serveur a refusé ces paiements, leurs numéros restent au journal sans montant.`,
  none: 'Aucun reçu émis ce jour sur ce poste.',
  columns: {
    receipt: 'Reçu n°',
    time: 'Heure',
    family: 'Famille',
    mode: 'Mode',
    agent: 'Agent',
    amount: 'Montant',
    state: 'État',
  },
  kinds: {
    encaissement: 'Encaissement',
    annulation: 'Annulation',
    annule: 'Reçu annulé',
  },
  states: {
    pending: 'En attente de synchronisation',
    confirmed: 'Enregistré',
    rejected: 'Refusé',
  },
};
