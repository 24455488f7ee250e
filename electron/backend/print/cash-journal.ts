// The journal de caisse as printed at closing: the desk and the day, the total per payment mode, the numbering
// check, every receipt of the day in number order (void ones shown, holding no money), and the signatures of
// the agent and the régisseur.
import { formatDayFr, formatShortDateTimeFr, formatTimeFr } from '../../../core/calendar/paris';
import type { TownLetterhead } from '../../../db/repositories/town-letterhead';
import type { CashJournal, CashJournalEntry } from '../../contract/cash-journal';
import { MUTED, TABLE_LAYOUT, documentOf, euros, framedBlock, letterhead, paymentModeText } from './layout';
import type { PdfContent, PdfDocument } from './render-pdf';

export interface CashJournalPrintData {
  town: TownLetterhead;
  journal: CashJournal;
  printedAt: Date;
}

function entryLabel(entry: CashJournalEntry): string {
  if (entry.kind === 'annule') return `Reçu annulé : ${entry.voidReason ?? 'paiement refusé par le serveur'}`;
  const family = entry.household ? `${entry.household.titulaire} (${entry.household.code})` : '—';
  return entry.kind === 'annulation' ? `Annulation — ${family}` : family;
}

function entriesTable(journal: CashJournal): PdfContent {
  const rows: PdfContent[] = journal.entries.map((entry) => {
    const muted = entry.kind === 'annule' ? { color: MUTED, italics: true } : {};
    return [
      { text: entry.receiptNumber, noWrap: true, ...muted },
      { text: formatTimeFr(entry.issuedAt), noWrap: true, ...muted },
      { text: entryLabel(entry), ...muted },
      { text: entry.mode ? paymentModeText(entry.mode) : '—', ...muted },
      { text: entry.agentName ?? '—', ...muted },
      {
        text: entry.kind === 'annule' ? '—' : euros(entry.amountCents),
        alignment: 'right',
        noWrap: true,
        ...muted,
      },
    ];
  });
  return {
    table: {
      headerRows: 1,
      widths: [62, 30, '*', 84, 76, 56],
      body: [
        [
          { text: 'Reçu n°', style: 'tableHeader' },
          { text: 'Heure', style: 'tableHeader' },
          { text: 'Famille', style: 'tableHeader' },
          { text: 'Mode', style: 'tableHeader' },
          { text: 'Agent', style: 'tableHeader' },
          { text: 'Montant', style: 'tableHeader', alignment: 'right' },
        ],
        ...rows,
      ],
    },
    layout: TABLE_LAYOUT,
    fontSize: 8.5,
  };
}

function totalsTable(journal: CashJournal): PdfContent {
  const rows: PdfContent[] = journal.byMode.map((total) => [
    { text: paymentModeText(total.mode) },
    { text: String(total.count), alignment: 'right' },
    { text: euros(total.totalCents), alignment: 'right', noWrap: true },
  ]);
  return {
    table: {
      headerRows: 1,
      widths: ['*', 70, 90],
      body: [
        [
          { text: 'Mode de paiement', style: 'tableHeader' },
          { text: 'Opérations', style: 'tableHeader', alignment: 'right' },
          { text: 'Total', style: 'tableHeader', alignment: 'right' },
        ],
        ...rows,
        [
          { text: 'Total de la journée', bold: true },
          { text: String(journal.byMode.reduce((n, t) => n + t.count, 0)), bold: true, alignment: 'right' },
          { text: euros(journal.totalCents), bold: true, alignment: 'right', noWrap: true },
        ],
      ],
    },
    layout: TABLE_LAYOUT,
  };
}

function numberingText(journal: CashJournal): PdfContent {
  const { first, last, missing } = journal.numbering;
  if (first === null || last === null) return { text: 'Aucun reçu émis ce jour.', style: 'note' };
  if (missing.length === 0)
    return { text: `Numérotation continue : reçus ${first} à ${last}, sans numéro manquant.` };
  return {
    text: `Numéros manquants : ${missing.join(', ')}. À expliquer avant de clore la journée.`,
    bold: true,
    color: '#b3261e',
  };
}

export function buildCashJournal({ town, journal, printedAt }: CashJournalPrintData): PdfDocument {
  const day = formatDayFr(journal.day);
  const printed = formatShortDateTimeFr(printedAt);
  const signature = (label: string): PdfContent =>
    framedBlock(label, [{ text: 'Nom et signature', style: 'small', margin: [0, 0, 0, 34] }]);
  const content: PdfContent[] = [
    letterhead(town, {
      title: 'JOURNAL DE CAISSE',
      number: journal.deskName,
      lines: [day, `Reçus ${journal.receiptPrefix}`],
    }),
    { text: 'Totaux par mode de paiement', style: 'sectionTitle' },
    totalsTable(journal),
    { ...(numberingText(journal) as Record<string, unknown>), margin: [0, 8, 0, 0], fontSize: 9.5 },
    ...(journal.pendingCount > 0
      ? [
          {
            text: `${journal.pendingCount} paiement(s) pas encore transmis au serveur au moment de l’édition.`,
            style: 'note',
          },
        ]
      : []),
    { text: `Reçus de la journée (${journal.entries.length})`, style: 'sectionTitle' },
    journal.entries.length > 0
      ? entriesTable(journal)
      : { text: 'Aucun reçu émis ce jour sur ce poste.', style: 'note' },
    {
      columns: [signature('L’agent'), signature('Le régisseur')],
      columnGap: 16,
      margin: [0, 20, 0, 0],
      unbreakable: true,
    },
  ];
  return documentOf(town, {
    title: `Journal de caisse — ${journal.deskName} — ${day}`,
    printedAt: printed,
    content,
  });
}
