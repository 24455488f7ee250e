// The invoice (facture) of the régie unique: number and period, the payer's address, lines per child and
// activity (quantity × unit price), totals, what was already paid (with the receipts) and how to pay the rest.
import { formatShortDateTimeFr, formatShortFr, parisDay } from '../../../core/calendar/paris';
import type { PaymentMode } from '../../../db/schema';
import type { CashierHousehold } from '../../../db/repositories/cashier';
import type { CashierInvoiceLineRow, CashierInvoiceRow } from '../../../db/repositories/cashier-invoices';
import type { TownLetterhead } from '../../../db/repositories/town-letterhead';
import {
  FILL,
  PRIMARY,
  TABLE_LAYOUT,
  documentOf,
  euros,
  framedBlock,
  letterhead,
  paymentModeText,
} from './layout';
import type { PdfContent, PdfDocument } from './render-pdf';

export interface InvoicePaymentLine {
  receivedAt: string;
  mode: PaymentMode;
  receiptNumber: string | null;
  /** What this payment (or reversal, negative) put on the invoice. */
  amountCents: number;
}

export interface InvoiceData {
  town: TownLetterhead;
  household: CashierHousehold;
  invoice: CashierInvoiceRow;
  /** "Mme Marie DUPONT": the payer as addressed. */
  payer: string;
  payments: InvoicePaymentLine[];
  cashLimitCents: number;
  printedAt: Date;
}

const STATUS_TEXT: Record<CashierInvoiceRow['status'], string> = {
  brouillon: 'Brouillon',
  non_reglee: 'Non réglée',
  partiellement_reglee: 'Partiellement réglée',
  reglee: 'Réglée',
  annulee: 'Annulée',
};

function day(value: string | null): string {
  return value ? formatShortFr(value) : '—';
}

/** Lines grouped by child (in line order), each with its subtotal. */
function linesByChild(
  lines: readonly CashierInvoiceLineRow[],
): { child: string; lines: CashierInvoiceLineRow[] }[] {
  const groups = new Map<string, { child: string; lines: CashierInvoiceLineRow[] }>();
  for (const line of [...lines].sort((a, b) => a.position - b.position)) {
    const group = groups.get(line.personId);
    if (group) group.lines.push(line);
    else groups.set(line.personId, { child: line.childName, lines: [line] });
  }
  return [...groups.values()];
}

function linesTable(invoice: CashierInvoiceRow): PdfContent {
  const body: PdfContent[] = [
    [
      { text: 'Désignation', style: 'tableHeader' },
      { text: 'Quantité', style: 'tableHeader', alignment: 'right' },
      { text: 'Prix unitaire', style: 'tableHeader', alignment: 'right' },
      { text: 'Montant', style: 'tableHeader', alignment: 'right' },
    ],
  ];
  for (const group of linesByChild(invoice.lines)) {
    body.push([{ text: group.child, bold: true, colSpan: 4, fillColor: FILL, color: PRIMARY }, {}, {}, {}]);
    for (const line of group.lines) {
      body.push([
        { text: [{ text: line.activityName }, { text: ` — ${line.designation}`, color: '#4a5560' }] },
        { text: String(line.quantity), alignment: 'right' },
        { text: euros(line.unitPriceCents), alignment: 'right', noWrap: true },
        { text: euros(line.amountCents), alignment: 'right', noWrap: true },
      ]);
    }
    const subtotal = group.lines.reduce((sum, l) => sum + l.amountCents, 0);
    body.push([
      { text: `Sous-total ${group.child}`, italics: true, colSpan: 3, alignment: 'right', style: 'small' },
      {},
      {},
      { text: euros(subtotal), alignment: 'right', italics: true, noWrap: true },
    ]);
  }
  if (invoice.lines.length === 0) {
    body.push([{ text: 'Aucune ligne sur cette facture.', colSpan: 4, italics: true }, {}, {}, {}]);
  }
  return { table: { headerRows: 1, widths: ['*', 55, 75, 80], body }, layout: TABLE_LAYOUT };
}

function totalsTable(invoice: CashierInvoiceRow): PdfContent {
  const left = Math.max(0, invoice.totalCents - invoice.paidCents);
  const row = (label: string, cents: number, strong = false): PdfContent[] => [
    { text: label, bold: strong, fillColor: strong ? FILL : undefined },
    {
      text: euros(cents),
      alignment: 'right',
      bold: strong,
      noWrap: true,
      fillColor: strong ? FILL : undefined,
      color: strong ? PRIMARY : undefined,
      fontSize: strong ? 12 : 10,
    },
  ];
  return {
    width: 220,
    table: {
      widths: ['*', 90],
      body: [
        row('Total de la facture', invoice.totalCents),
        row('Déjà réglé', invoice.paidCents),
        row('Reste à payer', left, true),
      ],
    },
    layout: {
      hLineWidth: (i: number) => (i === 2 || i === 3 ? 1 : 0),
      vLineWidth: () => 0,
      hLineColor: () => PRIMARY,
      paddingTop: () => 4,
      paddingBottom: () => 4,
    },
  };
}

function paymentsTable(payments: readonly InvoicePaymentLine[]): PdfContent[] {
  if (payments.length === 0) return [];
  return [
    {
      unbreakable: true,
      stack: [
        { text: 'Règlements reçus', style: 'sectionTitle' },
        {
          table: {
            headerRows: 1,
            widths: [90, '*', 110, 80],
            body: [
              [
                { text: 'Date', style: 'tableHeader' },
                { text: 'Mode', style: 'tableHeader' },
                { text: 'Reçu n°', style: 'tableHeader' },
                { text: 'Montant', style: 'tableHeader', alignment: 'right' },
              ],
              ...payments.map((p) => [
                { text: formatShortFr(parisDay(p.receivedAt)) },
                { text: paymentModeText(p.mode) },
                { text: p.receiptNumber ?? '—' },
                { text: euros(p.amountCents), alignment: 'right', noWrap: true },
              ]),
            ],
          },
          layout: TABLE_LAYOUT,
        },
      ],
    },
  ];
}

function howToPay(data: InvoiceData): PdfContent {
  const { town, invoice } = data;
  const left = Math.max(0, invoice.totalCents - invoice.paidCents);
  const regie = town.regie ?? `la régie de ${town.name}`;
  const lines: PdfContent[] =
    invoice.status === 'annulee'
      ? [{ text: 'Cette facture est annulée : elle n’est pas à régler.' }]
      : left === 0
        ? [{ text: 'Cette facture est entièrement réglée. Merci.' }]
        : [
            {
              text: [{ text: 'Référence à rappeler : ', bold: true }, invoice.number],
            },
            {
              text: [
                { text: `Montant à régler : ${euros(left)}`, bold: true },
                invoice.dueOn ? ` avant le ${day(invoice.dueOn)}.` : '.',
              ],
              margin: [0, 2, 0, 4],
            },
            {
              ul: [
                'En ligne, sur votre Espace Famille, par carte bancaire.',
                `À l’accueil de la mairie : espèces (${euros(data.cashLimitCents)} au plus par paiement), ` +
                  `chèque à l’ordre de la ${regie} (référence au dos), carte bancaire, CESU, chèques vacances ANCV.`,
                'Par prélèvement automatique : mandat SEPA à demander à l’accueil.',
              ],
              fontSize: 9,
            },
          ];
  return {
    width: '*',
    table: {
      widths: ['*'],
      body: [
        [
          {
            margin: [10, 8, 10, 8],
            stack: [{ text: 'Comment régler cette facture', style: 'blockLabel' }, ...lines],
          },
        ],
      ],
    },
    layout: {
      hLineColor: () => PRIMARY,
      vLineColor: () => PRIMARY,
      hLineWidth: () => 1,
      vLineWidth: () => 1,
    },
  };
}

export function buildInvoice(data: InvoiceData): PdfDocument {
  const { town, household, invoice } = data;
  const title = `Facture n° ${invoice.number} — ${invoice.label}`;
  const content: PdfContent[] = [
    letterhead(town, {
      title: 'FACTURE',
      number: `N° ${invoice.number}`,
      lines: [
        `Période : ${invoice.label}`,
        `Émise le ${day(invoice.issuedOn)}`,
        `À régler avant le ${day(invoice.dueOn)}`,
      ],
    }),
    {
      margin: [0, 18, 0, 0],
      columns: [
        {
          width: '*',
          stack: [
            { text: 'DOSSIER FAMILLE', style: 'blockLabel' },
            { text: household.code, bold: true },
            { text: 'ÉTAT', style: 'blockLabel', margin: [0, 8, 0, 3] },
            { text: STATUS_TEXT[invoice.status] },
          ],
        },
        framedBlock(
          'PAYEUR',
          [{ text: data.payer, bold: true }, ...household.addressLines.map((line) => ({ text: line }))],
          230,
        ),
      ],
    },
    { text: 'Détail des prestations', style: 'sectionTitle' },
    linesTable(invoice),
    {
      margin: [0, 12, 0, 0],
      unbreakable: true,
      columns: [howToPay(data), { width: 16, text: '' }, totalsTable(invoice)],
    },
    ...paymentsTable(data.payments),
  ];
  return documentOf(town, { title, printedAt: formatShortDateTimeFr(data.printedAt), content });
}
